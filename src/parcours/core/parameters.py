"""Dated parameters: one accessor for parcours's own data files, one reader of openfisca-france's.

Pure Python (yaml, and openfisca-france loaded on first use): no Django, so the pure rules use it.

parcours's own parameters (amounts, rates, delays, tables) live in YAML data files next to the app
that owns them, each entry with its `source` and, when it was not read in an official text,
`to_confirm: true` (DOMAIN.md). An entry is dated in one of two shapes:

    name:                              name:
      source: CSS R582-8                 source: arrêté du 25 juin 2018
      values:                            versions:
        "2020-10-01": 15                   - from: 2018-07-27
        "2024-01-01": "1.2"                  rows: [...]

`dated_parameter(path, name, on)` returns the value (or version) in force on `on`: the latest date
of effect not after it. Integers and booleans are written bare; any other number between quotes and
comes back as Decimal: a YAML float is refused, never rounded.

openfisca-france's own parameters (BMAF, RSA amount, CRDS...) are never copied into these files:
`openfisca_parameter(path, on)` reads them from the tax-benefit system, loaded once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml


class ParameterUnknown(LookupError):
    """No value of a parameter on that date; the message is in French, for the person."""


@dataclass(frozen=True)
class Parameter:
    """One dated parameter's value on a day, with where it comes from."""

    name: str
    value: Any  # int, bool or Decimal (`values`); the version's mapping (`versions`)
    in_force_from: date
    source: str
    to_confirm: bool


@cache
def load_data(path: Path) -> dict[str, Any]:
    """A YAML data file, read once per process."""
    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def plain_value(value: Any, where: str) -> Any:
    """A data file's value as parcours uses it: "1.2" → Decimal("1.2"), 15 → 15, true → True;
    a float (a YAML number with a decimal point) is refused, anywhere in a table."""
    if isinstance(value, float):
        raise TypeError(f"{where} : un nombre décimal doit être écrit entre guillemets ({value!r}).")
    if isinstance(value, str):
        return Decimal(value)
    return value


def _refuse_floats(value: Any, where: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_floats(item, f"{where}, {key}")
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            _refuse_floats(item, f"{where}, n° {index}")
    elif isinstance(value, float):
        plain_value(value, where)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def dated_parameter(path: Path, name: str, on: date | None = None) -> Parameter:
    """The value of `name` in the data file `path` in force on `on` (the latest one if None).

    ParameterUnknown (in French) when the file has no such entry or no value in force that day.
    """
    entry = load_data(path).get(name)
    if not isinstance(entry, dict) or not ("values" in entry or "versions" in entry):
        raise ParameterUnknown(f"{path.name} : le paramètre {name} n'existe pas.")
    where = f"{path.name}, {name}"
    if "values" in entry:
        dated = [(_day(start), plain_value(value, where)) for start, value in entry["values"].items()]
    else:
        dated = []
        for version in entry["versions"]:
            _refuse_floats(version, where)
            dated.append((_day(version["from"]), version))
    in_force = sorted((item for item in dated if on is None or item[0] <= on), key=lambda item: item[0])
    if not in_force:
        raise ParameterUnknown(f"{name} : aucune valeur en vigueur le {on.isoformat() if on else '—'}.")
    start, value = in_force[-1]
    return Parameter(
        name=name,
        value=value,
        in_force_from=start,
        source=str(entry.get("source", "")),
        to_confirm=bool(entry.get("to_confirm", False)),
    )


# --- openfisca-france's own parameters ----------------------------------------------------------


@cache
def tax_benefit_system() -> Any:
    """openfisca-france's tax-benefit system, loaded once per process (about 3 s, and a large
    memory footprint, to pay once): the rights engine and every parameter reader share it."""
    from openfisca_france import FranceTaxBenefitSystem

    return FranceTaxBenefitSystem()


@cache
def openfisca_node(path: str) -> Any:
    """The parameter of openfisca-france at the dotted `path`, e.g.
    "prestations_sociales.prestations_familiales.bmaf.bmaf" (with its dated values and metadata)."""
    node = tax_benefit_system().parameters
    for part in path.split("."):
        node = getattr(node, part)
    return node


def openfisca_parameter(path: str, on: date) -> Decimal:
    """The value in force on `on` of openfisca-france's parameter `path`, as the Decimal written in
    its YAML (openfisca keeps 474.37 as a float; its repr is the decimal written there)."""
    value = openfisca_node(path)(on.isoformat())
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        raise ParameterUnknown(f"{path} : openfisca-france n'a pas de valeur le {on.isoformat()}.")
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


@cache
def openfisca_period(path: str, yearly_revaluation: str) -> tuple[date, date]:
    """The days on which parcours trusts openfisca-france's parameter `path`.

    First: the oldest value of its current run of values (openfisca-france ends an older definition
    with a null). Last: the day before the next yearly revaluation (`yearly_revaluation`, "MM-DD")
    after the date openfisca-france last checked its value (`last_value_still_valid_on`, else its
    newest date) — a parcours rule, not a legal one: update openfisca-france each year.
    """
    node = openfisca_node(path)
    current = []
    for value in node.values_list:  # newest first
        if value.value is None:
            break
        current.append(value)
    if not current:
        raise ParameterUnknown(f"{path} : openfisca-france n'a pas de valeur en vigueur.")
    checked = node.metadata.get("last_value_still_valid_on") or node.values_list[0].instant_str
    checked_on = date.fromisoformat(str(checked))
    month, day = (int(part) for part in yearly_revaluation.split("-"))
    revaluation = date(checked_on.year, month, day)
    if revaluation <= checked_on:
        revaluation = date(checked_on.year + 1, month, day)
    return date.fromisoformat(current[-1].instant_str), revaluation - timedelta(days=1)
