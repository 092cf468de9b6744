"""The journey's pages: what a parent types is kept, and nobody else reads their declaration."""

import html
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from parcours.accounts.models import AuditEntry
from parcours.core.dates import date_fr
from parcours.core.money import format_euros
from parcours.separation.models import Demande
from tests.factories import UserFactory, household

pytestmark = pytest.mark.django_db


STEPS = ["separation", "enfants", "adresse", "pension", "banque"]


def declare(client, dossier, deposer=None, enregistrer=None, **extra):
    """Go through the stepper with these answers; `deposer`: then certify and send from the recap.
    Returns the first page that refused a step (a 200), else the last response."""
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
    response = None
    for step in STEPS:
        response = client.post(f"/separation/declarer/{step}/", data | {"continuer": "1"})
        if response.status_code == 200:
            return response
    if deposer:
        response = client.post("/separation/declarer/recapitulatif/", {"attestation": "on", "continuer": "1"})
    return response


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


def test_errors_are_shown_next_to_the_field_in_a_summary_and_the_input_is_kept(client, parent_and_dossier):
    _, dossier = parent_and_dossier
    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = declare(client, dossier, deposer="1", separation_date=future)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and "Étape 1 sur 6" in page
    assert "Une réponse est à corriger" in page and 'href="#id_separation_date"' in page
    assert page.count("La date de la séparation ne peut pas être dans le futur.") == 2  # summary, field
    assert f'value="{future}"' in page
    response = declare(client, dossier, deposer="1", child_support_amount="12.345")
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and "Étape 4 sur 6" in page and "Au plus deux décimales." in page
    assert Demande.objects.get().state == "brouillon"


def test_nothing_is_sent_without_the_attestation_sur_l_honneur(client, parent_and_dossier):
    _, dossier = parent_and_dossier
    declare(client, dossier)
    recap = html.unescape(client.get("/separation/declarer/recapitulatif/").content.decode())
    assert "Je certifie sur l'honneur" in recap and "Modifier" in recap and "250,00 €" in recap
    refused = client.post("/separation/declarer/recapitulatif/", {"continuer": "1"})
    assert "Cochez l'attestation sur l'honneur" in html.unescape(refused.content.decode())
    assert Demande.objects.get().state == "brouillon"


def test_the_commune_is_found_by_its_name_and_postcode(client, parent_and_dossier):
    _, dossier = parent_and_dossier
    declare(client, dossier, new_street="3 rue des Acacias", new_postcode="91300", new_commune_name="MASSY")
    demande = Demande.objects.get()
    assert (demande.new_commune_insee, demande.new_commune_name) == ("91377", "Massy")
    response = client.post(
        "/separation/declarer/adresse/",
        {
            "new_street": "3 rue des Acacias",
            "new_postcode": "91300",
            "new_commune_name": "Lyon",
            "continuer": "1",
        },
    )
    assert "Nous ne trouvons pas cette commune pour ce code postal" in html.unescape(
        response.content.decode()
    )


def test_nobody_else_reads_a_declaration(client, parent_and_dossier):
    _, dossier = parent_and_dossier
    declare(client, dossier, deposer="1")
    demande = Demande.objects.get()
    url = f"/separation/demandes/{demande.pk}/"
    other = UserFactory(person=household().memberships.get(role="allocataire").person)
    client.force_login(other)
    assert client.get(url).status_code == 404  # as if it did not exist
    assert AuditEntry.objects.filter(actor=other, action="demande.read_refused", allowed=False).count() == 1
    assert client.post(f"{url}deposer/").status_code == 404
    client.force_login(UserFactory(agent=True, departement="75"))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(manager=True))
    assert client.get(url).status_code == 403  # a role that reads no declaration
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


def test_a_reopened_draft_keeps_its_date_in_the_form(client, parent_and_dossier):
    """<input type="date"> only takes ISO dates: a draft reopened in another format lost its date."""
    _, dossier = parent_and_dossier
    on = timezone.localdate() - timedelta(days=60)
    declare(client, dossier, enregistrer="1")
    assert Demande.objects.get().separation_date == on
    html = client.get("/separation/declarer/", follow=True).content.decode()
    assert "Étape 6 sur 6" in html  # every step answered: back to the recap
    html = client.get("/separation/declarer/separation/").content.decode()
    assert f'value="{on.isoformat()}"' in html


def _validate(demande):
    from parcours.separation import services

    agent = UserFactory(agent=True)
    for action in ("instruire", "valider"):
        services.demande_transition(demande=demande, action=action, by=agent, actor="agent")


