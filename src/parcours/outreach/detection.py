"""Non-take-up found in the Caf's own data (decision 0018). Pure: no Django.

The rights batch simulates a household on its known situation with openfisca-france; this module
only reads the result. A household is a candidate for a benefit when the simulation gives it an
amount for the month and the household neither receives that benefit nor has a claim for it in
progress. Benefits the household has but that are suspended that month (RSA and prime d'activité
without the quarterly declaration) are not non-take-up: they are the DTR campaign's business.

Each candidate carries its estimated monthly amount and the reasons an agent or a letter can
state, drawn from the facts the simulation read, never a code.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

from parcours.core.money import format_euros
from parcours.rights.facts import HouseholdFacts
from parcours.rights.results import BENEFIT_LABELS

ACTIVITY_INCOME = ("salaire_net", "rpns_micro_entreprise")
PENSION_REASONS = {
    "none": "aucune pension alimentaire n'est fixée pour les enfants",
    "set_unpaid": "la pension alimentaire fixée n'est pas payée",
    "debtor_unable": "l'autre parent est hors d'état de payer la pension",
}


@dataclass(frozen=True)
class Candidate:
    benefit: str
    monthly_amount: Decimal
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return BENEFIT_LABELS[self.benefit]


def _facts_reasons(benefit: str, facts: HouseholdFacts) -> list[str]:
    month = facts.month
    children = len(facts.children)
    if benefit == "asf":
        reasons = [] if facts.couple else ["parent qui élève seul ses enfants"]
        if facts.child_support_status in PENSION_REASONS:
            reasons.append(PENSION_REASONS[facts.child_support_status])
        return reasons
    if benefit == "ppa":
        earned = sum(
            (
                p.resources.get(kind, {}).get(month, Decimal(0))
                for p in facts.parents
                for kind in ACTIVITY_INCOME
            ),
            Decimal(0),
        )
        return [f"revenus d'activité déclarés : {format_euros(earned)} ce mois-ci"] if earned else []
    if benefit == "aide_logement" and facts.rent:
        return [f"loyer déclaré : {format_euros(facts.rent)} par mois"]
    if benefit in ("af", "cf", "ars") and children:
        return [f"{children} enfant{'s' if children > 1 else ''} à charge dans le dossier"]
    if benefit == "rsa":
        return ["ressources du foyer inférieures au montant forfaitaire"]
    return []


def candidates(
    facts: HouseholdFacts,
    simulated: Mapping[str, Decimal],
    received: Collection[str],
    pending: Collection[str],
) -> list[Candidate]:
    """The benefits the household could claim and does not, largest estimated amount first."""
    found = []
    for benefit, amount in simulated.items():
        if amount <= 0 or benefit in received or benefit in pending or benefit in facts.suspended:
            continue
        if benefit not in BENEFIT_LABELS:
            continue
        reasons = (
            f"montant estimé sur la situation connue : {format_euros(amount)} par mois",
            *_facts_reasons(benefit, facts),
            "ni droit ouvert ni demande en cours",
        )
        found.append(Candidate(benefit, amount, reasons))
    return sorted(found, key=lambda c: (-c.monthly_amount, c.benefit))
