"""The kind of ASF per child — parcours's own rules, since openfisca-france models only the
différentielle case (ASF minus the pension received).

Sources: CSS L523-1 (ASF, conditions), L581-2 and R581-2 (advance of an unpaid pension, recovered
by the Caf subrogated in the creditor's rights), L523-1 II and D523-2 (ASF paid 4 months when no
pension is set yet, then only if a titre or a procedure exists, unless the debtor is "hors d'état"),
DOMAIN.md §4.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .facts import HouseholdFacts

NON_RECOVERABLE = "non_recouvrable"
RECOVERABLE_ADVANCE = "avance_recouvrable"
DIFFERENTIELLE = "differentielle"
PROVISIONAL = "provisoire"  # no pension set yet: at most 4 months
NONE = "aucune"

LABELS = {
    NON_RECOVERABLE: "ASF non recouvrable (débiteur hors d'état de payer)",
    RECOVERABLE_ADVANCE: "ASF versée à titre d'avance, recouvrée par la Caf auprès du débiteur",
    DIFFERENTIELLE: "ASF différentielle (pension versée mais inférieure à l'ASF)",
    PROVISIONAL: "ASF versée à titre provisoire, 4 mois au plus, en attendant qu'une pension soit fixée",
    NONE: "Pas d'ASF",
}
PROVISIONAL_MONTHS = 4  # CSS D523-2 (DOMAIN.md §4: "no pension set yet: paid 4 months")


@dataclass(frozen=True)
class AsfChild:
    person_id: str
    kind: str
    paid: bool
    explanation: str


def asf_kind(facts: HouseholdFacts, gross_asf: Decimal) -> str:
    status = facts.child_support_status
    if gross_asf <= 0:
        return NONE
    if status == "debtor_unable":
        return NON_RECOVERABLE
    if status == "set_unpaid":
        return RECOVERABLE_ADVANCE
    if status == "set_paid":
        return DIFFERENTIELLE
    # No pension set: provisional for 4 months, then stops (no titre nor procedure in the facts).
    months = facts.months_without_pension_set or 0
    return PROVISIONAL if months < PROVISIONAL_MONTHS else NONE


def asf_kinds(
    facts: HouseholdFacts, parent_alone: bool, eligible_children: list[bool], gross_asf: Decimal
) -> list[AsfChild]:
    """One line per child: the ASF kind and whether it is paid this month, with its reason."""
    kind = asf_kind(facts, gross_asf) if parent_alone else NONE
    lines = []
    for person, eligible in zip(facts.children, eligible_children, strict=True):
        child_kind = kind if eligible else NONE
        if not parent_alone:
            reason = "le parent vit en couple"
        elif not eligible:
            reason = "l'enfant n'ouvre pas droit (âge ou ressources)"
        elif child_kind == NONE and facts.child_support_status == "none" and gross_asf > 0:
            reason = (
                f"au-delà de {PROVISIONAL_MONTHS} mois sans pension fixée, l'ASF n'est maintenue que si "
                "une procédure est engagée"
            )
        else:
            reason = LABELS[child_kind]
        lines.append(AsfChild(person.id, child_kind, child_kind != NONE, reason[0].upper() + reason[1:]))
    return lines
