"""Rights of registry households: computed, stored as revisions, revised after a change.

A revision is written only when an amount changes (or is new and not 0): recomputing the same
situation changes nothing. The difference between a revision and the amount due before it is a
rappel (> 0, owed to the family) or an indu (< 0, paid too much), per benefit and month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from parcours.core.work import Kind, Work, close_work, open_work
from parcours.households import dtr
from parcours.households import services as registry_services
from parcours.households.models import Dossier, Membership, QuarterlyDeclaration, Resource, SituationChange

from .engine import RightsResult, compute
from .facts import month_add, month_range
from .models import RecomputeRun, RightsRevision
from .registry import facts_from_registry, first_day

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RevisionLine:
    month: str
    benefit: str
    before: Decimal | None
    after: Decimal

    @property
    def difference(self) -> Decimal:
        """> 0: a rappel owed to the family; < 0: an indu."""
        return self.after - (self.before or ZERO)


def month_of(day: date) -> str:
    return f"{day:%Y-%m}"


def registry_versions(dossier_ids: list[int]) -> dict[int, int]:
    """`selectors.dossier_version` of many dossiers in 3 queries: the latest change of the dossier
    itself or of the resources of anyone who lives or lived in it."""
    versions = dict(
        SituationChange.objects.filter(dossier_id__in=dossier_ids)
        .values("dossier_id")
        .annotate(v=Max("id"))
        .values_list("dossier_id", "v")
    )
    members = (
        Membership.objects.filter(dossier_id__in=dossier_ids)
        .values_list("dossier_id", "person_id")
        .distinct()
    )
    persons: dict[int, list[int]] = {}
    for dossier_id, person_id in members:
        persons.setdefault(person_id, []).append(dossier_id)
    changes = (
        Resource.objects.filter(person_id__in=list(persons))
        .values("person_id")
        .annotate(created=Max("created_in_id"), retired=Max("retired_in_id"))
        .values_list("person_id", "created", "retired")
    )
    for person_id, created, retired in changes:
        latest = max(created or 0, retired or 0)
        for dossier_id in persons[person_id]:
            versions[dossier_id] = max(versions.get(dossier_id, 0), latest)
    return versions


def rights_for_household(dossier: Dossier, month: str) -> RightsResult | None:
    """The rights of a registry household for a month, mapped through `household_on` (None when no
    adult lived in it that month)."""
    facts, _version = facts_from_registry(dossier, month)
    return compute([facts])[0] if facts else None


def latest_amounts(dossier_ids: list[int], month: str) -> dict[tuple[int, str], Decimal]:
    """The amount due now per (dossier, benefit) for a month: its latest revision."""
    latest: dict[tuple[int, str], Decimal] = {}
    rows = RightsRevision.objects.filter(dossier_id__in=dossier_ids, month=first_day(month)).order_by("id")
    for dossier_id, benefit, amount in rows.values_list("dossier_id", "benefit", "amount"):
        latest[(dossier_id, benefit)] = amount
    return latest


def revisions_write(
    amounts: dict[int, dict[str, Decimal]], month: str, *, source: str, versions: dict[int, int]
) -> list[RevisionLine]:
    """Store in bulk the amounts (dossier -> benefit -> amount due) that differ from the latest
    revision of the month; a benefit never computed before counts as 0 if its month was."""
    latest = latest_amounts(list(amounts), month)
    computed_before = {dossier_id for dossier_id, _ in latest}
    rows, lines = [], []
    for dossier_id, benefits in amounts.items():
        for benefit, amount in benefits.items():
            before = latest.get((dossier_id, benefit), ZERO if dossier_id in computed_before else None)
            if before == amount or (before is None and amount == 0):
                continue
            rows.append((dossier_id, benefit, amount, before, versions.get(dossier_id, 0)))
            lines.append(RevisionLine(month, benefit, before, amount))
    _insert_revisions(rows, first_day(month), timezone.now(), source)
    _announce(rows, month)
    return lines


SENDER = "rights"
PAID_BENEFITS = ("asf", "af", "cf", "rsa", "ppa", "aide_logement", "aah", "aeeh")  # monthly (not the ARS)


def ending_cause(dossier_id: int, benefit: str, month: str) -> str:
    return f"fin:{dossier_id}:{benefit}:{month}"


def _announce(rows: list[tuple], month: str) -> None:
    """The work the new revisions make: an indu on a month already paid is to notify (one task per
    dossier and situation version); a benefit that comes back settles its "fin de droit"."""
    paid_until = month_of(timezone.localdate())
    indus: dict[tuple[int, int], Decimal] = {}
    back = []
    for dossier_id, benefit, amount, before, version in rows:
        if before is not None and amount < before and month <= paid_until:
            indus[(dossier_id, version)] = indus.get((dossier_id, version), ZERO) + before - amount
        if amount > 0 and not before and benefit in PAID_BENEFITS:
            back.append(ending_cause(dossier_id, benefit, month))
    open_work(
        SENDER,
        [
            Work(Kind.INDU, d, f"indu:{d}:{v}", amount=total, note=f"Indu de {total} € à notifier")
            for (d, v), total in indus.items()
        ],
    )
    close_work(SENDER, back, "Le droit est rétabli", Kind.RIGHT_ENDING)


def rights_endings(month: str) -> int:
    """Every monthly benefit paid last month and not this month is a "fin de droit" to check
    (a child past the age limit, resources over the ceiling, a suspension): one task per dossier
    and benefit, the payment of `month` being the first one missing. Set-based over the revisions."""
    from .selectors import latest_revisions

    before = {
        (d, b): amount
        for d, b, amount in latest_revisions(month_add(month, -1))
        .filter(benefit__in=PAID_BENEFITS, amount__gt=0)
        .values_list("dossier_id", "benefit", "amount")
        .iterator(chunk_size=10000)
    }
    now = set(
        latest_revisions(month)
        .filter(benefit__in=PAID_BENEFITS, amount__gt=0)
        .values_list("dossier_id", "benefit")
        .iterator(chunk_size=10000)
    )
    # A month the monthly run finished is computed for every dossier (a dossier whose benefits all
    # fell to 0 has no revision that month); otherwise only the dossiers revised that month count.
    whole = RecomputeRun.objects.filter(month=first_day(month), finished_at__isnull=False).exists()
    computed = (
        set() if whole else set(latest_revisions(month).values_list("dossier_id", flat=True).distinct())
    )
    breaks = dtr.breaks_on(first_day(month))
    items = [
        Work(Kind.RIGHT_ENDING, d, ending_cause(d, b, month), breaks_on=breaks, amount=amount, note=b)
        for (d, b), amount in before.items()
        if (whole or d in computed) and (d, b) not in now
    ]
    open_work(SENDER, items)
    return len(items)


@transaction.atomic
def dtr_cycle(day: date) -> dict[str, int]:
    """The quarterly declarations on `day`: every household paid RSA or prime d'activité last
    month (or whose declaration is missing) and whose quarter starts this month owes the declaration
    of this quarter; every declaration missing after its due day becomes a task."""
    from .selectors import latest_revisions

    month = month_of(day)
    quarter = first_day(month)
    paid = latest_revisions(month_add(month, -1)).filter(benefit__in=dtr.BENEFITS, amount__gt=0)
    waiting = QuarterlyDeclaration.objects.filter(received_on__isnull=True, due_on__lt=day)
    candidates = Dossier.objects.filter(
        Q(pk__in=paid.values("dossier_id")) | Q(pk__in=waiting.values("dossier_id"))
    ).values_list("pk", "opened_on")
    owing = [
        pk
        for pk, opened in candidates.iterator(chunk_size=10000)
        if dtr.quarter_start(quarter, opened) == quarter
    ]
    expected = registry_services.declarations_expect(dossier_ids=owing, quarter=quarter)
    missing = registry_services.declarations_overdue(today=day)
    return {"attendues": expected, "manquantes": missing}


@transaction.atomic
def dtr_receive(*, dossier: Dossier, quarter: date, on: date) -> list[RevisionLine]:
    """The household's quarterly declaration arrived: its task closes and the suspended months are
    paid back (their rights are revised from the quarter's first month)."""
    registry_services.declaration_receive(dossier=dossier, quarter=quarter, on=on)
    return rights_after_change(dossier=dossier, effective=quarter.replace(day=1))


REVISION_COLUMNS = (
    "dossier",
    "month",
    "benefit",
    "amount",
    "previous_amount",
    "registry_version",
    "computed_at",
    "source",
)


def _insert_revisions(rows: list[tuple], month: date, now: datetime, source: str) -> None:
    """One INSERT executed for many rows (a monthly run writes tens of thousands): the values are
    adapted by the database backend's own converters, as bulk_create would, without building a
    model instance per row. Portable SQL, on SQLite and PostgreSQL alike."""
    if not rows:
        return
    ops = connection.ops
    meta = RightsRevision._meta
    columns = ", ".join(ops.quote_name(meta.get_field(name).column) for name in REVISION_COLUMNS)
    sql = f"INSERT INTO {ops.quote_name(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(REVISION_COLUMNS))})"  # noqa: S608
    day, at = ops.adapt_datefield_value(month), ops.adapt_datetimefield_value(now)

    def money(value: Decimal | None):  # type: ignore[no-untyped-def]
        return None if value is None else ops.adapt_decimalfield_value(value, 10, 2)

    params = [
        (dossier_id, day, benefit, money(amount), money(before), version, at, source)
        for dossier_id, benefit, amount, before, version in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@transaction.atomic
def rights_revise(
    *, dossier: Dossier, from_month: str, to_month: str, source: str = "révision"
) -> list[RevisionLine]:
    """Recompute the months from..to of a household; the lines that differ from what was due before
    are its rappels (> 0) and indus (< 0), per benefit and month."""
    lines: list[RevisionLine] = []
    for month in month_range(from_month, to_month):
        facts, version = facts_from_registry(dossier, month)
        if facts is not None:
            benefits = compute([facts])[0].benefits
        else:
            # Nobody lives in this household any more that month: what was due becomes 0.
            benefits = {benefit: ZERO for (_, benefit) in latest_amounts([dossier.pk], month)}
        lines += revisions_write({dossier.pk: benefits}, month, source=source, versions={dossier.pk: version})
    return lines


def rights_after_change(
    *, dossier: Dossier, effective: date, today: date | None = None
) -> list[RevisionLine]:
    """A change effective at `effective` recomputes its month up to the current month."""
    today = today or timezone.localdate()
    return rights_revise(dossier=dossier, from_month=month_of(effective), to_month=month_of(today))
