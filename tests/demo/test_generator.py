"""The pure generator: deterministic per seed, plausible, real places, valid bank details. No database."""

import csv
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import openfisca_france
import pytest
from schwifty import IBAN

from parcours.demo import generator
from parcours.demo.specs import MAX_HOUSEHOLDS

REFERENCE = date(2026, 11, 1)


@pytest.fixture(scope="module")
def population():
    return generator.households(3, 0, 2000, REFERENCE)


def test_same_seed_same_households_whatever_the_chunking():
    first = generator.households(11, 0, 60, REFERENCE)
    assert first == generator.households(11, 0, 60, REFERENCE)
    assert first == generator.households(11, 0, 25, REFERENCE) + generator.households(11, 25, 60, REFERENCE)
    # Household i alone, drawn out of order, is the same household.
    assert generator.household(11, 42, REFERENCE) == first[42]


def test_another_seed_gives_another_departement():
    first = generator.households(11, 0, 60, REFERENCE)
    other = generator.households(12, 0, 60, REFERENCE)
    assert [h.numero for h in first] == [h.numero for h in other]
    differing = sum(a != b for a, b in zip(first, other, strict=True))
    assert differing == 60


def test_index_out_of_range_is_refused():
    with pytest.raises(ValueError):
        generator.household(1, MAX_HOUSEHOLDS, REFERENCE)


def test_proportions_are_plausible(population):
    n = len(population)
    stories = Counter(h.story for h in population)
    assert 0.08 * n < stories["separated"] < 0.16 * n
    assert 0.25 * n < stories["single_parent"] < 0.40 * n
    assert 0.08 <= sum(h.has_unpaid_child_support for h in population) / n <= 0.12
    assert 0.005 <= sum(h.has_confidential_address for h in population) / n <= 0.025
    assert set(Counter(len(h.children) for h in population)) == {0, 1, 2, 3, 4, 5}
    assert {h.union_kind for h in population} == {None, "mariage", "pacs", "concubinage"}
    assert {h.housing_status for h in population} == {"locataire", "proprietaire", "accedant", "heberge"}
    ages = Counter(generator.age_on(c.birth_date, REFERENCE) for h in population for c in h.children)
    assert set(ages) == set(range(21))
    kinds = Counter(r.kind for h in population for r in h.resources)
    assert set(kinds) == set(generator.ACTIVITIES[k][0] for k in generator.ACTIVITIES) | {
        generator.RECEIVED,
        generator.PAID,
    }
    assert sum(not any(r.person_key == "a1" for r in h.resources) for h in population) > 0.1 * n  # no income


def test_unpaid_pensions_are_missing_or_irregular(population):
    shapes = Counter()
    for h in population:
        for support in h.child_supports:
            if support.current_status != "set_unpaid":
                continue
            creditor = "a1" if support is h.child_support else "a2"
            received = [r for r in h.resources if r.kind == generator.RECEIVED and r.person_key == creditor]
            if not received:
                shapes["missing"] += 1
            elif support.unpaid_since is not None:  # paid in full, then nothing
                assert [(r.cents, r.valid_until) for r in received] == [(support.cents, support.unpaid_since)]
                shapes["stopped"] += 1
            else:  # part of it
                assert all(0 < r.cents < support.cents for r in received)
                shapes["irregular"] += 1
    assert set(shapes) == {"missing", "stopped", "irregular"}


def test_dates_hold_together(population):
    for h in population:
        assert all(generator.age_on(a.birth_date, REFERENCE) >= 20 for a in h.adults)
        assert h.opened_on < REFERENCE and h.opened_on.day == 1
        for r in h.resources:
            assert r.valid_until is None or r.valid_from < r.valid_until
        if h.separation is not None:
            on = h.separation.on
            assert REFERENCE - timedelta(days=240) <= on < REFERENCE
            assert on > h.opened_on and all(c.birth_date < on for c in h.children)
            assert not set(h.separation.leaving) & set(h.separation.alternating)
            assert len(h.adults) == 2 and h.union_kind is not None


def test_every_bank_account_is_valid_with_the_bic_the_service_derives(population):
    accounts = [h.bank_account for h in population]
    accounts += [h.separation.new_bank_account for h in population if h.separation]
    for account in accounts:
        iban = IBAN(account.iban, validate_bban=True)  # raises on a wrong RIB key or check digits
        assert iban.country_code == "FR" and iban.compact == account.iban
        assert account.bic == str(iban.bic)
    assert len({a.iban for a in accounts}) == len(accounts)


def test_communes_are_real_essonne_communes():
    """Checked against the official commune list openfisca-france ships (zonage A/B/C, 2024)."""
    official = Path(openfisca_france.__file__).parent / "assets" / "zonage-communes"
    path = next(official.glob("zonage-abc-*.csv"))
    with path.open(encoding="utf-8") as handle:
        rows = {row["CODGEO"]: row for row in csv.DictReader(handle, delimiter=";")}
    communes = generator.reference_data()["communes"]
    assert len(communes) >= 12
    for insee, postcode, name in communes:
        assert rows[insee]["DEP"] == "91" and rows[insee]["LIBGEO"] == name
        assert postcode.startswith("91") and len(postcode) == 5


def test_the_demo_parents_household_tells_a_separation():
    demo = generator.household(2026, 0, REFERENCE)
    assert demo.story == "demo_separated" and len(demo.children) == 2
    sep = demo.separation
    assert sep is not None and not sep.leaving and not sep.alternating
    assert REFERENCE - timedelta(days=80) < sep.on < REFERENCE - timedelta(days=30)
    assert demo.child_support.debtor_key == "a2" and demo.has_unpaid_child_support
    couple = generator.household(2026, 1, REFERENCE)
    assert couple.story == "demo_couple" and couple.separation is None and len(couple.children) == 2
