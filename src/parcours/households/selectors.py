"""Read queries of the registry: what a household was on a date, and what changed between dates."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from . import history
from .history import Change, Fact
from .models import (
    ADULT_ROLES,
    Address,
    BankAccount,
    ChildSupport,
    ChildSupportStatus,
    Dossier,
    Housing,
    HousingStatus,
    Membership,
    Person,
    Resource,
    ResourceKind,
    Role,
    SituationChange,
    Union,
)


@dataclass(frozen=True)
class MemberValue:
    role: str
    custody: str


@dataclass(frozen=True)
class UnionValue:
    first_person_id: int
    second_person_id: int
    kind: str


@dataclass(frozen=True)
class AddressValue:
    street: str
    postcode: str
    commune_insee: str
    commune_name: str
    is_confidential: bool


@dataclass(frozen=True)
class HousingValue:
    status: str
    monthly_rent: Decimal | None


@dataclass(frozen=True)
class BankAccountValue:
    holder_name: str
    iban: str
    bic: str


@dataclass(frozen=True)
class ChildSupportValue:
    status: str
    monthly_amount_set: Decimal | None
    debtor_id: int | None


@dataclass(frozen=True)
class Member:
    person: Person
    role: str
    custody: str

    @property
    def is_adult(self) -> bool:
        return self.role in ADULT_ROLES

    @property
    def role_label(self) -> str:
        return Role(self.role).label


@dataclass(frozen=True)
class ResourceLine:
    person: str
    label: str
    amount: Decimal


@dataclass(frozen=True)
class HouseholdState:
    """A household as it was on `on`, as known at `version`."""

    dossier: Dossier
    on: date
    version: int
    members: tuple[Member, ...]
    union: UnionValue | None
    address: AddressValue | None
    housing: HousingValue | None
    bank_account: BankAccountValue | None
    child_support: ChildSupportValue | None
    resources: dict[tuple[int, str], Decimal]

    @property
    def adults(self) -> list[Member]:
        return [m for m in self.members if m.is_adult]

    @property
    def children(self) -> list[Member]:
        return [m for m in self.members if m.role in (Role.ENFANT, Role.AUTRE)]

    @property
    def is_couple(self) -> bool:
        return len(self.adults) >= 2

    @property
    def housing_label(self) -> str:
        return HousingStatus(self.housing.status).label if self.housing else ""

    @property
    def child_support_label(self) -> str:
        return ChildSupportStatus(self.child_support.status).label if self.child_support else ""

    @property
    def resource_lines(self) -> list[ResourceLine]:
        names = {m.person.pk: str(m.person) for m in self.members}
        return [
            ResourceLine(names.get(pid, ""), ResourceKind(kind).label, amount)
            for (pid, kind), amount in sorted(self.resources.items())
        ]

    def resources_of(self, person_id: int) -> dict[str, Decimal]:
        return {kind: amount for (pid, kind), amount in self.resources.items() if pid == person_id}


def dossier_version(dossier: Dossier) -> int:
    """The latest change that shaped what is known of this household (0 when none), in one query.

    That is the dossier's own changes, and the changes of the resources of anyone who lives or
    lived in it: a resource belongs to a person, so a change recorded in another dossier (an
    ex-partner's salary declared in their new dossier, or back-dated in the old one) moves it too.
    Reading at this version gives the current knowledge.
    """
    persons = Membership.objects.filter(dossier=dossier).values("person_id")
    resources = Resource.objects.filter(person_id__in=persons)
    return (
        SituationChange.objects.filter(
            Q(dossier=dossier)
            | Q(id__in=resources.values("created_in_id"))
            | Q(id__in=resources.filter(retired_in__isnull=False).values("retired_in_id"))
        ).aggregate(v=Max("id"))["v"]
        or 0
    )


def household_facts(dossier: Dossier, *, version: int | None = None) -> list[Fact]:
    """Every fact of the dossier as plain values: 7 queries whatever the history's length."""
    facts: list[Fact] = []
    periods_of: dict[int, list[tuple[date, date | None]]] = {}
    for m in Membership.objects.filter(dossier=dossier).known_at(version):
        facts.append(
            Fact("members", m.person_id, MemberValue(m.role, m.custody), m.valid_from, m.valid_until)
        )
        periods_of.setdefault(m.person_id, []).append((m.valid_from, m.valid_until))
    for u in Union.objects.filter(dossier=dossier).known_at(version):
        value = UnionValue(u.first_person_id, u.second_person_id, u.kind)
        facts.append(Fact("union", "union", value, u.valid_from, u.valid_until))
    for a in Address.objects.filter(dossier=dossier).known_at(version):
        value = AddressValue(a.street, a.postcode, a.commune_insee, a.commune_name, a.is_confidential)
        facts.append(Fact("address", "address", value, a.valid_from, a.valid_until))
    for h in Housing.objects.filter(dossier=dossier).known_at(version):
        facts.append(
            Fact("housing", "housing", HousingValue(h.status, h.monthly_rent), h.valid_from, h.valid_until)
        )
    for b in BankAccount.objects.filter(dossier=dossier).known_at(version):
        value = BankAccountValue(b.holder_name, b.iban, b.bic)
        facts.append(Fact("bank_account", "bank_account", value, b.valid_from, b.valid_until))
    for c in ChildSupport.objects.filter(dossier=dossier).known_at(version):
        value = ChildSupportValue(c.status, c.monthly_amount_set, c.debtor_id)
        facts.append(Fact("child_support", "child_support", value, c.valid_from, c.valid_until))
    # A person's resources count in this household only while they are a member of it.
    for r in Resource.objects.filter(person_id__in=list(periods_of)).known_at(version):
        for start, end in periods_of[r.person_id]:
            overlap = history.intersect(r.valid_from, r.valid_until, start, end)
            if overlap:
                key = (r.person_id, r.kind)
                facts.append(Fact("resources", key, r.monthly_amount, overlap[0], overlap[1]))
    return facts


def _state_from_facts(
    dossier: Dossier, day: date, version: int, facts: list[Fact], persons: dict[int, Person]
) -> HouseholdState:
    state = history.state_on(facts, day)
    role_order = {role: index for index, role in enumerate(Role.values)}
    members = sorted(
        (Member(persons[pid], v.role, v.custody) for pid, v in state.get("members", {}).items()),
        key=lambda m: (role_order[m.role], m.person.birth_date, m.person.pk),
    )
    return HouseholdState(
        dossier=dossier,
        on=day,
        version=version,
        members=tuple(members),
        union=state.get("union", {}).get("union"),
        address=state.get("address", {}).get("address"),
        housing=state.get("housing", {}).get("housing"),
        bank_account=state.get("bank_account", {}).get("bank_account"),
        child_support=state.get("child_support", {}).get("child_support"),
        resources=dict(state.get("resources", {})),
    )


def household_on(dossier: Dossier, day: date, *, version: int | None = None) -> HouseholdState:
    """What this household was on `day`, as currently known (or as known at `version`)."""
    facts = household_facts(dossier, version=version)
    person_ids = {f.key for f in facts if f.component == "members"}
    persons = Person.objects.in_bulk(person_ids)
    return _state_from_facts(
        dossier, day, version if version is not None else dossier_version(dossier), facts, persons
    )


def household_changes(
    dossier: Dossier, after: date, up_to: date, *, version: int | None = None
) -> list[Change]:
    """Every change of the household's situation effective in (after, up_to]."""
    return history.changes_between(household_facts(dossier, version=version), after, up_to)


def dossiers_of_person(person: Person, *, on: date | None = None) -> QuerySet[Dossier]:
    """The dossiers in which a person is allocataire or conjoint on `on` (today), or will be later.

    Not the dossiers they left: after a separation the old dossier is the other parent's, whose
    situation (address, resources, rights) the ex-partner must not see (DESIGN.md invariants).
    """
    day = on or timezone.localdate()
    return Dossier.objects.filter(
        Q(memberships__valid_until__isnull=True) | Q(memberships__valid_until__gt=day),
        memberships__person=person,
        memberships__role__in=ADULT_ROLES,
        memberships__retired_in__isnull=True,
    ).distinct()


def folded(text: str) -> str:
    """ "Élodie  Martin-Léger " → "elodie martin-leger": names compared as people type them."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


def bears_name(person: Person, name: str) -> bool:
    """Whether `name`, as someone typed it, is the person's usage or birth name."""
    wanted = folded(name)
    return bool(wanted) and wanted in {folded(person.last_name), folded(person.birth_name or "")}


def allocataire_names(dossier_ids: list[int]) -> dict[int, str]:
    """The name of each dossier's allocataire today ("NOM Prénoms"), in one query: what a staff
    list shows beside the numéro."""
    today = timezone.localdate()
    rows = (
        Membership.objects.current()
        .valid_on(today)
        .filter(dossier_id__in=dossier_ids, role=Role.ALLOCATAIRE)
        .values_list("dossier_id", "person__last_name", "person__first_names")
    )
    return {d: f"{last} {first}" for d, last, first in rows}
