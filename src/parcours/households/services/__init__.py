"""Write operations of the registry (see registry.py for the rules every service follows)."""

from .registry import (
    address_set,
    bank_account_set,
    child_support_set,
    commune_insee_is_valid,
    dossier_open,
    housing_set,
    member_add,
    member_leave,
    normalise_iban,
    person_create,
    postcode_is_valid,
    resource_set,
    situation_change_open,
    union_set,
)
from .separation import NewAddress, separation_record

__all__ = [
    "NewAddress",
    "address_set",
    "bank_account_set",
    "child_support_set",
    "commune_insee_is_valid",
    "dossier_open",
    "housing_set",
    "member_add",
    "member_leave",
    "normalise_iban",
    "person_create",
    "postcode_is_valid",
    "resource_set",
    "separation_record",
    "situation_change_open",
    "union_set",
]
