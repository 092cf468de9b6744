"""Unpaid pensions: paiement direct instalments, notice dates, forced recovery (rules/recovery.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.intermediation.rules import ParameterUnknown
from parcours.intermediation.rules.recovery import (
    DueRecord,
    RecoveryError,
    arrears_earliest_month,
    bmaf_on,
    consecutive_paid_months,
    debtor_due_date,
    forced_recovery_can_be_lifted,
    forced_recovery_lifted,
    instalment_bounds,
    instalment_plan,
    notice_dates,
    small_debt,
    split_equally,
    unpaid_from,
)

D = Decimal
BMAF = D("474.37")  # a test input (the BMAF of 2025-04-01, DOMAIN.md §3)
arrears = st.integers(min_value=0, max_value=10_000_000)
unpaid = st.integers(min_value=1, max_value=40)
bmafs = st.decimals(min_value=D("300"), max_value=D("700"), places=2, allow_nan=False, allow_infinity=False)


# --- The plan ---------------------------------------------------------------------------------


def test_three_unpaid_months_in_three_instalments():
    assert instalment_plan(arrears_cents=3 * 33050, unpaid_months=3, bmaf=BMAF) == [33050] * 3


def test_the_remainder_cents_go_on_the_first_instalments():
    assert split_equally(100000, 3) == [33334, 33333, 33333]
    assert instalment_plan(arrears_cents=100000, unpaid_months=3, bmaf=BMAF) == [33334, 33333, 33333]


def test_the_small_debt_threshold_is_1_2_bmaf():
    # 1,2 × 474,37 € = 569,244 €: 569,24 € is below it, 569,25 € is not.
    assert small_debt(arrears_cents=56924, bmaf=BMAF)
    assert not small_debt(arrears_cents=56925, bmaf=BMAF)


def test_a_small_debt_can_be_paid_at_once_or_over_six_months_at_most():
    assert instalment_plan(arrears_cents=50000, unpaid_months=8, bmaf=BMAF, pay_at_once=True) == [50000]
    assert instalment_plan(arrears_cents=50000, unpaid_months=8, bmaf=BMAF) == [
        8334,
        8334,
        8333,
        8333,
        8333,
        8333,
    ]
    assert instalment_plan(arrears_cents=50000, unpaid_months=2, bmaf=BMAF) == [25000, 25000]
    assert instalment_plan(arrears_cents=50000, unpaid_months=8, bmaf=BMAF, months=1) == [50000]
    with pytest.raises(RecoveryError, match="1 à 6 mensualités"):
        instalment_plan(arrears_cents=50000, unpaid_months=2, bmaf=BMAF, months=7)


def test_a_larger_debt_cannot_be_paid_at_once():
    with pytest.raises(
        RecoveryError, match=r"ne peut être payé en une fois : seule une dette inférieure à 1,2 fois"
    ):
        instalment_plan(arrears_cents=99150, unpaid_months=3, bmaf=BMAF, pay_at_once=True)


def test_at_most_twelve_months_for_twelve_unpaid_months_or_fewer():
    assert instalment_bounds(arrears_cents=99150, unpaid_months=3, bmaf=BMAF).max_months == 12
    assert len(instalment_plan(arrears_cents=99150, unpaid_months=3, bmaf=BMAF, months=12)) == 12
    with pytest.raises(RecoveryError, match="3 à 12 mensualités"):
        instalment_plan(arrears_cents=99150, unpaid_months=3, bmaf=BMAF, months=13)
    with pytest.raises(RecoveryError, match="3 à 12 mensualités"):
        instalment_plan(arrears_cents=99150, unpaid_months=3, bmaf=BMAF, months=2)


def test_up_to_twenty_four_months_beyond_twelve_unpaid_months():
    plan = instalment_plan(arrears_cents=15 * 20000, unpaid_months=15, bmaf=BMAF)
    assert plan == [20000] * 15
    assert len(instalment_plan(arrears_cents=15 * 20000, unpaid_months=15, bmaf=BMAF, months=24)) == 24
    with pytest.raises(RecoveryError, match="15 à 24 mensualités"):
        instalment_plan(arrears_cents=15 * 20000, unpaid_months=15, bmaf=BMAF, months=25)
    # More than 24 unpaid months: the ceiling prevails.
    assert len(instalment_plan(arrears_cents=30 * 20000, unpaid_months=30, bmaf=BMAF)) == 24


def test_no_arrears_no_instalment_and_no_zero_instalment():
    assert instalment_plan(arrears_cents=0, unpaid_months=3, bmaf=BMAF) == []
    assert instalment_plan(arrears_cents=2, unpaid_months=5, bmaf=BMAF) == [1, 1]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"arrears_cents": -1, "unpaid_months": 1}, RecoveryError, "négatif"),
        ({"arrears_cents": 1.5, "unpaid_months": 1}, TypeError, "centimes"),
        ({"arrears_cents": 100, "unpaid_months": 0}, RecoveryError, "au moins égal à 1"),
    ],
)
def test_bad_input_is_refused_in_french(kwargs, error, message):
    with pytest.raises(error, match=message):
        instalment_plan(bmaf=BMAF, **kwargs)


@given(arrears, unpaid, bmafs, st.booleans())
def test_every_plan_is_exact_equal_and_within_bounds(arrears_cents, unpaid_months, bmaf, at_once):
    bounds = instalment_bounds(arrears_cents=arrears_cents, unpaid_months=unpaid_months, bmaf=bmaf)
    if at_once and not bounds.small_debt:
        with pytest.raises(RecoveryError):
            instalment_plan(
                arrears_cents=arrears_cents, unpaid_months=unpaid_months, bmaf=bmaf, pay_at_once=True
            )
        return
    plan = instalment_plan(
        arrears_cents=arrears_cents, unpaid_months=unpaid_months, bmaf=bmaf, pay_at_once=at_once
    )
    assert sum(plan) == arrears_cents
    assert all(isinstance(amount, int) and amount > 0 for amount in plan)
    assert plan == sorted(plan, reverse=True)  # non-increasing
    assert not plan or max(plan) - min(plan) <= 1
    if arrears_cents >= 24:  # else fewer instalments than months: one cent each
        count = len(plan)
        assert bounds.min_months <= count <= bounds.max_months
        if bounds.small_debt:
            assert count <= 6 and (count == 1 if at_once else count == min(unpaid_months, 6))
        elif unpaid_months <= 12:
            assert unpaid_months <= count <= 12
        else:
            assert min(unpaid_months, 24) <= count <= 24


@given(arrears, unpaid, bmafs, st.integers(min_value=1, max_value=24))
def test_a_chosen_length_is_kept_when_allowed(arrears_cents, unpaid_months, bmaf, months):
    bounds = instalment_bounds(arrears_cents=arrears_cents, unpaid_months=unpaid_months, bmaf=bmaf)
    kwargs = {"arrears_cents": arrears_cents, "unpaid_months": unpaid_months, "bmaf": bmaf, "months": months}
    if bounds.min_months <= months <= bounds.max_months:
        plan = instalment_plan(**kwargs)
        assert sum(plan) == arrears_cents and len(plan) == min(months, arrears_cents)
    else:
        with pytest.raises(RecoveryError, match="mensualités"):
            instalment_plan(**kwargs)


# --- Notice, due day, lifting, arrears --------------------------------------------------------


def test_notice_within_15_days_giving_15_days_to_pay():
    send_by, pay_by = notice_dates(date(2026, 3, 5))
    assert send_by == date(2026, 3, 20)
    assert pay_by == date(2026, 4, 4)
    assert notice_dates(date(2026, 3, 5), sent_on=date(2026, 3, 10)).pay_by == date(2026, 3, 25)
    with pytest.raises(RecoveryError, match="ne peut pas précéder l'échéance impayée du 5 mars 2026"):
        notice_dates(date(2026, 3, 5), sent_on=date(2026, 3, 4))


def test_the_debtor_due_day_is_a_parameter():
    assert debtor_due_date(date(2026, 3, 18)) == date(2026, 3, 5)


def test_an_intermediation_s_own_due_day_falls_back_to_the_month_s_last_day():
    assert debtor_due_date(date(2026, 3, 18), due_day=12) == date(2026, 3, 12)
    assert debtor_due_date(date(2026, 2, 1), due_day=31) == date(2026, 2, 28)
    assert debtor_due_date(date(2028, 2, 1), due_day=30) == date(2028, 2, 29)
    for wrong in (0, 32, True):
        with pytest.raises(RecoveryError, match="jour d'échéance"):
            debtor_due_date(date(2026, 2, 1), due_day=wrong)


def test_a_due_counts_as_unpaid_five_days_after_its_date():
    assert unpaid_from(date(2026, 3, 5)) == date(2026, 3, 10)  # unpaid_after_days, to confirm


def test_forced_recovery_is_lifted_after_six_consecutive_months_paid():
    assert not forced_recovery_lifted(5)
    assert forced_recovery_lifted(6)
    assert forced_recovery_lifted(7)
    with pytest.raises(RecoveryError):
        forced_recovery_lifted(-1)


def _dues(*marks: str, first: date = date(2026, 1, 5)) -> list[DueRecord]:
    """One due a month from `first`: "p" paid, "u" unpaid, "n" noticed then paid, "N" noticed, unpaid."""
    return [
        DueRecord(first.replace(month=first.month + i), paid_in_full=m in "pn", noticed=m in "nN")
        for i, m in enumerate(marks)
    ]


def test_the_paid_months_are_counted_back_from_the_latest_to_a_notice_or_an_unpaid_due():
    until, since = date(2026, 12, 1), date(2026, 1, 1)
    assert consecutive_paid_months(_dues("N", "p", "p", "p"), since=since, until=until) == 3
    assert consecutive_paid_months(_dues("p", "p", "n", "p", "p"), since=since, until=until) == 2
    assert consecutive_paid_months(_dues("p", "u", "p"), since=since, until=until) == 1
    assert consecutive_paid_months(_dues("p", "p", "p", "p"), since=date(2026, 2, 6), until=until) == 2
    assert (
        consecutive_paid_months(_dues("p", "p", "u"), since=since, until=date(2026, 3, 5)) == 2
    )  # not yet due


def test_forced_recovery_is_lifted_after_six_months_paid_and_nothing_owed():
    started = date(2026, 1, 20)
    six_paid = _dues("N", "p", "p", "p", "p", "p", "p", first=date(2026, 1, 5))
    assert (
        forced_recovery_can_be_lifted(started_on=started, dues=six_paid, on=date(2026, 7, 6)) is False
    )  # the arrears
    paid_back = [DueRecord(six_paid[0].due_on, True, True), *six_paid[1:]]
    assert (
        forced_recovery_can_be_lifted(started_on=started, dues=paid_back, on=date(2026, 7, 5)) is False
    )  # 5 months
    assert forced_recovery_can_be_lifted(started_on=started, dues=paid_back, on=date(2026, 7, 6)) is True
    noticed = [*paid_back[:3], DueRecord(paid_back[3].due_on, True, True), *paid_back[4:]]
    assert forced_recovery_can_be_lifted(started_on=started, dues=noticed, on=date(2026, 7, 6)) is False


def test_arrears_before_intermediation_go_back_two_years():
    assert arrears_earliest_month(date(2026, 3, 10)) == date(2024, 3, 1)


# --- The BMAF is openfisca-france's -----------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "amount"),
    [
        # DOMAIN.md §3, "BMAF"
        (date(2022, 4, 1), "422.28"),
        (date(2022, 7, 1), "439.17"),
        (date(2023, 4, 1), "445.93"),
        (date(2024, 4, 1), "466.44"),
        (date(2025, 4, 1), "474.37"),
        (date(2026, 3, 31), "474.37"),
        (date(2026, 4, 1), "478.16"),
    ],
)
def test_the_bmaf_is_read_from_openfisca_france(on, amount):
    assert bmaf_on(on) == D(amount)


def test_the_bmaf_is_not_guessed_beyond_openfisca_frances_last_check():
    with pytest.raises(ParameterUnknown, match="La BMAF n'est connue que du"):
        bmaf_on(date(2027, 4, 1))
