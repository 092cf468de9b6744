"""A synthetic département, deterministic for a seed: plain data, no database, no Django.

Household i is drawn from its own `random.Random(f"{seed}:{i}")`, so it does not depend on how
many households were drawn before: chunks can be generated independently, in any order, and a
larger demo extends a smaller one. Dates are relative to a reference month (the demo's "today"):
the same seed and reference month always give the same département.

Money is in integer cents here; the loader turns it into Decimal.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from schwifty import IBAN

from .specs import (
    MAX_HOUSEHOLDS,
    AddressSpec,
    BankAccountSpec,
    ChildSupportSpec,
    HouseholdSpec,
    PersonSpec,
    ResourceSpec,
    SeparationSpec,
    numero_of,
    separated_numero_of,
)

DATA = Path(__file__).parent / "data" / "essonne.json"

STORIES = ("couple", "single_parent", "separated", "alone")
STORY_WEIGHTS = (45, 33, 14, 8)
# Households 0 and 1 tell a story the demo logins rely on (see accounts.py).
DEMO_STORIES = {0: "demo_separated", 1: "demo_couple"}
# Share of lone parents whose pension is unpaid or irregular; with ~47 % lone or separated parents
# this gives ~10 % of households (DOMAIN.md §8 says 30–40 % of pensions, over parents owed one).
UNPAID_RATE = 0.22
CONFIDENTIAL_RATE = 0.01
# (bank code, branch code) of real French banks: schwifty derives the BIC, as the service does.
BANKS = (
    ("30006", "00001"),
    ("20041", "01005"),
    ("30004", "00813"),
    ("10278", "06018"),
    ("10107", "00175"),
    ("17515", "90000"),
    ("30002", "00550"),
)
# situation: (resource kind, lowest, highest monthly cents), and how often it is drawn
ACTIVITIES: dict[str, tuple[str, int, int]] = {
    "salarie": ("salaire_net", 60_000, 350_000),
    "chomage": ("chomage_net", 60_000, 160_000),
    "independant": ("rpns_micro_entreprise", 30_000, 250_000),
    "arret": ("indemnites_journalieres", 50_000, 150_000),
    "invalidite": ("pensions_invalidite", 40_000, 110_000),
    "retraite": ("retraite_nette", 90_000, 220_000),
}
ACTIVITY_WEIGHTS = {"salarie": 56, "chomage": 12, "sans": 17, "independant": 6, "arret": 4, "invalidite": 5}
DEMO_SALARIES = {"a1": (130_000, 165_000), "a2": (200_000, 260_000)}
RECEIVED, PAID = "pensions_alimentaires_percues", "pensions_alimentaires_versees_individu"


@cache
def reference_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


def departement() -> str:
    return str(reference_data()["departement"])


def months_before(day: date, months: int) -> date:
    """The first day of the month `months` months before the month of `day`."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, 1)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _birth(rng: random.Random, reference: date, min_age: int, max_age: int) -> date:
    """A birth date giving an age in [min_age, max_age] on the reference day (a 1st of month)."""
    start = date(reference.year - max_age - 1, reference.month, 1) + timedelta(days=1)
    end = date(reference.year - min_age, reference.month, 1)
    return start + timedelta(days=rng.randrange((end - start).days))


@cache
def _bic(bank: str, branch: str) -> str:
    bic = IBAN.generate("FR", bank_code=bank, branch_code=branch, account_code="0").bic
    return str(bic) if bic else ""


def _bank_account(rng: random.Random, holder: PersonSpec) -> BankAccountSpec:
    bank, branch = rng.choice(BANKS)
    account = f"{rng.randrange(10**10, 10**11)}"
    # schwifty computes the French RIB key and the IBAN check digits: every IBAN is valid.
    iban = IBAN.generate("FR", bank_code=bank, branch_code=branch, account_code=account).compact
    return BankAccountSpec(f"{holder.first_names} {holder.last_name}", iban, _bic(bank, branch))


def _address(rng: random.Random, confidential_rate: float) -> AddressSpec:
    ref = reference_data()
    insee, postcode, name = rng.choice(ref["communes"])
    street = f"{rng.randrange(1, 180)} {rng.choice(ref['streets'])}"
    return AddressSpec(street, postcode, insee, name, rng.random() < confidential_rate)


def _first_name(rng: random.Random, sex: str) -> str:
    ref = reference_data()
    return str(rng.choice(ref["female_first_names"] if sex == "F" else ref["male_first_names"]))


def _adult(
    rng: random.Random, key: str, sex: str, last_name: str, reference: date, ages: tuple[int, int]
) -> PersonSpec:
    status = rng.choices(["francais", "ue", "titre_sejour", "refugie"], weights=[82, 6, 10, 2])[0]
    birth = _birth(rng, reference, *ages)
    return PersonSpec(key, _first_name(rng, sex), last_name, birth, sex, status)


def _children(
    rng: random.Random, count: int, last_name: str, reference: date, ages: tuple[int, int]
) -> tuple[PersonSpec, ...]:
    drawn = []
    for _ in range(count):
        sex = rng.choice("FM")
        drawn.append((_birth(rng, reference, *ages), sex, _first_name(rng, sex)))
    drawn.sort()
    return tuple(
        PersonSpec(f"c{n + 1}", name, last_name, born, sex) for n, (born, sex, name) in enumerate(drawn)
    )


