"""From the registry to HouseholdFacts: one household through `household_on`, or a whole chunk of
dossiers set-based (5 queries per chunk, whatever its size). Both go through `build_facts`, so
they cannot differ (tests/rights/test_registry.py checks it).

Who: the members of the household on the first day of the month. Their resources: every record of
the person covering the first day of each month of the window (`facts.resource_months`) — the
resources of the people living in the household now, over the reference period (CSS R532-3,
CCH R822-4), including months they lived elsewhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from parcours.households import dtr
from parcours.households.models import (
    ADULT_ROLES,
    ChildSupport,
    Custody,
    Dossier,
    Housing,
    Membership,
    QuarterlyDeclaration,
    Resource,
    Role,
)
from parcours.households.models import Address as AddressRecord
from parcours.households.selectors import household_on

from .facts import HouseholdFacts, PersonFacts, month_add, resource_months

NO_ADDRESS_COMMUNE = "75056"  # Paris: only when the registry has no address for the month
ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}


def first_day(month: str) -> date:
    return date.fromisoformat(f"{month}-01")


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


@dataclass(frozen=True)
class MemberRow:
    person_id: int
    role: str
    custody: str
    birth_date: date


@dataclass(frozen=True)
class ResourceRow:
    kind: str
    valid_from: date
    valid_until: date | None
    amount: Decimal


def monthly_amounts(rows: Iterable[ResourceRow], months: list[str]) -> dict[str, dict[str, Decimal]]:
    """kind -> month -> amount of the record covering the first day of each month of `months`."""
    first = _month_index(first_day(months[0]))
    out: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        # months whose first day is in [valid_from, valid_until)
        start = _month_index(row.valid_from) + (row.valid_from.day > 1)
        stop = (
            len(months)
            if row.valid_until is None
            else _month_index(row.valid_until - timedelta(days=1)) + 1 - first
        )
        for offset in range(max(start - first, 0), min(stop, len(months))):
            out[row.kind][months[offset]] = row.amount
    return {kind: by_month for kind, by_month in out.items() if any(by_month.values())}


def build_facts(
    *,
    month: str,
    members: list[MemberRow],
    resources: dict[int, list[ResourceRow]],
    housing: tuple[str, Decimal | None] | None,
    commune_insee: str | None,
    child_support: tuple[str, date] | None,
    suspended: frozenset[str] = frozenset(),
) -> HouseholdFacts | None:
    """The facts of one household (None when no adult lived in it that month)."""
    if not any(m.role in ADULT_ROLES for m in members):
        return None
    months = resource_months(month)
    ordered = sorted(members, key=lambda m: (ROLE_ORDER[m.role], m.birth_date, m.person_id))
    persons = []
    received = Decimal("0")
    for member in ordered:
        by_kind = monthly_amounts(resources.get(member.person_id, []), months)
        received += by_kind.get("pensions_alimentaires_percues", {}).get(month, Decimal("0"))
        persons.append(
            PersonFacts(
                id=f"p{member.person_id}",
                role="parent" if member.role in ADULT_ROLES else "child",
                birth_date=member.birth_date,
                resources=by_kind,
                alternating_custody=member.custody == Custody.ALTERNATING,
            )
        )
    status, since = child_support if child_support else ("none", None)
    return HouseholdFacts(
        month=month,
        couple=sum(m.role in ADULT_ROLES for m in members) >= 2,
        persons=tuple(persons),
        housing_status=housing[0] if housing else "heberge",
        rent=(housing[1] or Decimal("0")) if housing else Decimal("0"),
        commune_insee=commune_insee or NO_ADDRESS_COMMUNE,
        child_support_status=status,
        child_support_received=received,
        months_without_pension_set=_months_since(since, month) if since else None,
        suspended=suspended,
    )


def suspensions(dossier_ids: list[int], month: str) -> dict[int, frozenset[str]]:
    """The benefits each dossier has suspended for `month` (its quarter's resource declaration
    missing today: households/dtr.py), in one query."""
    day = first_day(month)
    today = timezone.localdate()
    rows = QuarterlyDeclaration.objects.filter(
        dossier_id__in=dossier_ids,
        quarter_start__gt=first_day(month_add(month, -3)),
        quarter_start__lte=day,
        received_on__isnull=True,
        due_on__lt=today,
    ).values_list("dossier_id", "quarter_start", "due_on", "received_on")
    found: dict[int, list[dtr.Declaration]] = defaultdict(list)
    for dossier_id, quarter, due, received in rows:
        found[dossier_id].append(dtr.Declaration(quarter, due, received))
    return {d: dtr.suspended(day, declarations, today) for d, declarations in found.items()}


def _months_since(start: date, month: str) -> int:
    return _month_index(first_day(month)) - _month_index(start)


def _rows(person_ids: Iterable[int], month: str) -> dict[int, list[ResourceRow]]:
    """The resources that count for `month`: those valid on a day of its reference months."""
    rows: dict[int, list[ResourceRow]] = defaultdict(list)
    first, after = first_day(resource_months(month)[0]), first_day(month_add(month, 1))
    query = Resource.objects.current().valid_between(first, after).filter(person_id__in=list(person_ids))
    for person_id, kind, start, end, amount in query.values_list(
        "person_id", "kind", "valid_from", "valid_until", "monthly_amount"
    ):
        rows[person_id].append(ResourceRow(kind, start, end, amount))
    return rows


def facts_from_registry(dossier: Dossier, month: str) -> tuple[HouseholdFacts | None, int]:
    """One household's facts for `month`, read through `household_on`, and the registry version."""
    day = first_day(month)
    state = household_on(dossier, day)
    members = [MemberRow(m.person.pk, m.role, m.custody, m.person.birth_date) for m in state.members]
    support = None
    if state.child_support is not None:
        record = (
            ChildSupport.objects.current()
            .valid_on(day)
            .filter(dossier=dossier)
            .values_list("valid_from", flat=True)
            .first()
        )
        support = (state.child_support.status, record or day)
    facts = build_facts(
        month=month,
        members=members,
        resources=_rows([m.person_id for m in members], month),
        housing=(state.housing.status, state.housing.monthly_rent) if state.housing else None,
        commune_insee=state.address.commune_insee if state.address else None,
        child_support=support,
        suspended=suspensions([dossier.pk], month).get(dossier.pk, frozenset()),
    )
    return facts, state.version


