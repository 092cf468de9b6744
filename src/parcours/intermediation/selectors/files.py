"""Read queries of the IFPA pages: the agents' list and file of an intermediation, the suspense
account, and each parent's own side.

Amounts are stored in integer cents; the pages get `Decimal` euros (the `euros` filter formats
them). A parent's side is built as plain data holding only what that parent may read, so a template
cannot show the other parent's bank, employer or address by mistake: they are never handed to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet, Sum

from parcours.core.dates import date_fr, month_fr
from parcours.core.money import cents_to_decimal
from parcours.households.access import visible_dossiers
from parcours.intermediation.models import (
    AsfAdvance,
    BankLine,
    BankLineStatus,
    Collection,
    Due,
    ForcedRecovery,
    Intermediation,
    LedgerEntry,
    LedgerTransaction,
    Payout,
    Revaluation,
    UnpaidNotice,
)
from parcours.intermediation.workflows import RECOVERY, STATUS
from parcours.titres.models import TitreChild

THIRD_PARTIES = {"employeur": "Employeur", "banque": "Banque", "france_travail": "France Travail"}
THIRD_PARTIES_TO_DEBTOR = {
    "employeur": "votre employeur",
    "banque": "votre banque",
    "france_travail": "France Travail",
}
PAYOUT_KINDS = {"pension": "Pension collectée", "asf": "Allocation de soutien familial (ASF)"}
MATCHED_BY = {"reference": "par la référence", "amount": "par le montant et l'IBAN", "agent": "par un agent"}
EVENT_ACTIONS = {
    "ouverture": "Ouverture",
    "arrieres": "Arriérés demandés",
    "attente_affectee": "Versement en attente affecté",
}


def with_euros(row: Any, *names: str) -> Any:
    """Give a row `<name>_eur` in euros beside each `<name>_cents` field (for the templates)."""
    for name in names:
        setattr(row, f"{name}_eur", cents_to_decimal(getattr(row, f"{name}_cents")))
    return row


# --- Agents: the list -----------------------------------------------------------------------


def intermediations_for_agent(user: Any) -> QuerySet[Intermediation]:
    """The intermediations of the agent's territory: the creditor's dossier decides (the Caf that
    pays the creditor runs the intermediation)."""
    return Intermediation.objects.filter(titre__creditor_dossier__in=visible_dossiers(user))


def intermediation_list(
    user: Any, *, reference: str = "", numero: str = "", recovery: str = "", status: str = ""
) -> QuerySet[Intermediation]:
    """The agent's list, searched and filtered; one query per page whatever its length."""
    rows = intermediations_for_agent(user).select_related(
        "titre__creditor", "titre__debtor", "titre__creditor_dossier", "titre__debtor_dossier"
    )
    if reference:
        rows = rows.filter(reference=reference)
    if numero:
        rows = rows.filter(
            Q(titre__creditor_dossier__numero_allocataire=numero)
            | Q(titre__debtor_dossier__numero_allocataire=numero)
        )
    if recovery:
        rows = rows.filter(recovery_state=recovery)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("reference")


# --- Agents: one intermediation --------------------------------------------------------------

ACCOUNT_LABELS = {
    "debtor": ("Débiteur", "positif : ce que le débiteur doit encore"),
    "creditor": ("Créancier", "négatif : ce que la Caf doit encore reverser au créancier"),
    "asf_advanced": ("ASF avancée", "positif : l'ASF avancée restant à recouvrer sur le débiteur"),
    "caf_bank": ("Banque de la Caf", "mouvements de cette intermédiation seulement"),
    "suspense": ("Compte d'attente", "mouvements de cette intermédiation seulement"),
    "write_off": ("Non-valeurs", "mouvements de cette intermédiation seulement"),
}


def _month_of_reference(reference: str) -> str:
    """A due's payment reference "IF000000001-202612" → "décembre 2026"."""
    suffix = reference.rsplit("-", 1)[-1]
    if len(suffix) == 6 and suffix.isdigit():
        return month_fr(date(int(suffix[:4]), int(suffix[4:]), 1))
    return reference


