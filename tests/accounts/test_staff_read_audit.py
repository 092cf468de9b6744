"""Every page a staff member reads is audited — lists and the administration included — by one
middleware; a view that audited its own read is not written twice; the log goes to the managers
of the territory read."""

from __future__ import annotations

import pytest
from django.test import Client

from parcours.accounts.models import AuditEntry, Role
from tests.accounts.helpers import sign_in_verified, user_with_role
from tests.factories import BankAccountFactory, UserFactory, household

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    sign_in_verified(client, user)
    return client


def test_a_list_page_is_audited_with_its_path_and_never_the_terms_searched():
    agent = user_with_role(Role.AGENT_PRESTATIONS)
    client = signed_in(agent)
    assert client.get("/separation/instruction/").status_code == 200
    assert client.get("/separation/instruction/", {"q": "Martin"}).status_code == 200
    entries = list(AuditEntry.objects.filter(actor=agent).order_by("id"))
    assert [(e.action, e.context, e.departement) for e in entries] == [
        ("page.read", "/separation/instruction/", "91"),
        ("page.read", "/separation/instruction/ (recherche)", "91"),
    ]
    assert not AuditEntry.objects.filter(context__icontains="martin").exists()


def test_a_dossier_read_is_written_once_by_its_view():
    dossier = household(departement="91")
    agent = user_with_role(Role.AGENT_PRESTATIONS)
    assert signed_in(agent).get(f"/agent/dossiers/{dossier.numero_allocataire}/").status_code == 200
    assert list(AuditEntry.objects.filter(actor=agent).values_list("action", flat=True)) == ["dossier.read"]


def test_parents_and_public_pages_are_not_audited():
    parent = UserFactory(parent=True)
    client = signed_in(parent)
    assert client.get("/mon-dossier/").status_code == 200
    agent = user_with_role(Role.AGENT_PRESTATIONS)
    assert signed_in(agent).get("/pension-alimentaire/simuler/").status_code == 200
    assert not AuditEntry.objects.exists()


def test_a_read_in_the_administration_is_audited_to_the_territory_of_the_dossier():
    account = BankAccountFactory(dossier=household(departement="91"))
    admin = user_with_role(Role.ADMIN)
    client = signed_in(admin)
    response = client.get(f"/admin/households/bankaccount/{account.pk}/change/")
    assert response.status_code == 200 and account.iban in response.content.decode()
    entry = AuditEntry.objects.get(actor=admin)
    assert (entry.action, entry.object_id, entry.departement) == ("admin.read", str(account.pk), "91")
    assert client.get("/admin/households/bankaccount/").status_code == 200  # a list: audited too
    assert AuditEntry.objects.filter(actor=admin, action="admin.read").count() == 2

    here = signed_in(user_with_role(Role.MANAGER, departement="91")).get("/compte/journal-audit/")
    elsewhere = signed_in(user_with_role(Role.MANAGER, departement="75")).get("/compte/journal-audit/")
    label = "Consultation dans l&#x27;administration"
    assert label in here.content.decode() and label not in elsewhere.content.decode()
