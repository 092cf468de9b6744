"""Oracle tests: each IFPA rule's set-based SQL step against its one pure function, on random data.

The cycle's steps (cycle/steps.py) work on whole tables in SQL; the rules they implement are also
written once as plain functions (ledger.py, rules/). Each test here builds random rows in the
database (through the services for the intermediations, directly for the dues, notices and forced
recoveries, so as to reach states a few simulated days would rarely reach), runs the real step, and
compares what it wrote, row by row, with the pure function applied to the same inputs:

| rule | pure function | SQL step |
| --- | --- | --- |
| allocation: oldest due first, the creditor before the Caf | `ledger.allocate` | `allocate` |
| revaluation: when, index, rounding | `rules.revaluation.revaluation_on`, `revaluation` | `revalue` |
| due date | `rules.recovery.debtor_due_date` | `post_dues` (calls it) |
| notice: when, time to pay | `rules.recovery.unpaid_from`, `notice_dates` | `send_notices` |
| forced recovery and its instalment plan | `notice_dates`, `instalment_plan` | `escalate` (calls the plan) |
| lifting of forced recovery | `rules.recovery.forced_recovery_can_be_lifted` | `lift` |

Derandomized (the same examples on every run, for CI); the whole file runs in well under two
minutes on SQLite.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from parcours.intermediation import ledger
from parcours.intermediation.cycle import steps
from parcours.intermediation.models import (
    Due,
    DueAllocation,
    ForcedRecovery,
    Intermediation,
    LedgerEntry,
    Revaluation,
    UnpaidNotice,
)
from parcours.intermediation.rules import revaluation as rules_revaluation
from parcours.intermediation.rules.calendar import add_months
from parcours.intermediation.rules.recovery import (
    DueRecord,
    bmaf_on,
    debtor_due_date,
    forced_recovery_can_be_lifted,
    instalment_plan,
    notice_dates,
    unpaid_from,
)

from .cycle_helpers import make_intermediation

ORACLE = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
INTERMEDIATIONS = 3
EPOCH = date(2024, 1, 1)
SERIES = rules_revaluation.DEFAULT_SERIES


def month(offset: int) -> date:
    return add_months(EPOCH, offset)


def due_row(
    inter: Intermediation,
    on_month: date,
    *,
    due_on: date,
    amount: int,
    paid: int = 0,
    asf: int = 0,
    notice_on: date | None = None,
) -> Due:
    return Due(
        intermediation=inter,
        month=on_month,
        due_on=due_on,
        reference=f"{inter.reference}-{on_month:%Y%m}",
        amount_cents=amount,
        paid_cents=paid,
        asf_cents=asf,
        notice_on=notice_on,
    )


class OracleTestCase(TestCase):
    """Intermediations opened once through the services; each example writes its own rows on them
    (rolled back after it)."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.inters = [
            make_intermediation(employer="ACME" if i % 2 else "")[1] for i in range(INTERMEDIATIONS)
        ]

    def fresh(self) -> list[Intermediation]:
        return [Intermediation.objects.get(pk=i.pk) for i in self.inters]


# --- Allocation ---------------------------------------------------------------------------------


@st.composite
def open_due_states(draw):
    """(month offset, due date choice, amount, paid, ASF advanced): any mix the cycle can reach —
    paid before or after an advance, partly or in full — and due dates shared between months (odd,
    to test the tie on the id)."""
    amount = draw(st.integers(1, 60_000))
    paid = draw(st.one_of(st.just(0), st.integers(0, amount), st.just(amount)))
    asf = draw(st.one_of(st.just(0), st.integers(0, amount)))
    shared_day = draw(st.one_of(st.none(), st.integers(0, 2)))
    return draw(st.integers(0, 35)), shared_day, amount, paid, asf


books = st.lists(
    st.tuples(st.lists(open_due_states(), max_size=7, unique_by=lambda d: d[0]), st.integers(0, 250_000)),
    min_size=INTERMEDIATIONS,
    max_size=INTERMEDIATIONS,
)


