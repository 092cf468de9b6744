"""parcours's own dated parameters of the rights engine, read through one accessor.

The values live in `data/parameters.yaml` with their source; openfisca-france's own parameters
(BMAF, ASF rates, RSA amounts, CRDS) are read from openfisca-france, never copied here.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data" / "parameters.yaml"


@cache
def _table() -> dict[str, dict[str, Any]]:
    with DATA.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def parameter(name: str, month: str) -> Any:
    """The value of `name` in force on the first day of `month` (YYYY-MM).

    Numbers written as strings ("1.036") come back as Decimal, never float.
    """
    entry = _table()[name]
    day = f"{month}-01"
    dated = sorted(entry["values"].items())
    value = None
    for start, candidate in dated:
        if str(start) <= day:
            value = candidate
    if value is None:
        raise LookupError(f"{name}: aucune valeur en vigueur le {day}")
    return Decimal(value) if isinstance(value, str) else value


def source(name: str) -> str:
    return str(_table()[name]["source"])


def openfisca_parameter(path: str) -> Any:
    """openfisca-france's parameter node at a dotted `path` (e.g. "prestations_sociales.prestations_familiales.bmaf.bmaf").

    Read from the tax-benefit system the rights engine loads once per process (about 3 s, and a
    large memory footprint, to pay once): the other apps read openfisca-france's parameters here.
    """
    from .simulation import tax_benefit_system

    node = tax_benefit_system().parameters
    for part in path.split("."):
        node = getattr(node, part)
    return node
