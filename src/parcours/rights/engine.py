"""Benefit amounts from openfisca-france: one vectorised simulation for many households.

The tax-benefit system is loaded once per process (`tax_benefit_system()`); a computation builds
one situation holding every household and reads each benefit for all of them at once.

OpenFisca computes in float32. Amounts leave this module as Decimal cents, rounded half up from
the float's shortest decimal representation: float32 noise is far below a cent for these amounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import numpy as np

from .asf import AsfChild, asf_kinds
from .facts import HouseholdFacts, situation

CENT = Decimal("0.01")

# benefit -> (openfisca variable, subject to CRDS). AAH is individual: summed over the family.
# CRDS (0.5 %, CSS L136-?; ordonnance 96-50 art. 14) applies to family and housing benefits, not
# to RSA, prime d'activité or AAH.
BENEFITS: dict[str, tuple[str, bool]] = {
    "asf": ("asf", True),
    "af": ("af", True),
    "cf": ("cf", True),
    "ars": ("ars", True),
    "rsa": ("rsa", False),
    "ppa": ("ppa", False),
    "aide_logement": ("aide_logement", True),
    "aah": ("aah", False),
    "aeeh": ("aeeh", True),
}
ARS_MONTH = 8  # the allocation de rentrée scolaire is paid with the benefits of August (CSS L543-1)


@cache
def tax_benefit_system():
    from openfisca_france import FranceTaxBenefitSystem

    return FranceTaxBenefitSystem()


def to_cents(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)


def crds_rate(month: str) -> Decimal:
    """The CRDS rate at the month, read from openfisca-france's parameters."""
    parameters = tax_benefit_system().parameters(f"{month}-01")
    return Decimal(str(parameters.prelevements_sociaux.contributions_sociales.crds))


@dataclass
class RightsResult:
    month: str
    benefits: dict[str, Decimal]
    benefits_gross: dict[str, Decimal]
    explanations: dict[str, list[str]] = field(default_factory=dict)
    asf_children: list[AsfChild] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum(self.benefits.values(), Decimal("0.00"))


def _euros(value: Decimal) -> str:
    from parcours.core.templatetags.parcours_format import format_euros

    return format_euros(value)


def compute(households: list[HouseholdFacts]) -> list[RightsResult]:
    """Rights of each household for its month (all households of one call share the same month)."""
    if not households:
        return []
    months = {h.month for h in households}
    if len(months) != 1:
        raise ValueError("Un calcul groupé porte sur un seul mois.")
    month = months.pop()
    year = month[:4]
    from openfisca_core.simulation_builder import SimulationBuilder

    tbs = tax_benefit_system()
    simulation = SimulationBuilder().build_from_entities(tbs, situation(households))
    gross: dict[str, np.ndarray] = {}
    for name, (variable, _) in BENEFITS.items():
        if name == "ars":
            values = simulation.calculate(variable, year)
            gross[name] = values if int(month[5:]) == ARS_MONTH else values * 0
        elif name == "aah":
            gross[name] = simulation.famille.sum(simulation.calculate(variable, month))
        else:
            gross[name] = simulation.calculate(variable, month)
    en_couple = simulation.calculate("en_couple", month)
    af_nbenf = simulation.calculate("af_nbenf", month)
    asf_elig = simulation.calculate("asf_elig", month)
    asf_elig_enfant = simulation.calculate("asf_elig_enfant", month)
    rsa_base = simulation.calculate("rsa_base_ressources", month)
    rate = crds_rate(month)

    results, first_person = [], 0
    for index, facts in enumerate(households):
        benefits_gross = {name: to_cents(gross[name][index]) for name in BENEFITS}
        benefits = {
            name: (amount - (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)) if subject else amount
            for name, amount in benefits_gross.items()
            for subject in [BENEFITS[name][1]]
        }
        # Individuals are held in the situation's order: household by household, person by person.
        eligible = [
            bool(asf_elig_enfant[first_person + offset])
            for offset, person in enumerate(facts.persons)
            if person.role == "child"
        ]
        first_person += len(facts.persons)
        children = asf_kinds(facts, bool(asf_elig[index]), eligible, benefits_gross["asf"])
        if children and not any(c.paid for c in children):
            benefits["asf"] = Decimal("0.00")
        explanations = {
            "asf": [
                "Parent isolé : " + ("oui" if asf_elig[index] else "non (vie de couple)"),
                f"Enfants ouvrant droit : {sum(eligible)}",
                f"Pension alimentaire reçue : {_euros(facts.child_support_received)} par mois",
                *[f"Enfant {c.person_id} : {c.explanation}" for c in children],
            ],
            "af": [f"Enfants à charge comptés : {int(af_nbenf[index])}"],
            "rsa": [
                "Foyer : " + ("couple" if en_couple[index] else "personne seule"),
                f"Ressources retenues (moyenne des 3 derniers mois) : {_euros(to_cents(rsa_base[index]))}",
            ],
            "ppa": ["Calculée sur les revenus d'activité des 3 derniers mois"],
            "aide_logement": [f"Loyer déclaré : {_euros(facts.rent)}"],
        }
        results.append(RightsResult(month, benefits, benefits_gross, explanations, children))
    return results
