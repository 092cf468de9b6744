"""Pure rules of titles, revaluation and recovery (DOMAIN.md §5, §6), on plain data, no database.

- `calendar`: SEPA / TARGET2 business days, and adding months to a date;
- `revaluation`: the yearly revaluation of a pension by the index stated in its titre;
- `recovery`: unpaid pensions — notice, paiement direct instalments, lifting forced recovery;
- `titre_caf`: the titre exécutoire the Caf issues to unmarried parents (CSS L582-2).

Their dated parameters live in `intermediation/data/ifpa.yaml` (and the price index in
`data/revaluation_index.yaml`), each with its source and a `to_confirm` flag when it was not read in
an official text (DOMAIN.md); they are read through one accessor, `ifpa_parameter(name, on)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
IFPA = DATA_DIR / "ifpa.yaml"


class ParameterUnknown(LookupError):
    """No value of a parameter on that date; the message is in French, for the agent."""


@dataclass(frozen=True)
class Parameter:
    """One dated parameter's value, with where it comes from."""

    name: str
    value: Any  # int, or Decimal when the data file writes a number between quotes
    in_force_from: date
    source: str
    to_confirm: bool


@cache
def load_data(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def _typed(value: Any, name: str) -> Any:
    if isinstance(value, float):  # a YAML number with a decimal point: refuse it, never round it
        raise TypeError(f"{IFPA.name} : la valeur de {name} doit être écrite entre guillemets.")
    if isinstance(value, str):
        return Decimal(value)
    return value


def ifpa_parameter(name: str, on: date | None = None) -> Parameter:
    """The value of `name` in `data/ifpa.yaml` in force on `on` (the latest value if `on` is None).

    Each entry has its values by date of effect: the latest date not after `on` applies. A number
    written between quotes ("1.2") comes back as Decimal, an unquoted integer as int.
    """
    entry = load_data(IFPA)[name]
    values = sorted((date.fromisoformat(str(start)), value) for start, value in entry["values"].items())
    in_force = [(start, value) for start, value in values if on is None or start <= on]
    if not in_force:
        raise ParameterUnknown(f"{name} : aucune valeur en vigueur le {on.isoformat() if on else '—'}.")
    start, value = in_force[-1]
    return Parameter(
        name=name,
        value=_typed(value, name),
        in_force_from=start,
        source=str(entry["source"]),
        to_confirm=bool(entry.get("to_confirm", False)),
    )


def ifpa_value(name: str, on: date | None = None) -> Any:
    """`ifpa_parameter(name, on).value`."""
    return ifpa_parameter(name, on).value
