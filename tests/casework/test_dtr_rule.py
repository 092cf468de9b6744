"""The quarterly resource declaration rule (households/dtr.py) as properties: the dossier's quarters,
the due and break days, what a missing declaration suspends, the next payment day."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from parcours.households import dtr
from parcours.households.dtr import Declaration

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
month_starts = days.map(lambda d: d.replace(day=1))


def months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def add_months(day: date, n: int) -> date:
    """The first day of the month `n` months after (or before) `day`'s, by calendar steps."""
    day = day.replace(day=1)
    for _ in range(abs(n)):
        day = (day.replace(day=28) + timedelta(days=4)) if n > 0 else (day - timedelta(days=1))
        day = day.replace(day=1)
    return day


# --- Quarters ----------------------------------------------------------------------------------


@given(days, days)
@example(date(2026, 1, 31), date(2025, 12, 15))  # across a year end
@example(date(2026, 3, 1), date(2026, 3, 31))
def test_the_quarter_of_a_month_starts_within_three_months_on_the_dossier_s_rhythm(month, opened_on):
    start = dtr.quarter_start(month, opened_on)
    assert start.day == 1
    assert start <= month
    assert 0 <= months_between(start, month) < 3
    assert (start.month - opened_on.month) % 3 == 0
    assert months_between(opened_on, start) % 3 == 0


@given(days, days)
def test_the_three_months_of_a_quarter_share_its_start(month, opened_on):
    start = dtr.quarter_start(month, opened_on)
    assert [dtr.quarter_start(add_months(start, n), opened_on) for n in range(3)] == [start] * 3
    assert dtr.quarter_start(add_months(start, 3), opened_on) == add_months(start, 3)
    assert dtr.quarter_start(start - timedelta(days=1), opened_on) == add_months(start, -3)


@given(days)
def test_a_dossier_s_first_quarter_starts_the_month_it_opened(opened_on):
    assert dtr.quarter_start(opened_on, opened_on) == opened_on.replace(day=1)


# --- Due day, break day ------------------------------------------------------------------------


@given(month_starts)
def test_the_declaration_is_due_on_the_15th_and_its_absence_breaks_the_next_month_s_payment(quarter):
    due, breaks = dtr.due_on(quarter), dtr.breaks_on(quarter)
    assert due == date(quarter.year, quarter.month, dtr.DUE_DAY)
    assert quarter < due < breaks
    assert breaks.day == dtr.PAYMENT_DAY and months_between(quarter, breaks) == 1
    assert timedelta(days=18) <= breaks - due <= timedelta(days=21)
    # the break day is the first payment after the due day
    assert dtr.next_payment(due) == breaks


def test_worked_due_and_break_days():
    assert dtr.due_on(date(2026, 11, 1)) == date(2026, 11, 15)
    assert dtr.breaks_on(date(2026, 11, 1)) == date(2026, 12, 5)
    assert dtr.breaks_on(date(2026, 12, 1)) == date(2027, 1, 5)
    assert dtr.quarter_start(date(2027, 2, 10), date(2020, 12, 3)) == date(2026, 12, 1)


# --- Suspension --------------------------------------------------------------------------------

receipt_st = st.one_of(
    st.none(),  # not received
    st.integers(-14, 0).map(lambda n: ("on_time", n)),  # received on or before the due day
    st.integers(1, 120).map(lambda n: ("late", n)),  # received after the due day
)


@st.composite
def histories(draw) -> tuple[date, list[Declaration]]:  # type: ignore[no-untyped-def]
    """A dossier opened on some day and its declarations, one per quarter for some of its quarters."""
    opened_on = draw(st.dates(min_value=date(2018, 1, 1), max_value=date(2026, 12, 31)))
    first = opened_on.replace(day=1)
    quarters = draw(st.lists(st.integers(0, 16), unique=True, max_size=8))
    declarations = []
    for q in quarters:
        start = add_months(first, 3 * q)
        due = dtr.due_on(start)
        receipt = draw(receipt_st)
        received = None if receipt is None else due + timedelta(days=receipt[1])
        declarations.append(Declaration(start, due, received))
    return opened_on, declarations


@given(histories(), st.integers(-3, 54), st.integers(-40, 400))
def test_rsa_and_ppa_are_suspended_exactly_when_the_quarter_s_declaration_is_missing(
    history, month_offset, today_offset
):
    opened_on, declarations = history
    month = add_months(opened_on, month_offset)
    today = opened_on + timedelta(days=today_offset)
    quarter = dtr.quarter_start(month, opened_on)
    of_quarter = [d for d in declarations if d.quarter_start == quarter]
    missing = any(d.received_on is None and d.due_on < today for d in of_quarter)
    assert dtr.suspended(month, declarations, today) == (
        frozenset({"rsa", "ppa"}) if missing else frozenset()
    )
    # any day of the month says the same
    assert dtr.suspended(month.replace(day=28), declarations, today) == dtr.suspended(
        month, declarations, today
    )


@given(month_starts, st.integers(0, 2), st.integers(1, 90), st.integers(0, 400))
def test_a_declaration_received_late_suspends_nothing_once_received(quarter, m, late, after):
    due = dtr.due_on(quarter)
    received = due + timedelta(days=late)
    declaration = Declaration(quarter, due, received)
    month = add_months(quarter, m)
    assert dtr.suspended(month, [declaration], received + timedelta(days=after)) == frozenset()
    assert not dtr.is_missing(declaration, received + timedelta(days=after))


@given(month_starts, st.integers(0, 2), st.integers(-40, 0))
def test_a_declaration_not_received_suspends_nothing_up_to_its_due_day(quarter, m, before):
    due = dtr.due_on(quarter)
    declaration = Declaration(quarter, due, None)
    assert dtr.suspended(add_months(quarter, m), [declaration], due + timedelta(days=before)) == frozenset()
    # from the day after the due day, the three months are suspended, and only them
    after = due + timedelta(days=1)
    assert dtr.suspended(add_months(quarter, m), [declaration], after) == frozenset({"rsa", "ppa"})
    assert dtr.suspended(add_months(quarter, 3), [declaration], after) == frozenset()
    assert dtr.suspended(quarter - timedelta(days=1), [declaration], after) == frozenset()


@given(month_starts, days)
def test_no_declaration_expected_suspends_nothing(month, today):
    assert dtr.suspended(month, [], today) == frozenset()


# --- Payments ----------------------------------------------------------------------------------


@given(days)
@example(date(2026, 11, 4))
@example(date(2026, 11, 5))
@example(date(2026, 12, 31))
def test_the_next_payment_is_the_first_payment_day_strictly_after_the_day(day):
    payment = dtr.next_payment(day)
    assert payment.day == dtr.PAYMENT_DAY
    assert payment > day
    # no payment day between them: the one before is on or before `day`
    previous = (payment.replace(day=1) - timedelta(days=1)).replace(day=dtr.PAYMENT_DAY)
    assert previous <= day
    assert payment - day <= timedelta(days=31)


def test_a_payment_day_itself_goes_to_the_next_month():
    """On the 5th the month's payment is already made (or returned): the next one is a month later."""
    assert dtr.next_payment(date(2026, 11, 4)) == date(2026, 11, 5)
    assert dtr.next_payment(date(2026, 11, 5)) == date(2026, 12, 5)
    assert dtr.next_payment(date(2026, 12, 6)) == date(2027, 1, 5)
    assert dtr.next_payment(date(2026, 12, 31)) == date(2027, 1, 5)
