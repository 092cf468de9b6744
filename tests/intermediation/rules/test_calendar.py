"""SEPA / TARGET2 business days and months added to a date (rules/calendar.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.intermediation.rules.calendar import (
    add_business_days,
    add_months,
    business_days_between,
    easter_sunday,
    is_business_day,
    next_business_day,
    previous_business_day,
    target2_holidays,
)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
steps = st.integers(min_value=0, max_value=60)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2019, date(2019, 4, 21)),
        (2020, date(2020, 4, 12)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),  # the latest possible date
        (2285, date(2285, 3, 22)),  # the earliest possible date
    ],
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


@given(st.integers(min_value=1583, max_value=4099))
def test_easter_is_a_sunday_between_22_march_and_25_april(year):
    easter = easter_sunday(year)
    assert easter.weekday() == 6
    assert date(year, 3, 22) <= easter <= date(year, 4, 25)


@given(st.integers(min_value=1583, max_value=4099))
def test_easter_agrees_with_dateutil(year):
    easter = pytest.importorskip("dateutil.easter")
    assert easter_sunday(year) == easter.easter(year)


def test_the_target2_holidays_of_2026():
    assert target2_holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 1),
        date(2026, 12, 25),
        date(2026, 12, 26),
    }


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (date(2026, 4, 2), True),  # Maundy Thursday
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 5, 8), True),  # French public holiday, a SEPA business day
        (date(2026, 7, 14), True),
        (date(2026, 8, 15), False),  # a Saturday
        (date(2026, 12, 24), True),
        (date(2026, 12, 25), False),
        (date(2027, 1, 1), False),
        (date(2026, 12, 6), False),  # a Sunday
    ],
)
def test_is_business_day(day, open_):
    assert is_business_day(day) is open_


@pytest.mark.parametrize(
    ("day", "following"),
    [
        (date(2026, 4, 2), date(2026, 4, 7)),  # Thursday → over Good Friday, the weekend, Easter Monday
        (date(2026, 12, 24), date(2026, 12, 28)),  # Christmas Friday, 26 a Saturday
        (date(2026, 12, 31), date(2027, 1, 4)),  # New Year's Friday, then the weekend
        (date(2026, 3, 2), date(2026, 3, 3)),
    ],
)
def test_next_business_day(day, following):
    assert next_business_day(day) == following


@given(days)
def test_next_business_day_is_the_first_open_day_strictly_after(day):
    following = next_business_day(day)
    assert following > day and is_business_day(following)
    assert not any(is_business_day(day + timedelta(days=i)) for i in range(1, (following - day).days))
    assert previous_business_day(following) <= day


@given(days)
def test_previous_business_day_is_the_last_open_day_strictly_before(day):
    before = previous_business_day(day)
    assert before < day and is_business_day(before)
    assert not any(is_business_day(before + timedelta(days=i)) for i in range(1, (day - before).days))


@given(days, steps)
def test_add_business_days_counts_open_days(day, n):
    result = add_business_days(day, n)
    assert business_days_between(day, result) == n
    if n:
        assert is_business_day(result)
    else:
        assert result == day


@given(days, steps, steps)
def test_add_business_days_composes(day, n, m):
    assert add_business_days(add_business_days(day, n), m) == add_business_days(day, n + m)


@given(days, steps)
def test_going_back_returns_to_a_business_day(day, n):
    if is_business_day(day):
        assert add_business_days(add_business_days(day, n), -n) == day


def test_add_one_business_day_is_the_next_business_day():
    saturday = date(2026, 3, 7)
    assert add_business_days(saturday, 1) == next_business_day(saturday) == date(2026, 3, 9)
    assert add_business_days(date(2026, 4, 2), 2) == date(2026, 4, 8)
    assert add_business_days(date(2026, 4, 7), -1) == date(2026, 4, 2)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 10, 31), 4, date(2026, 2, 28)),
        (date(2027, 10, 31), 4, date(2028, 2, 29)),  # a leap year
        (date(2026, 6, 30), 4, date(2026, 10, 30)),
        (date(2026, 1, 15), -2, date(2025, 11, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


@given(days, st.integers(min_value=-240, max_value=240))
def test_add_months_moves_the_month_and_keeps_the_day_when_it_can(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (result.day < day.day and (result + timedelta(days=1)).day == 1)
