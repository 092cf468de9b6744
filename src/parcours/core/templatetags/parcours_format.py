"""French formatting of money and dates for templates (money: `parcours.core.money`)."""

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from parcours.core.money import format_euros

register = template.Library()

__all__ = ["date_fr", "euros", "format_euros", "iban_masked", "month_fr"]


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
