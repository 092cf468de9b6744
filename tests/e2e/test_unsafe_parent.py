"""The unsafe-parent path: the parent who leaves in danger declares a confidential new address; the
other parent is asked to confirm the separation and never sees that address, before or after."""

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.households.selectors import household_on
from parcours.separation.models import Demande
from tests.factories import UserFactory, household

from .test_shell import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SECRET_STREET = "9 impasse des Glycines"


def test_the_other_parent_never_sees_the_confidential_address(page, shot, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    dossier = household(children=2)
    UserFactory(username="parent", person=dossier.memberships.get(role="allocataire").person)
    UserFactory(username="victime", person=dossier.memberships.get(role="conjoint").person)
    UserFactory(username="agent", agent=True)

    sign_in(page, "victime")
    page.get_by_role("link", name="Déclarer ma séparation").click()
    page.get_by_role("link", name="Quitter rapidement").wait_for()
    page.locator("#id_separation_date").fill((timezone.localdate() - timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Continuer").click()  # the children stay with their mother
    page.get_by_text("Étape 3 sur 6").first.wait_for()
    assert page.get_by_role("link", name="Quitter rapidement").is_visible()  # on every step
    page.locator("#id_new_street").fill(SECRET_STREET)
    page.get_by_label("Code postal").fill("91300")
    page.locator("#id_new_commune_name").fill("Massy")
    page.locator("label[for=id_new_address_confidential]").click()
    assert page.get_by_label("Je me sens en danger").is_checked()
    shot(page, "declaration-confidentielle")
    for _ in range(3):  # the address, the pension, the bank account
        page.get_by_role("button", name="Continuer").click()
    page.get_by_text("Je certifie sur l'honneur l'exactitude des informations déclarées").click()
    page.get_by_role("button", name="Envoyer ma déclaration").click()
    page.wait_for_url("**/separation/demandes/*/")
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "parent")
    assert SECRET_STREET not in page.content()
    page.get_by_role("link", name="Confirmer ou contester").click()
    page.wait_for_url("**/separation/invitations/*/")
    assert SECRET_STREET not in page.content() and "91300" not in page.content()
    shot(page, "autre-parent-invitation")
    page.get_by_role("button", name="Je confirme").click()
    page.get_by_text("Votre réponse est transmise à la Caf.").wait_for()
    demande = Demande.objects.get()
    assert page.goto(f"/separation/demandes/{demande.pk}/").status == 404  # as if it did not exist
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "agent")
    page.goto(f"/separation/demandes/{demande.pk}/")
    assert "L&#x27;autre parent confirme" in page.content() or "L'autre parent confirme" in page.content()
    page.get_by_role("button", name="Passer en instruction").click()
    page.get_by_text("Action enregistrée : Passer en instruction.").wait_for()
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("Action enregistrée : Valider.").wait_for()
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "parent")
    page.goto("/mon-dossier/")
    assert SECRET_STREET not in page.content()
    shot(page, "autre-parent-mon-dossier")
    demande.refresh_from_db()
    new_household = household_on(demande.new_dossier, demande.separation_date)
    assert new_household.address.street == SECRET_STREET and new_household.address.is_confidential
    assert len(new_household.children) == 2


def test_the_unsafe_path_leaves_no_answer_in_the_address_and_a_quick_exit_always_at_hand(page, shot):
    # The exit goes to a search engine: answered here by a stand-in page (no network in tests).
    page.route("https://www.google.fr/**", lambda route: route.fulfill(body="<title>Recherche</title>"))
    page.set_viewport_size({"width": 390, "height": 700})
    page.goto("/separation/s-informer/")
    before = page.evaluate("history.length")
    page.get_by_text("Marié(e)s").click()
    for question in ("Avez-vous des enfants ensemble ?", "Vous sentez-vous en danger ?"):
        page.get_by_role("group", name=question).get_by_text("Oui", exact=True).click()
    page.get_by_role("group", name="Un jugement ou un accord").get_by_text("Non", exact=True).click()
    page.get_by_role("button", name="Voir mes démarches").click()
    page.get_by_text("Vous êtes en danger").wait_for()
    assert "oui" not in page.url and "?" not in page.url
    assert page.evaluate("history.length") <= before + 1  # the result page, never the answers
    page.mouse.wheel(0, 3000)
    exit_link = page.get_by_role("link", name="Quitter rapidement")
    assert exit_link.is_visible() and exit_link.bounding_box()["y"] < 700
    shot(page, "sortie-rapide-apres-defilement")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url("https://www.google.fr/**")
