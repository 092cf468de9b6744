"""Read queries of the rights: amounts due per month and benefit, revisions, rappels and indus."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Max, QuerySet

from parcours.households.models import Dossier

from . import registry
from .models import RightsRevision
from .registry import first_day

if TYPE_CHECKING:
    from .facts import HouseholdFacts
    from .results import RightsResult


def household_facts(dossier_ids: list[int], month: str) -> dict[int, HouseholdFacts]:
    """The facts of each dossier's household for `month` (YYYY-MM), read from the registry as the
    rights engine maps them; a dossier nobody lives in that month is left out."""
    return registry.facts_for_dossiers(dossier_ids, month)


def rights_compute(households: Sequence[HouseholdFacts], *, explain: bool = True) -> list[RightsResult]:
    """The rights of each household, computed by openfisca-france (nothing is written).

    openfisca-france is imported on the first computation, not when this module is.
    """
    from .engine import compute

    return compute(households, explain=explain)


@dataclass
class MonthRights:
    month: str
    due: dict[str, Decimal] = field(default_factory=dict)
    revisions: list[RightsRevision] = field(default_factory=list)

    @property
    def rappels(self) -> dict[str, Decimal]:
        return self._differences(positive=True)

    @property
    def indus(self) -> dict[str, Decimal]:
        return self._differences(positive=False)

    def _differences(self, *, positive: bool) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for revision in self.revisions:
            if revision.previous_amount is None:
                continue
            difference = revision.amount - revision.previous_amount
            if (difference > 0) == positive and difference != 0:
                out[revision.benefit] = out.get(revision.benefit, Decimal("0")) + abs(difference)
        return out


def rights_revisions_of_month(dossier_id: int, month: str) -> list[RightsRevision]:
    """Every revision of a dossier's rights for one month, oldest first."""
    return list(RightsRevision.objects.filter(dossier_id=dossier_id, month=first_day(month)).order_by("id"))


def rights_timeline(dossier: Dossier, from_month: str, to_month: str) -> list[MonthRights]:
    """Per month: the amounts due now, every revision, and the rappels and indus they made."""
    months: dict[str, MonthRights] = {}
    revisions = RightsRevision.objects.filter(
        dossier=dossier, month__gte=first_day(from_month), month__lte=first_day(to_month)
    ).order_by("month", "id")
    for revision in revisions:
        key = f"{revision.month:%Y-%m}"
        entry = months.setdefault(key, MonthRights(key))
        entry.revisions.append(revision)
        entry.due[revision.benefit] = revision.amount
    return [months[m] for m in sorted(months)]


def latest_revisions(month: str) -> QuerySet[RightsRevision]:
    """The amounts due now for `month`: the latest revision of each (dossier, benefit), as one
    query set (set-based: the casework app joins it in SQL)."""
    last = (
        RightsRevision.objects.filter(month=first_day(month))
        .values("dossier_id", "benefit")
        .annotate(last=Max("id"))
        .values("last")
    )
    return RightsRevision.objects.filter(id__in=last)
