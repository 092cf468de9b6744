"""A synthetic département, deterministic for a seed: plain data, no database.

Household i is drawn from its own `random.Random(f"{seed}:{i}")`, so it does not depend on how
many households were drawn before: chunks can be generated independently and a larger demo
extends a smaller one. Dates are relative to a reference month (the demo's "today"), so the same
seed and reference month always give the same département.

Money is in integer cents here; the loader turns it into Decimal.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "essonne.json"
FIRST_NUMERO = 1_000_000  # dossier i has numero FIRST_NUMERO + i
SEPARATED_NUMERO = 5_000_000  # the ex-partner's new dossier of household i: SEPARATED_NUMERO + i
MAX_HOUSEHOLDS = SEPARATED_NUMERO - FIRST_NUMERO


@cache
def reference_data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class PersonSpec:
    key: str  # unique within the household: "a1", "a2", "c1", ...
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
class ResourceSpec:
    person_key: str
    kind: str
    cents: int
    valid_from: date
    valid_until: date | None = None


@dataclass(frozen=True)
class SeparationSpec:
    on: date
    new_numero: str
    alternating: tuple[str, ...]  # children in alternating residence in both households
    leaving: tuple[str, ...]  # children who go with the ex-partner
    new_address: AddressSpec
    new_iban: str


@dataclass
class HouseholdSpec:
    index: int
    numero: str
    opened_on: date
    adults: list[PersonSpec]
    children: list[PersonSpec]
    union_kind: str | None
    address: AddressSpec
    housing_status: str
    rent_cents: int | None
    resources: list[ResourceSpec]
    iban: str
    child_support: tuple[str, int | None] | None = None  # (status, monthly cents set)
    separation: SeparationSpec | None = None
    tags: set[str] = field(default_factory=set)

    @property
    def allocataire(self) -> PersonSpec:
        return self.adults[0]


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, 1)


def _birth(rng: random.Random, reference: date, min_age: int, max_age: int) -> date:
    start = date(reference.year - max_age - 1, reference.month, 1) + timedelta(days=1)
    end = date(reference.year - min_age, reference.month, 1)
    return start + timedelta(days=rng.randrange((end - start).days))


def _iban(rng: random.Random) -> str:
    from schwifty import IBAN  # a pure library: generates valid French RIB keys and IBAN checksums

    bank, branch = rng.choice(
        [("30006", "00001"), ("20041", "01005"), ("30004", "00813"), ("10278", "06018")]
    )
    account = f"{rng.randrange(10**10, 10**11)}"
    return IBAN.generate("FR", bank_code=bank, branch_code=branch, account_code=account).compact


def _address(rng: random.Random, confidential: bool = False) -> AddressSpec:
    ref = reference_data()
    insee, postcode, name = rng.choice(ref["communes"])
    street = f"{rng.randrange(1, 180)} {rng.choice(ref['streets'])}"
    return AddressSpec(street, postcode, insee, name, confidential)


def _adult(rng: random.Random, key: str, sex: str, last_name: str, reference: date) -> PersonSpec:
    ref = reference_data()
    names = ref["female_first_names"] if sex == "F" else ref["male_first_names"]
    status = rng.choices(["francais", "ue", "titre_sejour", "refugie"], weights=[82, 6, 10, 2])[0]
    return PersonSpec(key, rng.choice(names), last_name, _birth(rng, reference, 20, 58), sex, status)


def _activity_resources(
    rng: random.Random, person: PersonSpec, since: date, reference: date
) -> list[ResourceSpec]:
    """A person's monthly resources: a salary, ARE, a pension, or nothing; sometimes a recent change."""
    situation = rng.choices(["salarie", "chomage", "sans", "invalidite"], weights=[64, 12, 20, 4])[0]
    if situation == "sans":
        return []
    kind, low, high = {
        "salarie": ("salaire_net", 60_000, 350_000),
        "chomage": ("chomage_net", 60_000, 160_000),
        "invalidite": ("pensions_invalidite", 40_000, 110_000),
    }[situation]
    cents = rng.randrange(low, high, 100)
    if situation == "salarie" and rng.random() < 0.15:
        change = _months_before(reference, rng.randrange(1, 7))
        if change > since:
            new_cents = max(low, cents + rng.choice([-1, 1]) * rng.randrange(10_000, 60_000, 100))
            return [
                ResourceSpec(person.key, kind, cents, since, change),
                ResourceSpec(person.key, kind, new_cents, change),
            ]
    return [ResourceSpec(person.key, kind, cents, since)]


def _children(
    rng: random.Random, count: int, last_name: str, reference: date, oldest: int
) -> list[PersonSpec]:
    ref = reference_data()
    children = []
    for n in range(count):
        sex = rng.choice("FM")
        names = ref["female_first_names"] if sex == "F" else ref["male_first_names"]
        born = _birth(rng, reference, 0, max(0, oldest))
        children.append(PersonSpec(f"c{n + 1}", rng.choice(names), last_name, born, sex))
    return sorted(children, key=lambda c: c.birth_date)


def _child_support(rng: random.Random, children: int, *, irregular: bool) -> tuple[str, int | None] | None:
    """Child support owed to a parent raising children alone (DOMAIN.md §4, §8: 30–40 % unpaid)."""
    if children == 0:
        return None
    if irregular:
        return ("set_unpaid", rng.randrange(8_000, 25_000, 500) * children)
    status = rng.choices(["none", "set_paid", "debtor_unable"], weights=[35, 55, 10])[0]
    if status == "none":
        return ("none", None)
    return (status, rng.randrange(8_000, 25_000, 500) * children)