def _activity(rng: random.Random, person: PersonSpec, since: date, reference: date) -> list[ResourceSpec]:
    """A person's monthly income: a salary, ARE, a pension, nothing...; sometimes a recent change."""
    if age_on(person.birth_date, reference) >= 60 and rng.random() < 0.6:
        situation = "retraite"
    else:
        situation = rng.choices(list(ACTIVITY_WEIGHTS), weights=list(ACTIVITY_WEIGHTS.values()))[0]
    if situation == "sans":
        return []
    kind, low, high = ACTIVITIES[situation]
    cents = rng.randrange(low, high, 100)
    key = person.key
    change = months_before(reference, rng.randrange(1, 7))
    draw = rng.random()
    if change > since and situation == "salarie" and draw < 0.15:  # a raise, or fewer hours
        new = max(low, cents + rng.choice((-1, 1)) * rng.randrange(10_000, 60_000, 100))
        return [ResourceSpec(key, kind, cents, since, change), ResourceSpec(key, kind, new, change)]
    if change > since and situation == "chomage" and draw < 0.3:  # back to work: ARE ends
        salary = rng.randrange(120_000, 250_000, 100)
        return [
            ResourceSpec(key, kind, cents, since, change),
            ResourceSpec(key, "salaire_net", salary, change),
        ]
    if change > since and situation == "arret":  # on sick leave since `change`: a salary before
        salary = rng.randrange(120_000, 250_000, 100)
        return [
            ResourceSpec(key, "salaire_net", salary, since, change),
            ResourceSpec(key, kind, cents, change),
        ]
    return [ResourceSpec(key, kind, cents, since)]


def _payments(
    creditor: str, debtor: str | None, cents: int, since: date, until: date | None
) -> list[ResourceSpec]:
    paid = [ResourceSpec(creditor, RECEIVED, cents, since, until)]
    if debtor is not None:
        paid.append(ResourceSpec(debtor, PAID, cents, since, until))
    return paid


def _child_support(
    rng: random.Random,
    *,
    children: int,
    since: date,
    reference: date,
    creditor: str,
    debtor: str | None,
    unpaid: bool,
    variant: str | None = None,
) -> tuple[ChildSupportSpec, list[ResourceSpec]]:
    """The pension owed to the parent raising the children, and the resources it gives (§4)."""
    cents = rng.randrange(8_000, 25_000, 500) * children
    if unpaid:
        variant = variant or rng.choices(["never", "stopped", "irregular"], weights=[35, 35, 30])[0]
        stops = [months_before(reference, k) for k in range(1, 5) if months_before(reference, k) > since]
        if variant == "stopped" and stops:  # paid at first, nothing since `stop`
            stop = rng.choice(stops)
            spec = ChildSupportSpec("set_paid", cents, since, debtor, unpaid_since=stop)
            return spec, _payments(creditor, debtor, cents, since, stop)
        spec = ChildSupportSpec("set_unpaid", cents, since, debtor)
        if variant == "irregular":  # only a part of the pension comes
            part = cents * rng.randrange(30, 71) // 10_000 * 100
            return spec, _payments(creditor, debtor, part, since, None)
        return spec, []
    status = rng.choices(["none", "set_paid", "debtor_unable"], weights=[35, 55, 10])[0]
    if status == "none":
        return ChildSupportSpec("none", None, since), []
    spec = ChildSupportSpec(status, cents, since, debtor)
    return spec, _payments(creditor, debtor, cents, since, None) if status == "set_paid" else []