class AllocationOracle(OracleTestCase):
    @ORACLE
    @given(books=books)
    @example(books=[([(0, None, 15000, 0, 10000), (1, None, 15000, 5000, 0)], 22000), ([], 0), ([], 5)])
    @example(books=[([(3, 0, 100, 0, 0), (1, 0, 100, 0, 50)], 150), ([(0, None, 100, 100, 0)], 7), ([], 0)])
    def test_allocate_is_ledger_allocate(self, books):
        day = date(2027, 3, 2)
        inters = self.fresh()
        dues: dict[int, list[Due]] = {}
        for inter, (states, credit) in zip(inters, books, strict=True):
            rows = [
                due_row(
                    inter,
                    month(offset),
                    due_on=month(offset).replace(day=5) if shared is None else date(2025, 6, 5 + shared),
                    amount=amount,
                    paid=paid,
                    asf=asf,
                )
                for offset, shared, amount, paid, asf in states
            ]
            dues[inter.pk] = Due.objects.bulk_create(rows)  # ids in list order, not in month order
            Intermediation.objects.filter(pk=inter.pk).update(credit_cents=credit, funded_cents=0)

        steps.allocate(day)

        for inter, (_, credit) in zip(inters, books, strict=True):
            expected = ledger.allocate(
                credit,
                [
                    ledger.open_due(
                        key=d.pk,
                        due_on=d.due_on,
                        amount=d.amount_cents,
                        paid=d.paid_cents,
                        asf_advanced=d.asf_cents,
                    )
                    for d in dues[inter.pk]
                ],
            )
            written = DueAllocation.objects.filter(intermediation=inter, on=day)
            assert sorted((a.due_id, a.creditor_cents, a.recovery_cents) for a in written) == sorted(
                (s.key, s.creditor, s.recovery) for s in expected.shares
            )
            by_key = {s.key: s.amount for s in expected.shares}
            for before in dues[inter.pk]:
                assert Due.objects.get(pk=before.pk).paid_cents == before.paid_cents + by_key.get(
                    before.pk, 0
                )
            after = Intermediation.objects.get(pk=inter.pk)
            assert after.credit_cents == expected.unallocated
            assert after.funded_cents == sum(s.creditor for s in expected.shares)
            # The repayments of the Caf's advance are in the ledger too, once each.
            recovered = LedgerEntry.objects.filter(
                account=f"asf_advanced:{inter.pk}", transaction__kind="recovery", transaction__booked_on=day
            ).values_list("amount", flat=True)
            assert -sum(recovered) == expected.recovered
            event(
                f"allocation: {'recovery' if expected.recovered else 'creditor only' if expected.shares else 'none'}"
            )


# --- Revaluation ---------------------------------------------------------------------------------


@st.composite
def revaluation_cases(draw, *, first_index_month: date, last_index_month: date):
    """(day, [(base amount, base index month, first revaluation, active)]), indices known."""
    span = (
        (last_index_month.year - first_index_month.year) * 12
        + last_index_month.month
        - first_index_month.month
    )
    lag = rules_revaluation.publication_lag_months()
    # The new index is the one `lag` months before the day's month: both must be known.
    day_month = add_months(first_index_month, draw(st.integers(lag, span + lag)))
    day = day_month.replace(day=draw(st.sampled_from([1, 1, 2, 15, 28])))
    cases = []
    for _ in range(INTERMEDIATIONS):
        amount = draw(st.integers(0, 10_000_000))
        base_month = add_months(first_index_month, draw(st.integers(0, span)))
        # The first revaluation: most often in the day's month (a year or more before, or later), a
        # 1st as the titres set it, or another day of the month (a titre may state one).
        first_month = day_month.replace(year=day_month.year + draw(st.integers(-3, 1)))
        if not draw(st.booleans()):
            first_month = first_month.replace(month=draw(st.integers(1, 12)))
        first = first_month.replace(day=draw(st.sampled_from([1, 1, 1, 2, 15, 28])))
        cases.append((amount, base_month, first, draw(st.sampled_from([True, True, True, False]))))
    return day, cases


