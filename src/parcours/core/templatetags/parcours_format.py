"""French formatting of money and dates for templates (pure formatting: `parcours.core.money`,
`parcours.core.dates`)."""

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from parcours.core import dates
from parcours.core.dates import MONTHS, month_fr
from parcours.core.money import format_cents, format_euros

register = template.Library()

__all__ = ["MONTHS", "date_fr", "euros", "format_euros", "iban_masked", "month_fr"]


@register.filter
def euros(value: Decimal | int | None) -> str:
    return format_euros(value)


@register.filter
def centimes(value: int | None) -> str:
    """An amount in integer cents, in euros: 123456 → "1 234,56 €"."""
    return format_euros(None) if value is None else format_cents(value)


@register.filter
def date_fr(value: date | None) -> str:
    """date(2026, 3, 1) → "1er mars 2026"; a date-time is shown as its day in France."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return dates.date_fr(value)


@register.filter
def iban_masked(value: str) -> str:
    """Only the country code and the last four characters of an IBAN are shown."""
    if not value:
        return "—"
    return f"{value[:4]} •••• •••• {value[-4:]}"


@register.filter
def mois(value: str | date | None) -> str:
    """A month as people read it: "2026-11" (or a date) → "novembre 2026"."""
    if not value:
        return "—"
    if isinstance(value, str):
        year, month = value[:7].split("-")
        value = date(int(year), int(month), 1)
    return month_fr(value)


@register.filter
def pluriel(count: int | list | None, suffix: str = "s") -> str:
    """French plural: 0 and 1 take the singular ("0 demande", "1 demande", "2 demandes")."""
    number = len(count) if isinstance(count, list | tuple) else int(count or 0)
    return suffix if abs(number) >= 2 else ""
