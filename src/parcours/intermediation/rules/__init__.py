"""Pure rules of titles, revaluation and recovery (DOMAIN.md §5, §6), on plain data, no database.

- `calendar`: SEPA / TARGET2 business days, and adding months to a date;
- `revaluation`: the yearly revaluation of a pension by the index stated in its titre;
- `recovery`: unpaid pensions — notice, paiement direct instalments, lifting forced recovery;
- `titre_caf`: the titre exécutoire the Caf issues to unmarried parents (CSS L582-2).

Their dated parameters live in `intermediation/data/ifpa.yaml` (and the price index in
`data/revaluation_index.yaml`), each with its source and a `to_confirm` flag when it was not read in
an official text (DOMAIN.md); they are read through `core.parameters` by `ifpa_parameter(name, on)`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from parcours.core.parameters import Parameter, ParameterUnknown, dated_parameter, load_data

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
IFPA = DATA_DIR / "ifpa.yaml"

__all__ = ["DATA_DIR", "IFPA", "Parameter", "ParameterUnknown", "ifpa_parameter", "ifpa_value", "load_data"]


def ifpa_parameter(name: str, on: date | None = None) -> Parameter:
    """The value of `name` in `data/ifpa.yaml` in force on `on` (the latest value if `on` is None).

    Each entry has its values by date of effect: the latest date not after `on` applies. A number
    written between quotes ("1.2") comes back as Decimal, an unquoted integer as int.
    """
    return dated_parameter(IFPA, name, on)


def ifpa_value(name: str, on: date | None = None) -> Any:
    """`ifpa_parameter(name, on).value`."""
    return ifpa_parameter(name, on).value