def check_revaluations(self: OracleTestCase, day: date, cases, series: str) -> None:
    inters = self.fresh()
    before = {}
    for inter, (amount, base_month, first, active) in zip(inters, cases, strict=True):
        Intermediation.objects.filter(pk=inter.pk).update(
            base_amount_cents=amount,
            monthly_amount_cents=amount + 1,  # last year's amount: replaced, never the base
            index_series=series,
            index_base_month=base_month,
            revaluation_month=first.month,
            first_revaluation_on=first,
            status="active" if active else "ended",
        )
        before[inter.pk] = amount + 1

    steps.revalue(day)

    for inter, (amount, base_month, first, active) in zip(inters, cases, strict=True):
        on = rules_revaluation.revaluation_on(first, day) if active else None
        rows = list(Revaluation.objects.filter(intermediation=inter))
        after = Intermediation.objects.get(pk=inter.pk).monthly_amount_cents
        event(f"revaluation: {'none' if on is None else 'revalued'}")
        if on is None:
            assert rows == [] and after == before[inter.pk], (first, day)
            continue
        expected = rules_revaluation.revaluation(
            amount_cents=amount, anniversary=on, base_month=base_month, series=series
        )
        assert [(r.on, r.from_cents, r.to_cents, r.index_base, r.index_new) for r in rows] == [
            (on, before[inter.pk], expected.amount_cents, expected.base.value, expected.new.value)
        ], (first, day, base_month)
        assert after == expected.amount_cents


class RevaluationOracle(OracleTestCase):
    @ORACLE
    @given(case=revaluation_cases(first_index_month=date(2021, 1, 1), last_index_month=date(2026, 10, 1)))
    def test_revalue_is_revaluation_with_the_published_index(self, case):
        day, cases = case
        check_revaluations(self, day, cases, SERIES)

    @ORACLE
    @given(
        case=revaluation_cases(first_index_month=date(2030, 1, 1), last_index_month=date(2031, 12, 1)),
        values=st.lists(
            st.decimals(min_value=Decimal("1.00"), max_value=Decimal("999.99"), places=2),
            min_size=24,
            max_size=24,
        ),
    )
    def test_revalue_is_revaluation_with_any_index(self, case, values):
        # Any index of the accepted form (two decimals): rounding ties and falls included.
        data = dict(rules_revaluation._data())
        data["series"] = {
            "TEST": {
                "title": "indice de test",
                "source": "tests",
                "values": {
                    f"{add_months(date(2030, 1, 1), i):%Y-%m}": {"index": str(v), "status": "published"}
                    for i, v in enumerate(values)
                },
            }
        }
        day, cases = case
        with mock.patch.object(rules_revaluation, "_data", return_value=data):
            check_revaluations(self, day, cases, "TEST")


# --- Due date --------------------------------------------------------------------------------------


class DueDateOracle(OracleTestCase):
    @ORACLE
    @given(
        day=st.dates(date(2026, 2, 1), date(2028, 12, 31)),
        setups=st.lists(
            st.tuples(st.one_of(st.none(), st.integers(1, 31)), st.integers(0, 20)),
            min_size=INTERMEDIATIONS,
            max_size=INTERMEDIATIONS,
        ),
    )
    def test_post_dues_dates_each_due_by_debtor_due_date(self, day, setups):
        inters = self.fresh()
        for inter, (due_day, months_before) in zip(inters, setups, strict=True):
            Intermediation.objects.filter(pk=inter.pk).update(
                due_day=inter.due_day if due_day is None else due_day,
                first_month=add_months(day.replace(day=1), -months_before),
            )

        steps.post_dues(day)

        for inter, (due_day, months_before) in zip(inters, setups, strict=True):
            posted = list(Due.objects.filter(intermediation=inter).order_by("month"))
            this_month = day.replace(day=1)
            wanted = [
                m
                for m in (add_months(this_month, -1), this_month)
                if m >= add_months(this_month, -months_before)
            ]
            assert [d.month for d in posted] == wanted
            for d in posted:
                assert d.due_on == debtor_due_date(
                    d.month, due_day=inter.due_day if due_day is None else due_day
                )
                if due_day is None:  # an intermediation opened with the default day
                    assert d.due_on == debtor_due_date(d.month)
                assert d.amount_cents == inter.monthly_amount_cents and d.paid_cents == 0


# --- Notice -----------------------------------------------------------------------------------------


@st.composite
def followed_dues(draw, *, day: date, max_size: int = 6):
    """Dues of the months around `day`, each unpaid, partly paid or paid, with or without an
    earlier notice (sent at least `unpaid_after_days` after its date, before `day`)."""
    states = []
    for offset in draw(st.lists(st.integers(-14, 0), max_size=max_size, unique=True)):
        on_month = add_months(day.replace(day=1), offset)
        due_on = debtor_due_date(on_month)
        amount = draw(st.integers(1, 60_000))
        paid = draw(st.sampled_from([0, 0, amount, amount, None]))
        paid = draw(st.integers(0, amount)) if paid is None else paid
        notice_on = None
        first_notice = unpaid_from(due_on)
        if first_notice < day and draw(st.booleans()):
            notice_on = first_notice + timedelta(days=draw(st.integers(0, (day - first_notice).days - 1)))
        states.append((on_month, due_on, amount, paid, notice_on))
    return states


