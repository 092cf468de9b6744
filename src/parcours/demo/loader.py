"""Bulk loading of the synthetic département into the registry.

The per-record services are too slow for a million households, so the loader writes rows
directly, in chunks, with `bulk_create`. It writes exactly what the services would: one
`SituationChange` per change, records over half-open periods, and a change that replaces a value
retires the old row and creates its cut copy (planned with the same `history.replace_from`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

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

from .generator import AddressSpec, HouseholdSpec, ResourceSpec

SOURCE = "demo"


def cents(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value) / 100


@dataclass
class Batch:
    """Unsaved rows of a chunk, in dependency order."""

    dossiers: list[Dossier] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    changes: list[SituationChange] = field(default_factory=list)
    rows: dict[type, list] = field(default_factory=dict)

    def add(self, row: object) -> None:
        self.rows.setdefault(type(row), []).append(row)


class DossierWriter:
    """Records the changes of one dossier, like the services do, into a Batch."""

    def __init__(self, batch: Batch, dossier: Dossier):
        self.batch, self.dossier = batch, dossier
        self._changes: dict[tuple[str, date], SituationChange] = {}

    def change(self, kind: str, on: date) -> SituationChange:
        key = (kind, on)
        if key not in self._changes:
            change = SituationChange(dossier=self.dossier, kind=kind, effective_date=on, source=SOURCE)
            self.batch.changes.append(change)
            self._changes[key] = change
        return self._changes[key]

    def create(
        self,
        model: type,
        change: SituationChange,
        valid_from: date,
        valid_until: date | None = None,
        **values,
    ):
        row = model(created_in=change, valid_from=valid_from, valid_until=valid_until, **values)
        self.batch.add(row)
        return row

    def replace(
        self, current: list, model: type, change: SituationChange, on: date, values: dict | None
    ) -> list:
        """From `on`, the fact of `current` rows (same key) takes `values` (None: it ends)."""
        live = [r for r in current if r.retired_in is None]
        plan = history.replace_from([(r.valid_from, r.valid_until) for r in live], on, ending=values is None)
        created = []
        for index in plan.retire:
            live[index].retired_in = change
        for index, end in plan.keep_before:
            old = live[index]
            fields = {f.name: getattr(old, f.name) for f in model._meta.concrete_fields}
            for name in ("id", "valid_until", "created_in", "retired_in", "valid_from"):
                fields.pop(name, None)
            created.append(self.create(model, change, old.valid_from, end, **fields))
        if values is not None:
            created.append(self.create(model, change, on, plan.new_until, **values))
        return current + created


def _address_values(spec: AddressSpec) -> dict:
    return {
        "street": spec.street,
        "postcode": spec.postcode,
        "commune_insee": spec.commune_insee,
        "commune_name": spec.commune_name,
        "is_confidential": spec.is_confidential,
    }


def _write_resources(
    writer: DossierWriter, specs: list[ResourceSpec], persons: dict[str, Person], opened: date
):
    """Replay each person's resource timeline as the successive changes a declarant would make."""
    by_key: dict[tuple[str, str], list[ResourceSpec]] = {}
    for spec in specs:
        by_key.setdefault((spec.person_key, spec.kind), []).append(spec)
    for (person_key, kind), timeline in by_key.items():
        rows: list = []
        for spec in sorted(timeline, key=lambda s: s.valid_from):
            kind_of_change = ChangeKind.CREATION if spec.valid_from == opened else ChangeKind.RESOURCES
            change = writer.change(kind_of_change, spec.valid_from)
            values = {"person": persons[person_key], "kind": kind, "monthly_amount": cents(spec.cents)}
            rows = writer.replace(rows, Resource, change, spec.valid_from, values)
            if spec.valid_until is not None and not any(s.valid_from == spec.valid_until for s in timeline):
                rows = writer.replace(
                    rows,
                    Resource,
                    writer.change(ChangeKind.RESOURCES, spec.valid_until),
                    spec.valid_until,
                    None,
                )


