"""Dates as French text, in pure Python (no Django): the pure rules and the letters use it as the
templates do (`core/templatetags/parcours_format.py` registers `date_fr` as a filter).

- `date_fr(date(2026, 3, 1))` → "1er mars 2026";
- `month_fr(date(2026, 3, 1))` → "mars 2026".
"""

from __future__ import annotations

from datetime import date

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def month_fr(day: date) -> str:
    """date(2026, 3, 1) → "mars 2026"."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def date_fr(value: date | None) -> str:
    """date(2026, 3, 1) → "1er mars 2026"; None → "—". A date-time goes through the template
    filter of the same name, which first takes its day in France."""
    if not value:
        return "—"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"
