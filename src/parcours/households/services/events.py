"""The registry's events that are work for the back office: the quarterly resource declarations
(DTR) expected and received, and the incidents (a letter or a payment returned, rent arrears).

Each writes in one transaction and announces the work it opens or settles (`core.work`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parcours.core.work import Kind, Work, close_work, open_work

from .. import dtr
from ..models import ChangeKind, Dossier, Incident, IncidentKind, QuarterlyDeclaration, SituationChange

SENDER = "households"
INCIDENT_WORK = {
    IncidentKind.RETURNED_MAIL: Kind.RETURNED_MAIL,
    IncidentKind.RETURNED_PAYMENT: Kind.RETURNED_PAYMENT,
    IncidentKind.RENT_ARREARS: Kind.RENT_ARREARS,
}


def dtr_cause(dossier_id: int, quarter: date) -> str:
    return f"dtr:{dossier_id}:{quarter:%Y-%m}"


def incident_cause(incident_id: int) -> str:
    return f"incident:{incident_id}"


@transaction.atomic
def declarations_expect(*, dossier_ids: Iterable[int], quarter: date) -> int:
    """The declaration of `quarter` is expected from these dossiers (set-based; a dossier already
    expected for that quarter is left as it is). Returns how many were added."""
    quarter = quarter.replace(day=1)
    ids = list(dossier_ids)
    before = QuarterlyDeclaration.objects.filter(quarter_start=quarter).count()
    now = timezone.now()
    due = dtr.due_on(quarter)
    for start in range(0, len(ids), 5000):
        QuarterlyDeclaration.objects.bulk_create(
            [
                QuarterlyDeclaration(dossier_id=i, quarter_start=quarter, due_on=due, expected_at=now)
                for i in ids[start : start + 5000]
            ],
            ignore_conflicts=True,
        )
    return QuarterlyDeclaration.objects.filter(quarter_start=quarter).count() - before


@transaction.atomic
def declarations_overdue(*, today: date) -> int:
    """Every declaration missing today (due day passed, not received) is work: one task each."""
    missing = QuarterlyDeclaration.objects.filter(received_on__isnull=True, due_on__lt=today)
    items = [
        Work(Kind.DTR_MISSING, d, dtr_cause(d, q), breaks_on=dtr.breaks_on(q))
        for d, q in missing.values_list("dossier_id", "quarter_start").iterator(chunk_size=5000)
    ]
    open_work(SENDER, items)
    return len(items)


@transaction.atomic
def declaration_receive(*, dossier: Dossier, quarter: date, on: date) -> QuarterlyDeclaration:
    """The household's declaration of `quarter` arrived on `on`: its task closes (receiving it
    twice keeps the first day). The caller revises the rights (rights.services.dtr_receive)."""
    quarter = quarter.replace(day=1)
    declaration = (
        QuarterlyDeclaration.objects.select_for_update()
        .filter(dossier=dossier, quarter_start=quarter)
        .first()
    )
    if declaration is None:
        raise ValidationError(
            {"quarter": "Aucune déclaration trimestrielle n'est attendue pour ce trimestre."}
        )
    if on > timezone.localdate():
        raise ValidationError({"on": "La date de réception ne peut pas être dans le futur."})
    if declaration.received_on is None:
        declaration.received_on = on
        declaration.save(update_fields=["received_on"])
        close_work(
            SENDER, [dtr_cause(dossier.pk, quarter)], "Déclaration trimestrielle reçue", Kind.DTR_MISSING
        )
    return declaration


@transaction.atomic
def incident_report(
    *, dossier: Dossier, kind: str, on: date, source: str = "", amount: Decimal | None = None
) -> Incident:
    """A letter or a payment came back, or a landlord notified rent arrears: recorded, and the
    work to settle it announced. Payments and letters stop at the next payment date."""
    if kind not in IncidentKind.values:
        raise ValidationError({"kind": "Nature d'incident inconnue."})
    if amount is not None and amount < 0:
        raise ValidationError({"amount": "Le montant ne peut pas être négatif."})
    incident = Incident.objects.create(
        dossier=dossier, kind=kind, reported_on=on, source=source[:100], amount=amount
    )
    next_payment = dtr.next_payment(on)
    open_work(
        SENDER,
        [
            Work(
                INCIDENT_WORK[IncidentKind(kind)],
                dossier.pk,
                incident_cause(incident.pk),
                breaks_on=next_payment,
            )
        ],
    )
    return incident


def incidents_settle(*, dossier: Dossier, kind: str, on: date, outcome: str) -> int:
    """Settle the dossier's open incidents of `kind` (a new address settles returned letters, a
    new bank account returned payments), and their tasks. Inside the caller's transaction."""
    open_ = list(
        Incident.objects.select_for_update().filter(dossier=dossier, kind=kind, ended_on__isnull=True)
    )
    for incident in open_:
        incident.ended_on, incident.outcome = on, outcome[:200]
        incident.save(update_fields=["ended_on", "outcome"])
    close_work(SENDER, [incident_cause(i.pk) for i in open_], outcome)
    return len(open_)


@transaction.atomic
def incident_close(*, incident: Incident, on: date, outcome: str, by: Any = None) -> Incident:
    """An agent settles an incident (rent arrears paid or a repayment plan agreed)."""
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": "Indiquez comment l'incident a été réglé."})
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.ended_on is None:
        incident.ended_on, incident.outcome = on, outcome[:200]
        incident.save(update_fields=["ended_on", "outcome"])
        close_work(SENDER, [incident_cause(incident.pk)], outcome)
    return incident


# The partners whose flows report a change of situation to the Caf (the facts are then recorded
# by an agent): France Travail (unemployment rights), the DGFiP (resources), the pension funds.
PARTNER_SOURCES = {
    "france_travail": "France Travail",
    "dgfip": "DGFiP",
    "cnav": "Assurance retraite",
    "cpam": "Assurance maladie",
}


def change_cause(change_id: int) -> str:
    return f"changement:{change_id}"


@transaction.atomic
def change_reported(
    *, dossier: Dossier, kind: str, effective_date: date, source: str, note: str = ""
) -> SituationChange:
    """A partner's flow reports a change of the household's situation: it is recorded (no fact yet:
    an agent checks it and records the facts) and is work for the back office, settled when an
    agent records a change of the same nature on the dossier."""
    if source not in PARTNER_SOURCES:
        raise ValidationError(
            {"source": "Origine inconnue : France Travail, DGFiP, Assurance retraite ou Assurance maladie."}
        )
    if kind not in ChangeKind.values:
        raise ValidationError({"kind": "Nature de changement inconnue."})
    change = SituationChange.objects.create(
        dossier=dossier, kind=kind, effective_date=effective_date, source=source, note=note[:500]
    )
    label = f"{PARTNER_SOURCES[source]} : {ChangeKind(kind).label.lower()}"
    open_work(
        SENDER,
        [
            Work(
                Kind.CHANGE,
                dossier.pk,
                change_cause(change.pk),
                breaks_on=dtr.next_payment(effective_date),
                note=label,
            )
        ],
    )
    return change


def changes_processed(change: SituationChange) -> None:
    """An agent recorded `change`: the partner reports of the same nature before it are processed."""
    if change.source in PARTNER_SOURCES:
        return
    reported = SituationChange.objects.filter(
        dossier_id=change.dossier_id, kind=change.kind, source__in=list(PARTNER_SOURCES), id__lt=change.pk
    ).values_list("pk", flat=True)
    close_work(
        SENDER, [change_cause(pk) for pk in reported], "Changement enregistré par un agent", Kind.CHANGE
    )
