"""The kind of ASF per child — parcours's own rules: openfisca-france computes the amount (ASF minus
the pension received, which is the différentielle case) but not why it is paid, nor for how long.

Sources (DOMAIN.md §4): CSS L523-1 (ASF: a child deprived of the support of one or both parents,
no means test); L581-2 and L581-3 (when a pension set by a titre is unpaid, the ASF is an advance:
the Caf is subrogated in the creditor's rights and recovers it from the debtor); L523-1 (a debtor
"hors d'état" — insolvent, address unknown, violence — makes the ASF non-recoverable); no pension
set yet: paid for `asf_provisional_months` months (data/parameters.yaml), then only if a titre or
a court action exists, unless the debtor is hors d'état.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .facts import HouseholdFacts
from .parameters import parameter

NON_RECOVERABLE = "non_recouvrable"
RECOVERABLE_ADVANCE = "avance_recouvrable"
DIFFERENTIELLE = "differentielle"
PROVISIONAL = "provisoire"  # no pension set yet: a few months at most
NONE = "aucune"

LABELS = {
    NON_RECOVERABLE: "ASF non recouvrable (débiteur hors d'état de payer)",
    RECOVERABLE_ADVANCE: "ASF versée à titre d'avance, recouvrée par la Caf auprès du débiteur",
    DIFFERENTIELLE: "ASF différentielle (pension versée mais inférieure à l'ASF)",
    PROVISIONAL: "ASF versée à titre provisoire, en attendant qu'une pension soit fixée",
    NONE: "Pas d'ASF",
}


@dataclass(frozen=True)
class AsfChild:
    person_id: str
    kind: str
    paid: bool
    explanation: str


def asf_kind(facts: HouseholdFacts, gross_asf: Decimal) -> str:
    """The kind of the household's ASF, from its child-support situation (DOMAIN.md §4)."""
    status = facts.child_support_status
    if gross_asf <= 0:
        return NONE
    if status == "debtor_unable":  # CSS L523-1: debtor hors d'état
        return NON_RECOVERABLE
    if status == "set_unpaid":  # CSS L581-2: advance, the Caf is subrogated
        return RECOVERABLE_ADVANCE
    if status == "set_paid":  # CSS L523-1: the pension paid is below the ASF
        return DIFFERENTIELLE
    # No pension set: provisional for a few months, then stops (no titre nor action in the facts).
    months = facts.months_without_pension_set or 0
    return PROVISIONAL if months < parameter("asf_provisional_months", facts.month) else NONE


def asf_kinds(
    facts: HouseholdFacts, parent_alone: bool, eligible_children: list[bool], gross_asf: Decimal
) -> list[AsfChild]:
    """One line per child: the ASF kind and whether it is paid this month, with its reason."""
    kind = asf_kind(facts, gross_asf) if parent_alone else NONE
    limit = parameter("asf_provisional_months", facts.month)
    lines = []
    for person, eligible in zip(facts.children, eligible_children, strict=True):
        child_kind = kind if eligible else NONE
        if not parent_alone:
            reason = "le parent vit en couple"
        elif not eligible:
            reason = "l'enfant n'ouvre pas droit (âge ou ressources)"
        elif child_kind == NONE and facts.child_support_status == "none" and gross_asf > 0:
            reason = (
                f"au-delà de {limit} mois sans pension fixée, l'ASF n'est maintenue que si un titre existe "
                "ou si une action en justice est engagée"
            )
        elif child_kind == PROVISIONAL:
            reason = f"{LABELS[PROVISIONAL]} ({limit} mois au plus)"
        else:
            reason = LABELS[child_kind]
        lines.append(AsfChild(person.id, child_kind, child_kind != NONE, reason[0].upper() + reason[1:]))
    return lines
