"""The measured effect of a campaign: the uplift, its 95 % interval, the verdict the page shows and
the cost per right the campaign caused."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.outreach.effect import CountsInvalid, cost_per_right_caused, effect


@pytest.mark.parametrize(
    ("counts", "published"),
    [
        # Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10 (score, no
        # continuity correction): the intervals printed in the paper, to four decimals.
        ((56, 70, 48, 80), (0.0524, 0.3339)),
        ((9, 10, 3, 10), (0.1705, 0.8090)),
    ],
)
def test_the_interval_is_newcombe_s_as_published(counts, published):
    took_up, contacted, control_took_up, control = counts
    result = effect(contacted, took_up, control, control_took_up)
    assert (round(result.low, 4), round(result.high, 4)) == published
    assert result.uplift == pytest.approx(took_up / contacted - control_took_up / control)


def test_a_small_campaign_cannot_claim_what_a_large_one_shows():
    # The same rates, +2 points (7 % against 5 %), on two sample sizes.
    small = effect(contacted=400, contacted_took_up=28, control=100, control_took_up=5)
    large = effect(contacted=40_000, contacted_took_up=2_800, control=10_000, control_took_up=500)
    assert small.uplift == pytest.approx(large.uplift) == pytest.approx(0.02)
    assert not small.shown and "ne permet pas de conclure" in small.verdict and small.caused is None
    assert large.shown and large.verdict.startswith("Effet démontré")
    assert str(large.caused) == "800.0"  # 2 points of 40 000 households


def test_without_a_control_group_there_is_no_effect_to_show():
    result = effect(contacted=1_000, contacted_took_up=90, control=0, control_took_up=0)
    assert not result.measurable and not result.shown and "groupe témoin" in result.verdict


def test_a_contact_that_lowers_take_up_says_so():
    result = effect(contacted=10_000, contacted_took_up=300, control=10_000, control_took_up=500)
    assert result.shown and result.verdict.startswith("Effet négatif")
    assert result.caused is None and cost_per_right_caused(1_000_000, result) is None


def test_the_cost_counts_only_the_rights_the_campaign_caused():
    # 40 000 SMS at 5 centimes and 10 000 letters at 1,20 €: 14 000,00 €, for 800 rights caused
    # (not the 2 800 rights opened in the contacted group, 2 000 of which would have come anyway).
    large = effect(contacted=40_000, contacted_took_up=2_800, control=10_000, control_took_up=500)
    assert cost_per_right_caused(40_000 * 5 + 10_000 * 120, large) == 1_750


@pytest.mark.parametrize("counts", [(-1, 0, 10, 1), (10, 11, 10, 1), (10, 1, 10, -2)])
def test_counts_that_are_no_proportion_are_refused(counts):
    with pytest.raises(CountsInvalid, match="proportion"):
        effect(*counts)


sizes = st.integers(min_value=1, max_value=5_000)


@given(st.data(), sizes, sizes)
def test_the_interval_holds_the_observed_uplift_and_stays_within_minus_one_and_one(data, n1, n0):
    x1 = data.draw(st.integers(min_value=0, max_value=n1))
    x0 = data.draw(st.integers(min_value=0, max_value=n0))
    result = effect(n1, x1, n0, x0)
    assert -1 - 1e-9 <= result.low <= result.uplift <= result.high <= 1 + 1e-9
    assert result.shown == (result.low > 0 or result.high < 0)
    # The interval narrows as the sample grows, rates unchanged.
    bigger = effect(n1 * 4, x1 * 4, n0 * 4, x0 * 4)
    assert bigger.high - bigger.low <= result.high - result.low + 1e-9
    assert math.isclose(bigger.uplift, result.uplift, abs_tol=1e-12)
