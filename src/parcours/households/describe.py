"""Changes of situation in plain French, for the pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from parcours.core.money import format_euros

from .history import Change
from .models import ChildSupportStatus, Custody, HousingStatus, Person, ResourceKind, Role, UnionKind
from .selectors import (
    AddressValue,
    BankAccountValue,
    ChildSupportValue,
    HousingValue,
    MemberValue,
    UnionValue,
)


@dataclass(frozen=True)
class ChangeLine:
    on: date
    text: str


def _name(persons: dict[int, Person], pid: int) -> str:
    person = persons.get(pid)
    return f"{person.first_names} {person.last_name}" if person else f"personne n° {pid}"


def _describe(change: Change, persons: dict[int, Person]) -> str:
    before, after = change.before, change.after
    if change.component == "members":
        who = _name(persons, change.key)  # type: ignore[arg-type]
        if before is None and isinstance(after, MemberValue):
            residence = " (résidence alternée)" if after.custody == Custody.ALTERNATING else ""
            return f"Arrivée dans le foyer : {who}, {Role(after.role).label.lower()}{residence}"
        if after is None:
            return f"Départ du foyer : {who}"
        if isinstance(before, MemberValue) and isinstance(after, MemberValue):
            role = Role(after.role).label.lower()
            if before.custody == after.custody:
                return f"Changement de rôle : {who}, {role}"
            if after.custody == Custody.ALTERNATING:
                residence = "passe en résidence alternée"
            else:
                residence = "réside désormais habituellement dans ce foyer"
            if before.role != after.role:
                return f"{who}, désormais {role}, {residence}"
            return f"{who} {residence}"
        return f"Changement dans le foyer : {who}"
    if change.component == "union":
        if isinstance(after, UnionValue):
            return f"Vie de couple : {UnionKind(after.kind).label}"
        return "Fin de la vie de couple"
    if change.component == "address":
        if isinstance(after, AddressValue):
            if after.is_confidential:
                return "Nouvelle adresse (confidentielle)"
            return f"Nouvelle adresse : {after.street}, {after.postcode} {after.commune_name}"
        return "Fin de l'adresse connue"
    if change.component == "housing":
        if isinstance(after, HousingValue):
            rent = f", loyer {format_euros(after.monthly_rent)}" if after.monthly_rent is not None else ""
            return f"Logement : {HousingStatus(after.status).label}{rent}"
        return "Fin du logement connu"
    if change.component == "resources":
        pid, kind = change.key  # type: ignore[misc]
        label = ResourceKind(kind).label
        if after is None:
            return f"{label} de {_name(persons, pid)} : fin"
        return f"{label} de {_name(persons, pid)} : {format_euros(after)} par mois"  # type: ignore[arg-type]
    if change.component == "bank_account":
        if isinstance(after, BankAccountValue):
            return "Nouvelles coordonnées bancaires"
        return "Fin des coordonnées bancaires"
    if change.component == "child_support":
        if isinstance(after, ChildSupportValue):
            return f"Pension alimentaire : {ChildSupportStatus(after.status).label}"
        return "Fin de la situation de pension alimentaire"
    return "Changement de situation"


def describe_changes(changes: list[Change]) -> list[ChangeLine]:
    person_ids = set()
    for c in changes:
        if c.component == "members":
            person_ids.add(c.key)
        elif c.component == "resources":
            person_ids.add(c.key[0])  # type: ignore[index]
    persons = Person.objects.in_bulk(person_ids)
    return [ChangeLine(c.on, _describe(c, persons)) for c in changes]
