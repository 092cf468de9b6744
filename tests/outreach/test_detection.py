"""The non-take-up rule: a simulated amount, no right open, no claim in progress, not suspended."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from parcours.outreach.detection import candidates
from parcours.rights.facts import HouseholdFacts, PersonFacts
from parcours.rights.results import BENEFITS


def single_parent(**overrides) -> HouseholdFacts:
    parent = PersonFacts(
        "p", "parent", date(1990, 5, 1), resources={"salaire_net": {"2026-11": Decimal("900.00")}}
    )
    children = tuple(PersonFacts(f"c{i}", "child", date(2016 + i, 1, 1)) for i in range(2))
    values = {
        "month": "2026-11",
        "couple": False,
        "persons": (parent, *children),
        "rent": Decimal("620.00"),
        "child_support_status": "set_unpaid",
    }
    return HouseholdFacts(**(values | overrides))


SIMULATED = {
    "asf": Decimal("399.28"),
    "ppa": Decimal("310.12"),
    "aide_logement": Decimal("288.00"),
    "af": Decimal("151.05"),
    "rsa": Decimal("0.00"),
}


def test_a_single_parent_with_an_unpaid_pension_is_a_candidate_for_the_asf_with_the_reasons():
    found = candidates(single_parent(), SIMULATED, received={"af", "aide_logement"}, pending=set())
    assert [(c.benefit, c.monthly_amount) for c in found] == [
        ("asf", Decimal("399.28")),
        ("ppa", Decimal("310.12")),
    ]
    asf = found[0]
    assert asf.label == "Allocation de soutien familial (ASF)"
    text = " ; ".join(asf.reasons)
    assert "399,28" in text and "élève seul" in text and "n'est pas payée" in text
    assert "900,00" in " ".join(found[1].reasons)  # the prime d'activité's activity income


def test_a_claim_in_progress_or_a_suspended_right_is_not_non_take_up():
    facts = single_parent(suspended=frozenset({"ppa"}))
    found = candidates(facts, SIMULATED, received={"af", "aide_logement"}, pending={"asf"})
    assert found == []


benefits = st.sampled_from(sorted(BENEFITS))
amounts = st.decimals(min_value=0, max_value=2_000, places=2)


@given(
    st.dictionaries(benefits, amounts),
    st.sets(benefits),
    st.sets(benefits),
    st.sets(benefits),
)
def test_nobody_is_a_candidate_for_what_they_receive_claim_or_have_suspended(
    simulated, received, pending, suspended
):
    found = candidates(single_parent(suspended=frozenset(suspended)), simulated, received, pending)
    named = {c.benefit for c in found}
    assert not named & (received | pending | suspended)
    expected = {b for b, a in simulated.items() if a > 0} - received - pending - suspended
    assert named == expected
    assert [c.monthly_amount for c in found] == sorted((c.monthly_amount for c in found), reverse=True)
    assert all(c.monthly_amount == simulated[c.benefit] for c in found)
