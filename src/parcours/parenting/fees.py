"""The fee of an individual parenting-support session, by the household's monthly income.

No official grid exists for this service (DOMAIN.md §7); the national family-mediation scale
stands in for it (Cnaf, barème national des participations familiales en médiation familiale,
since 1 January 2010), kept as dated data in `data/fees.yaml`. Per session, for a monthly income R:

    R ≤ RSA de base           2 €   (parcours: free, the `free_up_to` threshold — decision 0016)
    RSA < R ≤ SMIC            5 €
    SMIC < R ≤ 1 550 €        5 € + 0,3 % R
    1 550 < R ≤ 2 000 €       5 € + 0,5 % R
    2 000 < R ≤ 2 500 €       5 € + 0,8 % R
    2 500 < R ≤ 3 800 €       5 € + 1,2 % R
    3 800 < R ≤ 5 300 €       5 € + 1,5 % R
    R > 5 300 €               5 € + 1,8 % R, at most 131 €

rounded to the nearest euro (half up). Money in integer cents, rates as Decimal: never a float.
The RSA de base is openfisca-france's parameter; the SMIC is its gross monthly SMIC times the
net/gross ratio of the published net SMIC (the data file says why and where from).

Pure: no Django (import-linter); `session_fee_cents` takes the scale as plain data, so it is
tested without openfisca-france; `scale_on(day)` builds it from the data files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from parcours.core.parameters import dated_parameter, load_data, openfisca_parameter

DATA = Path(__file__).resolve().parent / "data" / "fees.yaml"
EURO = Decimal(1)


@dataclass(frozen=True)
class Band:
    up_to_cents: int | None  # inclusive upper bound of the monthly income; None: no bound
    fixed_cents: int
    rate: Decimal  # a share of the income: Decimal("0.003") is 0,3 %


@dataclass(frozen=True)
class FeeScale:
    """The scale in force on one day, with the amounts it refers to resolved."""

    in_force_from: date
    source: str
    free_up_to_cents: int  # at or below this monthly income, a session is free
    cap_cents: int
    bands: tuple[Band, ...]  # by increasing bound; the last one has no bound
    rsa_cents: int
    smic_cents: int

    def __post_init__(self) -> None:
        bounds = [b.up_to_cents for b in self.bands]
        if not bounds or bounds[-1] is not None or None in bounds[:-1]:
            raise ValueError("The last band of a fee scale, and only it, has no upper bound.")
        # The bands are read in order, the first whose bound the income does not pass: a SMIC
        # above a fixed bound (1 550 €) only empties the band between them.
        if any(b.rate < 0 or b.fixed_cents < 0 for b in self.bands) or self.cap_cents < 0:
            raise ValueError("A fee scale has no negative amount nor rate.")


def half_up_euro_cents(amount_cents: Decimal) -> int:
    """An amount in cents rounded to the nearest euro (half up), in cents: 1250.5 → 1300."""
    euros = (amount_cents / 100).quantize(EURO, rounding=ROUND_HALF_UP)
    return int(euros) * 100


def session_fee_cents(income_cents: int, scale: FeeScale) -> int:
    """The fee of one session (integer cents) for a household whose monthly income is
    `income_cents`: 0 at or below the free threshold, else the band's fixed part plus its rate of
    the income, rounded to the nearest euro, at most the cap. A negative income counts as 0."""
    if isinstance(income_cents, bool) or not isinstance(income_cents, int):
        raise TypeError("Le revenu mensuel est un nombre entier de centimes.")
    income = max(0, income_cents)
    if income <= scale.free_up_to_cents:
        return 0
    band = next(b for b in scale.bands if b.up_to_cents is None or income <= b.up_to_cents)
    fee = half_up_euro_cents(band.fixed_cents + band.rate * income)
    return min(fee, scale.cap_cents)


# --- The scale from its data files -------------------------------------------------------------


def _cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(EURO, rounding=ROUND_HALF_UP))


def rsa_cents(on: date) -> int:
    """The RSA montant forfaitaire for one person on `on`, read from openfisca-france."""
    path = load_data(DATA)["rsa_base"]["openfisca_parameter"]
    return _cents(openfisca_parameter(path, on))


def smic_net_cents(on: date) -> int:
    """The monthly net SMIC (35 h) on `on`: openfisca-france's gross one times the net/gross ratio."""
    path = load_data(DATA)["smic_net"]["openfisca_parameter"]
    ratio = dated_parameter(DATA, "smic_net_ratio", on).value
    return _cents(openfisca_parameter(path, on) * ratio)


def _bound(value: Any, named: dict[str, int]) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        return named[value]
    return int(value)


@lru_cache(maxsize=256)
def scale_on(on: date) -> FeeScale:
    """The fee scale in force on `on` (ParameterUnknown, in French, before its first version)."""
    version = dated_parameter(DATA, "mediation_scale", on)
    named = {"rsa": rsa_cents(on), "smic": smic_net_cents(on)}
    raw = version.value
    bands = tuple(
        Band(_bound(row["up_to"], named), int(row["fixed_cents"]), Decimal(row["rate"]))
        for row in raw["bands"]
    )
    return FeeScale(
        in_force_from=version.in_force_from,
        source=version.source,
        free_up_to_cents=_bound(raw["free_up_to"], named) or 0,
        cap_cents=int(raw["cap_cents"]),
        bands=bands,
        rsa_cents=named["rsa"],
        smic_cents=named["smic"],
    )


def fee_on(income_cents: int, on: date) -> int:
    """The fee of a session held on `on` for this monthly income (integer cents)."""
    return session_fee_cents(income_cents, scale_on(on))
