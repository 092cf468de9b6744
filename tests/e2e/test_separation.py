"""The separation journey in a browser: declare with 2 children, see rights before/after, the
agent asks for a correction, the parent answers, the agent validates, the parent sees every step."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from parcours.core.tasks import run_ready_tasks
from parcours.households.selectors import household_on
from parcours.separation.models import Demande
from parcours.social.models import Signalement
from tests.factories import UserFactory, household

from .test_shell import sign_in

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_declare_correct_and_validate_a_separation(page, shot, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    dossier = household(children=2, salary=Decimal("1500.00"))
    UserFactory(username="parent", person=dossier.memberships.get(role="allocataire").person)
    UserFactory(username="agent", agent=True)
    separated_on = timezone.localdate().replace(day=1) - timedelta(days=45)

    sign_in(page, "parent")
    page.get_by_role("link", name="Déclarer ma séparation").click()
    page.get_by_label("Date de la séparation").fill(separated_on.isoformat())
    selects = page.locator("select[name^=child_]:not([name=child_support])")
    assert selects.count() == 2
    selects.nth(1).select_option("alternee")
    page.get_by_label("Pension alimentaire").select_option("impayee")
    page.get_by_label("Montant mensuel fixé (€)").fill("250")
    page.get_by_label("Nouvelle adresse de l'autre parent").fill("3 rue des Acacias")
    page.get_by_label("Code postal").fill("91300")
    page.get_by_label("Code commune INSEE").fill("91377")
    page.get_by_label("Commune", exact=True).fill("Massy")
    shot(page, "parent-declaration")
    page.get_by_role("button", name="Déposer ma déclaration").click()
    page.wait_for_url("**/separation/demandes/*/")
    assert page.get_by_role("heading", name="Vos droits avant et après la séparation").is_visible()
    assert "Allocation de soutien familial" in page.content()
    assert "titre d&#x27;avance" in page.content() or "titre d'avance" in page.content()
    shot(page, "parent-droits-avant-apres")
    # The checklist asks for the decision fixing the pension and proof of the alternating residence.
    assert "à fournir" in page.content()
    page.locator("#file-decision_pension").set_input_files(
        files=[{"name": "jugement.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator("form:has(#file-decision_pension) button").click()
    page.get_by_text("Votre pièce est bien reçue.").wait_for()
    shot(page, "parent-piece-envoyee")
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "agent")
    page.get_by_role("link", name="Déclarations à instruire").click()
    page.get_by_role("link", name="Déclaration n°").first.click()
    page.get_by_role("button", name="Passer en instruction").click()
    page.get_by_text("Action enregistrée : Passer en instruction.").wait_for()
    page.get_by_label("Message au parent (demander un complément)").fill(
        "Merci de confirmer la date de séparation."
    )
    page.get_by_role("button", name="Demander un complément").click()
    page.get_by_text("À compléter", exact=True).first.wait_for()
    assert "pièce n°" in page.content()
    shot(page, "agent-demande-complement")
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "parent")
    page.goto(f"/separation/demandes/{Demande.objects.get().pk}/")
    assert "Merci de confirmer la date de séparation." in page.content()
    page.get_by_label("Message (envoyer mes compléments)").fill("Je confirme la date.")
    page.get_by_role("button", name="Envoyer mes compléments").click()
    page.get_by_text("Action enregistrée : Envoyer mes compléments.").wait_for()
    shot(page, "parent-reponse")
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "agent")
    page.goto(f"/separation/demandes/{Demande.objects.get().pk}/")
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("Action enregistrée : Valider.").wait_for()
    assert "Validée" in page.content()
    # The letter is rendered by the background worker, not in the request: here the worker's own
    # code runs the queue in the test's process (a worker process is tested in tests/separation).
    assert "La notification de droits est en préparation" in page.content()
    shot(page, "agent-validation")
    assert run_ready_tasks() >= 1
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "parent")
    page.goto(f"/separation/demandes/{Demande.objects.get().pk}/")
    assert page.locator("text=à venir").count() == 0 and page.locator("text=en cours").count() == 0
    assert page.get_by_role("heading", name="Vos premiers paiements").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger ma notification de droits (PDF)").click()
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
    shot(page, "parent-parcours-termine")
    demande = Demande.objects.get()
    after = household_on(dossier, demande.separation_date)
    assert len(after.adults) == 1 and Signalement.objects.filter(dossier=dossier).exists()
