"""French formatting of money and dates for templates."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import timezone

register = template.Library()

NNBSP = "\u202f"  # narrow no-break space, the French thousands separator
NBSP = "\u00a0"  # no-break space, before the currency sign


def format_euros(value: Decimal | int | None) -> str:
    """Decimal("1234.5") → "1 234,50 €" (narrow no-break spaces between thousands, a no-break
    space before €); None (or a missing template value) → "—".

    Money is Decimal from input to display: a float (or a string) is refused loudly rather than
    rounded silently, since it means the amount left Decimal somewhere on its way.
    """
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"Un montant doit être un Decimal, pas {type(value).__name__}.")
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    groups: list[str] = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{NNBSP.join(groups)},{cents}{NBSP}€"


@register.filter
def euros(value: Decimal | int | None) -> str:
    return format_euros(value)


MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def month_fr(day: date) -> str:
    """date(2026, 3, 1) → "mars 2026"."""
    return f"{MONTHS[day.month - 1]} {day.year}"


@register.filter
def date_fr(value: date | None) -> str:
    """date(2026, 3, 1) → "1er mars 2026"; a date-time is shown as its day in France."""
    if not value:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
def iban_masked(value: str) -> str:
    """Only the country code and the last four characters of an IBAN are shown."""
    if not value:
        return "—"
    return f"{value[:4]} •••• •••• {value[-4:]}"
