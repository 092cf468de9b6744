"""The facts of a household for one month, as plain values, and their OpenFisca-France situation.

parcours's own names (role parent/child, housing tenant/owner/...) are mapped here, in one place,
to openfisca-france's entities and variables. No Django here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# parcours resource codes are openfisca-france's individual monthly variables.
RESOURCE_VARIABLES = (
    "salaire_net",
    "chomage_net",
    "retraite_nette",
    "pensions_invalidite",
    "indemnites_journalieres",
    "pensions_alimentaires_percues",
    "pensions_alimentaires_versees_individu",
)

HOUSING_STATUS = {
    # parcours -> openfisca-france statut_occupation_logement
    "tenant": "locataire_vide",
    "locataire": "locataire_vide",
    "owner": "proprietaire",
    "proprietaire": "proprietaire",
    "buyer": "primo_accedant",
    "accedant": "primo_accedant",
    "hosted": "loge_gratuitement",
    "heberge": "loge_gratuitement",
}

CHILD_SUPPORT_STATUSES = ("none", "set_paid", "set_unpaid", "debtor_unable")


def month_add(month: str, delta: int) -> str:
    year, mon = (int(part) for part in month.split("-"))
    index = year * 12 + mon - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(first: str, last: str) -> list[str]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = month_add(current, 1)
    return months


@dataclass(frozen=True)
class PersonFacts:
    id: str
    role: str  # "parent" or "child"
    birth_date: date
    resources: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # kind -> month -> amount
    alternating_custody: bool = False
    disability_rate: int | None = None  # taux d'incapacité in %, when known
    student: bool = False


@dataclass(frozen=True)
class HouseholdFacts:
    month: str  # YYYY-MM
    couple: bool
    persons: tuple[PersonFacts, ...]
    housing_status: str = "tenant"
    rent: Decimal = Decimal("0")
    commune_insee: str = "75056"
    child_support_status: str = "none"
    child_support_received: Decimal = Decimal("0")
    # Months since the pension stopped being paid or since the separation without a pension set:
    # drives the ASF kind and its 4-month rule (DOMAIN.md §4). None when unknown.
    months_without_pension_set: int | None = None

    @property
    def parents(self) -> list[PersonFacts]:
        return [p for p in self.persons if p.role == "parent"]

    @property
    def children(self) -> list[PersonFacts]:
        return [p for p in self.persons if p.role == "child"]


LOOKBACK_MONTHS = 24  # aides au logement look at year N-2; RSA and prime d'activité at the last 3 months


def situation(households: list[HouseholdFacts], *, prefix: str = "h") -> dict:
    """One OpenFisca situation holding every household: the simulation is vectorised over them."""
    individus: dict[str, dict] = {}
    familles, foyers, menages = {}, {}, {}
    for index, facts in enumerate(households):
        key = f"{prefix}{index}"
        month = facts.month
        names = {p.id: f"{key}_{p.id}" for p in facts.persons}
        for person in facts.persons:
            values: dict = {"date_naissance": {"ETERNITY": person.birth_date.isoformat()}}
            for kind in RESOURCE_VARIABLES:
                by_month = person.resources.get(kind, {})
                if by_month:
                    values[kind] = {m: float(amount) for m, amount in by_month.items()}
            if person.role == "child":
                values["garde_alternee"] = {month: person.alternating_custody}
            if person.disability_rate:
                values["handicap"] = {month: person.disability_rate >= 50}
                values["taux_incapacite"] = {month: person.disability_rate / 100}
            if person.student:
                values["etudiant"] = {month: True}
            individus[names[person.id]] = values
        parents = [names[p.id] for p in facts.parents]
        children = [names[p.id] for p in facts.children]
        familles[key] = {"parents": parents, "enfants": children}
        foyers[key] = {"declarants": parents, "personnes_a_charge": children}
        menage = {
            "personne_de_reference": parents[:1],
            "enfants": children,
            "statut_occupation_logement": {month: HOUSING_STATUS.get(facts.housing_status, "non_renseigne")},
            "loyer": {month: float(facts.rent)},
            "depcom": {month: facts.commune_insee},
        }
        if len(parents) > 1:
            menage["conjoint"] = parents[1:2]
        menages[key] = menage
    return {"individus": individus, "familles": familles, "foyers_fiscaux": foyers, "menages": menages}
