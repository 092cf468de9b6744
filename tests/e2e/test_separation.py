"""The separation journey in a browser, as parents and agents live it.

The parent declares through the stepper, stops and resumes the draft, certifies and sends; the
agent refuses a document, the parent sends another, the agent accepts it and validates; the
parent then reads the same amounts on the page, in the payment calendar and in the letter (its PDF
text). The agent's own pages are driven in a second test. Every page passes axe-core (no serious or
critical violation) and the French check (no English word, no raw code): tests/e2e/checks.py.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from parcours.accounts.models import AuditEntry
from parcours.core.tasks import run_ready_tasks
from parcours.households.selectors import household_on
from parcours.separation.models import Demande
from parcours.social.models import Signalement
from tests.factories import CallbackRequestFactory, DemandeFactory, UserFactory, household
from tests.factories.separation import PDF

from .checks import assert_page_ok
from .test_shell import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
AMOUNT = re.compile(r"-?\d{1,3}(?:[\s\u202f\xa0]\d{3})*,\d{2}[\s\u202f\xa0]€")


def euros(text: str) -> Decimal:
    """ "1 138,93 €" → Decimal("1138.93")."""
    return Decimal(re.sub(r"[\s\u202f\xa0€]", "", text).replace(",", "."))


def flat(text: str) -> str:
    return re.sub(r"[\s\u202f\xa0]+", " ", text).strip()


def upload(page, code: str) -> None:
    page.locator(f"#file-{code}").set_input_files(
        files=[{"name": "jugement.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator(f"form:has(#file-{code}) button").click()
    page.get_by_text("Votre pièce est bien reçue.").wait_for()


def test_a_parent_declares_step_by_step_and_reads_the_same_amounts_everywhere(page, shot, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    dossier = household(children=2, salary=Decimal("1500.00"))
    UserFactory(username="parent", person=dossier.memberships.get(role="allocataire").person)
    UserFactory(username="agent", agent=True)
    separated_on = timezone.localdate().replace(day=1) - timedelta(days=45)

    sign_in(page, "parent")
    page.get_by_role("link", name="Déclarer ma séparation").click()
    page.get_by_text("Étape 1 sur 6").first.wait_for()  # a click only starts the load: wait for it
    assert_page_ok(page, "étape 1")
    page.locator("#id_separation_date").fill(separated_on.isoformat())
    page.get_by_role("button", name="Continuer").click()
    page.get_by_text("Étape 2 sur 6").first.wait_for()
    selects = page.locator("select[name^=child_]")
    assert selects.count() == 2
    selects.nth(1).select_option("alternee")
    assert_page_ok(page, "étape 2")
    page.get_by_role("button", name="Continuer").click()
    page.locator("#id_new_street").fill("3 rue des Acacias")
    page.get_by_label("Code postal").fill("91300")
    page.locator("#id_new_commune_name").fill("massy")
    shot(page, "parent-etape-adresse")
    # The parent stops here, and comes back later: the draft resumes at this step, answers kept.
    page.get_by_role("button", name="Enregistrer et reprendre plus tard").click()
    page.get_by_text("Votre brouillon est enregistré").wait_for()
    assert page.get_by_role("heading", name="Mon espace").is_visible()
    page.get_by_role("link", name="Reprendre ma déclaration").click()
    page.get_by_text("Étape 3 sur 6").first.wait_for()
    assert page.locator("#id_new_street").input_value() == "3 rue des Acacias"
    assert page.locator("#id_new_commune_name").input_value() == "Massy"  # the official name, found
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Pension alimentaire").select_option("impayee")
    page.get_by_role("button", name="Continuer").click()  # no amount: refused, with a summary
    page.get_by_role("alert").get_by_text("Indiquez le montant mensuel de la pension fixée.").wait_for()
    assert_page_ok(page, "étape 4 en erreur")
    page.locator("#id_child_support_amount").fill("250")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_text("Étape 5 sur 6").first.wait_for()
    page.get_by_role("button", name="Continuer").click()  # no new bank account
    page.get_by_text("Récapitulatif et envoi").first.wait_for()
    assert "250,00 €" in page.content()
    page.get_by_role("button", name="Envoyer ma déclaration").click()
    page.get_by_text("Cochez l'attestation sur l'honneur").first.wait_for()
    assert_page_ok(page, "récapitulatif")
    page.get_by_text("Je certifie sur l'honneur l'exactitude des informations déclarées").click()
    shot(page, "parent-recapitulatif")
    page.get_by_role("button", name="Envoyer ma déclaration").click()
    page.wait_for_url("**/separation/demandes/*/")
    demande = Demande.objects.get()
    assert (demande.state, demande.new_commune_insee) == ("deposee", "91377")
    assert page.get_by_role("heading", name="Vos droits avant et après la séparation").is_visible()
    assert_page_ok(page, "déclaration déposée")
    upload(page, "decision_pension")
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "agent")
    page.get_by_role("link", name="Déclarations à instruire").click()
    person = demande.declarant.person
    page.get_by_text(f"{person.last_name} {person.first_names}").first.wait_for()
    page.get_by_role("link", name=f"Déclaration n° {demande.pk}").click()
    page.get_by_role("button", name="Passer en instruction").click()
    page.get_by_label("Motif du refus").fill("Le jugement est illisible : envoyez une copie nette.")
    page.get_by_role("button", name="Refuser la pièce").click()
    page.get_by_text("Pièce refusée").first.wait_for()
    assert Demande.objects.get().state == "a_completer"
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "parent")
    page.goto(f"/separation/demandes/{demande.pk}/")
    assert page.get_by_role("heading", name="La Caf attend un complément de votre part").is_visible()
    assert "Le jugement est illisible" in page.content()
    assert_page_ok(page, "complément demandé")
    upload(page, "decision_pension")
    page.get_by_label("Message (envoyer mes compléments)").fill("Voici une copie lisible du jugement.")
    page.get_by_role("button", name="Envoyer mes compléments").click()
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "agent")
    page.goto(f"/separation/demandes/{demande.pk}/")
    page.get_by_role("button", name="Accepter la pièce").click()
    page.get_by_text("Pièce acceptée.").wait_for()
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("Action enregistrée : Valider.").wait_for()
    assert "La notification de droits est en préparation" in page.content()
    # The letter is rendered by the background worker (here its code runs in the test's process).
    while run_ready_tasks():
        pass
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "parent")
    page.goto(f"/separation/demandes/{demande.pk}/")
    assert "Montants retenus par la Caf" in page.content()
    shot(page, "parent-parcours-termine")
    assert_page_ok(page, "déclaration validée")
    retained = page.locator("table:has(caption:text('Montants mensuels retenus'))")
    after = [euros(cell) for cell in retained.locator("tbody tr td:nth-child(3)").all_inner_texts()]
    calendar = page.locator("table:has(caption:text('Calendrier de paiement')) tbody tr")
    rows = [[flat(c) for c in row.locator("td").all_inner_texts()] for row in calendar.all()]
    this_month = rows[-1]  # the current month's rights, paid around the 5th of the next month
    assert sum(after) == euros(this_month[1]) > 0
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger ma notification de droits (PDF)").click()
    from pypdf import PdfReader

    letter = flat(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages)
    )
    for month, amount, paid_on in rows:  # the calendar of the page is the letter's
        assert f"{month} {amount} {paid_on}" in letter, (month, amount, paid_on)
    asf = next(r for r in retained.locator("tbody tr").all_inner_texts() if "soutien familial" in r)
    assert flat(AMOUNT.findall(asf)[1]) in letter  # the ASF retained this month, in the letter

    after_state = household_on(dossier, demande.separation_date)
    assert len(after_state.adults) == 1 and Signalement.objects.filter(dossier=dossier).exists()


def test_an_agent_instructs_from_the_list_to_the_decision(page, shot, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    agent = UserFactory(username="agent", agent=True)
    demande = DemandeFactory(deposee=True, confidential_address=True)
    DemandeFactory(deposee=True)
    CallbackRequestFactory(phone="06 98 76 54 32", slot="Le midi")
    person = demande.declarant.person

    sign_in(page, "agent")
    page.get_by_role("link", name="Déclarations à instruire").click()
    page.get_by_text("2 déclarations").first.wait_for()
    assert_page_ok(page, "liste des déclarations")
    page.locator("#id_q").fill(person.last_name)
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_text("1 déclaration", exact=True).first.wait_for()
    page.get_by_role("link", name=f"Déclaration n° {demande.pk}").click()
    page.get_by_role("heading", name="Ce qui a été déclaré").wait_for()  # (the click only starts the load)
    assert "Acacias" not in page.content() and "Adresse confidentielle (masquée)" in page.content()
    assert_page_ok(page, "page d'instruction")
    page.get_by_role("link", name="Afficher l'adresse (consultation enregistrée)").click()
    page.get_by_text("3 rue des Acacias, 91300 Massy").first.wait_for()
    assert AuditEntry.objects.filter(actor=agent, action="adresse_confidentielle.read").count() == 1
    page.get_by_role("button", name="Passer en instruction").click()
    page.get_by_text("Action enregistrée : Passer en instruction.").wait_for()
    page.get_by_label("Message au parent (refuser)").fill("La séparation n'est pas établie.")
    page.get_by_role("button", name="Refuser").click()
    page.get_by_text("Action enregistrée : Refuser.").wait_for()
    assert "Refusée" in page.content() and "Passer en instruction" in page.locator("ol").last.inner_text()
    shot(page, "agent-decision")

    page.get_by_role("link", name="Demandes de rappel").click()
    page.get_by_text("06 98 76 54 32").first.wait_for()
    assert_page_ok(page, "demandes de rappel")
    page.get_by_role("button", name="Je prends ce rappel").click()
    page.get_by_label("Résultat de l'appel").select_option("oriente")
    page.get_by_role("button", name="Clore le rappel").click()
    page.get_by_text("Rappel clos.").wait_for()
    assert "Aucun rappel à faire." in page.content()
    assert_page_ok(page, "rappels clos")
