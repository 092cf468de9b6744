"""Writes of titres and intermediations: record a titre (and open the intermediation it calls for),
open on request, end by consent, re-activate, arrears before intermediation, the suspense account.
Typed, keyword-only, one transaction each; bad input raises a French ValidationError and writes
nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from parcours.core.transitions import transition_apply
from parcours.intermediation import lifecycle, workflows
from parcours.intermediation.cycle.asf import asf_eligible_if_unpaid
from parcours.intermediation.cycle.params import debtor_due_day, due_on_for, index_base_month
from parcours.intermediation.models import (
    BankLine,
    BankLineStatus,
    Due,
    Intermediation,
    IntermediationEvent,
    IntermediationStatus,
    IntermediationTransition,
    LedgerKind,
    Titre,
)
from parcours.intermediation.rules.recovery import arrears_earliest_month
from parcours.intermediation.services.ledger import ledger_post


@dataclass(frozen=True)
class BankDetails:
    name: str
    iban: str
    bic: str = ""


@dataclass(frozen=True)
class ChildLine:
    child: Any  # households.Person
    monthly_amount: Decimal
    arrangement: str


def _iban(value: str, field: str) -> str:
    try:
        return str(IBAN(value))
    except SchwiftyException:
        raise ValidationError({field: "Cet IBAN n'est pas valide : vérifiez-le sur le RIB."}) from None


def _event(
    intermediation: Intermediation, *, on: date, action: str, before: str, after: str, by=None, note=""
) -> None:  # type: ignore[no-untyped-def]
    IntermediationEvent.objects.create(
        intermediation=intermediation,
        on=on,
        action=action,
        from_state=before,
        to_state=after,
        by=by,
        note=note,
    )


@transaction.atomic
def intermediation_open(
    *,
    titre: Titre,
    on: date,
    how: str,
    debtor_bank: BankDetails,
    creditor_bank: BankDetails,
    mandate_signed_on: date | None = None,
    asf_eligible: bool | None = None,
    debtor_employer: str = "",
    by: Any = None,
) -> Intermediation:
    """Open the intermediation of a titre (automatically, or on a parent's request at any time).

    `asf_eligible` None: asked of the rights engine for the creditor's household (cycle/asf.py)."""
    if titre.intermediations.filter(status=IntermediationStatus.ACTIVE).exists():
        raise ValidationError({"titre": "Une intermédiation est déjà en cours pour ce titre."})
    # A debtor who pays by transfer may have no account known to the creditor: the transfers are
    # then matched by their reference only. A direct debit needs the account of the mandate.
    debtor_iban = _iban(debtor_bank.iban, "debtor_iban") if debtor_bank.iban or mandate_signed_on else ""
    creditor_iban = _iban(creditor_bank.iban, "creditor_iban")
    amount = sum((line.monthly_amount for line in titre.children.all()), Decimal("0"))
    cents = int((amount * 100).to_integral_value())
    start = max(titre.start_on.replace(day=1), on.replace(day=1))
    if asf_eligible is None:
        asf_eligible = asf_eligible_if_unpaid(titre.creditor_dossier, start)
    intermediation = Intermediation.objects.create(
        reference=uuid.uuid4().hex[:11],  # replaced below, once the id is known
        titre=titre,
        opened_on=on,
        opened_how=how,
        first_month=start,
        monthly_amount_cents=cents,
        base_amount_cents=cents,
        index_series=titre.revaluation_index,
        index_base_month=index_base_month(titre.start_on),
        revaluation_month=titre.revaluation_anniversary.month,
        first_revaluation_on=titre.revaluation_anniversary,
        children_count=titre.children.count(),
        due_day=debtor_due_day(on),
        payment_method="debit" if mandate_signed_on else "transfer",
        debtor_name=debtor_bank.name[:140],
        debtor_iban=debtor_iban,
        debtor_bic=debtor_bank.bic,
        mandate_signed_on=mandate_signed_on,
        debtor_employer=debtor_employer,
        creditor_name=creditor_bank.name[:140],
        creditor_iban=creditor_iban,
        creditor_bic=creditor_bank.bic,
        asf_eligible=asf_eligible,
    )
    # The reference the debtor writes on a transfer: "IF" and 9 digits of the id.
    intermediation.reference = f"IF{intermediation.pk:09d}"
    intermediation.mandate_id = f"RUM-{intermediation.reference}" if mandate_signed_on else ""
    intermediation.save(update_fields=["reference", "mandate_id"])
    _event(
        intermediation,
        on=on,
        action="ouverture",
        before="",
        after=IntermediationStatus.ACTIVE,
        by=by,
        note="automatique" if how == lifecycle.AUTOMATIC else "à la demande d'un parent",
    )
    return intermediation


@transaction.atomic
def intermediation_end(
    *, intermediation: Intermediation, on: date, other_parent_consents: bool, reason: str, by: Any
) -> Intermediation:
    """The ARIPA agent `by` ends it on one parent's request, with the other's consent; never when
    violence is recorded (lifecycle.end_refusal)."""

    def check(locked: Intermediation) -> None:
        refusal = lifecycle.end_refusal(
            violence=locked.titre.violence, other_parent_consents=other_parent_consents
        )
        if refusal:
            raise ValidationError({"intermediation": refusal})
        locked.ended_on, locked.end_reason = on, reason[:200]

    return _status_move(intermediation, "fin", on=on, by=by, reason=reason, prepare=check)


@transaction.atomic
def intermediation_reactivate(*, intermediation: Intermediation, on: date, by: Any) -> Intermediation:
    """A parent can have an ended intermediation re-activated at any time (DOMAIN.md §5)."""

    def reopen(locked: Intermediation) -> None:
        locked.ended_on, locked.end_reason = None, ""
        locked.first_month = max(locked.first_month, on.replace(day=1))

    return _status_move(intermediation, "reprise", on=on, by=by, prepare=reopen)


def _status_move(
    intermediation: Intermediation,
    action: str,
    *,
    on: date,
    by: Any,
    reason: str = "",
    prepare: Any = None,
) -> Intermediation:
    """Fire `action` of the STATUS workflow (intermediation/workflows.py), logged with its day."""
    if by is None:
        raise ValidationError({"intermediation": "L'agent qui agit doit être connu."})
    current = Intermediation.objects.get(pk=intermediation.pk).status
    refusal = workflows.STATUS.refusal(state=current, action=action, role=workflows.AGENT, reason=reason)
    if refusal:
        already = {
            "fin": "Cette intermédiation est déjà terminée.",
            "reprise": "Cette intermédiation est déjà en cours.",
        }
        message = already[action] if current == workflows.STATUS.transitions[action].target else refusal
        raise ValidationError({"intermediation": message})
    moved, _ = transition_apply(
        log=IntermediationTransition,
        subject=intermediation,
        action=action,
        by=by,
        role=workflows.AGENT,
        reason=reason,
        prepare=prepare,
        log_values={"on": on},
    )
    return moved


@transaction.atomic
def arrears_request(
    *, intermediation: Intermediation, months: list[date], on: date, by: Any = None
) -> list[Due]:
    """Unpaid pensions from before the intermediation, on the creditor's request, up to 24 months
    back (data/ifpa.yaml arrears_back_months): added as dues, recovered like any unpaid due."""
    earliest = arrears_earliest_month(on)
    wanted = sorted({m.replace(day=1) for m in months})
    errors = [
        m
        for m in wanted
        if m < earliest or m >= intermediation.first_month or m < intermediation.titre.start_on.replace(day=1)
    ]
    if not wanted or errors:
        raise ValidationError(
            {
                "months": f"Les arriérés se demandent pour des mois du {earliest:%m/%Y} jusqu'au mois précédant "
                f"l'intermédiation ({intermediation.first_month:%m/%Y}), à partir du début de la pension."
            }
        )
    dues = []
    for month in wanted:
        due, created = Due.objects.get_or_create(
            intermediation=intermediation,
            month=month,
            defaults={
                "due_on": due_on_for(month, intermediation.due_day),
                "reference": f"{intermediation.reference}-{month:%Y%m}",
                "amount_cents": intermediation.base_amount_cents,
            },
        )
        if created:
            ledger_post(
                key=f"due:{due.reference}",
                kind=LedgerKind.DUE,
                entries=[
                    (f"debtor:{intermediation.pk}", due.amount_cents),
                    (f"creditor:{intermediation.pk}", -due.amount_cents),
                ],
                intermediation=intermediation,
                booked_on=on,
            )
        dues.append(due)
    _event(
        intermediation,
        on=on,
        action="arrieres",
        before=intermediation.status,
        after=intermediation.status,
        by=by,
        note=", ".join(f"{m:%m/%Y}" for m in wanted),
    )
    return dues


def _waiting_line(line: BankLine) -> BankLine:
    """The line, locked, if it is still in the suspense account (else a French refusal)."""
    locked = BankLine.objects.select_for_update().get(pk=line.pk)
    if locked.status != BankLineStatus.SUSPENSE:
        raise ValidationError({"line": "Cette ligne n'est plus en compte d'attente."})
    return locked


@transaction.atomic
def suspense_resolve(*, line: BankLine, intermediation: Intermediation, on: date, by: Any = None) -> BankLine:
    """An agent identifies the debtor of a credit waiting in the suspense account: the money goes
    to that intermediation, to be applied oldest due first by the next daily run."""
    locked = _waiting_line(line)
    ledger_post(
        key=f"resolve:{locked.line_key}",
        kind=LedgerKind.RECEIPT,
        entries=[("suspense", locked.amount_cents), (f"debtor:{intermediation.pk}", -locked.amount_cents)],
        intermediation=intermediation,
        booked_on=on,
    )
    Intermediation.objects.filter(pk=intermediation.pk).update(
        credit_cents=F("credit_cents") + locked.amount_cents
    )
    locked.status, locked.intermediation, locked.matched_by, locked.processed_on = (
        BankLineStatus.RESOLVED,
        intermediation,
        "agent",
        on,
    )
    locked.save(update_fields=["status", "intermediation", "matched_by", "processed_on"])
    _event(
        intermediation,
        on=on,
        action="attente_affectee",
        before=intermediation.status,
        after=intermediation.status,
        by=by,
        note=f"Versement {locked.line_key} affecté par un agent",
    )
    return locked


@transaction.atomic
def suspense_refund(*, line: BankLine, on: date, by: Any = None) -> BankLine:
    """An agent sends back a credit nobody owes (unknown sender): suspense → Caf bank."""
    locked = _waiting_line(line)
    ledger_post(
        key=f"refund:{locked.line_key}",
        kind=LedgerKind.REVERSAL,
        entries=[("suspense", locked.amount_cents), ("caf_bank", -locked.amount_cents)],
        booked_on=on,
    )
    locked.status, locked.processed_on = BankLineStatus.REFUNDED, on
    locked.save(update_fields=["status", "processed_on"])
    return locked
