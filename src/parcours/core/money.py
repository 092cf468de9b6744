"""Money as text: one French display format, and one machine format for files and JSON.

Pure Python (no Django): the framework-free bank package and the pure rules use it as the
templates do (`core/templatetags/parcours_format.py` registers `format_euros` as the `euros` filter).

- `format_euros(Decimal("1234.5"))` → "1 234,50 €": what a person reads (pages, letters, errors);
- `format_cents(123450)` → the same, from integer cents;
- `cents_to_decimal(123450)` → Decimal("1234.50"): exact, never through a float;
- `cents_text(123450)` → "1234.50": the decimal amount of ISO 20022 files and of JSON outputs, with a
  dot and no grouping, for programs rather than people.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NNBSP = "\u202f"  # narrow no-break space, the French thousands separator
NBSP = "\u00a0"  # no-break space, before the currency sign
CENT = Decimal("0.01")


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
    amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    groups: list[str] = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{NNBSP.join(groups)},{cents}{NBSP}€"


def cents_to_decimal(cents: int) -> Decimal:
    """12345 → Decimal("123.45"): exact, never through a float."""
    return Decimal(int(cents)).scaleb(-2)


def format_cents(cents: int) -> str:
    """12345 → "123,45 €", as `format_euros`."""
    return format_euros(cents_to_decimal(cents))


def cents_text(cents: int) -> str:
    """12345 → "123.45", -5 → "-0.05": a machine decimal amount (ISO 20022 files, JSON), computed
    on integers."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{units}.{rest:02d}"
