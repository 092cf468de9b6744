"""The bulk loader writes exactly what the registry services write for the same history.

Each household is loaded twice: by the loader, and by replaying its story through the services
(`dossier_open`, `member_add`, `separation_record`, `resource_set`, `child_support_set`, ...).
Both must give the same rows, the same periods, and the same changes creating and retiring them.
"""

from collections import Counter
from dataclasses import asdict
from decimal import Decimal

import pytest

from parcours.demo import generator, loader
from parcours.demo.bulk import Batch
from parcours.demo.specs import HouseholdSpec
from parcours.households.models import (
    Address,
    BankAccount,
    ChildSupport,
    Dossier,
    Housing,
    Membership,
    Person,
    Resource,
    SituationChange,
    Union,
)
from parcours.households.services import registry
from parcours.households.services.separation import NewAddress, separation_record

from .conftest import REFERENCE

pytestmark = pytest.mark.django_db
RECORDS = (Membership, Union, Address, Housing, BankAccount, ChildSupport, Resource)


def varied_households() -> list[HouseholdSpec]:
    """A few households covering every kind of history the generator writes."""
    wanted = {
        "separated, alternating": lambda h: h.separation and h.separation.alternating,
        "separated, children leaving": lambda h: h.separation and h.separation.new_child_support,
        "pension stopped": lambda h: h.child_support and h.child_support.unpaid_since,
        "pension irregular": lambda h: (
            h.has_unpaid_child_support and any(r.kind == generator.RECEIVED for r in h.resources)
        ),
        "income changed": lambda h: any(r.valid_until for r in h.resources if r.kind == "salaire_net"),
        "born after opening": lambda h: any(c.birth_date > h.opened_on for c in h.children),
        "ARE then salary": lambda h: {"chomage_net", "salaire_net"} <= {r.kind for r in h.resources},
    }
    chosen = [generator.household(5, 0, REFERENCE)]
    pool = generator.households(5, 1, 400, REFERENCE)
    for name, test in wanted.items():
        found = next((h for h in pool if test(h)), None)
        assert found is not None, name
        chosen.append(found)
    return chosen


