"""parcours's own dated parameters of the rights engine, read through `core.parameters`.

The values live in `data/parameters.yaml` with their source; openfisca-france's own parameters
(BMAF, ASF rates, RSA amounts, CRDS) are read from openfisca-france, never copied here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from parcours.core.parameters import dated_parameter

DATA = Path(__file__).resolve().parent / "data" / "parameters.yaml"


def parameter(name: str, month: str) -> Any:
    """The value of `name` in force on the first day of `month` (YYYY-MM).

    Numbers written as strings ("1.036") come back as Decimal, never float; ParameterUnknown (a
    LookupError) when no value is in force that day.
    """
    return dated_parameter(DATA, name, date.fromisoformat(f"{month}-01")).value
