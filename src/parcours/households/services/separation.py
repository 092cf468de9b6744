"""A separation: one household history that continues as two dossiers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import ChangeKind, Custody, Dossier, Membership, Person, Role, Union
from .registry import (
    _replace_from,
    address_set,
    dossier_open,
    member_add,
    member_leave,
    situation_change_open,
)


@dataclass(frozen=True)
class NewAddress:
    street: str
    postcode: str
    commune_insee: str
    commune_name: str
    is_confidential: bool = False


@transaction.atomic
def separation_record(
    *,
    dossier: Dossier,
    leaving: Person,
    on: date,
    new_numero_allocataire: str,
    children_leaving: list[Person] = (),  # type: ignore[assignment]
    children_alternating: list[Person] = (),  # type: ignore[assignment]
    new_address: NewAddress | None = None,
    by: Any = None,
    source: str = "agent",
) -> Dossier:
    """The couple of `dossier` separates on `on`: `leaving` continues in a new dossier.

    The union ends; `leaving` and the children who go with them leave the household; children in
    alternating residence stay in both households with custody "alternée"; the new dossier opens
    on the same day. The old dossier keeps its whole history.
    """
    current = {m.person_id: m for m in Membership.objects.filter(dossier=dossier).current().valid_on(on)}
    leaving_membership = current.get(leaving.pk)
    if leaving_membership is None or leaving_membership.role not in (Role.ALLOCATAIRE, Role.CONJOINT):
        raise ValidationError(
            {"leaving": "Cette personne n'est pas membre du couple de ce dossier à cette date."}
        )
    if leaving_membership.role == Role.ALLOCATAIRE:
        raise ValidationError(
            {"leaving": "L'allocataire reste titulaire du dossier : c'est l'autre membre du couple qui part."}
        )
    for child in [*children_leaving, *children_alternating]:
        if child.pk not in current or current[child.pk].role not in (Role.ENFANT, Role.AUTRE):
            raise ValidationError({"children": f"{child} n'est pas un enfant de ce foyer à cette date."})
    if any(len({c.pk for c in group}) < len(group) for group in (children_leaving, children_alternating)):
        raise ValidationError({"children": "Un même enfant est indiqué deux fois."})
    if set(c.pk for c in children_leaving) & set(c.pk for c in children_alternating):
        raise ValidationError(
            {"children": "Un enfant ne peut pas à la fois partir et être en résidence alternée."}
        )

    change = situation_change_open(
        dossier=dossier, kind=ChangeKind.SEPARATION, effective_date=on, by=by, source=source
    )
    if Union.objects.filter(dossier=dossier, retired_in__isnull=True).exists():
        _replace_from(Union, key={"dossier": dossier}, valid_from=on, values=None, change=change)
    member_leave(dossier=dossier, person=leaving, on=on, change=change)
    for child in children_leaving:
        member_leave(dossier=dossier, person=child, on=on, change=change)
    for child in children_alternating:
        # From `on`, the same stay continues in alternating residence, until its known end.
        _replace_from(
            Membership,
            key={"dossier": dossier, "person": child},
            valid_from=on,
            values={"role": current[child.pk].role, "custody": Custody.ALTERNATING},
            change=change,
        )

    new_dossier = dossier_open(
        numero_allocataire=new_numero_allocataire,
        departement=dossier.departement,
        opened_on=on,
        allocataire=leaving,
        by=by,
        source=source,
    )
    new_change = new_dossier.changes.get()
    # A child's known end of stay (a planned departure) carries over to the new household.
    for child, custody in [
        *((c, Custody.FULL) for c in children_leaving),
        *((c, Custody.ALTERNATING) for c in children_alternating),
    ]:
        member_add(
            dossier=new_dossier,
            person=child,
            role=current[child.pk].role,
            custody=custody,
            valid_from=on,
            valid_until=current[child.pk].valid_until,
            change=new_change,
        )
    if new_address is not None:
        address_set(dossier=new_dossier, valid_from=on, change=new_change, **new_address.__dict__)
    return new_dossier
