"""Segmentation (GAP): each dossier in its primary segment, set-based over the whole registry."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from ..models import Profile, Segment, SegmentCount
from ..segmentation import rule_q


def conditions_of(segment: Segment) -> list[tuple[str, str, str]]:
    return list(segment.conditions.values_list("indicator", "operator", "value"))


@transaction.atomic
def segments_apply(*, day: date | None = None) -> dict[str, int]:
    """Every dossier's primary segment: the segments in rank order, each taking the dossiers its
    conditions select that no earlier segment took (one UPDATE per segment); then the day's counts
    per segment and territory."""
    day = day or timezone.localdate()
    Profile.objects.exclude(segment=None).update(segment=None)
    taken: dict[str, int] = {}
    for segment in Segment.objects.filter(active=True).order_by("rank", "code"):
        taken[segment.code] = (
            Profile.objects.filter(segment=None)
            .filter(rule_q(conditions_of(segment)))
            .update(segment=segment)
        )
    SegmentCount.objects.filter(day=day).delete()
    SegmentCount.objects.bulk_create(
        SegmentCount(segment_id=row["segment"], departement=row["departement"], day=day, dossiers=row["n"])
        for row in Profile.objects.exclude(segment=None)
        .values("segment", "departement")
        .annotate(n=Count("pk"))
    )
    return taken


def segment_preview(segment: Segment, conditions: list[tuple[str, str, str]] | None = None) -> dict[str, int]:
    """How many dossiers the rule selects, and how many it would take as their primary segment
    (not taken by a segment of an earlier rank)."""
    rule = rule_q(conditions_of(segment) if conditions is None else conditions)
    earlier = Segment.objects.filter(active=True, rank__lt=segment.rank)
    selected = Profile.objects.filter(rule)
    first = selected
    for other in earlier:
        first = first.exclude(rule_q(conditions_of(other)))
    return {"selected": selected.count(), "primary": first.count()}
