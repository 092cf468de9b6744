"""Staff two-factor authentication (TOTP, django-otp): enrolment, the code step, when it is asked."""

from __future__ import annotations

import re
from base64 import b32encode
from urllib.parse import parse_qs, urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.accounts.models import Role
from parcours.accounts.services import TOTP_THROTTLED
from tests.accounts.helpers import (
    TWO_FACTOR_SETUP_URL,
    TWO_FACTOR_URL,
    code,
    confirmed_device,
    parent_of,
    sign_in,
    time_passes_for_throttling,
    user_with_role,
)
from tests.factories import UserFactory, household

pytestmark = pytest.mark.django_db


def redirected_to(response, path: str) -> dict[str, list[str]]:
    """Assert a redirect to `path` and return its query."""
    assert response.status_code == 302, response.status_code
    url = urlsplit(response.url)
    assert url.path == path, response.url
    return parse_qs(url.query)


def test_staff_enrol_an_application_with_a_qr_code_and_a_first_code(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a back-off a slow test run cannot outlast
    agent = UserFactory(username="agent", agent=True)
    assert sign_in(client, "agent").status_code == 302

    page = client.get(TWO_FACTOR_SETUP_URL)
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=agent, confirmed=False)
    assert re.search(r'role="img" aria-label="QR code[^"]*"><svg ', html)
    assert "<?xml" not in html  # an XML declaration has no place inside an HTML page
    # The same secret in letters, for whoever cannot scan.
    assert b32encode(device.bin_key).decode().rstrip("=") in html
    assert '<label for="id_token"' in html

    wrong = client.post(TWO_FACTOR_SETUP_URL, {"token": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    wrong_html = wrong.content.decode().replace("&#x27;", "'")
    assert "Ce code n'est pas valide : vérifiez l'heure de votre téléphone." in wrong_html
    assert 'aria-describedby="id_token-desc-error"' in wrong_html and 'id="id_token-desc-error"' in wrong_html
    device.refresh_from_db()
    assert not device.confirmed

    # Right after a wrong code, django-otp's back-off refuses even the right one, and says so.
    throttled = client.post(TWO_FACTOR_SETUP_URL, {"token": code(device)})
    assert TOTP_THROTTLED.replace("'", "&#x27;") in throttled.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    time_passes_for_throttling(device)
    ok = client.post(f"{TWO_FACTOR_SETUP_URL}?next=/agent/dossiers/", {"token": code(device)})
    assert (ok.status_code, ok.url) == (302, "/agent/dossiers/")
    device.refresh_from_db()
    assert device.confirmed
    # Enrolling is a second factor given: staff pages open at once.
    page = client.get("/agent/dossiers/")
    assert page.status_code == 200 and "La double authentification est activée." in page.content.decode()


@pytest.mark.parametrize(
    ("token", "message"), [("12a456", "que des chiffres"), ("123", "6 chiffres"), ("", "Saisissez")]
)
def test_a_malformed_code_gets_a_french_message(client, token, message):
    client.force_login(user_with_role(Role.AGENT_PRESTATIONS))
    response = client.post(TWO_FACTOR_SETUP_URL, {"token": token})
    assert response.status_code == 200 and message in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_at_the_next_sign_in_the_code_is_asked_before_any_staff_page(client):
    manager = UserFactory(username="manon", manager=True)
    device = confirmed_device(manager)

    response = sign_in(client, "manon")
    assert redirected_to(response, TWO_FACTOR_URL) == {"next": ["/"]}
    # Until the code is given, every staff page (the audit log too) sends back to the code page.
    for page in ("/", "/agent/dossiers/", "/compte/journal-audit/", "/admin/", "/donnees-personnelles/"):
        query = redirected_to(client.get(page), TWO_FACTOR_URL)
        assert query == {"next": [page]}
    # ... with the query string kept.
    assert redirected_to(client.get("/compte/journal-audit/?page=2"), TWO_FACTOR_URL) == {
        "next": ["/compte/journal-audit/?page=2"]
    }
    # Holding the password only, no second device can be enrolled.
    assert "est activée" in client.get(TWO_FACTOR_SETUP_URL).content.decode()
    client.post(TWO_FACTOR_SETUP_URL, {"token": "123456"})
    assert list(TOTPDevice.objects.filter(user=manager)) == [device]

    page = client.get(TWO_FACTOR_URL)
    assert page.status_code == 200 and '<label for="id_token"' in page.content.decode()
    refused = client.post(TWO_FACTOR_URL, {"token": "123"})
    assert "Le code comporte 6 chiffres." in refused.content.decode()
    wrong = client.post(TWO_FACTOR_URL, {"token": "000000" if code(device) != "000000" else "111111"})
    assert "Ce code n&#x27;est pas valide ou a expiré." in wrong.content.decode()
    assert client.get("/compte/journal-audit/").status_code == 302

    time_passes_for_throttling(device)
    response = client.post(f"{TWO_FACTOR_URL}?next=/compte/journal-audit/", {"token": code(device)})
    assert (response.status_code, response.url) == (302, "/compte/journal-audit/")
    assert client.get("/compte/journal-audit/").status_code == 200
    assert client.get("/").status_code == 200


def test_a_code_is_accepted_once(client):
    agent = UserFactory(username="agent", agent=True)
    device = confirmed_device(agent)
    sign_in(client, "agent")
    token = code(device)
    assert client.post(TWO_FACTOR_URL, {"token": token}).status_code == 302
    client.logout()
    sign_in(client, "agent")
    replay = client.post(TWO_FACTOR_URL, {"token": token})
    assert replay.status_code == 200 and "pas valide" in replay.content.decode()
    # The application's next code (one period later) is accepted.
    time_passes_for_throttling(device)
    assert client.post(TWO_FACTOR_URL, {"token": code(device, steps_ahead=1)}).status_code == 302


def test_the_page_asked_for_before_signing_in_is_reached_after_the_code(client):
    agent = UserFactory(username="agent", agent=True)
    device = confirmed_device(agent)
    response = client.post(
        "/compte/connexion/?next=/agent/dossiers/",
        {"username": "agent", "password": "mot-de-passe-de-test", "next": "/agent/dossiers/"},
    )
    query = redirected_to(response, TWO_FACTOR_URL)
    assert query == {"next": ["/agent/dossiers/"]}
    response = client.post(f"{TWO_FACTOR_URL}?next=/agent/dossiers/", {"token": code(device)})
    assert (response.status_code, response.url) == (302, "/agent/dossiers/")


@pytest.mark.parametrize(
    "target", ["https://exemple.invalid/", "//exemple.invalid/", "http:/\\exemple.invalid"]
)
def test_next_never_leads_to_another_host_after_the_code(client, target):
    agent = UserFactory(username="agent", agent=True)
    device = confirmed_device(agent)
    sign_in(client, "agent")
    response = client.post(TWO_FACTOR_URL, {"token": code(device), "next": target})
    assert (response.status_code, response.url) == (302, "/")


def test_after_setup_next_never_leads_to_another_host(client):
    agent = user_with_role(Role.AGENT_PRESTATIONS)
    client.force_login(agent)
    client.get(TWO_FACTOR_SETUP_URL)
    device = TOTPDevice.objects.get(user=agent)
    response = client.post(f"{TWO_FACTOR_SETUP_URL}?next=https://exemple.invalid/", {"token": code(device)})
    assert (response.status_code, response.url) == (302, "/")


@pytest.mark.parametrize(
    "role", [Role.AGENT_PRESTATIONS, Role.AGENT_ARIPA, Role.TRAVAILLEUR_SOCIAL, Role.MANAGER, Role.ADMIN]
)
def test_when_required_staff_without_a_device_are_sent_to_enrol(client, settings, role):
    settings.PARCOURS_STAFF_2FA_REQUIRED = True
    client.force_login(user_with_role(role))
    for page in ("/", "/agent/dossiers/", "/compte/journal-audit/", "/admin/"):
        assert redirected_to(client.get(page), TWO_FACTOR_SETUP_URL) == {"next": [page]}
    # The way to the second factor stays open, and so does the way out.
    assert client.get(TWO_FACTOR_SETUP_URL).status_code == 200
    assert client.get("/api/v1/health").status_code == 200
    assert client.post("/compte/deconnexion/").status_code == 302


def test_when_not_required_staff_without_a_device_are_not_asked(client, settings):
    settings.PARCOURS_STAFF_2FA_REQUIRED = False
    client.force_login(user_with_role(Role.AGENT_PRESTATIONS))
    assert client.get("/agent/dossiers/").status_code == 200


@pytest.mark.parametrize("required", [True, False])
def test_parents_and_partners_are_never_asked(client, settings, required):
    settings.PARCOURS_STAFF_2FA_REQUIRED = required
    dossier = household()
    UserFactory(
        username="parent", role=Role.PARENT, person=dossier.memberships.get(role="allocataire").person
    )
    response = sign_in(client, "parent")
    assert (response.status_code, response.url) == (302, "/")
    assert client.get("/mon-dossier/").status_code == 200
    assert client.get(TWO_FACTOR_SETUP_URL).status_code == 403
    assert client.get(TWO_FACTOR_URL).status_code == 403
    assert not TOTPDevice.objects.exists()

    client.force_login(user_with_role(Role.PARTNER))
    response = client.get("/", follow=True)
    assert (response.status_code, response.redirect_chain) == (200, [("/social/orientations/", 302)])


def test_the_2fa_pages_are_for_signed_in_people(client):
    for page in (TWO_FACTOR_URL, TWO_FACTOR_SETUP_URL):
        response = client.get(page)
        assert urlsplit(response.url).path == "/compte/connexion/"


def test_a_parent_account_with_a_device_is_still_not_asked(client, settings):
    # Enrolment is refused to parents; even a device created by other means changes nothing.
    settings.PARCOURS_STAFF_2FA_REQUIRED = True
    parent = parent_of(household())
    confirmed_device(parent)
    response = sign_in(client, parent.username)
    assert (response.status_code, response.url) == (302, "/")
    assert client.get("/mon-dossier/").status_code == 200
