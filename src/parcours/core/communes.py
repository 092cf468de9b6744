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


# --- A commune by its name and postcode (what a person knows), not by its code INSEE -----------

NOT_FOUND_MESSAGE = (
    "Nous ne trouvons pas cette commune pour ce code postal : vérifiez son nom et le code postal."
)
AMBIGUOUS_MESSAGE = "Plusieurs communes portent ce nom dans ce département : précisez-le (par exemple avec son arrondissement)."


def _normalized(name: str) -> str:
    import unicodedata

    flat = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower()
    flat = re.sub(r"[-'’`]", " ", flat)
    words = flat.split()
    words = {"st": ["saint"], "ste": ["sainte"]}.get(words[0], [words[0]]) + words[1:] if words else []
    return " ".join(words)


@cache
def _communes_by_departement() -> dict[str, dict[str, list[tuple[str, str]]]]:
    """Département -> normalised name -> [(code INSEE, official name)], from the 2024 zoning table."""
    text = resources.files("openfisca_france").joinpath(_ZONE_TABLES[1][0]).read_text(encoding="utf-8")
    index: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for row in csv.DictReader(io.StringIO(text), delimiter=";"):
        index.setdefault(row["DEP"], {}).setdefault(_normalized(row["LIBGEO"]), []).append(
            (row["CODGEO"], row["LIBGEO"])
        )
    return index


def _departements_of(postcode: str) -> list[str]:
    if postcode.startswith("20"):
        return ["2A", "2B"]
    if postcode.startswith("97"):
        return [postcode[:3]]
    return [postcode[:2]]


def commune_lookup(postcode: str, name: str) -> tuple[str, str] | str:
    """(code INSEE, official name) of the commune called `name` in the département of `postcode`,
    or the French message saying why none is found. Accents, case, hyphens and "St" do not matter."""
    wanted = _normalized(name)
    if not wanted or not re.fullmatch(r"[0-9]{5}", postcode):
        return NOT_FOUND_MESSAGE
    index = _communes_by_departement()
    found = [c for dep in _departements_of(postcode) for c in index.get(dep, {}).get(wanted, [])]
    if len(found) > 1:
        return AMBIGUOUS_MESSAGE
    return found[0] if found else NOT_FOUND_MESSAGE
