"""Benefit amounts from openfisca-france for many households at once.

`compute(households)` groups the households by profile (mapping.Profile), runs one vectorised
simulation per group with the variables known to be their default (defaults.py), and returns one
`RightsResult` per household, in order.

Money: OpenFisca computes in float32; amounts leave as Decimal euros, rounded to the cent as
money.py explains.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import astuple
from datetime import date
from decimal import Decimal

import numpy as np

from parcours.core.parameters import openfisca_parameter

from .defaults import known_defaults
from .explain import household_result
from .facts import HouseholdFacts
from .fast_parameters import fast_parameters
from .mapping import OpenFiscaInputs, Profile, openfisca_inputs, profile_of
from .money import cents_list, to_cents
from .parameters import parameter
from .results import BENEFITS, Computed, RightsResult
from .simulation import build_simulation, fill_nets_from_taxable, tax_benefit_system

# The order of the calculations is the plain path's order: openfisca-core resolves its circular
# definitions (RSA <-> aides au logement of past months) by the order in which they are asked.
ORDER = ("asf", "af", "cf", "ars", "rsa", "ppa", "aide_logement", "aah", "aeeh")
INTERMEDIATES = ("en_couple", "asf_elig", "af_nbenf", "rsa_base_ressources")
CRDS = "prelevements_sociaux.contributions_sociales.crds"


def simulate(inputs: OpenFiscaInputs, known: frozenset[str]) -> Computed:
    """Every benefit of a group of households, in one vectorised simulation."""
    with fast_parameters():
        return _simulate(inputs, known)


def _simulate(inputs: OpenFiscaInputs, known: frozenset[str]) -> Computed:
    month = inputs.month
    simulation = build_simulation(inputs, known)
    famille = simulation.populations["famille"]
    zero = np.zeros(inputs.households, dtype=np.float32)
    ars_month = int(month[5:]) == parameter("ars_payment_month", month)
    gross: dict[str, np.ndarray] = {}
    net: dict[str, np.ndarray] = {}
    for name in ORDER:
        variable, paid = BENEFITS[name]
        if name == "ars":
            # A yearly benefit, paid with the month of August's benefits (data/parameters.yaml).
            year = month[:4]
            gross[name] = simulation.calculate(variable, year) if ars_month else zero
            net[name] = simulation.calculate(paid, year) if ars_month else zero
        elif name == "aah":
            gross[name] = net[name] = famille.sum(simulation.calculate(variable, month))
        else:
            gross[name] = simulation.calculate(variable, month)
    for name in ORDER:
        variable, paid = BENEFITS[name]
        if name not in net:
            net[name] = gross[name] if paid == variable else simulation.calculate(paid, month)
    if parameter("aeeh_crds", month):
        rate = openfisca_parameter(CRDS, date.fromisoformat(f"{month}-01"))
        net["aeeh"] = gross["aeeh"] * (1 - float(rate))
    return Computed(
        gross={name: cents_list(values) for name, values in gross.items()},
        net={name: cents_list(values) for name, values in net.items()},
        famille={name: simulation.calculate(name, month) for name in INTERMEDIATES},
        asf_elig_enfant=simulation.calculate("asf_elig_enfant", month),
    )


def compute(households: Sequence[HouseholdFacts], *, explain: bool = True) -> list[RightsResult]:
    """Rights of each household for its month (all households of one call share the same month);
    `explain=False` leaves the French explanations out (the batch stores amounts only)."""
    if not households:
        return []
    if len({h.month for h in households}) != 1:
        raise ValueError("Un calcul groupé porte sur un seul mois.")
    results: list[RightsResult | None] = [None] * len(households)
    # Nobody lives there (a dossier emptied by a separation): no rights, and nothing to simulate —
    # an OpenFisca famille needs at least one person.
    for index, household in enumerate(households):
        if not household.persons:
            zeros = {name: Decimal("0.00") for name in BENEFITS}
            results[index] = RightsResult(month=household.month, benefits=zeros, benefits_gross=dict(zeros))
    peopled = [i for i, h in enumerate(households) if h.persons]
    for profile, group in groups([households[i] for i in peopled]):
        indexes = [peopled[i] for i in group]
        members = [households[i] for i in indexes]
        inputs = openfisca_inputs(members)
        fill_nets_from_taxable(inputs, members)
        computed = simulate(inputs, known_defaults(profile))
        child_rows = _child_rows(inputs)
        for position, index in enumerate(indexes):
            results[index] = household_result(
                members[position], position, computed, list(BENEFITS), child_rows[position], explain=explain
            )
    return [r for r in results if r is not None]


# A profile's known defaults make one household about twice as fast; in a vectorised chunk the
# per-variable overhead is shared by the whole group instead, and one large group beats several
# smaller ones (measured: 4 000 households, one group +12 % over two). Smaller groups are merged.
MIN_GROUP = 2500


def groups(
    households: Sequence[HouseholdFacts], min_group: int | None = None
) -> list[tuple[Profile, list[int]]]:
    """The households grouped by profile, the small groups merged (largest groups first)."""
    min_group = min_group or MIN_GROUP
    by_profile: dict[Profile, list[int]] = defaultdict(list)
    for index, facts in enumerate(households):
        by_profile[profile_of(facts)].append(index)
    ordered = sorted(by_profile.items(), key=lambda item: -len(item[1]))
    kept = [(p, i) for p, i in ordered if len(i) >= min_group]
    rest = [(p, i) for p, i in ordered if len(i) < min_group]
    if rest:
        merged = (union(p for p, _ in rest), sorted(i for _, indexes in rest for i in indexes))
        if len(merged[1]) >= min_group or not kept:
            kept.append(merged)
        else:
            largest = kept[0]
            kept[0] = (union([largest[0], merged[0]]), sorted(largest[1] + merged[1]))
    return kept


def union(profiles: Iterable[Profile]) -> Profile:
    """The profile under which every household of `profiles` can be simulated (fewer known defaults)."""
    flags = [astuple(p) for p in profiles]
    return Profile(*(any(column) for column in zip(*flags, strict=True)))


def _child_rows(inputs: OpenFiscaInputs) -> list[list[int]]:
    rows: list[list[int]] = [[] for _ in range(inputs.households)]
    for row, (household, role) in enumerate(zip(inputs.person_household, inputs.famille_role, strict=True)):
        if role == "enfant":
            rows[household].append(row)
    return rows


__all__ = ["BENEFITS", "RightsResult", "compute", "tax_benefit_system", "to_cents"]
