"""The journey's pages: what a parent types is kept, and nobody else reads their declaration."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from parcours.accounts.models import AuditEntry
from parcours.separation.models import Demande
from tests.factories import UserFactory, household

pytestmark = pytest.mark.django_db


def declare(client, dossier, **extra):
    client.get("/separation/declarer/")
    demande = Demande.objects.get(dossier=dossier)
    data = {
        "separation_date": (timezone.localdate() - timedelta(days=60)).isoformat(),
        "child_support": "impayee",
        "child_support_amount": "250",
        "visiting": "classique",
    } | extra
    for pid in demande.children:
        data[f"child_{pid}"] = "chez_moi"
    return client.post("/separation/declarer/", data)


@pytest.fixture
def parent_and_dossier(client):
    dossier = household(children=2, salary=Decimal("1500.00"))
    parent = UserFactory(person=dossier.memberships.get(role="allocataire").person)
    client.force_login(parent)
    return parent, dossier


def test_a_submitted_declaration_keeps_every_answer(client, parent_and_dossier):
    _, dossier = parent_and_dossier
    response = declare(client, dossier, deposer="1")
    demande = Demande.objects.get()
    assert response.status_code == 302 and demande.state == "deposee"
    assert (demande.child_support, demande.child_support_amount) == ("impayee", Decimal("250.00"))


def test_errors_are_shown_next_to_the_field_and_the_input_is_kept(client, parent_and_dossier):
    _, dossier = parent_and_dossier
    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = declare(client, dossier, deposer="1", separation_date=future, child_support_amount="12.345")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Au plus deux décimales." in html or "deux décimales" in html
    assert Demande.objects.get().state == "brouillon"


def test_nobody_else_reads_a_declaration(client, parent_and_dossier):
    _, dossier = parent_and_dossier
    declare(client, dossier, deposer="1")
    demande = Demande.objects.get()
    url = f"/separation/demandes/{demande.pk}/"
    other = UserFactory(person=household().memberships.get(role="allocataire").person)
    client.force_login(other)
    assert client.get(url).status_code == 403
    assert AuditEntry.objects.filter(actor=other, action="demande.read_refused", allowed=False).count() == 1
    assert client.post(f"{url}deposer/").status_code == 403
    client.force_login(UserFactory(agent=True, departement="75"))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(manager=True))
    assert client.get(url).status_code == 403
    agent = UserFactory(agent=True)
    client.force_login(agent)
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(actor=agent, dossier=dossier, action="dossier.read").count() == 1
    assert str(demande.pk) in client.get("/separation/instruction/").content.decode()


def test_a_bad_iban_stops_the_deposit_and_a_good_one_reaches_the_registry(client, parent_and_dossier):
    from parcours.households.selectors import household_on
    from parcours.separation import services

    _, dossier = parent_and_dossier
    response = declare(client, dossier, deposer="1", new_iban="FR76 3000 6000 0112 3456 7890 188")
    assert response.status_code == 200 and "IBAN" in response.content.decode()
    assert Demande.objects.get().state == "brouillon"
    declare(client, dossier, deposer="1", new_iban="FR14 2004 1010 0505 0001 3M02 606")
    demande = Demande.objects.get()
    assert demande.state == "deposee"
    assert "rib" in {
        d.code
        for d in __import__("parcours.separation.checklist", fromlist=["x"]).required_documents(demande)
    }
    agent = UserFactory(agent=True)
    for action in ("instruire", "valider"):
        services.demande_transition(demande=demande, action=action, by=agent, actor="agent")
    account = household_on(dossier, demande.separation_date).bank_account
    assert account.iban == "FR1420041010050500013M02606"


def test_messages_reach_the_agent_and_private_notes_never_reach_the_parent(client, parent_and_dossier):
    parent, dossier = parent_and_dossier
    declare(client, dossier, deposer="1")
    demande = Demande.objects.get()
    url = f"/separation/demandes/{demande.pk}/"
    client.post(f"{url}messages/", {"body": "Bonjour, une question.", "private": "on"})
    agent = UserFactory(agent=True)
    client.force_login(agent)
    page = client.get(url).content.decode()
    assert (
        "Bonjour, une question." in page
        and "note interne" not in page.split("Bonjour, une question.")[1][:200]
    )
    client.post(f"{url}messages/", {"body": "Dossier à surveiller.", "private": "on"})
    client.post(f"{url}messages/", {"body": "Merci, nous revenons vers vous."})
    client.force_login(parent)
    page = client.get(url).content.decode()
    assert "Merci, nous revenons vers vous." in page and "Dossier à surveiller." not in page
