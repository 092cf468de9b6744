"""The ASF the Caf advances per child when a pension is unpaid, from the rights engine.

CSS L581-2: when a pension set by a titre is unpaid, the creditor who is eligible receives the ASF
as an advance, and the Caf recovers it from the debtor. The amount is openfisca-france's, through
parcours's rights engine: the net ASF of a parent alone with one child whose pension, set, is not
paid (one computation per month, cached). parcours never writes the ASF rule itself.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache


@lru_cache(maxsize=64)
def asf_per_child_cents(month: date) -> int:
    from parcours.rights.facts import HouseholdFacts, PersonFacts
    from parcours.rights.selectors import rights_compute

    facts = HouseholdFacts(
        month=f"{month:%Y-%m}",
        couple=False,
        persons=(
            PersonFacts(id="parent", role="parent", birth_date=date(month.year - 35, 1, 1)),
            PersonFacts(id="child", role="child", birth_date=date(month.year - 8, 1, 1)),
        ),
        child_support_status="set_unpaid",
        child_support_received=Decimal("0"),
    )
    result = rights_compute([facts], explain=False)[0]
    return int((result.benefits["asf"] * 100).to_integral_value())


def asf_eligible_if_unpaid(dossier: object, month: date) -> bool:
    """Whether the creditor's household would receive the ASF as a recoverable advance if the
    pension went unpaid this month: the registry's household, as the rights engine maps it, with
    its child support set and unpaid (CSS L523-1 — a parent alone with an eligible child; the rights
    engine says which). False when nobody lives in the dossier that month."""
    return asf_eligibility([dossier.pk], month).get(dossier.pk, False)  # type: ignore[attr-defined]


def asf_eligibility(dossier_ids: list[int], month: date) -> dict[int, bool]:
    """`asf_eligible_if_unpaid` for many dossiers at once: one vectorised rights computation."""
    from dataclasses import replace

    from parcours.rights.asf import RECOVERABLE_ADVANCE
    from parcours.rights.selectors import household_facts, rights_compute

    facts = household_facts(dossier_ids, f"{month:%Y-%m}")
    ids = list(facts)
    unpaid = [
        replace(facts[i], child_support_status="set_unpaid", child_support_received=Decimal("0")) for i in ids
    ]
    results = rights_compute(unpaid, explain=False) if unpaid else []
    return {
        i: any(child.kind == RECOVERABLE_ADVANCE and child.paid for child in result.asf_children)
        for i, result in zip(ids, results, strict=True)
    }
