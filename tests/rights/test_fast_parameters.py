"""Parameters indexed by an array give the same values per distinct key as openfisca-core's own way."""

import numpy as np
import pytest
from openfisca_france.model.prestations.aides_logement import TypesZoneApl

from parcours.rights.fast_parameters import DistinctVectorialNode, fast_parameters
from parcours.rights.simulation import tax_benefit_system


@pytest.fixture(scope="module")
def allocations():
    return (
        tax_benefit_system().parameters("2026-01-01").prestations_sociales.aides_logement.allocations_logement
    )


def both(function):
    plain = function()
    with fast_parameters():
        fast = function()
    return plain, fast


def test_an_enum_indexed_node_and_its_leaves(allocations):
    rng = np.random.default_rng(3)
    zones = TypesZoneApl.encode(rng.choice(["zone_1", "zone_2", "zone_3"], size=500))
    plain, fast = both(lambda: allocations.locatif.coefficients_degressivite_suppression[zones].degressivite)
    assert plain.dtype == fast.dtype and np.array_equal(plain, fast)


def test_string_keys_then_a_second_array_of_keys(allocations):
    kinds = np.where(np.arange(300) % 3 == 0, "apl", "non_apl")
    plain, fast = both(lambda: allocations.locatif.seuils_minimum_versement[kinds])
    assert np.array_equal(plain, fast)
    zones = TypesZoneApl.encode(np.array(["zone_1", "zone_3"] * 150))
    node = allocations.locatif.coefficients_degressivite_suppression
    plain, fast = both(lambda: node[zones]["suppression"])
    assert np.array_equal(plain, fast)


def test_only_inside_the_scope():
    zones = TypesZoneApl.encode(np.array(["zone_1", "zone_2"] * 50))
    node = (
        tax_benefit_system().parameters("2026-01-01").prestations_sociales.aides_logement.allocations_logement
    )
    outside = node.locatif.coefficients_degressivite_suppression[zones]
    with fast_parameters():
        inside = node.locatif.coefficients_degressivite_suppression[zones]
    assert not isinstance(outside, DistinctVectorialNode) and isinstance(inside, DistinctVectorialNode)
    assert [n._name for n in inside.vector] == [n._name for n in outside.vector]
