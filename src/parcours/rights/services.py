"""Rights of registry households: computed, stored as revisions, revised after a change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from parcours.households.models import Dossier, SituationChange

from .engine import RightsResult, compute
from .facts import month_range
from .models import RightsRevision
from .registry import facts_for_dossiers, first_day


@dataclass(frozen=True)
class RevisionLine:
    month: str
    benefit: str
    before: Decimal | None
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.after - (self.before or Decimal("0"))


def month_of(day: date) -> str:
    return f"{day:%Y-%m}"


def registry_versions(dossier_ids: list[int]) -> dict[int, int]:
    rows = (
        SituationChange.objects.filter(dossier_id__in=dossier_ids).values("dossier_id").annotate(v=Max("id"))
    )
    return {row["dossier_id"]: row["v"] for row in rows}


def rights_for_household(dossier: Dossier, month: str) -> RightsResult | None:
    """The rights of a registry household for a month (None when nobody lived in it then)."""
    facts = facts_for_dossiers([dossier.pk], month).get(dossier.pk)
    return compute([facts])[0] if facts else None


def latest_amounts(dossier_ids: list[int], month: str) -> dict[tuple[int, str], Decimal]:
    latest: dict[tuple[int, str], Decimal] = {}
    rows = RightsRevision.objects.filter(dossier_id__in=dossier_ids, month=first_day(month)).order_by("id")
    for dossier_id, benefit, amount in rows.values_list("dossier_id", "benefit", "amount"):
        latest[(dossier_id, benefit)] = amount
    return latest


def revisions_write(
    results: dict[int, RightsResult], month: str, *, source: str, versions: dict[int, int] | None = None
) -> list[RevisionLine]:
    """Store, in bulk, the amounts that changed since the latest revision (or are new)."""
    ids = list(results)
    latest = latest_amounts(ids, month)
    versions = versions if versions is not None else registry_versions(ids)
    computed_before = {dossier_id for dossier_id, _ in latest}
    now, rows, lines = timezone.now(), [], []
    for dossier_id, result in results.items():
        for benefit, amount in result.benefits.items():
            # A month already computed had 0 due for a benefit it has no revision of (zeros are not stored).
            before = latest.get(
                (dossier_id, benefit), Decimal("0.00") if dossier_id in computed_before else None
            )
            if before == amount or (before is None and amount == 0):
                continue
            rows.append(
                RightsRevision(
                    dossier_id=dossier_id,
                    month=first_day(month),
                    benefit=benefit,
                    amount=amount,
                    previous_amount=before,
                    registry_version=versions.get(dossier_id, 0),
                    computed_at=now,
                    source=source,
                )
            )
            lines.append(RevisionLine(month, benefit, before, amount))
    RightsRevision.objects.bulk_create(rows, batch_size=5000)
    return lines


@transaction.atomic
def rights_revise(
    *, dossier: Dossier, from_month: str, to_month: str, source: str = "révision"
) -> list[RevisionLine]:
    """Recompute the months from..to of a household after a change; the lines that differ from
    what was due before are the rappels (> 0) and indus (< 0), per benefit and month."""
    lines: list[RevisionLine] = []
    for month in month_range(from_month, to_month):
        result = rights_for_household(dossier, month)
        if result is not None:
            lines += revisions_write({dossier.pk: result}, month, source=source)
        else:
            # Nobody lives in this household any more that month: what was due becomes 0.
            latest = latest_amounts([dossier.pk], month)
            if any(latest.values()):
                zero = RightsResult(month, {benefit: Decimal("0.00") for (_, benefit) in latest}, {})
                lines += revisions_write({dossier.pk: zero}, month, source=source)
    return lines


def rights_after_change(
    *, dossier: Dossier, effective: date, today: date | None = None
) -> list[RevisionLine]:
    """A change effective at `effective` recomputes its month up to the current month."""
    today = today or timezone.localdate()
    return rights_revise(dossier=dossier, from_month=month_of(effective), to_month=month_of(today))
