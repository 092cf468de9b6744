"""Each kind of task is opened by the event that causes it, in the event's own service, and
closed by its cause (core.work → casework)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parcours.casework import lifecycle
from parcours.casework.models import Task, TaskTransition, Team
from parcours.casework.services.tasks import task_act
from parcours.core.work import Kind
from parcours.households import services as registry
from parcours.households.models import IncidentKind, QuarterlyDeclaration
from parcours.rights import services as rights
from parcours.separation import services as separation
from parcours.separation.documents import document_upload
from tests.core import upload_files as files
from tests.factories import DemandeFactory, UserFactory, household
from tests.factories.households import allocataire

pytestmark = pytest.mark.django_db

PDF = files.pdf()


@pytest.fixture(autouse=True)
def teams():
    return {
        "prestations": Team.objects.create(code="prestations", name="Prestations", departement="91"),
        "aripa": Team.objects.create(code="aripa", name="ARIPA", departement="91"),
    }


def open_tasks(kind: str, **filters) -> list[Task]:  # type: ignore[no-untyped-def]
    return list(Task.objects.filter(kind=kind, state__in=lifecycle.OPEN, **filters))


def test_a_deposited_declaration_is_a_task_of_the_prestations_team_closed_by_the_decision(teams):
    demande = DemandeFactory(deposee=True)
    [task] = open_tasks(Kind.DECLARATION, dossier=demande.dossier)
    assert task.team == teams["prestations"] and task.cause == f"demande:{demande.pk}"
    assert task.due_on == timezone.localdate() + timedelta(days=10)
    agent = UserFactory(agent=True)
    separation.demande_transition(demande=demande, action="instruire", by=agent, actor="agent")
    separation.demande_transition(
        demande=demande, action="demander_complement", by=agent, actor="agent", reason="RIB"
    )
    task.refresh_from_db()
    assert task.state == lifecycle.EN_ATTENTE
    separation.demande_transition(
        demande=demande, action="repondre", by=demande.declarant, actor="parent", reason="Voici"
    )
    task.refresh_from_db()
    assert task.state == lifecycle.A_TRAITER
    separation.demande_transition(
        demande=demande, action="refuser", by=agent, actor="agent", reason="Pas séparés"
    )
    task.refresh_from_db()
    assert task.state == lifecycle.TRAITEE and "refusée" in task.outcome
    moves = list(TaskTransition.objects.filter(task=task).values_list("action", flat=True))
    assert moves == ["attendre", "reprendre", "traiter"]


def test_documents_received_on_a_deposited_declaration_are_a_task_closed_once_all_are_checked():
    demande = DemandeFactory(en_instruction=True)
    first = document_upload(
        demande=demande, code="justificatif_domicile", name="a.pdf", content=PDF, by=demande.declarant
    )
    document_upload(
        demande=demande,
        code="justificatif_domicile",
        name="b.pdf",
        content=files.pdf(pages=2),
        by=demande.declarant,
    )
    [task] = open_tasks(Kind.DOCUMENTS, dossier=demande.dossier)
    agent = UserFactory(agent=True)
    separation.document_review(document=first, accepted=True, reason="", by=agent)
    assert open_tasks(Kind.DOCUMENTS, dossier=demande.dossier) == [task]  # one still to check
    second = demande.documents.exclude(pk=first.pk).get()
    separation.document_review(document=second, accepted=True, reason="", by=agent)
    task.refresh_from_db()
    assert task.state == lifecycle.TRAITEE


def test_a_draft_s_documents_are_no_task():
    demande = DemandeFactory()
    document_upload(
        demande=demande, code="justificatif_domicile", name="a.pdf", content=PDF, by=demande.declarant
    )
    assert open_tasks(Kind.DOCUMENTS) == []


def test_a_returned_letter_is_a_task_closed_by_a_new_address():
    dossier = household()
    incident = registry.incident_report(
        dossier=dossier, kind=IncidentKind.RETURNED_MAIL, on=date(2026, 11, 20), source="La Poste"
    )
    [task] = open_tasks(Kind.RETURNED_MAIL, dossier=dossier)
    assert task.breaks_on == date(2026, 12, 5)  # the next payment
    registry.address_set(
        dossier=dossier,
        valid_from=date(2026, 11, 1),
        street="1 rue Neuve",
        postcode="91000",
        commune_insee="91228",
        commune_name="Évry-Courcouronnes",
    )
    task.refresh_from_db()
    incident.refresh_from_db()
    assert task.state == lifecycle.TRAITEE and incident.ended_on is not None


def test_a_returned_payment_is_a_task_closed_by_new_bank_details():
    dossier = household()
    registry.incident_report(dossier=dossier, kind=IncidentKind.RETURNED_PAYMENT, on=date(2026, 11, 3))
    [task] = open_tasks(Kind.RETURNED_PAYMENT, dossier=dossier)
    assert task.breaks_on == date(2026, 11, 5)
    registry.address_set(
        dossier=dossier,
        valid_from=date(2026, 11, 1),
        street="1 rue Neuve",
        postcode="91000",
        commune_insee="91228",
        commune_name="Évry-Courcouronnes",
    )
    assert open_tasks(Kind.RETURNED_PAYMENT, dossier=dossier) == [task]  # an address settles nothing here
    registry.bank_account_set(
        dossier=dossier, valid_from=date(2026, 11, 1), holder_name="X", iban="FR7630006000011234567890189"
    )
    task.refresh_from_db()
    assert task.state == lifecycle.TRAITEE


def test_rent_arrears_are_a_task_closed_when_the_agent_settles_the_incident():
    dossier = household()
    incident = registry.incident_report(
        dossier=dossier,
        kind=IncidentKind.RENT_ARREARS,
        on=date(2026, 11, 10),
        source="Bailleur",
        amount=Decimal("1400.00"),
    )
    [task] = open_tasks(Kind.RENT_ARREARS, dossier=dossier)
    registry.incident_close(incident=incident, on=date(2026, 11, 25), outcome="Plan d'apurement signé")
    task.refresh_from_db()
    assert task.state == lifecycle.TRAITEE and task.outcome == "Plan d'apurement signé"


def test_the_same_cause_announced_twice_is_one_task():
    dossier = household()
    quarter = date(2026, 10, 1)
    registry.declarations_expect(dossier_ids=[dossier.pk], quarter=quarter)
    assert registry.declarations_overdue(today=date(2026, 10, 20)) == 1
    assert registry.declarations_overdue(today=date(2026, 10, 21)) == 1
    assert len(open_tasks(Kind.DTR_MISSING, dossier=dossier)) == 1


def test_a_missing_quarterly_declaration_suspends_rsa_and_is_a_task_closed_on_reception(monkeypatch):
    dossier = household(couple=False, children=1, salary=Decimal("0"))
    today = timezone.localdate()
    quarter = today.replace(day=1)
    QuarterlyDeclaration.objects.create(
        dossier=dossier, quarter_start=quarter, due_on=today - timedelta(days=1)
    )
    registry.declarations_overdue(today=today)
    [task] = open_tasks(Kind.DTR_MISSING, dossier=dossier)
    month = f"{today:%Y-%m}"
    suspended = rights.rights_for_household(dossier, month)
    assert suspended is not None and suspended.benefits["rsa"] == 0
    assert any("suspendu" in line for line in suspended.explanations["rsa"])
    rights.dtr_receive(dossier=dossier, quarter=quarter, on=today)
    task.refresh_from_db()
    assert task.state == lifecycle.TRAITEE
    assert rights.rights_for_household(dossier, month).benefits["rsa"] > 0


def test_a_missing_declaration_an_agent_handled_is_not_given_back_by_the_next_daily_run():
    """The daily step announces every DTR still missing; the task an agent closed (the family
    called, the reminder sent) is not opened again; its reception closes nothing more."""
    dossier = household(couple=False, children=1, salary=Decimal("0"))
    agent = UserFactory(agent=True)
    today = timezone.localdate()
    quarter = (today - timedelta(days=3)).replace(day=1)
    QuarterlyDeclaration.objects.create(
        dossier=dossier, quarter_start=quarter, due_on=today - timedelta(days=3)
    )
    registry.declarations_overdue(today=today - timedelta(days=2))
    [task] = open_tasks(Kind.DTR_MISSING, dossier=dossier)
    task_act(task=task, action="prendre", by=agent)
    task_act(task=task, action="traiter", by=agent, reason="Famille appelée, DTR attendue")
    registry.declarations_overdue(today=today - timedelta(days=1))
    assert open_tasks(Kind.DTR_MISSING, dossier=dossier) == []
    assert Task.objects.filter(kind=Kind.DTR_MISSING, dossier=dossier).count() == 1
    rights.dtr_receive(dossier=dossier, quarter=quarter, on=today)
    task.refresh_from_db()
    assert task.state == lifecycle.TRAITEE and task.outcome == "Famille appelée, DTR attendue"


def test_a_benefit_that_stops_is_a_fin_de_droit_task_and_its_return_closes_it():
    dossier = household(couple=False, children=1, salary=Decimal("0"))
    rights.revisions_write({dossier.pk: {"rsa": Decimal("600.00")}}, "2026-10", source="test", versions={})
    rights.revisions_write(
        {dossier.pk: {"asf": Decimal("200.00"), "rsa": Decimal("0.00")}},
        "2026-11",
        source="test",
        versions={},
    )
    assert rights.rights_endings("2026-11") == 1
    [task] = open_tasks(Kind.RIGHT_ENDING, dossier=dossier)
    assert task.amount_cents == 60000 and task.breaks_on == date(2026, 12, 5)
    rights.revisions_write({dossier.pk: {"rsa": Decimal("590.00")}}, "2026-11", source="test", versions={})
    task.refresh_from_db()
    assert task.state == lifecycle.TRAITEE


def test_an_indu_on_a_paid_month_is_a_task_to_notify():
    dossier = household()
    rights.revisions_write(
        {dossier.pk: {"af": Decimal("150.00")}}, "2026-09", source="test", versions={dossier.pk: 1}
    )
    rights.revisions_write(
        {dossier.pk: {"af": Decimal("100.00")}}, "2026-09", source="test", versions={dossier.pk: 2}
    )
    [task] = open_tasks(Kind.INDU, dossier=dossier)
    assert task.amount_cents == 5000


def test_a_task_goes_to_no_team_when_its_territory_has_none():
    dossier = household(departement="33")
    registry.incident_report(dossier=dossier, kind=IncidentKind.RETURNED_MAIL, on=date(2026, 11, 20))
    [task] = open_tasks(Kind.RETURNED_MAIL, dossier=dossier)
    assert task.team is None and task.departement == "33"


def test_a_partner_s_reported_change_is_a_task_closed_when_an_agent_records_the_change():
    dossier = household()
    registry.change_reported(
        dossier=dossier,
        kind="ressources",
        effective_date=date(2026, 11, 1),
        source="france_travail",
        note="Fin de droits ARE",
    )
    [task] = open_tasks(Kind.CHANGE, dossier=dossier)
    assert task.note == "France Travail : ressources"
    registry.housing_set(dossier=dossier, valid_from=date(2026, 11, 1), status="heberge")  # another nature
    assert open_tasks(Kind.CHANGE, dossier=dossier) == [task]
    registry.resource_set(
        dossier=dossier,
        person=allocataire(dossier),
        kind="chomage_net",
        valid_from=date(2026, 11, 1),
        monthly_amount=Decimal("0"),
    )
    task.refresh_from_db()
    assert task.state == lifecycle.TRAITEE


def test_an_unknown_partner_is_refused_in_french_and_nothing_is_written():
    dossier = household()
    before = Task.objects.count()
    with pytest.raises(ValidationError) as error:
        registry.change_reported(
            dossier=dossier, kind="ressources", effective_date=date(2026, 11, 1), source="inconnu"
        )
    assert "Origine inconnue" in str(error.value) and Task.objects.count() == before
