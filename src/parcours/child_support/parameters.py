"""The dated parameters of the child-support scales, read through one accessor: `scales_on(day)`.

parcours's own rates live in `data/scales.yaml` with their sources, read by `core.parameters`; the
RSA amount for one person is openfisca-france's parameter, read by `core.parameters` from the
tax-benefit system the rights engine shares (loaded once per process, on the first call), never
copied here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from parcours.core.dates import date_fr
from parcours.core.parameters import (
    Parameter,
    ParameterUnknown,
    dated_parameter,
    load_data,
    openfisca_parameter,
    openfisca_period,
)

from .scales import CafRate, CafThresholdTable, Custody, JusticeTable, Rate, half_up_cents

DATA = Path(__file__).resolve().parent / "data" / "scales.yaml"


class OutOfPeriod(ParameterUnknown):
    """No parameter is known for that date; the message is in French, for the person."""


@dataclass(frozen=True)
class Scales:
    """Everything the two scales need on one day."""

    on: date
    justice: JusticeTable
    caf: CafThresholdTable
    rsa_one_person: Decimal


def _data() -> dict[str, Any]:
    return load_data(DATA)


def _version(name: str, on: date) -> Parameter:
    try:
        return dated_parameter(DATA, name, on)
    except ParameterUnknown:
        raise OutOfPeriod(f"{name} : aucun barème en vigueur le {on.isoformat()}.") from None


def _rate(row: dict[str, Any], column: str) -> Rate:
    value = row[column]
    if not isinstance(value, str):  # a YAML number would be a float: refuse it loudly
        raise TypeError(f"{DATA.name}: le taux {column} doit être écrit entre guillemets.")
    return Rate(Decimal(value), bool(row.get("to_confirm", False)))


@lru_cache(maxsize=512)
def _justice_table(on: date) -> JusticeTable:
    version = _version("justice_reference_table", on)
    rows = tuple({c: _rate(row, c.value) for c in Custody} for row in version.value["rows"])
    return JusticeTable(version.in_force_from, version.source, rows)


@lru_cache(maxsize=512)
def _caf_table(on: date) -> CafThresholdTable:
    version = _version("caf_threshold", on)
    rows = tuple({k: _rate(row, k.value) for k in CafRate} for row in version.value["rows"])
    minus = {k: Decimal(version.value["each_more_minus"][k.value]) for k in CafRate}
    return CafThresholdTable(version.in_force_from, version.source, rows, minus)


def _rsa_path() -> tuple[str, str]:
    rsa = _data()["rsa_one_person"]
    return rsa["openfisca_parameter"], rsa["yearly_revaluation"]


def rsa_one_person(on: date) -> Decimal:
    """The RSA montant forfaitaire for one person in force on `on` (metropolitan France)."""
    first, last = simulation_period()
    if not first <= on <= last:
        raise OutOfPeriod(period_message())
    return half_up_cents(openfisca_parameter(_rsa_path()[0], on))


@cache
def simulation_period() -> tuple[date, date]:
    """The first and last day for which both scales and the RSA amount are known.

    First: the latest start of the two tables and of openfisca's RSA values. Last: the day before
    the next yearly RSA revaluation after the date openfisca-france last checked its value (see
    `rsa_one_person.yearly_revaluation` in the data file and `core.parameters.openfisca_period`).
    """
    data = _data()
    starts = [
        min(v["from"] for v in data[name]["versions"])
        for name in ("justice_reference_table", "caf_threshold")
    ]
    rsa_first, rsa_last = openfisca_period(*_rsa_path())
    return max([*starts, rsa_first]), rsa_last


def period_message() -> str:
    first, last = simulation_period()
    return (
        f"La date doit être comprise entre le {date_fr(first)} et le {date_fr(last)} : "
        "les barèmes et le montant du RSA ne sont connus que sur cette période."
    )


def scales_on(on: date) -> Scales:
    """The tables in force on `on` and the RSA amount for one person; OutOfPeriod outside
    `simulation_period()`."""
    rsa = rsa_one_person(on)
    return Scales(on=on, justice=_justice_table(on), caf=_caf_table(on), rsa_one_person=rsa)