def household(seed: int, index: int, reference: date) -> HouseholdSpec:
    """Household `index` of the département of `seed`, as of the reference month."""
    if not 0 <= index < MAX_HOUSEHOLDS:
        raise ValueError(f"index hors limites : {index}")
    rng = random.Random(f"{seed}:{index}")
    ref = reference_data()
    story = DEMO_STORIES.get(index) or rng.choices(STORIES, weights=STORY_WEIGHTS)[0]
    demo = story.startswith("demo_")
    last_name = rng.choice(ref["last_names"])
    sex = "F" if demo or rng.random() < 0.85 else "M"
    adult_ages = (29, 42) if demo else (20, 62)
    adults = [_adult(rng, "a1", sex, last_name, reference, adult_ages)]
    if story not in ("single_parent", "alone"):
        other_name = last_name if rng.random() < 0.6 else rng.choice(ref["last_names"])
        adults.append(_adult(rng, "a2", "M" if sex == "F" else "F", other_name, reference, adult_ages))
    if story == "alone":
        n_children = 0
    elif demo:
        n_children = 2
    else:
        weights = [6 if story == "couple" else 0, 35, 33, 16, 7, 3]
        n_children = rng.choices(range(6), weights=weights)[0]
    youngest_adult = min(age_on(a.birth_date, reference) for a in adults)
    child_ages = (3, 12) if demo else (0, min(20, youngest_adult - 18))
    children = _children(rng, n_children, last_name, reference, child_ages)

    # The dossier opened some years ago, or at the first birth, once the youngest adult was 18.
    earliest = min((c.birth_date for c in children), default=reference)
    opened_on = min(
        months_before(reference, rng.randrange(60, 120) if demo else rng.randrange(6, 180)), earliest
    )
    youngest_birth = max(a.birth_date for a in adults)
    opened_on = max(
        opened_on.replace(day=1),
        months_before(youngest_birth.replace(year=youngest_birth.year + 18, day=1), -1),
    )

    union_kind = None
    if len(adults) == 2:
        union_kind = {"demo_separated": "pacs", "demo_couple": "mariage"}.get(story) or rng.choice(
            ["mariage", "pacs", "concubinage"]
        )
    resources: list[ResourceSpec] = []
    for adult in adults:
        if demo:  # a modest salary for the parent, a steady one for the other parent
            low, high = DEMO_SALARIES[adult.key]
            resources.append(ResourceSpec(adult.key, "salaire_net", rng.randrange(low, high, 100), opened_on))
        else:
            resources += _activity(rng, adult, opened_on, reference)
    housing = (
        "locataire"
        if demo
        else rng.choices(["locataire", "proprietaire", "accedant", "heberge"], weights=[60, 14, 16, 10])[0]
    )
    rent = None
    if housing in ("locataire", "accedant"):
        rent = rng.randrange(42_000, 80_000, 100) + 9_000 * len(children)
    address = _address(rng, 0 if demo else CONFIDENTIAL_RATE)
    bank_account = _bank_account(rng, adults[0])

    child_support = separation = None
    if story == "single_parent":
        child_support, paid = _child_support(
            rng,
            children=n_children,
            since=opened_on,
            reference=reference,
            creditor="a1",
            debtor=None,
            unpaid=rng.random() < UNPAID_RATE,
        )
        resources += paid
    elif story in ("separated", "demo_separated"):
        drawn = _separation(rng, index, opened_on, adults[1], children, reference, demo)
        if drawn is None:  # too recent a dossier or birth for a separation in the last months
            story = "couple"
        else:
            separation, child_support, paid = drawn
            resources += paid
    return HouseholdSpec(
        index=index,
        numero=numero_of(index),
        story=story,
        opened_on=opened_on,
        adults=tuple(adults),
        children=children,
        union_kind=union_kind,
        address=address,
        housing_status=housing,
        rent_cents=rent,
        resources=tuple(resources),
        bank_account=bank_account,
        child_support=child_support,
        separation=separation,
    )


def _separation(
    rng: random.Random,
    index: int,
    opened_on: date,
    ex_partner: PersonSpec,
    children: tuple[PersonSpec, ...],
    reference: date,
    demo: bool,
) -> tuple[SeparationSpec, ChildSupportSpec | None, list[ResourceSpec]] | None:
    """The couple separated in the last months (1 to 8; about 2 for the demo parent)."""
    if demo:
        on = months_before(reference, 2) + timedelta(days=rng.randrange(0, 20))
    else:
        on = reference - timedelta(days=rng.randrange(20, 240))
    latest = max([opened_on + timedelta(days=31), *[c.birth_date + timedelta(days=1) for c in children]])
    if on <= latest:
        return None
    alternating, leaving = [], []
    for child in children if not demo else ():
        draw = rng.random()
        if draw < 0.3:
            alternating.append(child.key)
        elif draw < 0.45:
            leaving.append(child.key)
    staying = [c for c in children if c.key not in alternating and c.key not in leaving]
    unpaid = demo or rng.random() < UNPAID_RATE
    old_support = new_support = None
    paid: list[ResourceSpec] = []
    if staying:  # the children live with the allocataire: the ex-partner owes the pension
        old_support, paid = _child_support(
            rng,
            children=len(staying),
            since=on,
            reference=reference,
            creditor="a1",
            debtor="a2",
            unpaid=unpaid,
            variant="stopped" if demo else None,
        )
    elif leaving:  # they all went with the ex-partner: the allocataire owes it
        new_support, paid = _child_support(
            rng,
            children=len(leaving),
            since=on,
            reference=reference,
            creditor="a2",
            debtor="a1",
            unpaid=unpaid,
        )
    new_housing = (
        "locataire" if demo else rng.choices(["locataire", "heberge", "accedant"], weights=[68, 27, 5])[0]
    )
    new_rent = rng.randrange(45_000, 75_000, 100) if new_housing != "heberge" else None
    separation = SeparationSpec(
        on=on,
        new_numero=separated_numero_of(index),
        alternating=tuple(alternating),
        leaving=tuple(leaving),
        new_address=_address(rng, 0 if demo else 3 * CONFIDENTIAL_RATE),
        new_housing_status=new_housing,
        new_rent_cents=new_rent,
        new_bank_account=_bank_account(rng, ex_partner),
        new_child_support=new_support,
    )
    return separation, old_support, paid


def households(seed: int, start: int, stop: int, reference: date) -> list[HouseholdSpec]:
    return [household(seed, index, reference) for index in range(start, stop)]
