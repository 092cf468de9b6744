"""Golden households: parcours's amounts equal a direct openfisca-france computation of the same
facts, and ASF matches the published amounts (DOMAIN.md §3)."""

from decimal import Decimal

import pytest
from openfisca_core.simulation_builder import SimulationBuilder

from parcours.rights.api import SimulationIn
from parcours.rights.engine import compute, tax_benefit_system

from .cases import CASES

# The reference is written here, independently of parcours's adapter: one plain OpenFisca
# situation per household, built from the payload by hand.
STATUS = {
    "tenant": "locataire_vide",
    "owner": "proprietaire",
    "buyer": "primo_accedant",
    "hosted": "loge_gratuitement",
}
VARIABLES = ["asf", "af", "cf", "rsa", "ppa", "aide_logement", "aeeh"]


def plain_situation(payload: dict) -> dict:
    month = payload["month"]
    individus = {}
    for person in payload["persons"]:
        values = {"date_naissance": {"ETERNITY": person["birth_date"]}}
        for kind, by_month in person.get("resources", {}).items():
            values[kind] = {m: float(a) for m, a in by_month.items()}
        if person["role"] == "child":
            values["garde_alternee"] = {month: person.get("alternating_custody", False)}
        if person.get("disability_rate"):
            values["handicap"] = {month: person["disability_rate"] >= 50}
            values["taux_incapacite"] = {month: person["disability_rate"] / 100}
        if person.get("student"):
            values["etudiant"] = {month: True}
        individus[person["id"]] = values
    received = Decimal(payload["child_support"]["received_monthly"])
    first = payload["persons"][0]["id"]
    if received and "pensions_alimentaires_percues" not in individus[first]:
        individus[first]["pensions_alimentaires_percues"] = {month: float(received)}
    parents = [p["id"] for p in payload["persons"] if p["role"] == "parent"]
    children = [p["id"] for p in payload["persons"] if p["role"] == "child"]
    menage = {
        "personne_de_reference": parents[:1],
        "enfants": children,
        "statut_occupation_logement": {month: STATUS[payload["housing"]["status"]]},
        "loyer": {month: float(payload["housing"]["rent"])},
        "depcom": {month: payload["housing"]["commune_insee"]},
    }
    if len(parents) == 2:
        menage["conjoint"] = parents[1:]
    return {
        "individus": individus,
        "familles": {"f": {"parents": parents, "enfants": children}},
        "foyers_fiscaux": {"ff": {"declarants": parents, "personnes_a_charge": children}},
        "menages": {"m": menage},
    }


def plain(payload: dict) -> dict[str, Decimal]:
    tbs = tax_benefit_system()
    simulation = SimulationBuilder().build_from_entities(tbs, plain_situation(payload))
    month = payload["month"]
    out = {name: simulation.calculate(name, month)[0] for name in VARIABLES}
    out["aah"] = simulation.calculate("aah", month).sum()
    out["ars"] = simulation.calculate("ars", month[:4])[0] if month.endswith("-08") else 0.0
    return {name: Decimal(repr(float(v))).quantize(Decimal("0.01")) for name, v in out.items()}


@pytest.fixture(scope="module")
def parcours_results():
    by_month: dict[str, list] = {}
    for name, payload in CASES:
        by_month.setdefault(payload["month"], []).append((name, payload))
    results = {}
    for items in by_month.values():
        computed = compute([SimulationIn(**payload).to_facts() for _, payload in items])
        results |= {name: result for (name, _), result in zip(items, computed, strict=True)}
    return results


def test_there_are_at_least_thirty_varied_golden_households():
    assert len(CASES) >= 30
    assert len({name for name, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(("name", "payload"), CASES, ids=[name for name, _ in CASES])
def test_amounts_equal_a_direct_openfisca_computation(parcours_results, name, payload):
    expected = plain(payload)
    gross = parcours_results[name].benefits_gross
    for benefit, amount in expected.items():
        assert abs(gross[benefit] - amount) <= Decimal("0.01"), (benefit, gross[benefit], amount)


def test_the_golden_set_covers_every_asf_kind_and_several_benefits(parcours_results):
    kinds = {c.kind for r in parcours_results.values() for c in r.asf_children}
    assert {"avance_recouvrable", "differentielle", "non_recouvrable", "provisoire", "aucune"} <= kinds
    for benefit in ("asf", "af", "cf", "rsa", "ppa", "aide_logement", "aah", "aeeh", "ars"):
        assert any(r.benefits[benefit] > 0 for r in parcours_results.values()), benefit


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


@pytest.mark.parametrize(("month", "gross", "net"), PUBLISHED_ASF)
def test_asf_matches_the_published_amounts(month, gross, net):
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
    assert abs(result.benefits_gross["asf"] - Decimal(gross)) <= Decimal("0.01")
    assert abs(result.benefits["asf"] - Decimal(net)) <= Decimal("0.01")