def key_label(key: str) -> str:
    """What a ledger transaction is about, in French, from its idempotency key (cycle/steps.py)."""
    kind, _, rest = key.partition(":")
    if kind == "due":
        return f"Échéance de {_month_of_reference(rest)}"
    if kind == "asf":
        return f"Avance d'ASF sur l'échéance de {_month_of_reference(rest)}"
    if kind == "recovery":
        reference = rest.partition(":")[0]
        return f"Remboursement de l'ASF avancée, échéance de {_month_of_reference(reference)}"
    if kind == "payout":
        on = rest.rsplit(":", 1)[-1]
        try:
            return f"Reversement au créancier du {date_fr(date.fromisoformat(on))}"
        except ValueError:
            return "Reversement au créancier"
    if kind == "receipt":
        return "Versement reçu sur le compte de la Caf"
    if kind == "suspense":
        return "Versement mis en compte d'attente"
    if kind == "resolve":
        return "Versement du compte d'attente affecté par un agent"
    if kind == "refund":
        return "Versement du compte d'attente remboursé à l'émetteur"
    return "Autre opération"


@dataclass(frozen=True)
class Balance:
    account: str
    label: str
    meaning: str
    amount: Decimal


@dataclass
class IntermediationFile:
    """Everything an ARIPA agent reads about one intermediation."""

    intermediation: Intermediation
    children: list[TitreChild]
    dues: list[Due]
    transactions: list[LedgerTransaction]
    balances: list[Balance]
    receipts: list[BankLine]
    payouts: list[Payout]
    collections: list[Collection]
    notices: list[UnpaidNotice]
    forced: list[ForcedRecovery]
    revaluations: list[Revaluation]
    events: list[HistoryLine]
    totals: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class HistoryLine:
    """One line of an intermediation's history: an event, or a change of its status or of its
    recovery state (the transition logs), in French."""

    on: date
    at: Any  # datetime
    action_label: str
    from_state: str
    to_state: str
    by: Any  # the agent, or None for the daily run
    note: str


def intermediation_history(inter: Intermediation) -> list[HistoryLine]:
    """Its events and both transition logs, in the order they happened."""
    lines = [
        HistoryLine(
            e.on,
            e.at,
            EVENT_ACTIONS.get(e.action, e.action),
            STATUS.label(e.from_state) if e.from_state else "",
            STATUS.label(e.to_state),
            e.by,
            e.note,
        )
        for e in inter.events.select_related("by")
    ]
    for log, workflow in ((inter.status_transitions, STATUS), (inter.recovery_transitions, RECOVERY)):
        lines += [
            HistoryLine(
                t.on,
                t.at,
                workflow.transitions[t.action].label,
                workflow.label(t.source),
                workflow.label(t.target),
                t.by,
                t.reason,
            )
            for t in log.select_related("by")
        ]
    return sorted(lines, key=lambda line: (line.on, line.at))


def intermediation_by_reference(reference: str) -> Intermediation | None:
    return (
        Intermediation.objects.select_related(
            "titre__creditor", "titre__debtor", "titre__creditor_dossier", "titre__debtor_dossier"
        )
        .filter(reference=reference)
        .first()
    )


def _balances(intermediation: Intermediation) -> list[Balance]:
    """Own accounts (debtor, creditor, ASF advanced) in full; Caf-wide accounts as the sum of this
    intermediation's movements on them."""
    pk = intermediation.pk
    own = [f"debtor:{pk}", f"creditor:{pk}", f"asf_advanced:{pk}"]
    totals = dict.fromkeys(own, 0)
    rows = (
        LedgerEntry.objects.filter(Q(account__in=own) | Q(transaction__intermediation=intermediation))
        .order_by("account")
        .values_list("account")
        .annotate(total=Sum("amount"))
    )
    totals.update({account: int(total) for account, total in rows})
    balances = []
    for account, total in totals.items():
        label, meaning = ACCOUNT_LABELS.get(account.split(":", 1)[0], (account, ""))
        balances.append(Balance(account, label, meaning, cents_to_decimal(total)))
    return balances