def test_after_validation_the_page_the_calendar_and_the_letter_read_the_same_rights(
    client, parent_and_dossier, settings, tmp_path
):
    from parcours.rights.selectors import rights_timeline
    from parcours.separation.letters import notification_context

    settings.PRIVATE_STORAGE_ROOT = tmp_path
    _, dossier = parent_and_dossier
    # A pension fixed by judgment and paid: the estimate counts it, so the ASF is différentielle.
    declare(client, dossier, deposer="1", child_support="jugement", child_support_amount="80")
    demande = Demande.objects.get()
    estimated = client.get(f"/separation/demandes/{demande.pk}/").context["estimate"]
    estimated_asf = next(line.after for line in estimated if line.benefit == "asf")
    _validate(demande)
    page = client.get(f"/separation/demandes/{demande.pk}/")
    html = page.content.decode()
    assert "Montants retenus par la Caf" in html and "Estimation, tant que" not in html
    retained = {line.benefit: line.after for line in page.context["estimate"]}
    month = f"{timezone.localdate():%Y-%m}"
    due = rights_timeline(dossier, month, month)[0].due
    # The page's "after" is the registry's revised rights of the month…
    assert retained == {name: amount for name, amount in due.items() if amount}
    # …the calendar's amount of the month is their sum, and the letter lists the same figures…
    calendar = {p.month: p.amount for p in page.context["schedule"]}
    assert calendar[month] == sum(retained.values())
    letter = {m["month"]: dict(m["due"]) for m in notification_context(demande)["months"]}
    assert sorted(letter[month].values()) == sorted(retained.values())
    # …and the registry now counts the paid pension, as the estimate did (ASF différentielle).
    assert retained["asf"] == estimated_asf


def test_the_completion_step_waits_while_the_caf_waits_for_documents(client, parent_and_dossier):
    from parcours.separation import services
    from parcours.separation.selectors import timeline

    _, dossier = parent_and_dossier
    declare(client, dossier, deposer="1")
    demande = Demande.objects.get()
    agent = UserFactory(agent=True)
    services.demande_transition(demande=demande, action="instruire", by=agent, actor="agent")
    services.demande_transition(
        demande=demande, action="demander_complement", by=agent, actor="agent", reason="Le jugement, svp."
    )
    demande.refresh_from_db()
    steps = {s.label: s.state for s in timeline(demande)}
    assert steps["Compléter son dossier"] == "en cours" and steps["Vérification du dossier"] == "à venir"


def test_the_parent_space_says_where_the_declaration_stands_and_what_the_caf_waits_for(
    client, parent_and_dossier
):
    _, dossier = parent_and_dossier
    space = html.unescape(client.get("/").content.decode())
    assert "Mon espace" in space and "Déclarer ma séparation" in space and "Mes messages de la Caf" in space
    declare(client, dossier)
    assert "Reprendre ma déclaration" in html.unescape(client.get("/").content.decode())
    client.post("/separation/declarer/recapitulatif/", {"attestation": "on", "continuer": "1"})
    demande = Demande.objects.get()
    agent = UserFactory(agent=True)
    from parcours.separation import services

    services.demande_transition(demande=demande, action="instruire", by=agent, actor="agent")
    services.demande_transition(
        demande=demande, action="demander_complement", by=agent, actor="agent", reason="Le jugement, svp."
    )
    space = html.unescape(client.get("/").content.decode())
    assert "La Caf attend un complément de votre part." in space and "Le jugement, svp." in space
    assert f"/separation/demandes/{demande.pk}/" in space
    assert "Votre déclaration de séparation est bien reçue" in space  # the messages sent

    # Validated: the space gives the next payment, the one the declaration's page and letter list.
    parent = demande.declarant
    services.demande_transition(
        demande=demande, action="repondre", by=parent, actor="parent", reason="Voici."
    )
    services.demande_transition(demande=demande, action="valider", by=agent, actor="agent")
    schedule = client.get(f"/separation/demandes/{demande.pk}/").context["schedule"]
    upcoming = next(p for p in schedule if p.paid_on > timezone.localdate() and p.amount > 0)
    space = html.unescape(client.get("/").content.decode())
    assert (
        f"Prochain paiement : {format_euros(upcoming.amount)}, vers le {date_fr(upcoming.paid_on)}" in space
    )


def test_a_parent_without_a_partner_is_not_offered_a_separation_to_declare(client):
    dossier = household(couple=False, children=1)
    client.force_login(UserFactory(person=dossier.memberships.get(role="allocataire").person))
    space = html.unescape(client.get("/").content.decode())
    assert "Mon espace" in space and "Déclarer ma séparation" not in space
