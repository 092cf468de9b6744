"""The web shell in a real browser: DSFR home page, sign-in per role, a dossier read audited."""

import pytest

from parcours.accounts.models import AuditEntry
from tests.factories import UserFactory, household

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-de-test"


def sign_in(page, username: str) -> None:
    page.goto("/compte/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_public_home_page_uses_the_state_design_system(page, shot):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("header.fr-header").is_visible()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Vous vous séparez")
    # The DSFR stylesheet is served and applied (the header has the DSFR's layout, not a bare block).
    assert page.evaluate("getComputedStyle(document.querySelector('.fr-header')).position") != ""
    assert page.evaluate("[...document.styleSheets].some(s => (s.href || '').includes('dsfr'))")
    shot(page, "accueil")


def test_parent_sees_own_dossier_and_agent_reads_are_audited(page, shot):
    dossier = household(departement="91")
    allocataire = dossier.memberships.get(role="allocataire").person
    UserFactory(username="parent", person=allocataire)
    UserFactory(username="agent", agent=True)

    sign_in(page, "parent")
    assert page.get_by_role("heading", name="Mon espace").is_visible()
    page.get_by_role("link", name="Mon dossier").first.click()
    page.wait_for_url("**/mon-dossier/")
    assert page.get_by_role("heading", name="Mon dossier").is_visible()
    assert dossier.numero_allocataire in page.content()
    shot(page, "parent-mon-dossier")
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "agent")
    assert page.get_by_role("heading", name="Accueil").is_visible()
    shot(page, "agent-mes-taches")
    page.get_by_label("Numéro allocataire").fill(dossier.numero_allocataire)
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(f"**/agent/dossiers/{dossier.numero_allocataire}/")
    assert page.get_by_role("heading", level=1).inner_text().endswith(dossier.numero_allocataire)
    shot(page, "agent-dossier")
    assert (
        AuditEntry.objects.filter(dossier=dossier, action="dossier.read", actor__username="agent").count()
        == 1
    )
