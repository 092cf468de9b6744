"""Audit log, sign-in rate limiting, staff TOTP, and the production deploy check."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.accounts.models import AuditEntry
from tests.factories import UserFactory, household

pytestmark = pytest.mark.django_db
PASSWORD = "mot-de-passe-de-test"


def sign_in(client, username, password=PASSWORD):
    return client.post("/compte/connexion/", {"username": username, "password": password})


def test_a_staff_read_writes_exactly_one_audit_entry_and_a_parent_reading_their_own_writes_none(client):
    dossier = household()
    agent = UserFactory(agent=True)
    client.force_login(agent)
    assert client.get(f"/agent/dossiers/{dossier.numero_allocataire}/").status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.actor_role, entry.action, entry.dossier, entry.allowed) == (
        agent,
        "agent_prestations",
        "dossier.read",
        dossier,
        True,
    )
    assert dossier.numero_allocataire in entry.context
    parent = UserFactory(person=dossier.memberships.get(role="allocataire").person)
    client.force_login(parent)
    assert client.get("/mon-dossier/").status_code == 200
    assert AuditEntry.objects.count() == 1


def test_the_audit_log_is_append_only():
    entry = AuditEntry.objects.create(actor=None, actor_role="agent_prestations", action="dossier.read")
    entry.context = "modifié"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(context="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).context == ""


def test_the_admin_offers_no_way_to_change_the_audit_log(client):
    admin = UserFactory(admin=True)
    client.force_login(admin)
    entry = AuditEntry.objects.create(actor=admin, actor_role="admin", action="dossier.read")
    assert client.get("/admin/accounts/auditentry/").status_code == 200
    assert client.get("/admin/accounts/auditentry/add/").status_code == 403
    assert client.post(f"/admin/accounts/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_wrong_password_gets_a_french_error(client):
    UserFactory(username="claire")
    response = sign_in(client, "claire", "mauvais")
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()


def test_failed_sign_ins_lock_the_account_even_for_the_right_password(client, settings):
    UserFactory(username="claire")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "claire", "mauvais")
    response = sign_in(client, "claire")
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_resets_the_failure_count(client, settings):
    UserFactory(username="claire")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "claire", "mauvais")
    assert sign_in(client, "claire").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "claire", "mauvais")
    assert sign_in(client, "claire").status_code == 302


def test_staff_enrol_totp_and_must_give_a_code_at_the_next_sign_in(client):
    agent = UserFactory(username="agent", agent=True)
    assert sign_in(client, "agent").status_code == 302
    page = client.get("/compte/double-authentification/activer/")
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=agent, confirmed=False)
    wrong = client.post("/compte/double-authentification/activer/", {"token": "000000"})
    assert "pas valide" in wrong.content.decode()
    # django-otp throttles after a failure (exponential back-off): the test waits it out.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    ok = client.post("/compte/double-authentification/activer/", {"token": f"{totp(device.bin_key):06d}"})
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    client.logout()

    response = sign_in(client, "agent")
    assert response.url == "/compte/double-authentification/"
    # Until the code is given, staff pages send back to the code page.
    blocked = client.get("/agent/dossiers/")
    assert blocked.status_code == 302 and blocked.url.startswith("/compte/double-authentification/")
    refused = client.post("/compte/double-authentification/", {"token": "123"})
    assert "6 chiffres" in refused.content.decode()
    # A TOTP code is accepted once: the test stands in the next 30-second window.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    token = f"{totp(device.bin_key, t0=device.t0, step=device.step, digits=device.digits):06d}"
    response = client.post("/compte/double-authentification/?next=https://exemple.invalid/", {"token": token})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/agent/dossiers/").status_code == 200


def test_staff_without_a_device_are_sent_to_enrol_when_2fa_is_required(client, settings):
    settings.PARCOURS_STAFF_2FA_REQUIRED = True
    client.force_login(UserFactory(agent=True))
    response = client.get("/agent/dossiers/")
    assert response.status_code == 302 and response.url.startswith("/compte/double-authentification/")
    parent = UserFactory(person=household().memberships.get(role="allocataire").person)
    client.force_login(parent)
    assert client.get("/mon-dossier/").status_code == 200


def run_manage(args, env):
    src = Path(__file__).resolve().parents[2] / "src"
    return subprocess.run(
        [sys.executable, "-m", "parcours", *args],
        # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "PYTHONPATH": str(src),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_passes_with_production_variables(tmp_path):
    env = {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "parcours.caf.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {"DEBUG": "false", "SECRET_KEY": "", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    result = run_manage(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