def _support_resources(
    rng: random.Random,
    support: tuple[str, int | None] | None,
    person: PersonSpec,
    since: date,
    reference: date,
) -> list[ResourceSpec]:
    if support is None:
        return []
    status, cents = support
    if cents is None:
        return []
    if status == "set_paid":
        return [ResourceSpec(person.key, "pensions_alimentaires_percues", cents, since)]
    if status == "set_unpaid" and rng.random() < 0.5:
        # Irregular: part of the pension was paid for a while, then nothing.
        stop = _months_before(reference, rng.randrange(1, 5))
        if stop > since:
            return [ResourceSpec(person.key, "pensions_alimentaires_percues", cents // 2, since, stop)]
    return []


def household(seed: int, index: int, reference: date) -> HouseholdSpec:
    """Household `index` of the département of `seed`, as of the reference month."""
    if not 0 <= index < MAX_HOUSEHOLDS:
        raise ValueError(f"index hors limites : {index}")
    rng = random.Random(f"{seed}:{index}")
    ref = reference_data()
    kind = rng.choices(["couple", "single_parent", "separated", "alone"], weights=[45, 33, 14, 8])[0]
    if index == 0:
        kind = "demo_couple"  # the demo parent's household: a couple with 2 children, about to separate
    last_name = rng.choice(ref["last_names"])
    first = _adult(
        rng, "a1", "F" if rng.random() < 0.85 or kind == "demo_couple" else "M", last_name, reference
    )
    adults = [first]
    if kind in ("couple", "separated", "demo_couple"):
        other_sex = "M" if first.sex == "F" else "F"
        other_name = last_name if rng.random() < 0.6 else rng.choice(ref["last_names"])
        adults.append(_adult(rng, "a2", other_sex, other_name, reference))
    youngest_adult_age = min(reference.year - a.birth_date.year for a in adults)
    if kind == "alone":
        n_children = 0
    elif kind == "demo_couple":
        n_children = 2
    else:
        n_children = rng.choices(
            [0, 1, 2, 3, 4, 5], weights=[6 if kind == "couple" else 0, 35, 33, 16, 7, 3]
        )[0]
    children = _children(rng, n_children, last_name, reference, min(20, youngest_adult_age - 18))

    earliest = min([c.birth_date for c in children], default=reference)
    opened_on = min(_months_before(reference, rng.randrange(6, 180)), earliest.replace(day=1))
    opened_on = max(opened_on, max(a.birth_date for a in adults).replace(day=1) + timedelta(days=18 * 366))
    opened_on = opened_on.replace(day=1)
    union_kind = rng.choice(["mariage", "pacs", "concubinage"]) if len(adults) == 2 else None

    resources = []
    for adult in adults:
        resources += _activity_resources(rng, adult, opened_on, reference)
    housing_status = rng.choices(
        ["locataire", "proprietaire", "accedant", "heberge"], weights=[60, 14, 16, 10]
    )[0]
    rent = None
    if housing_status in ("locataire", "accedant"):
        rent = rng.randrange(42_000, 80_000, 100) + 9_000 * len(children)

    irregular = kind in ("single_parent", "separated") and rng.random() < 0.22
    spec = HouseholdSpec(
        index=index,
        numero=f"{FIRST_NUMERO + index:07d}",
        opened_on=opened_on,
        adults=adults,
        children=children,
        union_kind=union_kind,
        address=_address(rng, confidential=rng.random() < 0.01),
        housing_status=housing_status,
        rent_cents=rent,
        resources=resources,
        iban=_iban(rng),
        tags={kind},
    )
    if kind == "single_parent":
        spec.child_support = _child_support(rng, len(children), irregular=irregular)
        spec.resources += _support_resources(rng, spec.child_support, first, opened_on, reference)
    if kind == "separated":
        _separate(rng, spec, reference, irregular)
    if spec.child_support and spec.child_support[0] == "set_unpaid":
        spec.tags.add("unpaid_child_support")
    if spec.address.is_confidential or (spec.separation and spec.separation.new_address.is_confidential):
        spec.tags.add("confidential")
    return spec


def _separate(rng: random.Random, spec: HouseholdSpec, reference: date, irregular: bool) -> None:
    """The couple separated in the last months: a day between 1 and 8 months ago."""
    latest = max(
        [spec.opened_on + timedelta(days=31), *[c.birth_date + timedelta(days=1) for c in spec.children]]
    )
    on = reference - timedelta(days=rng.randrange(20, 240))
    if on <= latest:
        spec.tags.discard("separated")
        spec.tags.add("couple")
        return
    alternating, leaving = [], []
    for child in spec.children:
        draw = rng.random()
        if draw < 0.35:
            alternating.append(child.key)
        elif draw < 0.5:
            leaving.append(child.key)
    spec.separation = SeparationSpec(
        on=on,
        new_numero=f"{SEPARATED_NUMERO + spec.index:07d}",
        alternating=tuple(alternating),
        leaving=tuple(leaving),
        new_address=_address(rng, confidential=rng.random() < 0.05),
        new_iban=_iban(rng),
    )
    staying = [c for c in spec.children if c.key not in leaving]
    if staying:
        spec.child_support = _child_support(rng, len(staying), irregular=irregular)
        spec.resources += _support_resources(rng, spec.child_support, spec.allocataire, on, reference)


def households(seed: int, start: int, stop: int, reference: date) -> list[HouseholdSpec]:
    return [household(seed, index, reference) for index in range(start, stop)]