def intermediation_file(intermediation: Intermediation) -> IntermediationFile:
    inter = intermediation
    with_euros(inter, "monthly_amount", "base_amount", "credit", "funded", "paid_out")
    dues = [with_euros(d, "amount", "paid", "asf") for d in inter.dues.order_by("month")]
    for due in dues:
        due.remaining_eur = cents_to_decimal(due.amount_cents - due.paid_cents)
    transactions = list(
        inter.ledger_transactions.order_by("id").prefetch_related(
            Prefetch("entries", queryset=LedgerEntry.objects.order_by("id"))
        )
    )
    for tx in transactions:
        tx.key_label = key_label(tx.key)
        for entry in tx.entries.all():
            entry.amount_eur = cents_to_decimal(entry.amount)
            entry.account_label = ACCOUNT_LABELS.get(entry.account.split(":", 1)[0], (entry.account, ""))[0]
    collections = list(
        Collection.objects.filter(intermediation=inter)
        .select_related("due", "payment_file")
        .order_by("collection_date", "id")
    )
    payouts = list(inter.payouts.select_related("payment_file").order_by("on", "id"))
    for payout in payouts:
        payout.kind_label = PAYOUT_KINDS.get(payout.kind, payout.kind)
    receipts = list(BankLine.objects.filter(intermediation=inter).order_by("booked_on", "id"))
    for line in receipts:
        line.matched_label = MATCHED_BY.get(line.matched_by, line.matched_by)
    forced = list(inter.forced_recoveries.order_by("started_on", "id"))
    for step in forced:
        step.third_party_label = THIRD_PARTIES.get(step.third_party, step.third_party)
    events = intermediation_history(inter)
    totals = {
        "due": cents_to_decimal(sum(d.amount_cents for d in dues)),
        "paid": cents_to_decimal(sum(d.paid_cents for d in dues)),
        "asf": cents_to_decimal(sum(d.asf_cents for d in dues)),
        "remaining": cents_to_decimal(sum(d.amount_cents - d.paid_cents for d in dues)),
    }
    return IntermediationFile(
        intermediation=inter,
        children=list(inter.titre.children.select_related("child").order_by("child__birth_date", "id")),
        dues=dues,
        transactions=transactions,
        balances=_balances(inter),
        receipts=[with_euros(line, "amount") for line in receipts],
        payouts=[with_euros(p, "amount") for p in payouts],
        collections=[with_euros(c, "amount") for c in collections],
        notices=[with_euros(n, "amount") for n in inter.notices.order_by("sent_on", "id")],
        forced=[with_euros(f, "arrears", "instalment") for f in forced],
        revaluations=[with_euros(r, "from", "to") for r in inter.revaluations.order_by("on", "id")],
        events=events,
        totals=totals,
    )


# --- Agents: the suspense account -------------------------------------------------------------


def suspense_lines() -> QuerySet[BankLine]:
    """Credits nobody could be matched to, oldest first, waiting for an agent."""
    return BankLine.objects.filter(status=BankLineStatus.SUSPENSE).order_by("booked_on", "id")


def suspense_total() -> Decimal:
    total = suspense_lines().aggregate(total=Sum("amount_cents"))["total"]
    return cents_to_decimal(total or 0)


# --- Parents: each one's own side -------------------------------------------------------------


@dataclass(frozen=True)
class DueLine:
    month: date
    due_on: date
    reference: str
    amount: Decimal
    paid: Decimal
    remaining: Decimal
    asf: Decimal
    notice_on: date | None


@dataclass(frozen=True)
class PayoutLine:
    on: date
    amount: Decimal
    kind: str


@dataclass(frozen=True)
class NoticeLine:
    sent_on: date
    pay_by: date
    amount: Decimal


@dataclass(frozen=True)
class RecoveryLine:
    started_on: date
    third_party: str
    arrears: Decimal
    instalments: int
    instalment: Decimal
    lifted_on: date | None


@dataclass(frozen=True)
class ChildLine:
    first_names: str
    monthly_amount: Decimal


@dataclass(frozen=True)
class CreditorSide:
    """What the creditor reads: never the debtor's employer, bank, IBAN or address."""

    reference: str
    status: str
    active: bool
    other_parent: str
    monthly_amount: Decimal
    children: list[ChildLine]
    dues: list[DueLine]
    payouts: list[PayoutLine]
    received: Decimal
    paid_to_you: Decimal
    asf: Decimal
    recovery: str
    recovery_normal: bool


@dataclass(frozen=True)
class DebtorSide:
    """What the debtor reads: never the creditor's address (confidential or not) nor their IBAN."""

    reference: str
    status: str
    active: bool
    other_parent: str
    monthly_amount: Decimal
    due_day: int
    children: list[ChildLine]
    dues: list[DueLine]
    owed: Decimal
    paid: Decimal
    waiting: Decimal
    asf_to_repay: Decimal
    notices: list[NoticeLine]
    recoveries: list[RecoveryLine]
    by_debit: bool
    mandate_id: str
    caf_name: str
    caf_iban: str
    caf_bic: str


