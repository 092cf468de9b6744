"""The registry over random sequences of changes, against a naive day-by-day reference model.

Random changes go through the services, at random effective dates, retroactive ones included, in
any order. The reference keeps, per fact, day -> (value, record number) and applies decision
0002's rule on days: "from D on, the value is X until the next known change", where the next known
change is the first later day on which the record in force differs (its end, or the next record's
start). After every step the registry must agree with it on every day, report changes on exactly
the days the reference changes, refuse what the reference refuses without changing anything, and,
at the end, reproduce every earlier state "as known at version v".
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from parcours.households import history, services
from parcours.households.models import Person
from parcours.households.selectors import dossier_version, household_changes, household_facts, household_on

from .helpers import Key, plain_changes, plain_household, plain_state, registry_counts

BASE = date(2024, 1, 1)
SPAN = 30  # effective dates: BASE + 0..SPAN
DAYS = [BASE + timedelta(days=n) for n in range(-1, SPAN + 15)]  # the days compared
FAR = BASE + timedelta(days=SPAN + 40)  # an open end in the reference
CHILD = ("enfant", "exclusive")
IBANS = ["FR7630006000011234567890189", "DE89370400440532013000", "FR1420041010050500013M02606"]
HOUSINGS = [
    ("locataire", Decimal("500.00")),
    ("locataire", Decimal("612.40")),
    ("heberge", None),
    ("proprietaire", None),
]
SUPPORTS = [
    ("none", None),
    ("set_paid", Decimal("150.00")),
    ("set_unpaid", Decimal("150.00")),
    ("debtor_unable", Decimal("80.50")),
]
AMOUNTS = [
    Decimal("0"),
    Decimal("0.00"),
    Decimal("0.01"),
    Decimal("850.50"),
    Decimal("1200"),
    Decimal("1234.56"),
]


class Reference:
    """day -> (value, record number) per (component, key); nothing but days and dicts."""

    def __init__(self) -> None:
        self.facts: dict[Key, dict[date, tuple[object, int]]] = {}
        self.records = 0

    def _days(self, key: Key) -> dict[date, tuple[object, int]]:
        return self.facts.setdefault(key, {})

    def _record(self) -> int:
        self.records += 1
        return self.records

    def next_known_change(self, key: Key, on: date) -> date:
        days = self._days(key)
        record = days[on][1] if on in days else None
        day = on + timedelta(days=1)
        while day < FAR and (days[day][1] if day in days else None) == record:
            day += timedelta(days=1)
        return day

    def set_from(self, key: Key, on: date, value: object | None) -> None:
        """From `on`, `value` (None: the fact ends) until the next known change."""
        days = self._days(key)
        end, record = self.next_known_change(key, on), self._record()
        day = on
        while day < end:
            if value is None:
                days.pop(day, None)
            else:
                days[day] = (value, record)
            day += timedelta(days=1)

    def put(self, key: Key, start: date, end: date | None, value: object) -> None:
        days, record, day = self._days(key), self._record(), start
        while day < (end or FAR):
            assert day not in days
            days[day] = (value, record)
            day += timedelta(days=1)

    def has(self, key: Key, day: date) -> bool:
        return day in self._days(key)

    def on(self, day: date) -> dict[Key, object]:
        """The household on `day`: a person's resources count only while they are a member."""
        state = {}
        for key, days in self.facts.items():
            if day not in days:
                continue
            component, name = key
            if component == "resources" and not self.has(("members", name[0]), day):
                continue
            state[key] = days[day][0]
        return state

    def changes(self, states: dict[date, dict[Key, object]], after: date, up_to: date) -> list[tuple]:
        """(on, component, key, before, after) for each day in (after, up_to] where a value differs."""
        out = []
        for day in DAYS[1:]:
            if not after < day <= up_to:
                continue
            old, new = states[day - timedelta(days=1)], states[day]
            for component, key in set(old) | set(new):
                if old.get((component, key)) != new.get((component, key)):
                    out.append((day, component, key, old.get((component, key)), new.get((component, key))))
        return sorted(out, key=repr)


def day(n: int) -> date:
    return BASE + timedelta(days=n)


