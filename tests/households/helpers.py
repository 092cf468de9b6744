"""Shared helpers of the registry tests: row counts, refusals, states as plain values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from parcours.households.history import Change
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
from parcours.households.selectors import (
    AddressValue,
    BankAccountValue,
    ChildSupportValue,
    HouseholdState,
    HousingValue,
    MemberValue,
    UnionValue,
)

REGISTRY_MODELS = (
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

# Common French words: every refusal is written in French, for a person to read.
FRENCH = {"est", "pas", "un", "une", "de", "des", "du", "la", "le", "ce", "cet", "dans", "à"}


def registry_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in REGISTRY_MODELS}


def assert_refused(field: str, call: Callable[[], Any], *words: str) -> str:
    """`call` raises a ValidationError naming `field` in French, and no registry table changes."""
    before = registry_counts()
    with pytest.raises(ValidationError) as error:
        call()
    messages = error.value.message_dict
    assert field in messages, messages
    text = " ".join(messages[field])
    assert FRENCH & set(text.lower().replace("'", "' ").split()), text
    for word in words:
        assert word in text, text
    assert registry_counts() == before
    return text


Key = tuple[str, object]


def plain(component: str, value: object) -> object:
    """A registry value as the reference model writes it."""
    if isinstance(value, MemberValue):
        return (value.role, value.custody)
    if isinstance(value, UnionValue):
        return value.kind
    if isinstance(value, AddressValue):
        return value.street
    if isinstance(value, HousingValue):
        return (value.status, value.monthly_rent)
    if isinstance(value, BankAccountValue):
        return value.iban
    if isinstance(value, ChildSupportValue):
        return (value.status, value.monthly_amount_set)
    return value  # resources: the amount


def plain_state(state: dict[str, dict[Any, Any]]) -> dict[Key, object]:
    """A `history.State` as {(component, key): plain value}."""
    return {
        (component, key): plain(component, value)
        for component, values in state.items()
        for key, value in values.items()
    }


def plain_household(state: HouseholdState) -> dict[Key, object]:
    """What `household_on` answers, as {(component, key): plain value}."""
    out: dict[Key, object] = {("members", m.person.pk): (m.role, m.custody) for m in state.members}
    for component in ("union", "address", "housing", "bank_account", "child_support"):
        value = getattr(state, component)
        if value is not None:
            out[component, component] = plain(component, value)
    for key, amount in state.resources.items():
        out["resources", key] = amount
    return out


def plain_changes(changes: list[Change]) -> list[tuple]:
    return [
        (c.on, c.component, c.key, plain(c.component, c.before), plain(c.component, c.after)) for c in changes
    ]
