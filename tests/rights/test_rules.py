"""Pure rules of the rights engine: dated parameters, the ASF kinds, the mapping, money rounding."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openfisca_core.simulation_builder import SimulationBuilder

from parcours.rights import defaults
from parcours.rights.asf import asf_kind, asf_kinds
from parcours.rights.facts import HouseholdFacts, PersonFacts, resource_months
from parcours.rights.mapping import Profile, openfisca_inputs, profile_of, taxable_from_net
from parcours.rights.money import to_cents
from parcours.rights.parameters import parameter
from parcours.rights.simulation import tax_benefit_system

PARENT = PersonFacts("p1", "parent", date(1988, 5, 10))
CHILD = PersonFacts("c1", "child", date(2016, 3, 1))


def household(**kwargs) -> HouseholdFacts:
    return HouseholdFacts(**{"month": "2026-01", "couple": False, "persons": (PARENT, CHILD), **kwargs})


def test_parameters_are_dated_and_money_is_decimal():
    assert parameter("asf_provisional_months", "2026-01") == 4
    assert parameter("salaire_imposable_ratio", "2026-01") == Decimal("1.036")
    assert parameter("ars_payment_month", "2026-01") == 8
    with pytest.raises(LookupError):
        parameter("asf_provisional_months", "2010-01")


@pytest.mark.parametrize("year", ["2019", "2022", "2026"])
def test_the_taxable_salary_ratio_is_openfisca_frances_own(year):
    """The ratio in data/parameters.yaml is what openfisca-france's chain gives for a private-sector
    employee (net imposable / net), within 0.05 %."""
    month = f"{year}-06"
    individus = {
        f"s{i}": {
            "date_naissance": {"ETERNITY": "1980-01-01"},
            "salaire_de_base": {month: gross},
            "categorie_salarie": {month: "prive_non_cadre"},
            "contrat_de_travail": {month: "temps_plein"},
        }
        for i, gross in enumerate([1800, 2600, 3400])
    }
    names = list(individus)
    situation = {
        "individus": individus,
        "familles": {n: {"parents": [n]} for n in names},
        "foyers_fiscaux": {n: {"declarants": [n]} for n in names},
        "menages": {n: {"personne_de_reference": [n]} for n in names},
    }
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system(), situation)
    ratios = simulation.calculate("salaire_imposable", month) / simulation.calculate("salaire_net", month)
    assert np.allclose(ratios, float(parameter("salaire_imposable_ratio", month)), rtol=5e-4)


@pytest.mark.parametrize(
    ("status", "months", "kind"),
    [
        ("debtor_unable", None, "non_recouvrable"),
        ("set_unpaid", None, "avance_recouvrable"),
        ("set_paid", None, "differentielle"),
        ("none", 0, "provisoire"),
        ("none", 3, "provisoire"),
        ("none", 4, "aucune"),
        ("none", None, "provisoire"),
    ],
)
def test_asf_kind_by_child_support_situation(status, months, kind):
    facts = household(child_support_status=status, months_without_pension_set=months)
    assert asf_kind(facts, Decimal("200.18")) == kind
    assert asf_kind(facts, Decimal("0")) == "aucune"


def test_asf_lines_say_why_per_child():
    facts = household(
        persons=(PARENT, CHILD, PersonFacts("c2", "child", date(2004, 1, 1))),
        child_support_status="set_unpaid",
    )
    lines = asf_kinds(facts, True, [True, False], Decimal("200.18"))
    assert [(line.kind, line.paid) for line in lines] == [("avance_recouvrable", True), ("aucune", False)]
    assert "âge" in lines[1].explanation
    assert all(line.kind == "aucune" for line in asf_kinds(facts, False, [True, True], Decimal("200.18")))


def test_taxable_amounts_are_derived_from_the_net_ones_unless_given():
    resources = {
        "salaire_net": {"2025-12": Decimal("1200.00"), "2026-01": Decimal("1000.01")},
        "salaire_imposable": {"2026-01": Decimal("1050.00")},
        "indemnites_journalieres": {"2026-01": Decimal("300.00")},
    }
    values = openfisca_inputs([household(persons=(replace(PARENT, resources=resources), CHILD))]).values
    # 1200.00 x 1.036 = 1243.20; the given taxable amount wins over the derived one (1036.01)
    assert values["salaire_imposable"]["2025-12"].tolist() == [np.float32(1243.20), 0]
    assert values["salaire_imposable"]["2026-01"].tolist() == [np.float32(1050.00), 0]
    assert (
        values["indemnites_journalieres_maladie"]["2026-01"][0]
        == values["indemnites_journalieres"]["2026-01"][0]
        == 300
    )
    assert "2025-11" not in values["salaire_net"]


def test_a_net_missing_beside_its_taxable_amount_is_left_to_openfisca_not_a_known_zero():
    """Issue 9: a taxable amount without its net counted no earnings (the net was a known 0)."""
    from parcours.rights.simulation import fill_nets_from_taxable

    taxable_only = {"salaire_imposable": {"2025-12": Decimal("1300.00"), "2026-01": Decimal("1300.00")}}
    both = {
        "salaire_net": {"2026-01": Decimal("900.00")},
        "chomage_imposable": {"2025-12": Decimal("500.00")},
    }
    facts = [
        household(persons=(replace(PARENT, resources=both), CHILD)),
        household(persons=(replace(PARENT, resources=taxable_only), CHILD)),
    ]
    inputs = openfisca_inputs(facts)
    assert {
        v: {m: r.tolist() for m, r in by_month.items()} for v, by_month in inputs.nets_from_taxable.items()
    } == {
        "salaire_net": {"2025-12": [2], "2026-01": [2]},
        "chomage_net": {"2025-12": [0]},
    }
    fill_nets_from_taxable(inputs, facts)
    # openfisca-france's net of a taxable salary with no gross: the taxable amount (no CSG/CRDS)
    assert inputs.values["salaire_net"]["2026-01"].tolist() == [900, 0, 1300, 0]
    assert inputs.values["salaire_net"]["2025-12"].tolist() == [0, 0, 1300, 0]
    assert inputs.values["chomage_net"]["2025-12"].tolist() == [500, 0, 0, 0]
    assert inputs.nets_from_taxable == {}


@given(st.integers(min_value=0, max_value=10**9))
def test_the_derived_taxable_amount_is_the_decimal_product_rounded_half_up(cents):
    derived = taxable_from_net(np.array([[cents]], dtype=np.int64), ["2026-01"], "salaire_imposable_ratio")
    expected = (Decimal(cents) / 100 * Decimal("1.036")).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert Decimal(int(derived[0, 0])) / 100 == expected


def test_profiles_and_the_variables_they_make_known():
    assert profile_of(household()) == Profile(False, False, False, True, False)
    old = household(persons=(PersonFacts("p1", "parent", date(1960, 1, 1)),), housing_status="owner")
    assert profile_of(old) == Profile(False, True, False, False, False)
    assert {"aah", "aspa", "ass"} <= defaults.known_defaults(profile_of(household()))
    assert "aah" not in defaults.known_defaults(
        profile_of(household(persons=(PersonFacts("p1", "parent", date(1988, 1, 1), disability_rate=80),)))
    )


def test_every_known_default_is_an_openfisca_variable():
    """A renamed variable in a new openfisca-france would silently stop being cut: fail instead."""
    everything = defaults.ALWAYS | defaults.CHILD_BENEFITS | defaults.OVERSEAS | defaults.LOOP
    everything |= {"aah", "aspa", "asi", "rpns_imposables", "revenu_non_salarie"}
    tbs = tax_benefit_system()
    assert [name for name in sorted(everything) if tbs.get_variable(name) is None] == []


def test_the_inputs_put_parents_first_with_their_roles():
    facts = household(persons=(CHILD, PARENT, PersonFacts("p2", "parent", date(1987, 1, 1))), couple=True)
    inputs = openfisca_inputs([facts])
    assert inputs.famille_role == ["demandeur", "conjoint", "enfant"]
    assert inputs.menage_role == ["personne_de_reference", "conjoint", "enfant"]
    assert resource_months("2026-03")[0] == "2024-01" and resource_months("2026-03")[-1] == "2026-03"


@given(st.decimals(min_value=0, max_value=9999, places=3, allow_nan=False, allow_infinity=False))
def test_money_rounds_the_float32_back_to_its_decimal_half_up(amount):
    """What OpenFisca stores as float32 comes back as the amount it stands for, to the cent."""
    assert to_cents(np.float32(amount)) == amount.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


def test_a_household_nobody_lives_in_has_no_rights_even_beside_another():
    """A dossier emptied by a separation (regression: OpenFisca refused a famille of no person and
    failed the whole before/after estimate)."""
    from parcours.rights.engine import compute

    alone = HouseholdFacts(
        month="2026-12",
        couple=False,
        persons=(PersonFacts(id="p1", role="parent", birth_date=date(1988, 5, 10)),),
        housing_status="locataire",
        rent=Decimal("700.00"),
    )
    empty = replace(alone, persons=(), housing_status="heberge", rent=Decimal("0"))
    with_empty, by_itself = compute([alone, empty]), compute([alone])
    assert with_empty[0].benefits == by_itself[0].benefits
    assert set(with_empty[1].benefits.values()) == {Decimal("0.00")}