@st.composite
def notice_cases(draw):
    day = draw(st.dates(date(2026, 1, 1), date(2026, 12, 31)))
    inters = [
        (
            draw(followed_dues(day=day)),
            draw(st.sampled_from(["normal", "normal", "notice", "forced"])),
            draw(st.sampled_from([True, True, True, False])),
        )
        for _ in range(INTERMEDIATIONS)
    ]
    return day, inters


def write_dues(inter: Intermediation, states) -> list[Due]:
    return Due.objects.bulk_create(
        due_row(inter, m, due_on=due_on, amount=amount, paid=paid, notice_on=notice_on)
        for m, due_on, amount, paid, notice_on in states
    )


class NoticeOracle(OracleTestCase):
    @ORACLE
    @given(case=notice_cases())
    def test_send_notices_is_unpaid_from_and_notice_dates(self, case):
        day, setups = case
        inters = self.fresh()
        dues = {}
        for inter, (states, state, active) in zip(inters, setups, strict=True):
            Intermediation.objects.filter(pk=inter.pk).update(
                recovery_state=state, status="active" if active else "ended", asf_eligible=False
            )
            dues[inter.pk] = write_dues(inter, states)

        steps.send_notices(day)

        for inter, (_, state, active) in zip(inters, setups, strict=True):
            noticed_now = [
                d
                for d in dues[inter.pk]
                if active
                and d.notice_on is None
                and d.paid_cents < d.amount_cents
                and unpaid_from(d.due_on) <= day
            ]
            for d in dues[inter.pk]:
                after = Due.objects.get(pk=d.pk).notice_on
                assert after == (day if d in noticed_now else d.notice_on), (d.due_on, d.notice_on, day)
            notices = list(UnpaidNotice.objects.filter(intermediation=inter))
            event(f"notice: {len(noticed_now)} due(s) noticed")
            if not noticed_now:
                assert notices == []
                assert Intermediation.objects.get(pk=inter.pk).recovery_state == state
                continue
            pay_by = {notice_dates(d.due_on, sent_on=day).pay_by for d in noticed_now}
            assert [(n.sent_on, n.pay_by, n.amount_cents) for n in notices] == [
                (day, *pay_by, sum(d.amount_cents - d.paid_cents for d in noticed_now))
            ]
            assert Intermediation.objects.get(pk=inter.pk).recovery_state == (
                "notice" if state == "normal" else state
            )


@given(st.dates(date(2020, 10, 1), date(2040, 12, 31)))
def test_a_daily_run_sends_every_notice_within_the_15_days_of_r582_8(due_on):
    # send_notices, run every day, sends a due's notice on unpaid_from(due_on): within the delay.
    assert due_on < unpaid_from(due_on) <= notice_dates(due_on).send_by


# --- Forced recovery and its instalment plan ------------------------------------------------------------


@st.composite
def escalation_cases(draw):
    day = draw(st.dates(date(2025, 6, 1), date(2026, 3, 31)))  # the BMAF of openfisca-france is known
    inters = [
        (
            draw(followed_dues(day=day, max_size=14)),
            draw(st.sampled_from(["notice", "notice", "normal", "forced"])),
        )
        for _ in range(INTERMEDIATIONS)
    ]
    return day, inters


