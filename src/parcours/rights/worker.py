"""What a Dask worker runs: Django-free on purpose (workers do not set Django up)."""

from __future__ import annotations

from .engine import RightsResult, compute
from .facts import HouseholdFacts


def compute_chunk(facts: list[HouseholdFacts]) -> list[RightsResult]:
    """A chunk's rights: a pure function of its facts, with no database access."""
    return compute(facts)
