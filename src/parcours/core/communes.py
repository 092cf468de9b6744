"""Is a code commune INSEE a real commune? The list openfisca-france's housing aids use.

openfisca-france maps a commune (its `depcom`) to a housing-aid zone with tables it ships:
`assets/apl/20110914_zonage.csv` (the APL zones, communes of the 2014 COG) and the arrondissements
and communes associées that take their parent's zone (`commune_depcom_by_subcommune_depcom.json`),
and `assets/zonage-communes/zonage-abc-juillet-2024.csv` (the A/B/C zones of July 2024, which know
the communes nouvelles created since). A code in none of them would silently get openfisca's
default zone: it is refused instead. Read once, on first use.
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from importlib import resources

# Five ASCII digits, or Corsica's 2A/2B followed by three (a trailing "\n" is not a code: \Z).
CODE_RE = re.compile(r"([0-9]{5}|2[AB][0-9]{3})\Z")
FORMAT_MESSAGE = "Le code commune INSEE comporte 5 caractères (ex. 91228 ou 2A004)."
UNKNOWN_MESSAGE = "Ce code commune INSEE ne correspond à aucune commune connue."

_ZONE_TABLES = (
    ("assets/apl/20110914_zonage.csv", ","),
    ("assets/zonage-communes/zonage-abc-juillet-2024.csv", ";"),
)
_SUBCOMMUNES = "assets/apl/commune_depcom_by_subcommune_depcom.json"


@cache
def known_communes() -> frozenset[str]:
    package = resources.files("openfisca_france")
    codes: set[str] = set()
    for path, delimiter in _ZONE_TABLES:
        text = package.joinpath(path).read_text(encoding="utf-8")
        codes.update(row["CODGEO"] for row in csv.DictReader(io.StringIO(text), delimiter=delimiter))
    subcommunes = json.loads(package.joinpath(_SUBCOMMUNES).read_text(encoding="utf-8"))
    codes.update(subcommunes)
    return frozenset(code for code in codes if CODE_RE.match(code))


def commune_error(code: str) -> str | None:
    """The French message when `code` is not a commune's code INSEE, else None."""
    if not CODE_RE.match(code):
        return FORMAT_MESSAGE
    if code not in known_communes():
        return UNKNOWN_MESSAGE
    return None
