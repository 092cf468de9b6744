"""OpenFisca simulations of a chunk of households, built from numpy arrays, with known defaults.

`known_defaults` is how parcours passes what it knows instead of letting formulas rebuild it: for
those variables a value not given as input is the variable's default, without running its
formula (the effect of OpenFisca's `neutralize_variable`, for one simulation, inputs kept). Which
variables, and why each is exact, is in `defaults.py` and docs/decisions/0003.
"""

from __future__ import annotations

import numpy as np
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_core.simulations import Simulation

from parcours.core.parameters import tax_benefit_system

from .mapping import OpenFiscaInputs

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
