"""Money as text: one display format for people, one machine format for files and JSON."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.core.money import cents_text, cents_to_decimal, format_cents, format_euros

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("cents", "shown", "machine"),
    [
        (0, f"0,00{NBSP}€", "0.00"),
        (1, f"0,01{NBSP}€", "0.01"),
        (-5, f"-0,05{NBSP}€", "-0.05"),
        (123456, f"1{NNBSP}234,56{NBSP}€", "1234.56"),
        (-10008, f"-100,08{NBSP}€", "-100.08"),
        (123456789012, f"1{NNBSP}234{NNBSP}567{NNBSP}890,12{NBSP}€", "1234567890.12"),
    ],
)
def test_cents_shown_to_people_and_written_for_programs(cents, shown, machine):
    assert format_cents(cents) == shown
    assert cents_text(cents) == machine


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_the_three_agree_exactly(cents):
    value = cents_to_decimal(cents)
    assert value == Decimal(cents) / 100 and value.as_tuple().exponent == -2
    assert Decimal(cents_text(cents)) == value
    assert format_cents(cents) == format_euros(value)
