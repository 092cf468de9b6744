"""Segmentation (GAP): each dossier in its primary segment, set-based over the whole registry."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from ..models import Profile, Segment, SegmentCount
from ..segmentation import rule_q


def conditions_of(segment: Segment) -> list[tuple[str, str, str]]:
    return list(segment.conditions.values_list("indicator", "operator", "value"))


def primary_case() -> tuple[str, list]:
    """Each profile's primary segment as one SQL CASE over the columns of the profile table (by its
    name): the segments in rank order, their conditions compiled by the ORM (values as parameters)."""
    whens, params = [], []
    for segment in Segment.objects.filter(active=True).order_by("rank", "code"):
        query = Profile.objects.filter(rule_q(conditions_of(segment))).query
        if len(query.alias_map) > 1:  # a condition through a relation: not a column of the profile
            raise ValueError(f"Segment {segment.code}: its conditions must read the profile only")
        where, where_params = query.get_compiler(connection=connection).compile(query.where)
        whens.append(f"WHEN {where or '1 = 1'} THEN {int(segment.pk)}")
        params += list(where_params)
    return (f"(CASE {' '.join(whens)} END)" if whens else "NULL"), params


@transaction.atomic
def segments_apply(*, day: date | None = None) -> dict[str, int]:
    """Every dossier's primary segment, the first of the segments in rank order whose conditions
    it meets: one UPDATE over the registry, which writes only the profiles whose segment moves
    (profiles_compute sets them as it writes the profiles: this catches a segment edited since);
    then the day's counts per segment and territory."""
    day = day or timezone.localdate()
    case, params = primary_case()
    table = connection.ops.quote_name(Profile._meta.db_table)
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET segment_id = {case} WHERE segment_id {differs} {case}",  # noqa: S608
            params + params,
        )
    counts = list(
        Profile.objects.exclude(segment=None)
        .values("segment", "departement")
        .annotate(n=Count("pk"))
        .order_by()
    )
    SegmentCount.objects.filter(day=day).delete()
    SegmentCount.objects.bulk_create(
        SegmentCount(segment_id=row["segment"], departement=row["departement"], day=day, dossiers=row["n"])
        for row in counts
    )
    codes = dict(Segment.objects.values_list("pk", "code"))
    taken = dict.fromkeys(
        Segment.objects.filter(active=True).order_by("rank", "code").values_list("code", flat=True), 0
    )
    for row in counts:
        taken[codes[row["segment"]]] = taken.get(codes[row["segment"]], 0) + row["n"]
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