class EscalationOracle(OracleTestCase):
    @ORACLE
    @given(case=escalation_cases())
    def test_escalate_is_notice_dates_and_instalment_plan(self, case):
        day, setups = case
        inters = self.fresh()
        dues = {}
        for inter, (states, state) in zip(inters, setups, strict=True):
            Intermediation.objects.filter(pk=inter.pk).update(recovery_state=state)
            dues[inter.pk] = write_dues(inter, states)
            for sent_on in sorted({s[4] for s in states if s[4] is not None}):
                UnpaidNotice.objects.create(
                    intermediation=inter,
                    sent_on=sent_on,
                    pay_by=notice_dates(sent_on, sent_on=sent_on).pay_by,
                    amount_cents=1,
                )

        steps.escalate(day)

        for inter, (_, state) in zip(inters, setups, strict=True):
            noticed_unpaid = [
                d for d in dues[inter.pk] if d.notice_on is not None and d.paid_cents < d.amount_cents
            ]
            expired = [d for d in noticed_unpaid if day > notice_dates(d.due_on, sent_on=d.notice_on).pay_by]
            forced = list(ForcedRecovery.objects.filter(intermediation=inter))
            after = Intermediation.objects.get(pk=inter.pk).recovery_state
            event(
                f"escalation: from {state}, {'expired' if expired else 'unpaid' if noticed_unpaid else 'clear'}"
            )
            if state == "notice" and not noticed_unpaid:
                assert after == "normal" and forced == []
            elif state == "notice" and expired:
                owed = [d for d in dues[inter.pk] if d.due_on < day and d.paid_cents < d.amount_cents]
                arrears = sum(d.amount_cents - d.paid_cents for d in owed)
                plan = instalment_plan(arrears_cents=arrears, unpaid_months=len(owed), bmaf=bmaf_on(day))
                third_party = "employeur" if inter.debtor_employer else "banque"
                assert [
                    (f.started_on, f.third_party, f.arrears_cents, f.instalments, f.instalment_cents)
                    for f in forced
                ] == [(day, third_party, arrears, len(plan), plan[0])]
                assert after == "forced"
                assert sorted(
                    UnpaidNotice.objects.filter(intermediation=inter, escalated_on=day).values_list(
                        "sent_on", flat=True
                    )
                ) == sorted(
                    {
                        d.notice_on
                        for d in dues[inter.pk]
                        if d.notice_on and notice_dates(d.notice_on, sent_on=d.notice_on).pay_by < day
                    }
                )
            else:
                assert after == state and forced == []


# --- Lifting of forced recovery -----------------------------------------------------------------------


@st.composite
def lifting_cases(draw):
    """(day, [(start of forced recovery, dues)]): each forced recovery follows a due noticed, whose
    15 days to pay passed before it began; dues since are paid or not, noticed now and then."""
    day = draw(st.dates(date(2025, 6, 1), date(2027, 6, 30)))
    cases = []
    for _ in range(INTERMEDIATIONS):
        started_on = day - timedelta(days=draw(st.integers(0, 420)))
        first = add_months(started_on.replace(day=1), -draw(st.integers(1, 3)))
        while (
            notice_dates(debtor_due_date(first), sent_on=unpaid_from(debtor_due_date(first))).pay_by
            >= started_on
        ):
            first = add_months(first, -1)
        books = []
        on_month = first
        while on_month <= day.replace(day=1):
            due_on = debtor_due_date(on_month)
            noticed = on_month == first or (unpaid_from(due_on) <= day and draw(st.integers(0, 9)) == 0)
            paid_in_full = due_on < day and draw(st.integers(0, 9)) > 0
            books.append((on_month, due_on, paid_in_full, noticed))
            on_month = add_months(on_month, 1)
        cases.append((started_on, books))
    return day, cases


class LiftingOracle(OracleTestCase):
    @ORACLE
    @given(case=lifting_cases())
    def test_lift_is_forced_recovery_can_be_lifted(self, case):
        day, cases = case
        inters = self.fresh()
        for inter, (started_on, books) in zip(inters, cases, strict=True):
            Intermediation.objects.filter(pk=inter.pk).update(recovery_state="forced")
            ForcedRecovery.objects.create(
                intermediation=inter,
                started_on=started_on,
                third_party="banque",
                arrears_cents=1,
                instalments=1,
                instalment_cents=1,
            )
            Due.objects.bulk_create(
                due_row(
                    inter,
                    m,
                    due_on=due_on,
                    amount=15000,
                    paid=15000 if paid_in_full else 0,
                    notice_on=unpaid_from(due_on) if noticed else None,
                )
                for m, due_on, paid_in_full, noticed in books
            )

        steps.lift(day)

        for inter, (started_on, books) in zip(inters, cases, strict=True):
            expected = forced_recovery_can_be_lifted(
                started_on=started_on,
                dues=[DueRecord(due_on, paid_in_full, noticed) for _, due_on, paid_in_full, noticed in books],
                on=day,
            )
            event(f"lifting: {'lifted' if expected else 'kept'}")
            forced = ForcedRecovery.objects.get(intermediation=inter)
            assert forced.lifted_on == (day if expected else None), (started_on, day, books)
            assert Intermediation.objects.get(pk=inter.pk).recovery_state == (
                "normal" if expected else "forced"
            )
