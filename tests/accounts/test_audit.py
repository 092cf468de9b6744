"""The audit log: every staff read of a dossier, and every refusal, once; never changed afterwards."""

from __future__ import annotations

import pytest

from parcours.accounts.models import AuditEntry, Role
from tests.accounts.helpers import parent_of, sign_in_verified, user_with_role
from tests.core.append_only import assert_append_only
from tests.factories import household

pytestmark = pytest.mark.django_db


def test_a_staff_read_writes_exactly_one_entry(client):
    dossier = household()
    agent = user_with_role(Role.AGENT_ARIPA)
    sign_in_verified(client, agent)
    url = f"/agent/dossiers/{dossier.numero_allocataire}/"
    assert client.get(url).status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.actor_role, entry.action, entry.dossier, entry.allowed) == (
        agent,
        "agent_aripa",
        "dossier.read",
        dossier,
        True,
    )
    assert (entry.object_type, entry.object_id) == ("dossier", str(dossier.pk))
    assert entry.context == f"fiche dossier {url}"  # why: the page it was read on
    assert entry.at is not None
    # The page says so.
    assert "journal d'audit" in client.get(url).content.decode().replace("&#x27;", "'")
    assert AuditEntry.objects.count() == 2  # a second read is a second entry


def test_a_refused_read_of_another_territory_is_written_with_allowed_false(client):
    elsewhere = household(departement="75")
    agent = user_with_role(Role.AGENT_PRESTATIONS, departement="91")
    sign_in_verified(client, agent)
    assert client.get(f"/agent/dossiers/{elsewhere.numero_allocataire}/").status_code == 404
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.dossier, entry.allowed) == (
        agent,
        "dossier.read_refused",
        elsewhere,
        False,
    )


@pytest.mark.parametrize("role", [Role.MANAGER, Role.PARTNER, Role.PARENT])
def test_a_role_that_never_reads_dossiers_is_refused_and_the_attempt_written(client, role):
    dossier = household()
    user = parent_of(household()) if role == Role.PARENT else user_with_role(role)
    sign_in_verified(client, user)
    assert client.get(f"/agent/dossiers/{dossier.numero_allocataire}/").status_code == 403
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.actor_role, entry.dossier, entry.allowed) == (user, role, dossier, False)
    # An unknown number is refused the same way (the refusal reveals nothing), and written too.
    assert client.get("/agent/dossiers/0000000/").status_code == 403
    unknown = AuditEntry.objects.get(dossier=None)
    assert (unknown.object_id, unknown.allowed) == ("0000000", False)


def test_an_unknown_dossier_is_not_found_for_staff(client):
    sign_in_verified(client, user_with_role(Role.AGENT_PRESTATIONS))
    assert client.get("/agent/dossiers/9999999/").status_code == 404
    assert not AuditEntry.objects.exists()


def test_a_parent_reading_their_own_dossier_writes_nothing(client):
    dossier = household()
    client.force_login(parent_of(dossier))
    response = client.get("/mon-dossier/")
    assert response.status_code == 200 and dossier.numero_allocataire in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_the_audit_log_is_append_only():
    entry = AuditEntry.objects.create(actor=None, actor_role="agent_prestations", action="dossier.read")
    assert_append_only(entry, context="modifié", allowed=False)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.context, stored.allowed) == ("", True)


def test_the_admin_offers_no_way_to_add_change_or_delete_an_entry(client):
    admin = user_with_role(Role.ADMIN)
    sign_in_verified(client, admin)
    entry = AuditEntry.objects.create(actor=admin, actor_role="admin", action="dossier.read", context="avant")
    listing = client.get("/admin/accounts/auditentry/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "/admin/accounts/auditentry/add/" not in html
    assert "delete_selected" not in html
    assert client.get("/admin/accounts/auditentry/add/").status_code == 403
    assert (
        client.post("/admin/accounts/auditentry/add/", {"action": "x", "actor_role": "admin"}).status_code
        == 403
    )
    change_url = f"/admin/accounts/auditentry/{entry.pk}/change/"
    assert client.get(change_url).status_code == 200  # read-only view
    assert client.post(change_url, {"context": "après"}).status_code == 403
    assert client.get(f"/admin/accounts/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.post(f"/admin/accounts/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = client.post(
        "/admin/accounts/auditentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert AuditEntry.objects.get(pk=entry.pk).context == "avant"
    # Nothing deleted; what was added are the administrator's own reads of the log, audited.
    assert AuditEntry.objects.exclude(action="admin.read").count() == 1
    assert AuditEntry.objects.filter(action="admin.read", object_id=str(entry.pk)).exists()


def test_a_territorial_manager_reads_the_log_of_their_territory_only(client):
    here, elsewhere = household(departement="91"), household(departement="75")
    agent_here = user_with_role(Role.AGENT_PRESTATIONS, departement="91")
    agent_elsewhere = user_with_role(Role.AGENT_PRESTATIONS, departement="75")
    sign_in_verified(client, agent_here)
    client.get(f"/agent/dossiers/{here.numero_allocataire}/")
    sign_in_verified(client, agent_elsewhere)
    client.get(f"/agent/dossiers/{elsewhere.numero_allocataire}/")
    assert AuditEntry.objects.count() == 2

    sign_in_verified(client, user_with_role(Role.MANAGER, departement="91"))
    html = client.get("/compte/journal-audit/").content.decode()
    assert here.numero_allocataire in html and agent_here.username in html
    assert elsewhere.numero_allocataire not in html and agent_elsewhere.username not in html

    sign_in_verified(client, user_with_role(Role.ADMIN))
    html = client.get("/compte/journal-audit/").content.decode()
    assert here.numero_allocataire in html and elsewhere.numero_allocataire in html
