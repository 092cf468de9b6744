"""The facts of a household for one month, as plain values (no Django, no OpenFisca).

A person's resources are monthly amounts by kind and month; a month that is not listed is a month
without that resource (0). `resource_months(month)` is the window the benefits look back on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# Resource kinds parcours knows (the registry's ResourceKind codes, plus the taxable amounts an
# API caller may give directly) -> the openfisca-france individual monthly variables they feed.
RESOURCE_VARIABLES: dict[str, tuple[str, ...]] = {
    "salaire_net": ("salaire_net",),
    "salaire_imposable": ("salaire_imposable",),
    "chomage_net": ("chomage_net",),
    "chomage_imposable": ("chomage_imposable",),
    "retraite_nette": ("retraite_nette",),
    "retraite_imposable": ("retraite_imposable",),
    "pensions_invalidite": ("pensions_invalidite",),
    # sick-leave allowances: openfisca-france's total and its sickness part (RSA and prime
    # d'activité count them as earnings during the first three months of the leave)
    "indemnites_journalieres": ("indemnites_journalieres", "indemnites_journalieres_maladie"),
    # the registry's non-salaried income: a micro-entrepreneur's monthly profit
    "rpns_micro_entreprise": ("rpns_auto_entrepreneur_benefice",),
    "pensions_alimentaires_percues": ("pensions_alimentaires_percues",),
    "pensions_alimentaires_versees_individu": ("pensions_alimentaires_versees_individu",),
}

# Housing statuses: the API's English codes and the registry's French ones.
HOUSING_STATUSES = ("tenant", "owner", "buyer", "hosted", "locataire", "proprietaire", "accedant", "heberge")
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


def resource_months(month: str) -> list[str]:
    """The months whose resources the benefits of `month` (year N) read: from January N-2 (family
    benefits' resources of year N-2, CSS R532-3) to the month itself (the aides au logement's rolling
    year M-13..M-2, CCH R822-4; RSA and prime d'activité's last three months, CASF R262-7)."""
    return month_range(f"{int(month[:4]) - 2:04d}-01", month)


def status_months(month: str) -> list[str]:
    """The months over which a household's status facts (housing, custody, disability, studies) of
    `month` are set: the year up to it, which covers the months the benefits recompute (prime
    d'activité's reference quarter, last month's RSA)."""
    return month_range(month_add(month, -11), month)


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
    # Months since the separation without a pension set (or since it stopped being paid): drives
    # the ASF kind and its 4-month rule (DOMAIN.md §4). None when unknown.
    months_without_pension_set: int | None = None
    # Benefits suspended that month whatever the amount: RSA and prime d'activité while the
    # quarter's resource declaration is missing (households/dtr.py).
    suspended: frozenset[str] = frozenset()

    @property
    def parents(self) -> list[PersonFacts]:
        return [p for p in self.persons if p.role == "parent"]

    @property
    def children(self) -> list[PersonFacts]:
        return [p for p in self.persons if p.role == "child"]
