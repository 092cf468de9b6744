"""OpenFisca simulations of a chunk of households, built from numpy arrays, with known defaults.

`known_defaults` is how parcours passes what it knows instead of letting formulas rebuild it: for
those variables a value not given as input is the variable's default, without running its
formula (the effect of OpenFisca's `neutralize_variable`, for one simulation, inputs kept). Which
variables, and why each is exact, is in `defaults.py` and docs/decisions/0003.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_core.simulations import Simulation

from parcours.core.parameters import tax_benefit_system

from .facts import HouseholdFacts
from .mapping import OpenFiscaInputs, openfisca_inputs

__all__ = ["ParcoursSimulation", "build_simulation", "tax_benefit_system"]


class ParcoursSimulation(Simulation):
    """A Simulation in which the formulas of `known_defaults` are never run."""

    known_defaults: frozenset[str] = frozenset()

    def _run_formula(self, variable, population, period):  # type: ignore[no-untyped-def]
        if variable.name in self.known_defaults:
            return None  # openfisca-core then stores the variable's default array
        return super()._run_formula(variable, population, period)


GROUP_ROLES = (("famille", "famille_role"), ("foyer_fiscal", "foyer_role"), ("menage", "menage_role"))


def build_simulation(inputs: OpenFiscaInputs, known_defaults: frozenset[str] = frozenset()) -> Simulation:
    """One simulation holding every household of `inputs` (one famille, foyer, ménage each)."""
    tbs = tax_benefit_system()
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("individu", inputs.person_ids)
    households = np.arange(inputs.households)
    for entity, roles in GROUP_ROLES:
        group = builder.declare_entity(entity, households)
        builder.join_with_persons(group, inputs.person_household, getattr(inputs, roles))
    simulation = ParcoursSimulation(tbs, builder.populations)
    simulation.known_defaults = known_defaults
    for variable_name, by_period in inputs.values.items():
        variable = tbs.get_variable(variable_name, check_existence=True)
        encode = variable.possible_values.encode if variable.value_type.__name__ == "Enum" else None
        for period, array in by_period.items():
            simulation.set_input(variable_name, period, encode(array) if encode else array)
    return simulation


def fill_nets_from_taxable(inputs: OpenFiscaInputs, households: Sequence[HouseholdFacts]) -> None:
    """Give `inputs` the net amounts openfisca-france computes from a taxable amount given without
    its net (`inputs.nets_from_taxable`), so that the net stays a known default everywhere else.

    A set_input fills a variable for every person of the month: a person's missing net cannot be
    left to the formula while the others' nets are inputs. So the households concerned (few: only
    the API takes taxable amounts) are simulated alone, without any known default and without
    those nets as inputs, as plain OpenFisca computes them; the nets are not in the loop RSA /
    prime d'activité <-> aides au logement, so where they are computed changes nothing."""
    if not inputs.nets_from_taxable:
        return
    concerned = sorted(
        {
            int(inputs.person_household[row])
            for by_month in inputs.nets_from_taxable.values()
            for rows in by_month.values()
            for row in rows
        }
    )
    alone = openfisca_inputs([households[index] for index in concerned])
    for variable, by_month in alone.nets_from_taxable.items():
        for month in by_month:
            alone.values.get(variable, {}).pop(month, None)
    simulation = build_simulation(alone)
    # Households are laid out one after the other, persons in the same order in both.
    rows_in_inputs = np.concatenate([np.flatnonzero(inputs.person_household == index) for index in concerned])
    for variable, by_month in alone.nets_from_taxable.items():
        for month, rows in by_month.items():
            computed = simulation.calculate(variable, month)
            current = inputs.values.setdefault(variable, {}).get(month)
            array = np.zeros(inputs.persons, dtype=np.float32) if current is None else current.copy()
            array[rows_in_inputs[rows]] = computed[rows]
            inputs.values[variable][month] = array
    inputs.nets_from_taxable = {}
