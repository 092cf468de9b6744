"""Input types shared by the JSON API's schemas: each refuses bad input with a French message
(a pydantic "value_error", which core/api_errors.py shows as is) before any arithmetic on it."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from .communes import commune_error
from .money_input import money_from_json

# Every amount: a decimal string of ASCII digits with at most two decimals, or a whole JSON number.
MONEY_SCHEMA = {
    "type": "string",
    "pattern": r"^[0-9]+(\.[0-9]{1,2})?$",
    "example": "1200.00",
    "description": 'Montant en euros, chaîne décimale avec au plus deux décimales, par exemple "1200.00".',
}
Money = Annotated[Decimal, BeforeValidator(money_from_json), WithJsonSchema(MONEY_SCHEMA)]

MONTH_RE = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])\Z")  # ASCII digits, no trailing "\n"
MONTH_MESSAGE = "Le mois doit être au format AAAA-MM."
FIRST_YEAR, LAST_YEAR = 1900, 2100  # a month outside these cannot be a dossier's


def checked_month(value: Any) -> str:
    """A month "AAAA-MM" between 1900 and 2100."""
    if not isinstance(value, str) or not MONTH_RE.match(value):
        raise ValueError(MONTH_MESSAGE)
    if not FIRST_YEAR <= int(value[:4]) <= LAST_YEAR:
        raise ValueError(f"Le mois doit être compris entre {FIRST_YEAR}-01 et {LAST_YEAR}-12.")
    return value


Month = Annotated[
    str,
    BeforeValidator(checked_month),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$", "example": "2026-01"}),
]


def checked_commune(value: Any) -> str:
    """A code commune INSEE of the official list (core/communes.py)."""
    if not isinstance(value, str):
        raise ValueError('Le code commune INSEE s\'écrit entre guillemets, par exemple "91228".')
    error = commune_error(value)
    if error:
        raise ValueError(error)
    return value


CommuneCode = Annotated[
    str,
    BeforeValidator(checked_commune),
    WithJsonSchema({"type": "string", "pattern": r"^([0-9]{5}|2[AB][0-9]{3})$", "example": "91228"}),
]

EARLIEST_BIRTH = date(1900, 1, 1)


def birth_date_error(born: date, *, today: date | None) -> str | None:
    """Nobody alive was born before 1900, nor is anyone yet born after `today` (None: no bound)."""
    if born < EARLIEST_BIRTH:
        return "La date de naissance doit être postérieure au 1er janvier 1900."
    if today is not None and born > today:
        return "La date de naissance ne peut pas être dans le futur."
    return None