day_st = st.integers(0, SPAN).map(day)
operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("resource"),
            st.sampled_from(["a", "c", "k1"]),
            st.sampled_from(["salaire_net", "chomage_net"]),
            day_st,
            st.sampled_from(AMOUNTS),
        ),
        st.tuples(st.just("address"), day_st, st.integers(1, 3)),
        st.tuples(st.just("housing"), day_st, st.sampled_from(HOUSINGS)),
        st.tuples(st.just("bank_account"), day_st, st.sampled_from(IBANS)),
        st.tuples(st.just("child_support"), day_st, st.sampled_from(SUPPORTS)),
        st.tuples(st.just("union"), day_st, st.sampled_from(["pacs", "mariage", "concubinage"])),
        st.tuples(
            st.just("member_add"),
            st.sampled_from(["k1", "k2"]),
            day_st,
            st.one_of(st.none(), st.integers(1, 25)),
        ),
        st.tuples(st.just("member_leave"), st.sampled_from(["k1", "k2"]), day_st),
    ),
    min_size=1,
    max_size=9,
)


def step(dossier, persons: dict[str, Person], reference: Reference, op: tuple) -> bool:
    """Apply `op` through the service and, unless the reference refuses it, to the reference.

    A refused change must raise a ValidationError naming the field, and write nothing. Returns
    whether the change was accepted.
    """
    kind, rest = op[0], op[1:]
    refused_field = None
    if kind == "resource":
        who, resource_kind, on, amount = rest
        person = persons[who]
        call = partial(
            services.resource_set,
            dossier=dossier,
            person=person,
            kind=resource_kind,
            valid_from=on,
            monthly_amount=amount,
        )
        if not reference.has(("members", person.pk), on):
            refused_field = "person"  # not in the household that day (left, or not yet come)
        update = partial(reference.set_from, ("resources", (person.pk, resource_kind)), on, amount or None)
    elif kind == "address":
        on, number = rest
        street = f"{number} rue de la Paix"
        call = partial(
            services.address_set,
            dossier=dossier,
            valid_from=on,
            street=street,
            postcode="91000",
            commune_insee="91228",
            commune_name="Évry-Courcouronnes",
        )
        update = partial(reference.set_from, ("address", "address"), on, street)
    elif kind == "housing":
        on, (status, rent) = rest
        call = partial(services.housing_set, dossier=dossier, valid_from=on, status=status, monthly_rent=rent)
        update = partial(reference.set_from, ("housing", "housing"), on, (status, rent))
    elif kind == "bank_account":
        on, iban = rest
        call = partial(
            services.bank_account_set, dossier=dossier, valid_from=on, holder_name="Léa Martin", iban=iban
        )
        update = partial(reference.set_from, ("bank_account", "bank_account"), on, iban)
    elif kind == "child_support":
        on, (status, amount) = rest
        call = partial(
            services.child_support_set,
            dossier=dossier,
            valid_from=on,
            status=status,
            monthly_amount_set=amount,
            debtor=persons["c"],
        )
        update = partial(reference.set_from, ("child_support", "child_support"), on, (status, amount))
    elif kind == "union":
        on, union_kind = rest
        call = partial(
            services.union_set,
            dossier=dossier,
            first_person=persons["a"],
            second_person=persons["c"],
            kind=union_kind,
            valid_from=on,
        )
        update = partial(reference.set_from, ("union", "union"), on, union_kind)
    elif kind == "member_add":
        who, on, length = rest
        person, until = persons[who], None if length is None else on + timedelta(days=length)
        call = partial(
            services.member_add,
            dossier=dossier,
            person=person,
            role="enfant",
            valid_from=on,
            valid_until=until,
        )
        day = on
        while day < (until or FAR):
            if reference.has(("members", person.pk), day):
                refused_field = "valid_from"  # already in the household on a day of the period
            day += timedelta(days=1)
        update = partial(reference.put, ("members", person.pk), on, until, CHILD)
    else:
        assert kind == "member_leave"
        who, on = rest
        person = persons[who]
        key = ("members", person.pk)
        call = partial(services.member_leave, dossier=dossier, person=person, on=on)
        # The first day away must follow a day in the household: not away already, not the arrival day.
        if not reference.has(key, on):
            refused_field = "person"
        elif not reference.has(key, on - timedelta(days=1)):
            refused_field = "on"
        update = partial(reference.set_from, key, on, None)

    if refused_field is None:
        call()
        update()
        return True
    before = registry_counts()
    with pytest.raises(ValidationError) as error:
        call()
    assert list(error.value.message_dict) == [refused_field]
    assert registry_counts() == before
    return False


