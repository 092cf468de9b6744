"""What a batch worker runs: a pure function of a chunk's facts, with no database access, so that
the same code runs in-process or on a Dask worker (which does not set Django up)."""

from __future__ import annotations

from decimal import Decimal

from .engine import compute
from .facts import HouseholdFacts


def compute_chunk(facts: list[HouseholdFacts]) -> list[dict[str, Decimal]]:
    """The amounts paid to each household of the chunk, per benefit (vectorised simulations)."""
    return [result.benefits for result in compute(facts, explain=False)]


def warm_up() -> bool:
    """Load openfisca-france in this process before the first chunk (about 3 s)."""
    from .simulation import tax_benefit_system

    tax_benefit_system()
    return True
