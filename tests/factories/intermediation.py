"""Intermediations (IFPA) and what their cycle records, made the way production makes them: the
intermediation is opened by `titre_record`; dues, bank lines, allocations, payouts, debits, ASF
advances, notices, forced recoveries, revaluations and payment files are written by real IFPA days
(`run_day`, with camt.053 statements for the money received), so that `ifpa check` holds.

`run_day` works on every active intermediation of the database: a test that makes several of these
runs the days of each over all of them (what the nightly batch does).
"""

from __future__ import annotations

import itertools
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import factory
from django.utils import timezone

from parcours.intermediation.bank import StatementLine, statement_xml
from parcours.intermediation.cycle.daily import run_day
from parcours.intermediation.cycle.files import caf_account
from parcours.intermediation.models import (
    AsfAdvance,
    BankLine,
    BankStatement,
    Collection,
    Due,
    DueAllocation,
    ForcedRecovery,
    Intermediation,
    IntermediationEvent,
    IntermediationTransition,
    LedgerEntry,
    LedgerTransaction,
    PaymentFile,
    Payout,
    RecoveryTransition,
    Revaluation,
    UnpaidNotice,
)
from parcours.intermediation.services import intermediation_end, suspense_refund

from .accounts import UserFactory
from .titres import DEBTOR_IBAN, TitreFactory

JAN = date(2026, 1, 1)
STRANGER_IBAN = "FR7630003000011234567890168"
_bank_keys = itertools.count(1)


def payment(
    intermediation: Intermediation, cents: int, on: date, *, reference: bool = True, iban: str = DEBTOR_IBAN
):
    """A credit on the Caf's account: the debtor's transfer for January (by its reference or not)."""
    label = f"{intermediation.reference}-{JAN:%Y%m}" if reference else "PENSION"
    return StatementLine(
        line_key=f"FACT{next(_bank_keys):08d}",
        booked_on=on,
        value_on=on,
        amount_cents=cents,
        credit=True,
        end_to_end_id="",
        remittance=f"PENSION ALIMENTAIRE {label}",
        counterparty_name="M DEBITEUR",
        counterparty_iban=iban,
    )


