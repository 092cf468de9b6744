"""The back office's pages and API: the queue and its filters, a task read (audited), the moves,
batch actions, the weekly priority list and its CSV, the team's load, the territory's walls."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from parcours.accounts.models import AuditEntry
from parcours.casework import lifecycle
from parcours.casework.models import Segment, Task, TaskEvent, Team
from parcours.casework.services.scoring import profiles_compute, rescore
from parcours.casework.services.segments import segments_apply
from parcours.households import services as registry
from parcours.households.models import IncidentKind
from parcours.rights.services import revisions_write
from tests.accounts.helpers import sign_in_verified
from tests.factories import UserFactory, household
from tests.factories.casework import reported_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return Team.objects.create(
        code="prestations", name="Prestations", departement="91", offer="Nos missions."
    )


@pytest.fixture
def agent(client, team):
    user = UserFactory(agent=True)
    team.members.add(user)
    sign_in_verified(client, user)
    return user


def paid(dossier, **amounts: str) -> None:
    month = f"{timezone.localdate():%Y-%m}"
    revisions_write(
        {dossier.pk: {b: Decimal(a) for b, a in amounts.items()}}, month, source="test", versions={}
    )


def returned(dossier, kind=IncidentKind.RETURNED_PAYMENT) -> Task:
    registry.incident_report(dossier=dossier, kind=kind, on=reported_on())
    return Task.objects.get(dossier=dossier, kind=kind, state__in=lifecycle.OPEN)


@pytest.fixture
def two_tasks(team):
    urgent, calm = household(couple=False, children=1, salary=Decimal("0")), household()
    paid(urgent, rsa="600.00")
    paid(calm, af="150.00")
    tasks = returned(urgent), returned(calm, IncidentKind.RETURNED_MAIL)
    profiles_compute()
    rescore()
    return [Task.objects.get(pk=t.pk) for t in tasks]


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


def test_the_queue_lists_the_team_s_tasks_riskiest_first_and_filters_them(client, agent, two_tasks):
    urgent, calm = two_tasks
    page = text(client.get("/taches/file/"))
    assert page.index(f"Tâche n° {urgent.pk}") < page.index(f"Tâche n° {calm.pk}")
    only_mail = text(client.get("/taches/file/?kind=courrier_retourne"))
    assert f"Tâche n° {calm.pk}" in only_mail and f"Tâche n° {urgent.pk}" not in only_mail
    assert "Aucune tâche" in text(client.get("/taches/file/?owner=moi"))


def test_a_task_of_another_territory_is_not_found(client, agent):
    other = household(departement="33")
    task = returned(other)
    assert client.get(f"/taches/{task.pk}/").status_code == 404
    assert client.post(f"/taches/{task.pk}/action/", {"action": "prendre"}).status_code == 404
    task.refresh_from_db()
    assert task.state == lifecycle.A_TRAITER and task.owner is None


def test_reading_a_task_is_an_audited_read_of_its_dossier_and_explains_the_score(client, agent, two_tasks):
    urgent, _ = two_tasks
    page = text(client.get(f"/taches/{urgent.pk}/"))
    assert "Pourquoi ce dossier est ici" in page and "600,00 €" in page and "95 %" in page
    entry = AuditEntry.objects.filter(action="dossier.read", dossier=urgent.dossier, actor=agent).get()
    assert entry.object_type == "tache" and entry.object_id == str(urgent.pk)


def test_take_next_gives_the_riskiest_task_then_the_next(client, agent, two_tasks):
    urgent, calm = two_tasks
    assert client.post("/taches/suivante/")["Location"] == f"/taches/{urgent.pk}/"
    assert client.post("/taches/suivante/")["Location"] == f"/taches/{calm.pk}/"
    response = client.post("/taches/suivante/", follow=True)
    assert "Aucune tâche à prendre" in text(response)
    assert set(Task.objects.filter(owner=agent).values_list("state", flat=True)) == {lifecycle.EN_COURS}


def test_closing_without_action_needs_a_reason_and_changes_nothing_without_it(client, agent, two_tasks):
    urgent, _ = two_tasks
    response = client.post(f"/taches/{urgent.pk}/action/", {"action": "classer", "reason": ""}, follow=True)
    assert "Un message est obligatoire" in text(response)
    urgent.refresh_from_db()
    assert urgent.state == lifecycle.A_TRAITER


def test_assign_move_follow_are_logged(client, agent, team, two_tasks):
    urgent, _ = two_tasks
    colleague = UserFactory(agent=True)
    team.members.add(colleague)
    other_team = Team.objects.create(code="aripa", name="ARIPA", departement="91")
    client.post(f"/taches/{urgent.pk}/attribuer/", {"owner": colleague.pk})
    urgent.refresh_from_db()
    assert urgent.owner == colleague and urgent.state == lifecycle.EN_COURS
    stranger = UserFactory(agent=True)  # not of the team
    response = client.post(f"/taches/{urgent.pk}/attribuer/", {"owner": stranger.pk}, follow=True)
    assert "pas membre de l'équipe" in text(response)
    client.post(f"/taches/{urgent.pk}/suivre/", {"follow": "1"})
    client.post(f"/taches/{urgent.pk}/attribuer/", {"team": other_team.pk})
    urgent.refresh_from_db()
    assert urgent.team == other_team and urgent.owner is None and urgent.state == lifecycle.A_TRAITER
    whats = list(TaskEvent.objects.filter(task=urgent).values_list("what", flat=True))
    assert whats == ["attribuee", "suivie", "deplacee"]


def test_a_batch_is_all_or_nothing(client, agent, two_tasks):
    urgent, calm = two_tasks
    elsewhere = returned(household(departement="33"))
    response = client.post(
        "/taches/lot/", {"tasks": [urgent.pk, elsewhere.pk], "action": "traiter"}, follow=True
    )
    assert "Sélectionnez des tâches de votre territoire" in text(response)
    assert Task.objects.get(pk=urgent.pk).state == lifecycle.A_TRAITER
    client.post("/taches/lot/", {"tasks": [urgent.pk, calm.pk], "action": "attribuer", "owner": agent.pk})
    assert set(Task.objects.filter(pk__in=[urgent.pk, calm.pk]).values_list("owner", flat=True)) == {agent.pk}
    client.post("/taches/lot/", {"tasks": [urgent.pk, calm.pk], "action": "traiter", "reason": "Vu"})
    assert set(Task.objects.filter(pk__in=[urgent.pk, calm.pk]).values_list("state", flat=True)) == {
        lifecycle.TRAITEE
    }


def test_the_weekly_priority_list_and_its_csv(client, agent, two_tasks):
    urgent, calm = two_tasks
    page = text(client.get("/taches/priorites/"))
    assert page.index(urgent.dossier.numero_allocataire) < page.index(calm.dossier.numero_allocataire)
    response = client.get("/taches/priorites.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Rang", "Numéro allocataire", "Allocataire"]
    assert [r[1] for r in rows[1:]] == [urgent.dossier.numero_allocataire, calm.dossier.numero_allocataire]
    assert rows[1][4] == "600,00"  # the RSA the returned payment stops, in euros, never a float
    assert AuditEntry.objects.filter(actor=agent, object_type="priorites_csv").exists()


def test_a_task_breaking_beyond_four_weeks_is_not_in_the_weekly_list(client, agent, team):
    dossier = household()
    paid(dossier, af="150.00")
    returned(dossier)
    Task.objects.filter(dossier=dossier).update(breaks_on=timezone.localdate() + timedelta(days=60))
    profiles_compute()
    rescore()
    assert dossier.numero_allocataire not in text(client.get("/taches/priorites/"))


def test_the_team_page_shows_load_overdue_and_segments(client, agent, two_tasks):
    Task.objects.filter(pk=two_tasks[0].pk).update(due_on=timezone.localdate() - timedelta(days=1))
    segments_apply()
    page = text(client.get("/taches/equipes/"))
    assert "2 tâches ouvertes, dont 2 à prendre et 1 en retard" in page
    assert "Nos missions." in page and "Bénéficiaires du RSA" in page


def test_a_manager_or_a_parent_has_no_queue(client):
    for user in (UserFactory(manager=True), UserFactory(parent=True)):
        sign_in_verified(client, user)
        assert client.get("/taches/").status_code == 403
        assert client.get("/api/v1/casework/tasks").status_code == 403


def test_the_api_takes_the_next_task_and_closes_it(client, agent, two_tasks):
    urgent, _ = two_tasks
    peek = client.get("/api/v1/casework/next-task").json()
    assert peek["id"] == urgent.pk and Task.objects.get(pk=urgent.pk).owner is None
    taken = client.post("/api/v1/casework/next-task").json()
    assert taken["id"] == urgent.pk and taken["state"] == lifecycle.EN_COURS
    detail = client.get(f"/api/v1/casework/tasks/{urgent.pk}").json()
    assert detail["amount_at_risk"] == "600.00" and detail["factors"][0]["weight"] == "95 %"
    closed = client.post(
        f"/api/v1/casework/tasks/{urgent.pk}/close",
        json.dumps({"reason": "RIB reçu"}),
        content_type="application/json",
    )
    assert closed.status_code == 200 and closed.json()["state"] == lifecycle.TRAITEE
    again = client.post(
        f"/api/v1/casework/tasks/{urgent.pk}/actions/prendre", "{}", content_type="application/json"
    )
    assert again.status_code == 422 and "Impossible depuis l'état" in again.json()["detail"][0]["message"]
    assert client.get("/api/v1/casework/tasks/999999").status_code == 404


def test_the_segment_admin_previews_its_count(client, two_tasks):
    admin = UserFactory(admin=True)
    sign_in_verified(client, admin)
    profiles_compute()
    rsa = Segment.objects.get(code="minima-sociaux")
    page = text(client.get(f"/admin/casework/segment/{rsa.pk}/change/"))
    assert "1 dossier(s) remplissent ces conditions" in page
