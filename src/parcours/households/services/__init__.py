"""Write operations of the registry (see registry.py for the rules every service follows)."""

from .registry import (
    address_set,
    bank_account_set,
    child_support_set,
    dossier_open,
    housing_set,
    member_add,
    member_leave,
    normalise_iban,
    person_create,
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
    "dossier_open",
    "housing_set",
    "member_add",
    "member_leave",
    "normalise_iban",
    "person_create",
    "resource_set",
    "separation_record",
    "situation_change_open",
    "union_set",
]