def _due_lines(dues: list[Due]) -> list[DueLine]:
    return [
        DueLine(
            month=d.month,
            due_on=d.due_on,
            reference=d.reference,
            amount=cents_to_decimal(d.amount_cents),
            paid=cents_to_decimal(d.paid_cents),
            remaining=cents_to_decimal(d.amount_cents - d.paid_cents),
            asf=cents_to_decimal(d.asf_cents),
            notice_on=d.notice_on,
        )
        for d in dues
    ]


def _children(inter: Intermediation) -> list[ChildLine]:
    return [
        ChildLine(c.child.first_names, c.monthly_amount)
        for c in sorted(inter.titre.children.all(), key=lambda c: (c.child.birth_date, c.pk))
    ]


def _intermediations_of(person_id: int, side: str) -> list[Intermediation]:
    return list(
        Intermediation.objects.filter(**{f"titre__{side}_id": person_id})
        .select_related("titre__creditor", "titre__debtor")
        .prefetch_related(
            Prefetch("dues", queryset=Due.objects.order_by("month")),
            Prefetch("titre__children", queryset=TitreChild.objects.select_related("child")),
        )
        .order_by("id")
    )


def creditor_sides(person_id: int) -> list[CreditorSide]:
    sides = []
    for inter in _intermediations_of(person_id, "creditor"):
        dues = list(inter.dues.all())
        payouts = list(inter.payouts.order_by("on", "id"))
        sides.append(
            CreditorSide(
                reference=inter.reference,
                status=inter.get_status_display(),
                active=inter.status == "active",
                other_parent=str(inter.titre.debtor),
                monthly_amount=cents_to_decimal(inter.monthly_amount_cents),
                children=_children(inter),
                dues=_due_lines(dues),
                payouts=[
                    PayoutLine(p.on, cents_to_decimal(p.amount_cents), PAYOUT_KINDS.get(p.kind, p.kind))
                    for p in payouts
                ],
                received=cents_to_decimal(sum(d.paid_cents for d in dues)),
                paid_to_you=cents_to_decimal(sum(p.amount_cents for p in payouts)),
                asf=cents_to_decimal(
                    AsfAdvance.objects.filter(intermediation=inter).aggregate(t=Sum("amount_cents"))["t"] or 0
                ),  # type: ignore[arg-type]
                recovery=inter.get_recovery_state_display(),
                recovery_normal=inter.recovery_state == "normal",
            )
        )
    return sides


def debtor_sides(person_id: int) -> list[DebtorSide]:
    name, iban, bic = settings.PARCOURS_CAF_ACCOUNT
    sides = []
    for inter in _intermediations_of(person_id, "debtor"):
        dues = list(inter.dues.all())
        asf_balance = (
            LedgerEntry.objects.filter(account=f"asf_advanced:{inter.pk}").aggregate(t=Sum("amount"))["t"]
            or 0
        )
        sides.append(
            DebtorSide(
                reference=inter.reference,
                status=inter.get_status_display(),
                active=inter.status == "active",
                other_parent=str(inter.titre.creditor),
                monthly_amount=cents_to_decimal(inter.monthly_amount_cents),
                due_day=inter.due_day,
                children=_children(inter),
                dues=_due_lines(dues),
                owed=cents_to_decimal(sum(d.amount_cents - d.paid_cents for d in dues)),
                paid=cents_to_decimal(sum(d.paid_cents for d in dues)),
                waiting=cents_to_decimal(inter.credit_cents),
                asf_to_repay=cents_to_decimal(max(int(asf_balance), 0)),
                notices=[
                    NoticeLine(n.sent_on, n.pay_by, cents_to_decimal(n.amount_cents))
                    for n in inter.notices.order_by("sent_on", "id")
                ],
                recoveries=[
                    RecoveryLine(
                        f.started_on,
                        THIRD_PARTIES_TO_DEBTOR.get(f.third_party, f.third_party),
                        cents_to_decimal(f.arrears_cents),
                        f.instalments,
                        cents_to_decimal(f.instalment_cents),
                        f.lifted_on,
                    )
                    for f in inter.forced_recoveries.order_by("started_on", "id")
                ],
                by_debit=inter.payment_method == "debit",
                mandate_id=inter.mandate_id,
                caf_name=name,
                caf_iban=iban,
                caf_bic=bic,
            )
        )
    return sides
