"""The back office in a real browser: an agent takes the next task, reads why its dossier is in the
queue, processes it, and is given the next one — riskiest first."""

from decimal import Decimal

import pytest
from django.utils import timezone

from parcours.casework import lifecycle
from parcours.casework.models import Task, Team
from parcours.casework.services.scoring import profiles_compute, rescore
from parcours.households import services as registry
from parcours.households.models import IncidentKind
from parcours.rights.services import revisions_write
from tests.factories import UserFactory, household
from tests.factories.casework import reported_on

from .checks import assert_page_ok

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-de-test"


def sign_in(page, username: str) -> None:
    page.goto("/compte/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_an_agent_takes_the_next_task_reads_why_processes_it_and_takes_the_next(page, shot):
    team = Team.objects.create(
        code="prestations", name="Prestations Évry", departement="91", offer="Droits et paiements."
    )
    agent = UserFactory(username="agent", agent=True)
    team.members.add(agent)
    month = f"{timezone.localdate():%Y-%m}"
    # A single parent with no income whose payment came back from the bank: all her money stops.
    urgent = household(couple=False, children=1, salary=Decimal("0"))
    revisions_write(
        {urgent.pk: {"rsa": Decimal("646.52"), "asf": Decimal("199.19")}}, month, source="test", versions={}
    )
    # A couple whose letter came back: less money at stake, less likely to stop.
    calm = household()
    revisions_write({calm.pk: {"af": Decimal("151.00")}}, month, source="test", versions={})
    today = reported_on()  # within the score's horizon, whatever today's date
    registry.incident_report(dossier=calm, kind=IncidentKind.RETURNED_MAIL, on=today)
    registry.incident_report(dossier=urgent, kind=IncidentKind.RETURNED_PAYMENT, on=today, source="Banque")
    profiles_compute()
    rescore()
    first = Task.objects.get(dossier=urgent)
    second = Task.objects.get(dossier=calm)
    assert first.score > second.score > 0

    sign_in(page, "agent")
    page.get_by_role("link", name="Mes tâches").first.click()
    page.wait_for_url("**/taches/")
    assert_page_ok(page, "Mes tâches")
    page.get_by_role("button", name="Prendre la tâche suivante").click()
    page.wait_for_url(f"**/taches/{first.pk}/")
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == f"Tâche n° {first.pk} — Paiement retourné par la banque"
    )
    why = page.locator("section", has=page.get_by_role("heading", name="Pourquoi ce dossier est ici"))
    text = why.inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "845,71 €" in text  # RSA + ASF, the amount the returned payment stops
    assert "Paiement retourné par la banque" in text and "95 %" in text
    assert "Parent isolé" in text and "Aucun revenu" in text
    assert_page_ok(page, "tâche")
    shot(page, "pourquoi")
    page.get_by_label("Message ou issue").fill("Nouveau RIB demandé par téléphone")
    page.get_by_role("button", name="Marquer comme traitée").click()
    page.wait_for_url(f"**/taches/{second.pk}/")  # the next task, given at once
    assert page.get_by_text("c'est fait").is_visible()
    first.refresh_from_db()
    assert first.state == lifecycle.TRAITEE and first.outcome == "Nouveau RIB demandé par téléphone"
    second.refresh_from_db()
    assert second.owner == agent and second.state == lifecycle.EN_COURS
    shot(page, "suivante")
