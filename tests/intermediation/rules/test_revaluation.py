"""The yearly revaluation of a pension by its index (rules/revaluation.py, DOMAIN.md §5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from parcours.intermediation.rules import revaluation
from parcours.intermediation.rules.revaluation import (
    DEFAULT_SERIES,
    IndexUnknown,
    anniversaries_between,
    anniversary_in,
    index_entry,
    index_value,
    next_anniversary,
    publication_lag_months,
    reference_month,
    revaluation_due,
    revaluation_on,
    revalued_amount,
    series_title,
)

D = Decimal
cents = st.integers(min_value=0, max_value=10_000_000)
indices = st.decimals(min_value=D("50"), max_value=D("300"), places=2, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


def test_a_worked_example_computed_by_hand():
    # A pension of 200,00 € a month from 1 December 2022, revalued on 1 December 2023.
    # Reference months (M − 2): October 2022 for the titre, October 2023 for the anniversary.
    # Index 001763852: October 2022 = 113,16 ; October 2023 = 117,54.
    # 200,00 × 117,54 / 113,16 = 23 508 / 113,16 = 207,7412… € → 207,74 € (half up to the cent).
    result = revaluation.revaluation(
        amount_cents=20000, anniversary=date(2023, 12, 1), base_month=reference_month(date(2022, 12, 1))
    )
    assert result.base.month == date(2022, 10, 1) and result.base.value == D("113.16")
    assert result.new.month == date(2023, 10, 1) and result.new.value == D("117.54")
    assert result.amount_cents == 20774
    assert result.to_confirm  # the index values and the lag are to confirm


def test_the_amount_follows_the_index_down():
    # 200,00 × 117,16 / 117,54 = 199,3534… → 199,35 €: no floor (see the module's docstring).
    assert revalued_amount(base_cents=20000, base_index=D("117.54"), new_index=D("117.16")) == 19935


def test_rounding_is_half_up_to_the_cent():
    assert revalued_amount(base_cents=5, base_index=D("2"), new_index=D("1")) == 3  # 2,5 → 3
    assert revalued_amount(base_cents=3, base_index=D("2"), new_index=D("1")) == 2  # 1,5 → 2
    assert revalued_amount(base_cents=20001, base_index=D("3"), new_index=D("1")) == 6667  # 6 667,0


@given(cents, indices)
def test_the_same_index_keeps_the_amount(base, index):
    assert revalued_amount(base_cents=base, base_index=index, new_index=index) == base


@given(cents, indices, indices)
def test_the_result_is_the_exact_ratio_within_half_a_cent(base, old, new):
    result = revalued_amount(base_cents=base, base_index=old, new_index=new)
    assert abs(D(result) - D(base) * new / old) <= D("0.5")


@given(cents, indices, indices, indices)
def test_a_higher_index_never_gives_less(base, old, new, other):
    low, high = sorted((new, other))
    assert revalued_amount(base_cents=base, base_index=old, new_index=low) <= revalued_amount(
        base_cents=base, base_index=old, new_index=high
    )


@pytest.mark.parametrize("bad", [1.5, D("100"), True])
def test_the_amount_is_integer_cents(bad):
    with pytest.raises(TypeError, match="centimes"):
        revalued_amount(base_cents=bad, base_index=D("100"), new_index=D("101"))


def test_an_index_must_be_positive():
    with pytest.raises(ValueError, match="strictement positif"):
        revalued_amount(base_cents=100, base_index=D("0"), new_index=D("101"))
    with pytest.raises(ValueError, match="négatif"):
        revalued_amount(base_cents=-1, base_index=D("100"), new_index=D("101"))


def test_index_values_and_their_status():
    assert index_value(DEFAULT_SERIES, date(2023, 3, 17)) == D("115.92")
    entry = index_entry(DEFAULT_SERIES, date(2026, 10, 1))
    assert entry.estimated and entry.to_confirm
    assert index_entry(DEFAULT_SERIES, date(2021, 1, 1)).status == "published"
    with pytest.raises(IndexUnknown, match="2020-12"):
        index_value(DEFAULT_SERIES, date(2020, 12, 1))
    with pytest.raises(IndexUnknown, match="pas connu"):
        index_value("000000000", date(2023, 1, 1))


def test_every_month_from_2021_01_to_2026_10_has_a_quoted_value_and_a_status():
    data = yaml.safe_load(revaluation.DATA.read_text(encoding="utf-8"))
    assert data["default_series"] == DEFAULT_SERIES
    values = data["series"][DEFAULT_SERIES]["values"]
    months = [f"{year}-{month:02d}" for year in range(2021, 2027) for month in range(1, 13)][:70]
    assert list(values) == months
    for raw in values.values():
        assert isinstance(raw["index"], str) and raw["status"] in revaluation.STATUSES
    assert data["publication_lag_months"]["to_confirm"] is True
    assert "hors tabac" in series_title()


def test_the_reference_month_is_two_months_before():
    assert publication_lag_months() == 2
    assert reference_month(date(2026, 3, 15)) == date(2026, 1, 1)
    assert reference_month(date(2026, 1, 31)) == date(2025, 11, 1)
    assert reference_month(date(2026, 1, 31), lag_months=1) == date(2025, 12, 1)


def test_anniversaries():
    start = date(2024, 2, 29)
    assert next_anniversary(start, start) == date(2025, 2, 28)
    assert next_anniversary(start, date(2027, 3, 1)) == date(2028, 2, 29)
    assert next_anniversary(start, date(2020, 1, 1)) == date(2025, 2, 28)  # never the start itself
    assert revaluation_due(start, date(2025, 2, 28))
    assert not revaluation_due(start, date(2025, 3, 1))
    assert not revaluation_due(start, start)
    assert revaluation_due(date(2023, 12, 1), date(2026, 12, 1))
    assert anniversaries_between(date(2022, 12, 1), after=date(2023, 6, 1), until=date(2025, 12, 1)) == [
        date(2023, 12, 1),
        date(2024, 12, 1),
        date(2025, 12, 1),
    ]


@given(days, days)
def test_next_anniversary_is_the_first_due_day_strictly_after(start, after):
    day = next_anniversary(start, after)
    assert day > after and day > start and revaluation_due(start, day)
    assert (day.month, day.day) in {(start.month, start.day), (2, 28)}
    assert anniversary_in(start, day.year - 1) <= max(after, start)  # none was skipped


def test_the_cycle_revalues_on_the_1st_of_the_anniversary_month():
    first = date(2027, 3, 1)
    assert revaluation_on(first, date(2027, 3, 1)) == date(2027, 3, 1)
    assert revaluation_on(first, date(2027, 3, 17)) == date(2027, 3, 1)  # a missed 1st catches up
    assert revaluation_on(first, date(2029, 3, 2)) == date(2029, 3, 1)
    assert revaluation_on(first, date(2026, 3, 1)) is None  # before the first one
    assert revaluation_on(first, date(2027, 4, 1)) is None
    # A first revaluation stated on another day than the 1st: that month still, as of the 1st.
    assert revaluation_on(date(2027, 3, 15), date(2027, 3, 2)) == date(2027, 3, 1)


def test_an_index_has_at_most_two_decimals():
    from unittest import mock

    data = {"series": {"X": {"values": {"2030-01": {"index": "104.245", "status": "published"}}}}}
    with (
        mock.patch("parcours.intermediation.rules.revaluation._data", return_value=data),
        pytest.raises(ValueError, match="au plus deux décimales"),
    ):
        index_value("X", date(2030, 1, 1))
