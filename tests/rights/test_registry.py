"""From the registry to facts: the bulk reader equals the one-household reader (household_on), in a
fixed number of queries per chunk; registry versions equal selectors.dossier_version."""

from datetime import date
from decimal import Decimal

import pytest

from parcours.households import services as registry
from parcours.households.selectors import dossier_version
from parcours.rights.registry import ResourceRow, facts_for_dossiers, facts_from_registry, monthly_amounts
from parcours.rights.services import registry_versions
from tests.factories import household

pytestmark = pytest.mark.django_db


def population():
    single = household(couple=False, children=2, salary=Decimal("900.00"))
    couple = household(couple=True, children=3, salary=Decimal("1400.00"))
    changing = household(couple=True, children=1, salary=Decimal("2100.00"))
    parent = changing.memberships.get(role="allocataire").person
    conjoint = changing.memberships.get(role="conjoint").person
    registry.resource_set(
        dossier=changing,
        person=parent,
        kind="salaire_net",
        valid_from=date(2025, 6, 15),
        monthly_amount=Decimal("0"),
    )
    registry.resource_set(
        dossier=changing,
        person=parent,
        kind="chomage_net",
        valid_from=date(2025, 7, 1),
        monthly_amount=Decimal("1200.00"),
    )
    separated = registry.separation_record(
        dossier=changing, leaving=conjoint, on=date(2026, 2, 1), new_numero_allocataire="7000002"
    )
    registry.child_support_set(
        dossier=changing,
        valid_from=date(2026, 2, 1),
        status="set_unpaid",
        monthly_amount_set=Decimal("250.00"),
    )
    return [single, couple, changing, separated]


@pytest.mark.parametrize("month", ["2025-12", "2026-03"])
def test_the_bulk_reader_equals_the_one_household_reader(month):
    dossiers = population()
    bulk = facts_for_dossiers([d.pk for d in dossiers], month)
    for dossier in dossiers:
        one, _version = facts_from_registry(dossier, month)
        assert bulk.get(dossier.pk) == one


def test_the_facts_follow_the_registry():
    dossiers = population()
    facts = facts_for_dossiers([d.pk for d in dossiers], "2026-03")
    changing = facts[dossiers[2].pk]
    assert not changing.couple and changing.child_support_status == "set_unpaid"
    assert changing.months_without_pension_set == 1
    parent = changing.parents[0]
    assert "2025-06" in parent.resources["salaire_net"] and "2025-07" not in parent.resources["salaire_net"]
    assert parent.resources["chomage_net"]["2026-03"] == Decimal("1200.00")
    assert min(parent.resources["chomage_net"]) == "2025-07"
    assert min(parent.resources["salaire_net"]) == "2024-01"  # January N-2
    assert facts[dossiers[3].pk].couple is False and len(facts[dossiers[3].pk].persons) == 1


def test_the_bulk_reader_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    # members, housing, communes, child support, resources, and the missing quarterly declarations
    small = [d.pk for d in population()]
    with django_assert_max_num_queries(6):
        facts_for_dossiers(small[:1], "2026-03")
    with django_assert_max_num_queries(6):
        facts_for_dossiers(small, "2026-03")


def test_bulk_versions_equal_dossier_version():
    dossiers = population()
    versions = registry_versions([d.pk for d in dossiers])
    assert versions == {d.pk: dossier_version(d) for d in dossiers}


def test_a_resource_counts_from_the_first_month_whose_first_day_it_covers():
    rows = [
        ResourceRow("salaire_net", date(2026, 1, 15), date(2026, 3, 1), Decimal("100")),
        ResourceRow("salaire_net", date(2026, 3, 1), None, Decimal("200")),
    ]
    months = ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04"]
    assert monthly_amounts(rows, months) == {
        "salaire_net": {"2026-02": Decimal("100"), "2026-03": Decimal("200"), "2026-04": Decimal("200")}
    }
