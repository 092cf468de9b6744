"""parcours's facts -> openfisca-france's inputs, as numpy arrays for a chunk of households.

Pure: plain dataclasses in, arrays out, no Django. One function decides every OpenFisca name and
period parcours feeds (`openfisca_inputs`); the same values give the plain dict situation of the
benchmark (`plain_situation`), so both paths compute on identical facts.

Entities: one famille, one foyer fiscal and one ménage per household; parents first (the first is
the famille's demandeur, the ménage's personne de référence and the declarant principal), then
the children (enfants, personnes à charge). Months a resource is not listed are months without it:
the engine treats every resource variable parcours feeds as 0 where no value is given — except a
net amount of a month whose taxable amount is given without it, which openfisca-france computes
from the taxable one (`OpenFiscaInputs.nets_from_taxable`, filled by the engine).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import repeat

import numpy as np

from .facts import RESOURCE_VARIABLES, HouseholdFacts, resource_months, status_months
from .parameters import parameter

# parcours housing status -> openfisca-france statut_occupation_logement
OCCUPATION = {
    "tenant": "locataire_vide",
    "locataire": "locataire_vide",
    "owner": "proprietaire",
    "proprietaire": "proprietaire",
    "buyer": "primo_accedant",
    "accedant": "primo_accedant",
    "hosted": "loge_gratuitement",
    "heberge": "loge_gratuitement",
}
TENANT_OR_BUYER = {"locataire_vide", "primo_accedant"}

# A taxable amount missing for a month is derived from the net one (data/parameters.yaml); a net
# amount missing for a month with a taxable one is openfisca-france's (its formula from the taxable).
TAXABLE_FROM_NET = {
    "salaire_imposable": ("salaire_net", "salaire_imposable_ratio"),
    "chomage_imposable": ("chomage_net", "chomage_imposable_ratio"),
    "retraite_imposable": ("retraite_nette", "retraite_imposable_ratio"),
}
# Every variable parcours may feed for a person's resources (the engine's "0 when not given").
FED_RESOURCES = frozenset(v for variables in RESOURCE_VARIABLES.values() for v in variables)
# Below this age (reached by December) nobody gets ASPA (65, or 62+ when unfit): defaults.py
OLD_AGE = 60


@dataclass(frozen=True)
class Profile:
    """What a household may be entitled to, from its facts alone: households sharing a profile are
    simulated together, with the benefits none of them can get known to be 0 (engine)."""

    disability: bool  # someone has a known disability rate (AAH, AEEH)
    old_age_or_invalidity: bool  # someone aged 60+ by December, or with a pension (ASPA, ASI)
    self_employed: bool  # someone has non-salaried income
    children: bool  # a child lives in the household (family benefits)
    overseas: bool  # lives in an overseas département or collectivité (commune 97x, 98x)


@dataclass
class OpenFiscaInputs:
    """The households of a chunk as OpenFisca populations and input arrays."""

    month: str
    households: int
    person_ids: list[str]
    person_household: np.ndarray  # household index of each person
    famille_role: list[str]
    foyer_role: list[str]
    menage_role: list[str]
    # variable -> period -> value per entity (person or household), as given to set_input
    values: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    # net variable -> month -> rows of the persons whose taxable amount is given without the net:
    # their net is openfisca-france's formula of the taxable amount, not a known 0 (engine)
    nets_from_taxable: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)

    @property
    def persons(self) -> int:
        return len(self.person_ids)


def profile_of(facts: HouseholdFacts) -> Profile:
    year_end = int(facts.month[:4])
    return Profile(
        disability=any(p.disability_rate for p in facts.persons),
        old_age_or_invalidity=any(
            year_end - p.birth_date.year >= OLD_AGE
            or p.resources.get("pensions_invalidite")
            or p.resources.get("retraite_nette")
            or p.resources.get("retraite_imposable")
            for p in facts.persons
        ),
        self_employed=any(p.resources.get("rpns_micro_entreprise") for p in facts.persons),
        children=bool(facts.children),
        overseas=facts.commune_insee[:2] in ("97", "98"),
    )


@lru_cache(maxsize=512)
def _ratio(name: str, month: str) -> tuple[int, int]:
    """A dated ratio of data/parameters.yaml as an exact fraction (numerator, denominator)."""
    return Decimal(parameter(name, month)).as_integer_ratio()


def taxable_from_net(net_cents: np.ndarray, months: list[str], ratio_name: str) -> np.ndarray:
    """Taxable amounts in cents from net ones (months x persons), rounded half up, exactly."""
    fractions = np.array([_ratio(ratio_name, m) for m in months], dtype=np.int64).reshape(-1, 2)
    numerator, denominator = fractions[:, :1], fractions[:, 1:]
    return (net_cents * numerator + denominator // 2) // denominator


def ordered_persons(facts: HouseholdFacts):
    return [*facts.parents, *facts.children]


def openfisca_inputs(households: Sequence[HouseholdFacts]) -> OpenFiscaInputs:
    """The OpenFisca populations and inputs of households that share the same month."""
    month = households[0].month
    statuses = status_months(month)
    person_ids: list[str] = []
    person_household: list[int] = []
    famille_role: list[str] = []
    foyer_role: list[str] = []
    menage_role: list[str] = []
    births: list[date] = []
    resources: dict[str, tuple[list[int], list[int], list[int]]] = {}  # kind -> months, rows, cents
    month_position = {m: i for i, m in enumerate(resource_months(month))}
    cents: dict[Decimal, int] = {}  # amounts repeat month after month

    def month_index(m: str) -> int:
        found = month_position.get(m)
        if found is None:  # a month outside the window (API): kept, OpenFisca ignores it
            found = month_position[m] = len(month_position)
        return found

    def in_cents(amount: Decimal) -> int:
        found = cents.get(amount)
        if found is None:
            found = cents[amount] = int(amount.scaleb(2))  # exact
        return found

    flags: dict[str, dict[int, float | bool]] = {
        "garde_alternee": {},
        "handicap": {},
        "taux_incapacite": {},
        "etudiant": {},
    }
    for index, facts in enumerate(households):
        if facts.month != month:
            raise ValueError("Un calcul groupé porte sur un seul mois.")
        for position, person in enumerate(ordered_persons(facts)):
            row = len(person_ids)
            person_ids.append(f"h{index}_{person.id}")
            person_household.append(index)
            if person.role == "parent":
                famille_role.append("demandeur" if position == 0 else "conjoint")
                foyer_role.append("declarant_principal" if position == 0 else "conjoint")
                menage_role.append("personne_de_reference" if position == 0 else "conjoint")
            else:
                famille_role.append("enfant")
                foyer_role.append("personne_a_charge")
                menage_role.append("enfant")
            births.append(person.birth_date)
            for kind, by_month in person.resources.items():
                months_of, rows_of, cents_of = resources.setdefault(kind, ([], [], []))
                months_of.extend(map(month_index, by_month))
                rows_of.extend(repeat(row, len(by_month)))
                cents_of.extend(map(in_cents, by_month.values()))
            if person.role == "child" and person.alternating_custody:
                flags["garde_alternee"][row] = True
            if person.disability_rate:
                flags["handicap"][row] = person.disability_rate >= 50  # CSS L541-1: AEEH from 50 %
                flags["taux_incapacite"][row] = person.disability_rate / 100
            if person.student:
                flags["etudiant"][row] = True

    n, h = len(person_ids), len(households)
    values: dict[str, dict[str, np.ndarray]] = {
        "date_naissance": {"ETERNITY": np.array(births, dtype="datetime64[D]")}
    }
    resource_inputs, nets_from_taxable = resource_values(resources, list(month_position), n)
    values |= resource_inputs
    for variable, rows in flags.items():
        if rows:
            array = np.zeros(n, dtype=np.float32 if variable == "taux_incapacite" else bool)
            array[list(rows)] = list(rows.values())
            values[variable] = {m: array for m in statuses}
    occupation = np.array([OCCUPATION.get(f.housing_status, "non_renseigne") for f in households])
    rent = np.array(
        [float(f.rent) if OCCUPATION.get(f.housing_status) in TENANT_OR_BUYER else 0.0 for f in households],
        dtype=np.float32,
    )
    depcom = np.array([f.commune_insee for f in households], dtype="|S5")
    values["statut_occupation_logement"] = {m: occupation for m in statuses}
    values["loyer"] = {m: rent for m in statuses}
    values["depcom"] = {m: depcom for m in statuses}
    return OpenFiscaInputs(
        month=month,
        households=h,
        person_ids=person_ids,
        person_household=np.array(person_household, dtype=np.int64),
        famille_role=famille_role,
        foyer_role=foyer_role,
        menage_role=menage_role,
        values=values,
        nets_from_taxable=nets_from_taxable,
    )


def resource_values(
    resources: dict[str, tuple[list[int], list[int], list[int]]], months: list[str], persons: int
) -> tuple[dict[str, dict[str, np.ndarray]], dict[str, dict[str, np.ndarray]]]:
    """Per openfisca-france variable and month, every person's amount in euros (float32, as
    OpenFisca computes); a taxable amount not given is derived from the net one. Also, per net
    variable and month, the persons whose net is to be computed from their taxable amount."""
    matrices: dict[str, np.ndarray] = {}
    given: dict[str, np.ndarray] = {}
    for kind, (month_rows, person_rows, cents) in resources.items():
        matrix = np.zeros((len(months), persons), dtype=np.int64)
        matrix[month_rows, person_rows] = cents
        matrices[kind] = matrix
        mask = np.zeros((len(months), persons), dtype=bool)
        mask[month_rows, person_rows] = True
        given[kind] = mask
    nets_from_taxable: dict[str, dict[str, np.ndarray]] = {}
    for taxable, (net, ratio_name) in TAXABLE_FROM_NET.items():
        if taxable in given:
            # A month with the taxable amount and without the net: not a month without a net.
            missing = given[taxable] & ~given[net] if net in given else given[taxable]
            by_month = {months[k]: np.flatnonzero(missing[k]) for k in np.flatnonzero(missing.any(axis=1))}
            if by_month:
                (variable,) = RESOURCE_VARIABLES[net]
                nets_from_taxable[variable] = by_month
        if net in matrices:
            derived = taxable_from_net(matrices[net], months, ratio_name)
            matrices[taxable] = (
                np.where(given[taxable], matrices[taxable], derived) if taxable in matrices else derived
            )
    out: dict[str, dict[str, np.ndarray]] = {}
    for kind, matrix in matrices.items():
        euros = (matrix / 100).astype(np.float32)
        used = np.flatnonzero(matrix.any(axis=1))
        for variable in RESOURCE_VARIABLES[kind]:
            out[variable] = {months[k]: euros[k] for k in used}
    return out, nets_from_taxable


HOUSEHOLD_VARIABLES = ("statut_occupation_logement", "loyer", "depcom")


def plain_situation(households: Sequence[HouseholdFacts]) -> dict:
    """The same inputs as an OpenFisca dict situation (the plain path of the benchmark)."""
    inputs = openfisca_inputs(households)
    individus: dict[str, dict] = {pid: {} for pid in inputs.person_ids}
    menages: dict[str, dict] = {}
    familles: dict[str, dict] = {}
    foyers: dict[str, dict] = {}
    for index in range(inputs.households):
        rows = np.flatnonzero(inputs.person_household == index)
        ids = [inputs.person_ids[r] for r in rows]
        parents = [i for i, r in zip(ids, rows, strict=True) if inputs.famille_role[r] != "enfant"]
        children = [i for i in ids if i not in parents]
        key = f"h{index}"
        familles[key] = {"parents": parents, "enfants": children}
        foyers[key] = {"declarants": parents, "personnes_a_charge": children}
        menages[key] = {"personne_de_reference": parents[:1], "conjoint": parents[1:], "enfants": children}
    for variable, by_period in inputs.values.items():
        for period, array in by_period.items():
            if variable in HOUSEHOLD_VARIABLES:
                for index in range(inputs.households):
                    value = array[index]
                    value = value.decode() if isinstance(value, bytes) else value
                    menages[f"h{index}"].setdefault(variable, {})[period] = _plain(value)
                continue
            for row in np.flatnonzero(array != _default(array)):
                individus[inputs.person_ids[row]].setdefault(variable, {})[period] = _plain(array[row])
    return {"individus": individus, "familles": familles, "foyers_fiscaux": foyers, "menages": menages}


def _default(array: np.ndarray):
    return np.datetime64("1970-01-01") if array.dtype.kind == "M" else 0


def _plain(value):
    if isinstance(value, np.datetime64):
        return str(value)
    return value.item() if hasattr(value, "item") else value
