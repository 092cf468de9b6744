"""The dated parameters of the child-support scales, read through one accessor: `scales_on(day)`.

parcours's own rates live in `data/scales.yaml` with their sources; the RSA amount for one person
is openfisca-france's parameter, read from the tax-benefit system that the rights engine already
loads once per process (lazily, on the first call), never copied here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from parcours.core.dates import date_fr

from .scales import CafRate, CafThresholdTable, Custody, JusticeTable, Rate, half_up_cents

DATA = Path(__file__).resolve().parent / "data" / "scales.yaml"


class OutOfPeriod(LookupError):
    """No parameter is known for that date; the message is in French, for the person."""


@dataclass(frozen=True)
class Scales:
    """Everything the two scales need on one day."""

    on: date
    justice: JusticeTable
    caf: CafThresholdTable
    rsa_one_person: Decimal


@cache
def _data() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def _version(name: str, on: date) -> dict[str, Any]:
    in_force = [v for v in _data()[name]["versions"] if v["from"] <= on]
    if not in_force:
        raise OutOfPeriod(f"{name} : aucun barème en vigueur le {on.isoformat()}.")
    return max(in_force, key=lambda v: v["from"])


def _rate(row: dict[str, Any], column: str) -> Rate:
    value = row[column]
    if not isinstance(value, str):  # a YAML number would be a float: refuse it loudly
        raise TypeError(f"{DATA.name}: le taux {column} doit être écrit entre guillemets.")
    return Rate(Decimal(value), bool(row.get("to_confirm", False)))


@lru_cache(maxsize=512)
def _justice_table(on: date) -> JusticeTable:
    version = _version("justice_reference_table", on)
    rows = tuple({c: _rate(row, c.value) for c in Custody} for row in version["rows"])
    return JusticeTable(version["from"], _data()["justice_reference_table"]["source"], rows)


@lru_cache(maxsize=512)
def _caf_table(on: date) -> CafThresholdTable:
    version = _version("caf_threshold", on)
    rows = tuple({k: _rate(row, k.value) for k in CafRate} for row in version["rows"])
    minus = {k: Decimal(version["each_more_minus"][k.value]) for k in CafRate}
    return CafThresholdTable(version["from"], _data()["caf_threshold"]["source"], rows, minus)


@cache
def _rsa_parameter() -> Any:
    from parcours.rights.parameters import openfisca_parameter

    return openfisca_parameter(_data()["rsa_one_person"]["openfisca_parameter"])


def rsa_one_person(on: date) -> Decimal:
    """The RSA montant forfaitaire for one person in force on `on` (metropolitan France)."""
    first, last = simulation_period()
    if not first <= on <= last:
        raise OutOfPeriod(period_message())
    value = _rsa_parameter()(on.isoformat())
    # openfisca keeps the YAML's value as a float (646.52): its repr is the decimal written there.
    return half_up_cents(Decimal(repr(value)))


@cache
def simulation_period() -> tuple[date, date]:
    """The first and last day for which both scales and the RSA amount are known.

    First: the latest start of the two tables and of openfisca's RSA values. Last: the day before
    the next yearly RSA revaluation after the date openfisca-france last checked its value (see
    `rsa_one_person.yearly_revaluation` in the data file).
    """
    data = _data()
    parameter = _rsa_parameter()
    starts = [
        min(v["from"] for v in data[name]["versions"])
        for name in ("justice_reference_table", "caf_threshold")
    ]
    starts.append(date.fromisoformat(parameter.values_list[-1].instant_str))  # values_list: newest first
    checked = parameter.metadata.get("last_value_still_valid_on") or parameter.values_list[0].instant_str
    checked_on = date.fromisoformat(str(checked))
    month, day = (int(part) for part in data["rsa_one_person"]["yearly_revaluation"].split("-"))
    revaluation = date(checked_on.year, month, day)
    if revaluation <= checked_on:
        revaluation = date(checked_on.year + 1, month, day)
    return max(starts), revaluation - timedelta(days=1)


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
