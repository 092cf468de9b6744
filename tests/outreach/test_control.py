"""The control group: an exact share of the target, reproducible from its seed, blind to order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.outreach.control import ShareInvalid, control_group

numeros = st.sets(st.from_regex(r"\A[0-9]{7}\Z"), max_size=300)
shares = st.decimals(min_value=0, max_value=Decimal("0.5"), places=2)
seeds = st.integers(min_value=0, max_value=2**63)


@given(numeros, shares, seeds)
def test_the_group_is_an_exact_share_of_the_target(keys, share, seed):
    group = control_group(keys, share, seed)
    assert group <= keys
    assert len(group) == int(share * len(keys))  # floor: a share never rounds up into the target


@given(numeros, shares, seeds, st.randoms(use_true_random=False))
def test_the_seed_alone_gives_the_group_whatever_the_order_of_the_target(keys, share, seed, rnd):
    shuffled = list(keys)
    rnd.shuffle(shuffled)
    assert control_group(shuffled, share, seed) == control_group(sorted(keys), share, seed)


def test_two_seeds_draw_two_groups_and_each_household_has_the_share_s_chance():
    keys = [f"{n:07d}" for n in range(10_000)]
    first, second = control_group(keys, Decimal("0.10"), 1), control_group(keys, Decimal("0.10"), 2)
    assert len(first) == len(second) == 1_000 and first != second
    # Two independent draws of 10 % overlap by about 1 % of the target (100 ± 30 at 3 sigma).
    assert 70 <= len(first & second) <= 130
    # The draw is blind to the numéro's order: the group's numéros are spread like the target's
    # (mean 4 999,5; the standard error of a 1 000 sample's mean is about 91).
    assert abs(sum(int(k) for k in first) / 1_000 - 4_999.5) < 4 * 91


@pytest.mark.parametrize("share", [Decimal("-0.01"), Decimal("0.51"), Decimal("1")])
def test_a_share_outside_zero_to_one_half_is_refused_in_french(share):
    with pytest.raises(ShareInvalid, match="groupe témoin"):
        control_group(["1234567"], share, 1)
