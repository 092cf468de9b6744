"""French formatting of money and dates for templates."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

NBSP = "\u202f"  # narrow no-break space, the French thousands separator


def format_euros(value: Decimal | int | str | None) -> str:
    """1234.5 → "1 234,50 €" (Decimal in, never float)."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return "—"
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    groups: list[str] = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{NBSP.join(groups)},{cents}\u00a0€"


@register.filter
def euros(value: Decimal | int | str | None) -> str:
    return format_euros(value)


MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


@register.filter
def date_fr(value: date | None) -> str:
    """date(2026, 3, 1) → "1er mars 2026"."""
    if not value:
        return "—"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
def iban_masked(value: str) -> str:
    """Only the country code and the last four characters of an IBAN are shown."""
    if not value:
        return "—"
    return f"{value[:4]} •••• •••• {value[-4:]}"
