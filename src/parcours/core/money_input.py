"""Money typed by a person or sent in JSON, read into Decimal euros with French refusals.

The checks run in an order that never does arithmetic on an unbounded value: the shape first
(ASCII digits only, so no exponent, no NaN, no Infinity, and none of the other Unicode digits that
Python's Decimal() and int() accept: "６５０", "٦٥٠"), then the bounds by plain comparison, and only
then the cents, whose quantize() raises InvalidOperation beyond the context's 28 digits.

Pure Python, no Django: the API schemas (core/api_inputs.py), the forms and the services share it.
"""

from __future__ import annotations

import re
from decimal import Decimal

CENT = Decimal("0.01")
# Monthly amounts (salaries, rents, pensions, incomes): an input bound, not a rule, far above any
# monthly amount a benefit looks at, and within float32's range for openfisca.
MAX_MONTHLY = Decimal("1000000.00")
# A string far longer than any amount is refused before the pattern even looks at it.
MAX_LENGTH = 40

# [0-9], never \d (which matches every Unicode digit); \Z, never $ (which allows a trailing "\n").
DECIMAL_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?\Z")
SPACES = (" ", "\u00a0", "\u202f")


class MoneyError(ValueError):
    """A refused amount; its text is the French message to show."""


def _euros_fr(amount: Decimal) -> str:
    """Decimal("1000000.00") → "1 000 000 €" (no-break spaces), for the bound in a message."""
    units = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return units.replace(",", "\u00a0").replace(".", ",") + "\u00a0€"


def checked_money(value: Decimal, *, noun: str = "Le montant", maximum: Decimal = MAX_MONTHLY) -> Decimal:
    """A Decimal already read: finite, not negative, at most `maximum`, at most two decimals."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise MoneyError(f"{noun} doit être un nombre, par exemple 1600,00.")
    if value < 0:
        raise MoneyError(f"{noun} ne peut pas être négatif.")
    if value > maximum:  # a comparison: exact whatever the size, unlike quantize
        raise MoneyError(f"{noun} ne peut pas dépasser {_euros_fr(maximum)}.")
    if value != value.quantize(CENT):  # safe now: at most 7 integer digits
        raise MoneyError(f"{noun} a au plus deux décimales (les centimes).")
    return value.copy_abs() if value == 0 else value  # "-0" is 0


def money_from_json(value: object, *, noun: str = "Le montant", maximum: Decimal = MAX_MONTHLY) -> Decimal:
    """An amount sent in JSON: a decimal string ("1200.50") or a whole number (1200).

    A JSON number with a fraction arrives as a float: refused, since money is never a float
    (DESIGN.md), and 0.1 + 0.2 is not 0.3.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MoneyError('Écrivez le montant entre guillemets, par exemple "2000.00".')
    if isinstance(value, int):
        if value > maximum:  # compared as an int: 10**400 never becomes a Decimal
            return checked_money(maximum + 1, noun=noun, maximum=maximum)
        return checked_money(Decimal(value), noun=noun, maximum=maximum)
    if len(value) > MAX_LENGTH or not DECIMAL_RE.match(value):
        raise MoneyError(
            'Le montant s\'écrit avec les chiffres 0 à 9 et un point décimal, par exemple "2000.00".'
        )
    return checked_money(Decimal(value), noun=noun, maximum=maximum)


def money_from_text(text: str, *, noun: str = "Le montant", maximum: Decimal = MAX_MONTHLY) -> Decimal:
    """An amount as people type it in a form: "1 600,50", "1600.50", "1 600 €"."""
    cleaned = text.strip().removesuffix("€").strip()
    for space in SPACES:
        cleaned = cleaned.replace(space, "")
    cleaned = cleaned.replace(",", ".")
    if len(cleaned) > MAX_LENGTH or not DECIMAL_RE.match(cleaned):
        raise MoneyError("Saisissez un montant, par exemple 1600,00.")
    return checked_money(Decimal(cleaned), noun=noun, maximum=maximum)