def check_registry(dossier, reference: Reference, around: date, version: int | None = None, expected=None):
    """The registry (now, or at `version`) agrees with the expected states on every day.

    `household_facts` is read once and checked on every day; `household_on` and `household_changes`
    (the selectors the pages call) are checked on the days around the change and over the whole span.
    """
    expected = expected if expected is not None else {day: reference.on(day) for day in DAYS}
    facts = household_facts(dossier, version=version)
    for day in DAYS:
        assert plain_state(history.state_on(facts, day)) == expected[day], (version, day)
    state = household_on(dossier, around, version=version)
    assert (state.on, state.version) == (around, version or dossier_version(dossier))
    assert plain_household(state) == expected[around], (version, around)
    reported = plain_changes(household_changes(dossier, DAYS[0], DAYS[-1], version=version))
    assert [c[0] for c in reported] == sorted(c[0] for c in reported)  # in date order
    assert sorted(reported, key=repr) == reference.changes(expected, DAYS[0], DAYS[-1])
    after, up_to = around - timedelta(days=3), around + timedelta(days=7)
    window = plain_changes(history.changes_between(facts, after, up_to))
    assert sorted(window, key=repr) == reference.changes(expected, after, up_to), (after, up_to)
    return state.version, expected


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
# Regressions and edge cases, run on top of the random ones.
@example(ops=[("member_leave", "k1", day(5)), ("resource", "k1", "salaire_net", day(8), Decimal("90.00"))])
@example(
    ops=[
        ("resource", "k1", "salaire_net", day(0), Decimal("90.00")),
        ("member_leave", "k1", day(5)),
        ("member_add", "k1", day(9), None),
    ]
)  # a resource counts again when its person comes back
@example(
    ops=[
        ("member_add", "k2", day(5), 5),
        ("member_add", "k2", day(10), None),
        ("member_leave", "k2", day(10)),
    ]
)
@example(
    ops=[("member_add", "k2", day(3), 5), ("member_leave", "k2", day(3)), ("member_leave", "k2", day(8))]
)
@example(
    ops=[
        ("address", day(20), 1),
        ("address", day(5), 2),
        ("address", day(0), 3),
        ("address", day(10), 1),
        ("address", day(5), 3),
    ]
)  # several records after the date, in any order
@example(
    ops=[
        ("resource", "c", "salaire_net", day(0), Decimal("1200")),
        ("resource", "c", "salaire_net", day(10), Decimal("0")),
        ("resource", "c", "salaire_net", day(5), Decimal("0")),
        ("resource", "c", "salaire_net", day(7), Decimal("850.50")),
    ]
)
@example(ops=[("union", day(10), "mariage"), ("union", day(0), "pacs"), ("union", day(10), "pacs")])
@example(
    ops=[
        ("housing", day(4), HOUSINGS[0]),
        ("housing", day(4), HOUSINGS[2]),
        ("child_support", day(0), SUPPORTS[1]),
        ("child_support", day(0), SUPPORTS[0]),
        ("bank_account", day(30), IBANS[1]),
    ]
)
def test_registry_agrees_with_the_reference_every_day_and_at_every_version(ops):
    with transaction.atomic():
        persons = {
            "a": services.person_create(
                first_names="Léa", last_name="Martin", birth_date=date(1988, 5, 10), sex="F"
            ),
            "c": services.person_create(
                first_names="Marc", last_name="Martin", birth_date=date(1986, 1, 2), sex="M"
            ),
            "k1": services.person_create(
                first_names="Zoé", last_name="Martin", birth_date=date(2016, 3, 1), sex="F"
            ),
            "k2": services.person_create(
                first_names="Noé", last_name="Martin", birth_date=date(2019, 7, 4), sex="M"
            ),
        }
        dossier = services.dossier_open(
            numero_allocataire="1234567", departement="91", opened_on=BASE, allocataire=persons["a"]
        )
        services.member_add(dossier=dossier, person=persons["c"], role="conjoint", valid_from=BASE)
        services.member_add(dossier=dossier, person=persons["k1"], role="enfant", valid_from=BASE)
        reference = Reference()
        reference.put(("members", persons["a"].pk), BASE, None, ("allocataire", "exclusive"))
        reference.put(("members", persons["c"].pk), BASE, None, ("conjoint", "exclusive"))
        reference.put(("members", persons["k1"].pk), BASE, None, CHILD)

        snapshots = [(*check_registry(dossier, reference, BASE), BASE)]
        for op in ops:
            accepted = step(dossier, persons, reference, op)
            around = next(x for x in op if isinstance(x, date))
            version, states = check_registry(dossier, reference, around)
            if accepted:
                assert version > snapshots[-1][0]  # every accepted change is a new version
                snapshots.append((version, states, around))
            else:
                assert (version, states) == snapshots[-1][:2]  # a refusal changes nothing

        # Bitemporal: each earlier state, exactly as it was known at its version.
        for version, states, around in snapshots:
            check_registry(dossier, reference, around, version, states)
        transaction.set_rollback(True)
