"""Every known default (rights/defaults.py) is exact, proven with plain OpenFisca.

For the golden households and a grid of housing statuses and resources, in each month of the golden
set, plain openfisca-france (tests/rights/reference.py: no known default at all) computes the
benefits with its full tracer on. In the trace, every variable that parcours treats as a known
default for a household's profile must be (a) its default for that household wherever openfisca
computes it by a formula — on every path, inside the spirals of its loops too — and (b) a formula
that never reads the loop RSA / prime d'activité <-> aides au logement (defaults.LOOP), whose
resolution depends on where openfisca first enters it. The engine simulates a group under the
union of its households' profiles, which knows fewer defaults than each: checking each household
under its own profile covers every group.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import astuple, fields

import numpy as np
import pytest
from openfisca_core.simulation_builder import SimulationBuilder

from parcours.rights.api import SimulationIn
from parcours.rights.defaults import LOOP, known_defaults
from parcours.rights.mapping import Profile, profile_of
from parcours.rights.simulation import tax_benefit_system

from . import reference
from .cases import CASES, case, child, parent

# A net given through its taxable amount only is computed by openfisca-france in the engine too
# (simulation.fill_nets_from_taxable): not a known default there.
NET_OF_TAXABLE = {"salaire_net": "salaire_imposable", "chomage_net": "chomage_imposable"}
NET_OF_TAXABLE["retraite_nette"] = "retraite_imposable"


def grid(month: str) -> list[dict]:
    """Every occupation status, with no income, a short or a long salary history, unemployment."""
    households = []
    for status, rent in (("tenant", "0.00"), ("tenant", "620.00"), ("buyer", "540.00"), ("owner", "0.00"),
                         ("hosted", "0.00")):  # fmt: skip
        households += [
            case("seul sans revenu", [parent(last=month)], status=status, rent=rent, month=month),
            case(
                "seul, 3 mois de salaire",
                [parent(last=month, count=3, salaire_net="1202.00")],
                status=status,
                rent=rent,
                month=month,
            ),
            case(
                "couple, un salaire, un enfant",
                [
                    parent(last=month, salaire_net="900.00"),
                    parent("p2", "1987-02-02", last=month, count=8, chomage_net="650.00"),
                    child("c1", "2018-03-03"),
                ],
                couple=True,
                status=status,
                rent=rent,
                month=month,
            ),
        ]
    return [payload for _, payload in households]


def months() -> dict[str, list[dict]]:
    by_month: dict[str, list[dict]] = defaultdict(list)
    for _, payload in CASES:
        by_month[payload["month"]].append(payload)
    for month in by_month:
        by_month[month] += grid(month)
    return by_month


def traced_violations(payloads: list[dict]) -> tuple[set[tuple], set[tuple], set[Profile]]:
    """(a) and (b) violations of one month's households, and the profiles checked."""
    tbs = tax_benefit_system()
    situation: dict = {"individus": {}, "familles": {}, "foyers_fiscaux": {}, "menages": {}}
    for index, payload in enumerate(payloads):
        reference.add_household(situation, f"h{index}", payload)
    simulation = SimulationBuilder().build_from_entities(tbs, situation)
    simulation.trace = True
    month = payloads[0]["month"]
    for name in reference.ORDER:
        if name == "ars":
            if month.endswith("-08"):
                simulation.calculate("ars", month[:4])
            continue
        simulation.calculate(name, month)
    profiles = [profile_of(SimulationIn(**payload).to_facts()) for payload in payloads]
    known = [known_defaults(profile) for profile in profiles]
    any_known = set().union(*known)
    person_ids = list(simulation.populations["individu"].ids)
    rows = defaultdict(list)
    for row, person in enumerate(person_ids):
        rows[int(person.split("_")[0][1:])].append(row)
    inputs = situation["individus"]

    def computed_by_openfisca(name: str, person: str, period: str) -> bool:
        given = inputs[person]
        return period not in given.get(name, {}) and period not in given.get(NET_OF_TAXABLE.get(name, ""), {})

    not_default: set[tuple] = set()
    reads_loop: set[tuple] = set()

    def check_value(node) -> None:
        variable = tbs.get_variable(node.name)
        if node.value is None or variable.value_type.__name__ == "Enum":
            return
        values, period = np.asarray(node.value), str(node.period)
        for household, names in enumerate(known):
            if node.name not in names:
                continue
            if variable.entity.key == "individu":
                entity_rows = [
                    r for r in rows[household] if computed_by_openfisca(node.name, person_ids[r], period)
                ]
            else:
                entity_rows = [household]
            if any(values[r] != variable.default_value for r in entity_rows):
                not_default.add((node.name, month, household))

    def walk(node, cut_above: tuple[str, ...]) -> None:
        if node.name in LOOP:
            reads_loop.update((name, month) for name in cut_above)
        if node.name in any_known:
            check_value(node)
            cut_above = (*cut_above, node.name)
        for below in node.children:
            walk(below, cut_above)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 50_000))
    try:
        for tree in simulation.tracer.trees:
            walk(tree, ())
    finally:
        sys.setrecursionlimit(limit)
    return not_default, reads_loop, set(profiles)


@pytest.fixture(scope="module")
def violations():
    not_default, reads_loop, profiles = set(), set(), set()
    for payloads in months().values():
        a, b, checked = traced_violations(payloads)
        not_default |= a
        reads_loop |= b
        profiles |= checked
    return not_default, reads_loop, profiles


def test_the_households_checked_cover_every_profile_flag_both_ways(violations):
    _, _, profiles = violations
    for position, flag in enumerate(fields(Profile)):
        assert {astuple(p)[position] for p in profiles} == {False, True}, flag.name


def test_every_known_default_is_its_default_on_every_formula_path(violations):
    not_default, _, _ = violations
    assert sorted(not_default) == []


def test_no_known_default_reads_the_rsa_ppa_housing_aid_loop(violations):
    _, reads_loop, _ = violations
    assert sorted(reads_loop) == []