def facts_for_dossiers(dossier_ids: list[int], month: str) -> dict[int, HouseholdFacts]:
    """The facts of each dossier's household for `month`, set-based: 6 queries per call (dossiers
    with no adult that month are left out)."""
    day = first_day(month)

    def live(model: Any) -> Any:  # an EffectiveDated model: its records valid that day
        return model.objects.current().valid_on(day).filter(dossier_id__in=dossier_ids)

    members: dict[int, list[MemberRow]] = defaultdict(list)
    for dossier_id, person_id, role, custody, born in live(Membership).values_list(
        "dossier_id", "person_id", "role", "custody", "person__birth_date"
    ):
        members[dossier_id].append(MemberRow(person_id, role, custody, born))
    housing = {
        d: (status, rent)
        for d, status, rent in live(Housing).values_list("dossier_id", "status", "monthly_rent")
    }
    communes = dict(live(AddressRecord).values_list("dossier_id", "commune_insee"))
    supports = {
        d: (status, start)
        for d, status, start in live(ChildSupport).values_list("dossier_id", "status", "valid_from")
    }
    resources = _rows((m.person_id for ms in members.values() for m in ms), month)
    suspended = suspensions(dossier_ids, month)
    out = {}
    for dossier_id, rows in members.items():
        facts = build_facts(
            month=month,
            members=rows,
            resources=resources,
            housing=housing.get(dossier_id),
            commune_insee=communes.get(dossier_id),
            child_support=supports.get(dossier_id),
            suspended=suspended.get(dossier_id, frozenset()),
        )
        if facts is not None:
            out[dossier_id] = facts
    return out