def ifpa_day(on: date, lines: list[StatementLine] = ()) -> dict:  # type: ignore[assignment]
    """Run one IFPA day, with a statement of `lines` received that day."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        if lines:
            path = Path(folder) / f"camt053-{on}-{next(_bank_keys)}.xml"
            path.write_bytes(
                statement_xml(
                    message_id=f"FACT-{on:%Y%m%d}-{path.stem[-4:]}",
                    created_at=datetime.combine(
                        on, datetime.min.time(), tzinfo=timezone.get_current_timezone()
                    ),
                    account=caf_account(),
                    from_date=min(line.booked_on for line in lines),
                    to_date=on,
                    lines=list(lines),
                )
            )
            paths.append(path)
        return run_day(on, paths, Path(folder) / "out")


def _cycle(intermediation: Intermediation, cycle: str) -> None:
    """Bring the intermediation through January 2026 (see DOMAIN.md §5 for the calendar)."""
    if cycle == "revalued":  # a titre of February 2025: revalued on 1 March 2026
        ifpa_day(date(2026, 3, 2))
        return
    ifpa_day(date(2026, 1, 2))  # January's due posted (due on the 5th); a debit is scheduled
    if cycle == "paid":
        ifpa_day(
            date(2026, 1, 6), [payment(intermediation, intermediation.monthly_amount_cents, date(2026, 1, 5))]
        )
        ifpa_day(date(2026, 1, 7))  # paid on to the creditor the next business day (pain.001)
    elif cycle == "suspense":
        ifpa_day(
            date(2026, 1, 6),
            [payment(intermediation, 15000, date(2026, 1, 5), reference=False, iban=STRANGER_IBAN)],
        )
    elif cycle in ("notice", "forced"):
        ifpa_day(date(2026, 1, 10))  # unpaid: the notice (CSS R582-8)
        if cycle == "forced":
            ifpa_day(date(2026, 1, 26))  # still unpaid after 15 days: paiement direct
    elif cycle == "asf":
        ifpa_day(date(2026, 1, 12))  # unpaid: the ASF is advanced to the creditor


class IntermediationFactory(factory.django.DjangoModelFactory):
    """An intermediation opened automatically by its titre (TitreFactory's judgment of December
    2025, 150 € a month), brought through its first month by the `cycle` traits."""

    class Meta:
        model = Intermediation

    titre = factory.SubFactory(TitreFactory)
    cycle = ""
    ended = False

    class Params:
        direct_debit = factory.Trait(titre=factory.SubFactory(TitreFactory, debit=True))
        with_violence = factory.Trait(titre=factory.SubFactory(TitreFactory, with_violence=True))
        asf_eligible = factory.Trait(
            titre=factory.SubFactory(TitreFactory, asf_eligible=True, amount=Decimal("300.00"))
        )
        with_employer = factory.Trait(
            titre=factory.SubFactory(TitreFactory, debtor_employer="BOULANGERIE DUPONT")
        )
        end_by_consent = factory.Trait(ended=True)
        dues_posted = factory.Trait(cycle="dues")
        paid = factory.Trait(cycle="paid")
        in_suspense = factory.Trait(cycle="suspense")
        in_notice = factory.Trait(cycle="notice")
        forced_recovery = factory.Trait(
            cycle="forced", titre=factory.SubFactory(TitreFactory, debtor_employer="BOULANGERIE DUPONT")
        )
        asf_advanced = factory.Trait(
            cycle="asf", titre=factory.SubFactory(TitreFactory, asf_eligible=True, amount=Decimal("300.00"))
        )
        revalued = factory.Trait(
            cycle="revalued",
            titre=factory.SubFactory(
                TitreFactory, issued_on=date(2025, 2, 10), start_on=date(2025, 3, 1), amount=Decimal("200.00")
            ),
        )

    @classmethod
    def _create(cls, model_class, *, titre, cycle, ended):
        intermediation = titre.intermediations.get()
        if cycle:
            _cycle(intermediation, cycle)
        if ended:
            intermediation_end(
                intermediation=intermediation,
                on=date(2026, 1, 20),
                other_parent_consents=True,
                reason="accord des deux parents",
                by=UserFactory(aripa=True),
            )
        return Intermediation.objects.get(pk=intermediation.pk)


class _CycleRowFactory(factory.django.DjangoModelFactory):
    """A row the IFPA cycle writes: made by bringing an intermediation through the days that write it."""

    class Meta:
        abstract = True

    intermediation = factory.SubFactory(IntermediationFactory, dues_posted=True)

    @classmethod
    def _create(cls, model_class, *, intermediation):
        return cls._pick(intermediation)


class IntermediationEventFactory(_CycleRowFactory):
    """An event that is not a change of state: the opening."""

    class Meta:
        model = IntermediationEvent

    intermediation = factory.SubFactory(IntermediationFactory)

    @staticmethod
    def _pick(intermediation):
        return intermediation.events.latest("id")


class IntermediationTransitionFactory(_CycleRowFactory):
    """A change of status logged by the service: the end by consent."""

    class Meta:
        model = IntermediationTransition

    intermediation = factory.SubFactory(IntermediationFactory, end_by_consent=True)

    @staticmethod
    def _pick(intermediation):
        return intermediation.status_transitions.latest("id")


class RecoveryTransitionFactory(_CycleRowFactory):
    """A change of recovery state logged by the daily run: the notice, forced recovery with `forced`."""

    class Meta:
        model = RecoveryTransition

    intermediation = factory.SubFactory(IntermediationFactory, in_notice=True)

    class Params:
        forced = factory.Trait(intermediation=factory.SubFactory(IntermediationFactory, forced_recovery=True))

    @staticmethod
    def _pick(intermediation):
        return intermediation.recovery_transitions.latest("id")


class DueFactory(_CycleRowFactory):
    class Meta:
        model = Due

    class Params:
        paid = factory.Trait(intermediation=factory.SubFactory(IntermediationFactory, paid=True))

    @staticmethod
    def _pick(intermediation):
        return intermediation.dues.get(month=JAN)


class DueAllocationFactory(_CycleRowFactory):
    class Meta:
        model = DueAllocation

    intermediation = factory.SubFactory(IntermediationFactory, paid=True)

    @staticmethod
    def _pick(intermediation):
        return DueAllocation.objects.get(intermediation=intermediation)


class BankStatementFactory(_CycleRowFactory):
    """The camt.053 statement imported with the debtor's payment."""

    class Meta:
        model = BankStatement

    intermediation = factory.SubFactory(IntermediationFactory, paid=True)

    @staticmethod
    def _pick(intermediation):
        return BankStatement.objects.get(bank_lines__intermediation=intermediation)


