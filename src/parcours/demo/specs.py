"""The generator's output: plain, frozen data describing one household's history. No Django.

Money is in integer cents; dates are real dates; codes are the registry's codes (Role, Custody,
ResourceKind, ChildSupportStatus, ...), spelled out as strings so this module needs no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

FIRST_NUMERO = 1_000_000  # household i is dossier FIRST_NUMERO + i
SEPARATED_NUMERO = 5_000_000  # the ex-partner's new dossier of household i: SEPARATED_NUMERO + i
MAX_HOUSEHOLDS = SEPARATED_NUMERO - FIRST_NUMERO  # the separation journey numbers from 8 000 000


def numero_of(index: int) -> str:
    return f"{FIRST_NUMERO + index:07d}"


def separated_numero_of(index: int) -> str:
    return f"{SEPARATED_NUMERO + index:07d}"


@dataclass(frozen=True)
class PersonSpec:
    key: str  # unique within the household: "a1" (allocataire), "a2" (partner), "c1", "c2", ...
    first_names: str
    last_name: str
    birth_date: date
    sex: str
    residence_status: str = "francais"


@dataclass(frozen=True)
class AddressSpec:
    street: str
    postcode: str
    commune_insee: str
    commune_name: str
    is_confidential: bool = False


@dataclass(frozen=True)
class BankAccountSpec:
    holder_name: str
    iban: str  # electronic form, valid (schwifty)
    bic: str  # as the registry service derives it from the IBAN


@dataclass(frozen=True)
class ResourceSpec:
    """A person's monthly resource of one kind over [valid_from, valid_until)."""

    person_key: str
    kind: str
    cents: int
    valid_from: date
    valid_until: date | None = None


@dataclass(frozen=True)
class ChildSupportSpec:
    """The child support a dossier's children are owed, from `since` (DOMAIN.md §4).

    With `unpaid_since`, the pension was paid until that date and is unpaid or irregular after.
    """

    status: str
    cents: int | None
    since: date
    debtor_key: str | None = None
    unpaid_since: date | None = None

    @property
    def current_status(self) -> str:
        return "set_unpaid" if self.unpaid_since is not None else self.status


@dataclass(frozen=True)
class SeparationSpec:
    """The couple separated on `on`: "a2" continues in a new dossier (as `separation_record` does)."""

    on: date
    new_numero: str
    alternating: tuple[str, ...]  # children in alternating residence in both households
    leaving: tuple[str, ...]  # children who go with the ex-partner
    new_address: AddressSpec
    new_housing_status: str
    new_rent_cents: int | None
    new_bank_account: BankAccountSpec
    new_child_support: ChildSupportSpec | None = None  # owed to the ex-partner's new household


@dataclass(frozen=True)
class HouseholdSpec:
    index: int
    numero: str
    story: str  # couple, single_parent, separated, alone, demo_separated, demo_couple
    opened_on: date
    adults: tuple[PersonSpec, ...]
    children: tuple[PersonSpec, ...]
    union_kind: str | None
    address: AddressSpec
    housing_status: str
    rent_cents: int | None
    resources: tuple[ResourceSpec, ...]
    bank_account: BankAccountSpec
    child_support: ChildSupportSpec | None = None
    separation: SeparationSpec | None = None

    @property
    def allocataire(self) -> PersonSpec:
        return self.adults[0]

    @property
    def persons(self) -> tuple[PersonSpec, ...]:
        return self.adults + self.children

    @property
    def child_supports(self) -> list[ChildSupportSpec]:
        supports = [self.child_support]
        if self.separation is not None:
            supports.append(self.separation.new_child_support)
        return [s for s in supports if s is not None]

    @property
    def has_unpaid_child_support(self) -> bool:
        return any(s.current_status == "set_unpaid" for s in self.child_supports)

    @property
    def has_confidential_address(self) -> bool:
        return self.address.is_confidential or (
            self.separation is not None and self.separation.new_address.is_confidential
        )