def add_household(batch: Batch, spec: HouseholdSpec, departement: str) -> None:
    dossier = Dossier(numero_allocataire=spec.numero, departement=departement, opened_on=spec.opened_on)
    batch.dossiers.append(dossier)
    persons = {
        p.key: Person(
            first_names=p.first_names,
            last_name=p.last_name,
            birth_date=p.birth_date,
            sex=p.sex,
            residence_status=p.residence_status,
        )
        for p in [*spec.adults, *spec.children]
    }
    batch.persons.extend(persons.values())
    w = DossierWriter(batch, dossier)
    opened = spec.opened_on
    creation = w.change(ChangeKind.CREATION, opened)

    members: dict[str, list] = {}
    members["a1"] = [
        w.create(Membership, creation, opened, dossier=dossier, person=persons["a1"], role=Role.ALLOCATAIRE)
    ]
    unions: list = []
    if len(spec.adults) == 2:
        members["a2"] = [
            w.create(Membership, creation, opened, dossier=dossier, person=persons["a2"], role=Role.CONJOINT)
        ]
        unions = [
            w.create(
                Union,
                creation,
                opened,
                dossier=dossier,
                first_person=persons["a1"],
                second_person=persons["a2"],
                kind=spec.union_kind,
            )
        ]
    for child in spec.children:
        arrival = max(opened, child.birth_date)
        change = creation if arrival == opened else w.change(ChangeKind.COMPOSITION, arrival)
        person = persons[child.key]
        members[child.key] = [
            w.create(Membership, change, arrival, dossier=dossier, person=person, role=Role.ENFANT)
        ]
    w.create(Address, creation, opened, dossier=dossier, **_address_values(spec.address))
    w.create(
        Housing,
        creation,
        opened,
        dossier=dossier,
        status=spec.housing_status,
        monthly_rent=cents(spec.rent_cents),
    )
    w.create(
        BankAccount,
        creation,
        opened,
        dossier=dossier,
        holder_name=f"{spec.allocataire.first_names} {spec.allocataire.last_name}",
        iban=spec.iban,
        bic="",
    )
    _write_resources(w, spec.resources, persons, opened)

    support_from = opened
    if spec.separation is not None:
        support_from = spec.separation.on
        _write_separation(batch, w, spec, persons, members, unions, departement)
    if spec.child_support is not None:
        status, amount = spec.child_support
        change = w.change(
            ChangeKind.SEPARATION if support_from != opened else ChangeKind.CREATION, support_from
        )
        debtor = persons["a2"] if spec.separation is not None else None
        w.create(
            ChildSupport,
            change,
            support_from,
            dossier=dossier,
            status=status,
            monthly_amount_set=cents(amount),
            debtor=debtor,
        )


def _write_separation(batch, w, spec, persons, members, unions, departement) -> None:
    """What `households.services.separation_record` writes, for the demo's separated couples."""
    sep = spec.separation
    change = w.change(ChangeKind.SEPARATION, sep.on)
    w.replace(unions, Union, change, sep.on, None)
    w.replace(members["a2"], Membership, change, sep.on, None)
    for key in (*sep.leaving, *sep.alternating):
        rows = w.replace(members[key], Membership, change, sep.on, None)
        if key in sep.alternating:
            w.replace(
                rows,
                Membership,
                change,
                sep.on,
                {
                    "dossier": w.dossier,
                    "person": persons[key],
                    "role": Role.ENFANT,
                    "custody": Custody.ALTERNATING,
                },
            )

    new = Dossier(numero_allocataire=sep.new_numero, departement=departement, opened_on=sep.on)
    batch.dossiers.append(new)
    w2 = DossierWriter(batch, new)
    creation = w2.change(ChangeKind.CREATION, sep.on)
    w2.create(Membership, creation, sep.on, dossier=new, person=persons["a2"], role=Role.ALLOCATAIRE)
    for key in sep.leaving:
        w2.create(Membership, creation, sep.on, dossier=new, person=persons[key], role=Role.ENFANT)
    for key in sep.alternating:
        w2.create(
            Membership,
            creation,
            sep.on,
            dossier=new,
            person=persons[key],
            role=Role.ENFANT,
            custody=Custody.ALTERNATING,
        )
    w2.create(Address, creation, sep.on, dossier=new, **_address_values(sep.new_address))
    rent = spec.rent_cents or 60_000
    w2.create(Housing, creation, sep.on, dossier=new, status="locataire", monthly_rent=cents(rent))
    ex = spec.adults[1]
    w2.create(
        BankAccount,
        creation,
        sep.on,
        dossier=new,
        holder_name=f"{ex.first_names} {ex.last_name}",
        iban=sep.new_iban,
        bic="",
    )


MODEL_ORDER = (Membership, Union, Address, Housing, Resource, BankAccount, ChildSupport)


@transaction.atomic
def save_batch(batch: Batch) -> None:
    """Insert a chunk: parents first so that the children rows get their ids (RETURNING)."""
    Dossier.objects.bulk_create(batch.dossiers, batch_size=2000)
    Person.objects.bulk_create(batch.persons, batch_size=2000)
    SituationChange.objects.bulk_create(batch.changes, batch_size=2000)
    for model in MODEL_ORDER:
        rows = batch.rows.get(model, [])
        for row in rows:
            # Foreign keys were set on unsaved instances: refresh the ids now that they exist.
            row.created_in_id = row.created_in.pk
            row.retired_in_id = row.retired_in.pk if row.retired_in is not None else None
        model.objects.bulk_create(rows, batch_size=2000)


def existing_numeros(numeros: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(numeros), 5000):
        chunk = numeros[start : start + 5000]
        found.update(
            Dossier.objects.filter(numero_allocataire__in=chunk).values_list("numero_allocataire", flat=True)
        )
    return found


def chunks(total: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(total, start + size)
