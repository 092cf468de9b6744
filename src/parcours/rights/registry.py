"""From the registry to HouseholdFacts, in bulk: a fixed number of queries per chunk of dossiers.

A monthly resource is the amount of the record covering the first day of the month (resources
are declared per month; a record covers whole months in practice).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from parcours.households import history
from parcours.households.models import ADULT_ROLES, ChildSupport, Custody, Housing, Membership, Resource
from parcours.households.models import Address as AddressRecord

from .facts import LOOKBACK_MONTHS, HouseholdFacts, PersonFacts, month_add, month_range


def first_day(month: str) -> date:
    return date.fromisoformat(f"{month}-01")


def _covering(records, day: date):
    for record in records:
        if history.covers(record.valid_from, record.valid_until, day):
            return record
    return None


def _months_between(start: date, month: str) -> int:
    end = first_day(month)
    return (end.year - start.year) * 12 + end.month - start.month


def facts_for_dossiers(dossier_ids: list[int], month: str) -> dict[int, HouseholdFacts]:
    """The facts of each dossier's household for `month` (dossiers with no adult that month are left out)."""
    day = first_day(month)
    months = month_range(month_add(month, -LOOKBACK_MONTHS), month)
    live = {"retired_in__isnull": True, "dossier_id__in": dossier_ids}
    members = defaultdict(list)
    for m in Membership.objects.filter(**live).select_related("person"):
        if history.covers(m.valid_from, m.valid_until, day):
            members[m.dossier_id].append(m)
    by_dossier = {}
    for model in (Housing, AddressRecord, ChildSupport):
        grouped = defaultdict(list)
        for record in model.objects.filter(**live):
            grouped[record.dossier_id].append(record)
        by_dossier[model] = grouped
    person_ids = [m.person_id for ms in members.values() for m in ms]
    resources = defaultdict(list)
    for r in Resource.objects.filter(retired_in__isnull=True, person_id__in=person_ids):
        resources[r.person_id].append(r)

    result = {}
    for dossier_id, ms in members.items():
        adults = [m for m in ms if m.role in ADULT_ROLES]
        if not adults:
            continue
        persons = []
        received = Decimal("0")
        for m in sorted(ms, key=lambda m: (m.role not in ADULT_ROLES, m.person.birth_date, m.person_id)):
            by_kind: dict[str, dict[str, Decimal]] = defaultdict(dict)
            for r in resources[m.person_id]:
                for each in months:
                    if history.covers(r.valid_from, r.valid_until, first_day(each)):
                        by_kind[r.kind][each] = r.monthly_amount
            received += by_kind.get("pensions_alimentaires_percues", {}).get(month, Decimal("0"))
            persons.append(
                PersonFacts(
                    id=f"p{m.person_id}",
                    role="parent" if m.role in ADULT_ROLES else "child",
                    birth_date=m.person.birth_date,
                    resources=dict(by_kind),
                    alternating_custody=m.custody == Custody.ALTERNATING,
                )
            )
        housing = _covering(by_dossier[Housing][dossier_id], day)
        address = _covering(by_dossier[AddressRecord][dossier_id], day)
        support = _covering(by_dossier[ChildSupport][dossier_id], day)
        result[dossier_id] = HouseholdFacts(
            month=month,
            couple=len(adults) >= 2,
            persons=tuple(persons),
            housing_status=housing.status if housing else "heberge",
            rent=(housing.monthly_rent or Decimal("0")) if housing else Decimal("0"),
            commune_insee=address.commune_insee if address else "75056",
            child_support_status=support.status if support else "none",
            child_support_received=received,
            months_without_pension_set=_months_between(support.valid_from, month) if support else None,
        )
    return result
