"""Golden households: parcours's amounts equal, to the cent, a plain openfisca-france computation of
the same facts (tests/rights/reference.py), and ASF matches the published amounts (DOMAIN.md §3)."""

from decimal import Decimal

import pytest

from parcours.rights.api import SimulationIn
from parcours.rights.asf import NONE
from parcours.rights.engine import compute

from .cases import CASES
from .reference import plain


def by_month(cases):
    months: dict[str, list] = {}
    for name, payload in cases:
        months.setdefault(payload["month"], []).append((name, payload))
    return months


@pytest.fixture(scope="module")
def results():
    """parcours's results and the plain reference's, one vectorised computation per month each."""
    ours, theirs = {}, {}
    for items in by_month(CASES).values():
        computed = compute([SimulationIn(**payload).to_facts() for _, payload in items])
        reference = plain([payload for _, payload in items])
        for (name, _), result, expected in zip(items, computed, reference, strict=True):
            ours[name], theirs[name] = result, expected
    return ours, theirs


def test_there_are_at_least_thirty_varied_golden_households():
    assert len(CASES) >= 30
    assert len({name for name, _ in CASES}) == len(CASES)


@pytest.mark.parametrize("name", [name for name, _ in CASES])
def test_amounts_equal_a_plain_openfisca_computation_to_the_cent(results, name):
    ours, theirs = results
    assert ours[name].benefits_gross == theirs[name]["gross"]
    paid = dict(theirs[name]["paid"])
    if all(child.kind == NONE for child in ours[name].asf_children):
        paid["asf"] = Decimal("0.00")  # parcours's ASF rules (asf.py): not paid at all
    assert ours[name].benefits == paid
    assert ours[name].total == sum(paid.values())


def test_the_golden_set_covers_every_asf_kind_and_every_benefit(results):
    ours, _ = results
    kinds = {child.kind for result in ours.values() for child in result.asf_children}
    assert {"avance_recouvrable", "differentielle", "non_recouvrable", "provisoire", "aucune"} <= kinds
    for benefit in ("asf", "af", "cf", "ars", "rsa", "ppa", "aide_logement", "aah", "aeeh"):
        assert any(r.benefits[benefit] > 0 for r in ours.values()), benefit
    both = [r for r in ours.values() if r.benefits["rsa"] > 0 and r.benefits["ppa"] > 0]
    assert both, "un foyer au RSA et à la prime d'activité"


def test_the_four_month_rule_stops_a_provisional_asf(results):
    ours, _ = results
    three = ours["isolé, pas de pension depuis 3 mois (encore provisoire)"]
    four = ours["isolé, pas de pension depuis 4 mois (ASF arrêtée)"]
    assert three.asf_children[0].kind == "provisoire" and three.benefits["asf"] > 0
    assert four.asf_children[0].kind == "aucune" and four.benefits["asf"] == 0
    assert four.benefits_gross["asf"] == three.benefits_gross["asf"] > 0  # OpenFisca's amount is unchanged
    assert "4 mois" in four.asf_children[0].explanation


# DOMAIN.md §3: ASF for one child deprived of one parent's support, gross and net of CRDS.
PUBLISHED_ASF = [
    ("2022-05", "118.79", "118.20"),
    ("2022-08", "123.54", "122.93"),
    ("2023-01", "185.33", "184.41"),
    ("2023-05", "188.18", "187.24"),
    ("2024-05", "196.84", "195.86"),
    ("2025-05", "200.18", "199.18"),
    ("2026-05", "201.78", "200.78"),
]


def test_asf_matches_the_published_amounts():
    """Published figures differ from BMAF × rate by ±0.01 € (DOMAIN.md §3): compared within it."""
    for month, gross, net in PUBLISHED_ASF:
        payload = {
            "month": month,
            "persons": [
                {"id": "p1", "role": "parent", "birth_date": "1985-01-01"},
                {"id": "c1", "role": "child", "birth_date": "2015-01-01"},
            ],
            "housing": {"status": "hosted"},
            "child_support": {"status": "set_unpaid"},
        }
        result = compute([SimulationIn(**payload).to_facts()])[0]
        assert abs(result.benefits_gross["asf"] - Decimal(gross)) <= Decimal("0.01"), month
        assert abs(result.benefits["asf"] - Decimal(net)) <= Decimal("0.01"), month
