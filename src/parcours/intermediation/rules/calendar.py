"""SEPA business days (the TARGET2 calendar), and months added to a date.

Source: the European Central Bank's TARGET2 closing days, which the SEPA schemes (credit transfer
and direct debit rulebooks of the European Payments Council) use as their inter-bank business
days: every Saturday and Sunday, 1 January, Good Friday, Easter Monday, 1 May (Labour Day),
25 and 26 December. French public holidays (14 July, 15 August, ...) are business days for SEPA.

Used for "the Caf pays the creditor the day after it receives the money (next working day)"
(DOMAIN.md §5) and for the execution dates of SEPA files.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date, timedelta
from functools import lru_cache

ONE_DAY = timedelta(days=1)


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the "anonymous Gregorian algorithm" of Meeus, Jones
    and Butcher, valid for every year from 1583)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=256)
def target2_holidays(year: int) -> frozenset[date]:
    """The TARGET2 closing days of `year` that are not weekends by construction (some may fall on
    one): 1 January, Good Friday, Easter Monday, 1 May, 25 and 26 December."""
    easter = easter_sunday(year)
    return frozenset(
        {
            date(year, 1, 1),
            easter - 2 * ONE_DAY,  # Good Friday
            easter + ONE_DAY,  # Easter Monday
            date(year, 5, 1),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def is_business_day(day: date) -> bool:
    """True on a SEPA / TARGET2 business day: not a Saturday, a Sunday, nor a TARGET2 holiday."""
    return day.weekday() < 5 and day not in target2_holidays(day.year)


def next_business_day(day: date) -> date:
    """The first business day strictly after `day` (a Friday's is the next Monday, if open)."""
    day += ONE_DAY
    while not is_business_day(day):
        day += ONE_DAY
    return day


def previous_business_day(day: date) -> date:
    """The last business day strictly before `day`."""
    day -= ONE_DAY
    while not is_business_day(day):
        day -= ONE_DAY
    return day


def add_business_days(day: date, n: int) -> date:
    """The date `n` business days after `day` (before it when `n` is negative).

    `add_business_days(d, 1) == next_business_day(d)`, whether or not `d` is itself a business
    day; `add_business_days(d, 0)` is `d`, unchanged (not rolled to a business day: say so with
    `next_business_day` when that is what is meant).
    """
    step = next_business_day if n > 0 else previous_business_day
    for _ in range(abs(n)):
        day = step(day)
    return day


def business_days_between(start: date, end: date) -> int:
    """The number of business days in (start, end]: 0 when end <= start."""
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        count += is_business_day(day)
    return count


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` calendar months, the day of the month kept when it exists and
    clamped to the last day of the month otherwise: 31 October + 4 months = 28 February (29 in a
    leap year); 29 February + 12 months = 28 February. The usual reading of a delay "de quatre
    mois" falling on a day the month does not have (the delay ends on the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def first_of_month(day: date) -> date:
    return day.replace(day=1)
