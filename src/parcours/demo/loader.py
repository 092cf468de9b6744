"""Bulk loading of the synthetic département into the registry.

The per-record services are too slow for a million households, so the loader writes rows
directly, chunk by chunk. It writes exactly what the services would: one `SituationChange`
(source "demo") per change of situation, records over half-open periods, and a change that
replaces a value retires the old record and creates its cut copy, planned with the services'
own `history.replace_from`. A separation is written as `services.separation_record` writes it.
A household's changes are numbered in the order of their effective dates, so "the registry as
known at version V" reads like a history recorded as it happened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from parcours.households import history
from parcours.households.models import (
    Address,
    BankAccount,
    ChangeKind,
    ChildSupport,
    Custody,
    Dossier,
    Housing,
    Membership,
    Person,
    Resource,
    Role,
    SituationChange,
    Union,
)

from .bulk import Batch, Row
from .specs import ChildSupportSpec, HouseholdSpec, ResourceSpec

SOURCE = "demo"
INSERT_ORDER = (
    Dossier,
    Person,
    SituationChange,
    Membership,
    Union,
    Address,
    Housing,
    Resource,
    BankAccount,
    ChildSupport,
)
WITH_IDS = {Dossier, Person, SituationChange}  # the rows others point to


def cents(value: int | None) -> Decimal | None:
    """Integer cents to euros, with two decimal places."""
    return None if value is None else Decimal(value).scaleb(-2)


class DossierWriter:
    """Records the changes of one dossier as the registry services do."""

    def __init__(self, batch: Batch, changes: list[Row], dossier: Row, opened_on: date):
        self.batch, self.changes, self.dossier, self.opened_on = batch, changes, dossier, opened_on
        self._by_key: dict[tuple[str, date], Row] = {}

    def change(self, kind: str, on: date) -> Row:
        """The change of this kind on this date (one per declaration)."""
        if (kind, on) not in self._by_key:
            values = {"dossier": self.dossier, "kind": kind, "effective_date": on, "source": SOURCE}
            row = Row(SituationChange, values)
            self.changes.append(row)
            self._by_key[kind, on] = row
        return self._by_key[kind, on]

    def declared(self, kind: str, on: date) -> Row:
        """A fact declared at the opening belongs to the creation change; later, to its own."""
        return self.change(ChangeKind.CREATION if on == self.opened_on else kind, on)

    def create(
        self,
        model: type[models.Model],
        change: Row,
        valid_from: date,
        valid_until: date | None = None,
        **values: Any,
    ) -> Row:
        return self.batch.add(
            model,
            **values,
            valid_from=valid_from,
            valid_until=valid_until,
            created_in=change,
            retired_in=None,
        )

    def replace(
        self, current: list[Row], model: type[models.Model], change: Row, on: date, values: dict | None
    ) -> list[Row]:
        """From `on`, the fact of the `current` rows (one key) takes `values` (None: it ends).

        The same plan as `registry._replace_from`: the covering record is retired and re-created
        cut at `on`; the new one lasts until the next known change.
        """
        live = sorted(
            (r for r in current if r.values["retired_in"] is None), key=lambda r: r.values["valid_from"]
        )
        plan = history.replace_from(
            [(r.values["valid_from"], r.values["valid_until"]) for r in live], on, ending=values is None
        )
        for index in plan.retire:
            live[index].values["retired_in"] = change
        created = []
        for index, end in plan.keep_before:
            kept = {**live[index].values, "valid_until": end, "created_in": change, "retired_in": None}
            created.append(self.batch.add(model, **kept))
        if values is not None:
            created.append(self.create(model, change, on, plan.new_until, **values))
        return current + created


def add_household(batch: Batch, spec: HouseholdSpec, departement: str) -> None:
    """Every row of one household (and of the ex-partner's dossier after a separation)."""
    changes: list[Row] = []
    dossier = batch.add(
        Dossier, numero_allocataire=spec.numero, departement=departement, opened_on=spec.opened_on
    )
    persons = {
        p.key: batch.add(
            Person,
            first_names=p.first_names,
            last_name=p.last_name,
            birth_date=p.birth_date,
            sex=p.sex,
            residence_status=p.residence_status,
        )
        for p in spec.persons
    }
    w = DossierWriter(batch, changes, dossier, spec.opened_on)
    opened = spec.opened_on
    creation = w.change(ChangeKind.CREATION, opened)
    members = {
        "a1": [
            w.create(
                Membership, creation, opened, dossier=dossier, person=persons["a1"], role=Role.ALLOCATAIRE
            )
        ]
    }
    unions: list[Row] = []
    if len(spec.adults) == 2:
        conjoint = w.create(
            Membership, creation, opened, dossier=dossier, person=persons["a2"], role=Role.CONJOINT
        )
        members["a2"] = [conjoint]
        union = w.create(
            Union,
            creation,
            opened,
            dossier=dossier,
            first_person=persons["a1"],
            second_person=persons["a2"],
            kind=spec.union_kind,
        )
        unions.append(union)
    for child in spec.children:
        arrival = max(opened, child.birth_date)  # a birth is a change of composition
        change = w.declared(ChangeKind.COMPOSITION, arrival)
        members[child.key] = [
            w.create(
                Membership, change, arrival, dossier=dossier, person=persons[child.key], role=Role.ENFANT
            )
        ]
    w.create(Address, creation, opened, dossier=dossier, **asdict(spec.address))
    w.create(
        Housing,
        creation,
        opened,
        dossier=dossier,
        status=spec.housing_status,
        monthly_rent=cents(spec.rent_cents),
    )
    w.create(BankAccount, creation, opened, dossier=dossier, **asdict(spec.bank_account))

    new = None
    if spec.separation is not None:
        new = _write_separation(batch, changes, w, spec, persons, members, unions, departement)
    sep = spec.separation

    def writer_for(person_key: str, day: date) -> DossierWriter:
        """Whoever declares a resource does it in the dossier they live in on that day."""
        if new is not None and sep is not None and person_key == "a2" and day >= sep.on:
            return new
        return w

    _write_resources(spec.resources, persons, writer_for)
    if spec.child_support is not None:
        _write_child_support(w, spec.child_support, persons)
    if new is not None and sep is not None and sep.new_child_support is not None:
        _write_child_support(new, sep.new_child_support, persons)
    # Versions follow the effective dates (a stable sort keeps same-day changes in order).
    batch.extend(sorted(changes, key=lambda row: row.values["effective_date"]))


def _write_separation(
    batch: Batch,
    changes: list[Row],
    w: DossierWriter,
    spec: HouseholdSpec,
    persons: dict[str, Row],
    members: dict[str, list[Row]],
    unions: list[Row],
    departement: str,
) -> DossierWriter:
    """What `households.services.separation_record` writes, then the new dossier's declarations."""
    sep = spec.separation
    assert sep is not None
    change = w.change(ChangeKind.SEPARATION, sep.on)
    if unions:
        w.replace(unions, Union, change, sep.on, None)
    w.replace(members["a2"], Membership, change, sep.on, None)
    for key in sep.leaving:
        w.replace(members[key], Membership, change, sep.on, None)
    for key in sep.alternating:  # the same stay continues, in alternating residence
        values = {"dossier": w.dossier, "person": persons[key], "role": Role.ENFANT}
        w.replace(members[key], Membership, change, sep.on, {**values, "custody": Custody.ALTERNATING})

    dossier = batch.add(Dossier, numero_allocataire=sep.new_numero, departement=departement, opened_on=sep.on)
    new = DossierWriter(batch, changes, dossier, sep.on)
    creation = new.change(ChangeKind.CREATION, sep.on)
    new.create(Membership, creation, sep.on, dossier=dossier, person=persons["a2"], role=Role.ALLOCATAIRE)
    for key in sep.leaving:
        new.create(Membership, creation, sep.on, dossier=dossier, person=persons[key], role=Role.ENFANT)
    for key in sep.alternating:
        new.create(
            Membership,
            creation,
            sep.on,
            dossier=dossier,
            person=persons[key],
            role=Role.ENFANT,
            custody=Custody.ALTERNATING,
        )
    new.create(Address, creation, sep.on, dossier=dossier, **asdict(sep.new_address))
    new.create(
        Housing,
        creation,
        sep.on,
        dossier=dossier,
        status=sep.new_housing_status,
        monthly_rent=cents(sep.new_rent_cents),
    )
    new.create(BankAccount, creation, sep.on, dossier=dossier, **asdict(sep.new_bank_account))
    return new


def _write_resources(
    specs: tuple[ResourceSpec, ...], persons: dict[str, Row], writer_for: Callable[[str, date], DossierWriter]
) -> None:
    """Replay each person's resource timeline as the declarations `resource_set` records."""
    timelines: dict[tuple[str, str], list[ResourceSpec]] = {}
    for spec in specs:
        timelines.setdefault((spec.person_key, spec.kind), []).append(spec)
    for (person_key, kind), timeline in timelines.items():
        rows: list[Row] = []
        starts = {s.valid_from for s in timeline}
        for spec in sorted(timeline, key=lambda s: s.valid_from):
            writer = writer_for(person_key, spec.valid_from)
            change = writer.declared(ChangeKind.RESOURCES, spec.valid_from)
            values = {"person": persons[person_key], "kind": kind, "monthly_amount": cents(spec.cents)}
            rows = writer.replace(rows, Resource, change, spec.valid_from, values)
            if spec.valid_until is not None and spec.valid_until not in starts:  # declared at 0: it ends
                ending = writer_for(person_key, spec.valid_until)
                change = ending.change(ChangeKind.RESOURCES, spec.valid_until)
                rows = ending.replace(rows, Resource, change, spec.valid_until, None)


def _write_child_support(w: DossierWriter, spec: ChildSupportSpec, persons: dict[str, Row]) -> None:
    """As `child_support_set` records it; an unpaid pension from `unpaid_since` is a new value."""
    values: dict[str, Any] = {
        "dossier": w.dossier,
        "status": spec.status,
        "monthly_amount_set": cents(spec.cents),
        "debtor": persons[spec.debtor_key] if spec.debtor_key else None,
    }
    rows = [w.create(ChildSupport, w.declared(ChangeKind.CHILD_SUPPORT, spec.since), spec.since, **values)]
    if spec.unpaid_since is not None:
        change = w.change(ChangeKind.CHILD_SUPPORT, spec.unpaid_since)
        w.replace(rows, ChildSupport, change, spec.unpaid_since, {**values, "status": "set_unpaid"})


@transaction.atomic
def save_batch(batch: Batch) -> None:
    """Insert a chunk in one transaction: a chunk is loaded whole or not at all."""
    batch.save(INSERT_ORDER, WITH_IDS)


def existing_numeros(numeros: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(numeros), 5000):
        chunk = numeros[start : start + 5000]
        found.update(
            Dossier.objects.filter(numero_allocataire__in=chunk).values_list("numero_allocataire", flat=True)
        )
    return found


def chunks(start: int, stop: int, size: int) -> Iterator[tuple[int, int]]:
    for first in range(start, stop, size):
        yield first, min(stop, first + size)