class BankLineFactory(_CycleRowFactory):
    """The debtor's payment, matched by its reference; `in_suspense`: a stranger's, waiting."""

    class Meta:
        model = BankLine

    intermediation = factory.SubFactory(IntermediationFactory, paid=True)

    class Params:
        in_suspense = factory.Trait(
            intermediation=factory.SubFactory(IntermediationFactory, in_suspense=True)
        )

    @staticmethod
    def _pick(intermediation):
        matched = BankLine.objects.filter(intermediation=intermediation)
        if matched.exists():
            return matched.get()
        return BankLine.objects.filter(status="suspense").latest("id")


class PayoutFactory(_CycleRowFactory):
    """The pension paid on to the creditor; `asf`: the ASF advanced in its place."""

    class Meta:
        model = Payout

    intermediation = factory.SubFactory(IntermediationFactory, paid=True)

    class Params:
        asf = factory.Trait(intermediation=factory.SubFactory(IntermediationFactory, asf_advanced=True))

    @staticmethod
    def _pick(intermediation):
        return intermediation.payouts.latest("id")


class PaymentFileFactory(_CycleRowFactory):
    """The pain.001 of the payout; `debits`: the pain.008 of a direct debit."""

    class Meta:
        model = PaymentFile

    intermediation = factory.SubFactory(IntermediationFactory, paid=True)

    class Params:
        debits = factory.Trait(
            intermediation=factory.SubFactory(IntermediationFactory, direct_debit=True, dues_posted=True)
        )

    @staticmethod
    def _pick(intermediation):
        payout = intermediation.payouts.exclude(payment_file=None).first()
        if payout is not None:
            return payout.payment_file
        return Collection.objects.get(intermediation=intermediation).payment_file


class CollectionFactory(_CycleRowFactory):
    """The first SEPA direct debit (FRST) of a debtor who signed a mandate."""

    class Meta:
        model = Collection

    intermediation = factory.SubFactory(IntermediationFactory, direct_debit=True, dues_posted=True)

    @staticmethod
    def _pick(intermediation):
        return Collection.objects.get(intermediation=intermediation)


class AsfAdvanceFactory(_CycleRowFactory):
    class Meta:
        model = AsfAdvance

    intermediation = factory.SubFactory(IntermediationFactory, asf_advanced=True)

    @staticmethod
    def _pick(intermediation):
        return AsfAdvance.objects.get(intermediation=intermediation)


class UnpaidNoticeFactory(_CycleRowFactory):
    class Meta:
        model = UnpaidNotice

    intermediation = factory.SubFactory(IntermediationFactory, in_notice=True)

    class Params:
        escalated = factory.Trait(
            intermediation=factory.SubFactory(IntermediationFactory, forced_recovery=True)
        )

    @staticmethod
    def _pick(intermediation):
        return intermediation.notices.latest("id")


class ForcedRecoveryFactory(_CycleRowFactory):
    """Paiement direct through the debtor's employer, engaged after an unanswered notice."""

    class Meta:
        model = ForcedRecovery

    intermediation = factory.SubFactory(IntermediationFactory, forced_recovery=True)

    @staticmethod
    def _pick(intermediation):
        return intermediation.forced_recoveries.get()


class RevaluationFactory(_CycleRowFactory):
    class Meta:
        model = Revaluation

    intermediation = factory.SubFactory(IntermediationFactory, revalued=True)

    @staticmethod
    def _pick(intermediation):
        return intermediation.revaluations.get()


class LedgerTransactionFactory(_CycleRowFactory):
    """A movement the cycle posted (balanced, append-only): January's due by default; `receipt`:
    the debtor's payment; `refund`: a stranger's credit sent back from suspense by an agent."""

    class Meta:
        model = LedgerTransaction

    refund = False

    class Params:
        receipt = factory.Trait(intermediation=factory.SubFactory(IntermediationFactory, paid=True))
        refunded = factory.Trait(
            refund=True, intermediation=factory.SubFactory(IntermediationFactory, in_suspense=True)
        )

    @classmethod
    def _create(cls, model_class, *, intermediation, refund):
        if refund:
            line = BankLine.objects.filter(status="suspense").latest("id")
            suspense_refund(line=line, on=date(2026, 1, 7))
            return LedgerTransaction.objects.get(key=f"refund:{line.line_key}")
        kind = "receipt" if intermediation.dues.filter(paid_cents__gt=0).exists() else "due"
        return intermediation.ledger_transactions.filter(kind=kind).latest("id")


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerEntry

    transaction = factory.SubFactory(LedgerTransactionFactory)

    @classmethod
    def _create(cls, model_class, *, transaction):
        return transaction.entries.order_by("id").first()
