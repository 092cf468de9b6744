"""Users per role, signed in as in production (staff past the second factor), and TOTP codes."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.accounts.models import Role, User
from parcours.households.models import Dossier
from tests.factories import UserFactory

PASSWORD = "mot-de-passe-de-test"
LOGIN_URL = "/compte/connexion/"
TWO_FACTOR_URL = "/compte/double-authentification/"
TWO_FACTOR_SETUP_URL = "/compte/double-authentification/activer/"


def parent_of(dossier: Dossier, **kwargs) -> User:
    """The account of the allocataire of `dossier`."""
    person = dossier.memberships.get(role="allocataire").person
    return UserFactory(role=Role.PARENT, person=person, **kwargs)


def user_with_role(role: str, *, departement: str = "91", **kwargs) -> User:
    """A staff, partner or admin account; the administrator is national (no territory)."""
    if role == Role.ADMIN:
        return UserFactory(role=role, departement="", is_staff=True, is_superuser=True, **kwargs)
    if role == Role.PARTNER:
        return UserFactory(role=role, departement="", **kwargs)
    return UserFactory(role=role, departement=departement, **kwargs)


def confirmed_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Application", confirmed=True)


def sign_in_verified(client, user: User) -> None:
    """Signed in; a staff member also past the second factor, as django_otp.login would leave it."""
    client.force_login(user)
    if user.is_staff_role:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
        session.save()


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's application shows now (or `steps_ahead` periods of 30 s later: a code
    is accepted once, and the device tolerates one period of clock drift)."""
    device.refresh_from_db()
    value = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + steps_ahead
    )
    return f"{value:0{device.digits}d}"


def time_passes_for_throttling(device: TOTPDevice) -> None:
    """django-otp refuses any code for a few seconds after a wrong one; the test waits it out."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