def replay(spec: HouseholdSpec) -> tuple[Dossier, Dossier | None]:
    """The household's story through the registry services, under other numbers."""
    cents = loader.cents
    persons = {
        p.key: registry.person_create(
            first_names=p.first_names,
            last_name=p.last_name,
            birth_date=p.birth_date,
            sex=p.sex,
            residence_status=p.residence_status,
        )
        for p in spec.persons
    }
    changes: dict = {}

    def change(dossier, kind, on):
        if (dossier.pk, kind, on) not in changes:
            changes[dossier.pk, kind, on] = registry.situation_change_open(
                dossier=dossier, kind=kind, effective_date=on, source="demo"
            )
        return changes[dossier.pk, kind, on]

    def declared(dossier, kind, on):
        return change(dossier, "creation" if on == dossier.opened_on else kind, on)

    def opened(dossier):
        changes[dossier.pk, "creation", dossier.opened_on] = dossier.changes.get()
        return dossier

    def settle(dossier, housing, rent, account):
        creation = declared(dossier, "creation", dossier.opened_on)
        registry.housing_set(
            dossier=dossier,
            valid_from=dossier.opened_on,
            status=housing,
            monthly_rent=cents(rent),
            change=creation,
        )
        registry.bank_account_set(
            dossier=dossier,
            valid_from=dossier.opened_on,
            holder_name=account.holder_name,
            iban=account.iban,
            change=creation,
        )

    on = spec.opened_on
    old = opened(
        registry.dossier_open(
            numero_allocataire="2" + spec.numero[1:],
            departement="91",
            opened_on=on,
            allocataire=persons["a1"],
            source="demo",
        )
    )
    creation = declared(old, "creation", on)
    if len(spec.adults) == 2:
        registry.member_add(
            dossier=old, person=persons["a2"], role="conjoint", valid_from=on, change=creation
        )
        registry.union_set(
            dossier=old,
            first_person=persons["a1"],
            second_person=persons["a2"],
            kind=spec.union_kind,
            valid_from=on,
            change=creation,
        )
    for child in spec.children:
        arrival = max(on, child.birth_date)
        registry.member_add(
            dossier=old,
            person=persons[child.key],
            role="enfant",
            valid_from=arrival,
            change=declared(old, "composition", arrival),
        )
    registry.address_set(dossier=old, valid_from=on, change=creation, **asdict(spec.address))
    settle(old, spec.housing_status, spec.rent_cents, spec.bank_account)

    new, sep = None, spec.separation
    if sep is not None:
        new = opened(
            separation_record(
                dossier=old,
                leaving=persons["a2"],
                on=sep.on,
                new_numero_allocataire="6" + sep.new_numero[1:],
                children_leaving=[persons[k] for k in sep.leaving],
                children_alternating=[persons[k] for k in sep.alternating],
                new_address=NewAddress(**asdict(sep.new_address)),
                source="demo",
            )
        )
        settle(new, sep.new_housing_status, sep.new_rent_cents, sep.new_bank_account)

    def home(key, day):
        return new if new is not None and key == "a2" and day >= sep.on else old

    timelines: dict = {}
    for r in spec.resources:
        timelines.setdefault((r.person_key, r.kind), []).append(r)
    for (key, kind), timeline in timelines.items():
        starts = {r.valid_from for r in timeline}
        for r in sorted(timeline, key=lambda r: r.valid_from):
            dossier = home(key, r.valid_from)
            registry.resource_set(
                dossier=dossier,
                person=persons[key],
                kind=kind,
                valid_from=r.valid_from,
                monthly_amount=cents(r.cents),
                change=declared(dossier, "ressources", r.valid_from),
            )
            if r.valid_until is not None and r.valid_until not in starts:
                dossier = home(key, r.valid_until)
                registry.resource_set(
                    dossier=dossier,
                    person=persons[key],
                    kind=kind,
                    valid_from=r.valid_until,
                    monthly_amount=Decimal("0"),
                    change=change(dossier, "ressources", r.valid_until),
                )
    supports = [(old, spec.child_support)]
    if sep is not None:
        supports.append((new, sep.new_child_support))
    for dossier, support in supports:
        if support is None:
            continue
        values = {
            "status": support.status,
            "monthly_amount_set": cents(support.cents),
            "debtor": persons[support.debtor_key] if support.debtor_key else None,
        }
        registry.child_support_set(
            dossier=dossier,
            valid_from=support.since,
            change=declared(dossier, "pension_alimentaire", support.since),
            **values,
        )
        if support.unpaid_since:
            registry.child_support_set(
                dossier=dossier,
                valid_from=support.unpaid_since,
                change=change(dossier, "pension_alimentaire", support.unpaid_since),
                **{**values, "status": "set_unpaid"},
            )
    return old, new


def shape(old: Dossier, new: Dossier | None) -> Counter:
    """Every row of the household with ids replaced by names: which dossier, which person, which change."""
    dossiers = {old.pk: "ancien", **({new.pk: "nouveau"} if new else {})}
    changes = {
        c.pk: (dossiers[c.dossier_id], c.kind, c.effective_date, c.source)
        for c in SituationChange.objects.filter(dossier__in=list(dossiers))
    }
    person_ids = set(Membership.objects.filter(dossier__in=list(dossiers)).values_list("person", flat=True))
    persons = {p.pk: (p.first_names, p.birth_date) for p in Person.objects.filter(pk__in=person_ids)}
    rows = Counter(("change", *value) for value in changes.values())
    for model in RECORDS:
        found = (
            model.objects.filter(person__in=person_ids)
            if model is Resource
            else model.objects.filter(dossier__in=list(dossiers))
        )
        for record in found:
            values = [model.__name__]
            for field in model._meta.concrete_fields:
                value = getattr(record, field.attname)
                if field.primary_key:
                    continue
                if field.related_model is Dossier:
                    value = dossiers[value]
                elif field.related_model is Person:
                    value = persons.get(value)
                elif field.related_model is SituationChange:
                    value = changes.get(value)
                values.append((field.name, value))
            rows[tuple(values)] += 1
    return rows


def test_loader_and_services_write_the_same_rows():
    specs = varied_households()
    batch = Batch()
    for spec in specs:
        loader.add_household(batch, spec, "91")
    loader.save_batch(batch)
    for spec in specs:
        loaded_old = Dossier.objects.get(numero_allocataire=spec.numero)
        loaded_new = spec.separation and Dossier.objects.get(numero_allocataire=spec.separation.new_numero)
        replayed_old, replayed_new = replay(spec)
        assert shape(loaded_old, loaded_new or None) == shape(replayed_old, replayed_new), spec.story
