"""One reader of money input: ASCII digits, finite, bounded before any arithmetic, in cents."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcours.core.money_input import MAX_MONTHLY, MoneyError, money_from_json, money_from_text


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("1200.50", "1200.50"),
        ("0", "0"),
        ("-0", "0"),
        ("1.000", "1.000"),
        (1200, "1200"),
        ("1000000.00", "1000000"),
    ],
)
def test_json_amounts_are_read_exactly(value, amount):
    assert money_from_json(value) == D(amount)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1e30", "chiffres 0 à 9"),  # an exponent: never reaches Decimal's quantize
        ("1" * 29, "ne peut pas dépasser 1\u00a0000\u00a0000\u00a0€"),
        ("1" * 40, "ne peut pas dépasser"),
        ("9" * 400, "chiffres 0 à 9"),
        (10**400, "ne peut pas dépasser"),
        (1e308, "entre guillemets"),
        (12.5, "entre guillemets"),
        (True, "entre guillemets"),
        (None, "entre guillemets"),
        ("NaN", "chiffres 0 à 9"),
        ("Infinity", "chiffres 0 à 9"),
        ("\uff16\uff15\uff10", "chiffres 0 à 9"),  # full-width 650
        ("\u0666\u0665\u0660", "chiffres 0 à 9"),  # Arabic-Indic 650
        ("650\n", "chiffres 0 à 9"),
        ("+5", "chiffres 0 à 9"),
        ("-1", "ne peut pas être négatif"),
        (-1, "ne peut pas être négatif"),
        ("0.001", "au plus deux décimales"),
        ("0." + "0" * 30 + "1", "au plus deux décimales"),  # 33 digits: compared, then quantized
        ("0." + "0" * 60 + "1", "chiffres 0 à 9"),  # longer than any amount
        ("1000000.01", "ne peut pas dépasser"),
    ],
)
def test_bad_json_amounts_are_refused_in_french(value, words):
    with pytest.raises(MoneyError, match=words):
        money_from_json(value)


def test_the_noun_and_the_bound_are_the_callers():
    with pytest.raises(MoneyError) as refused:
        money_from_json("501", noun="Le revenu", maximum=D("500"))
    assert str(refused.value) == "Le revenu ne peut pas dépasser 500\u00a0€."


@pytest.mark.parametrize(
    ("text", "amount"), [("1 600,50", "1600.50"), ("1\u202f600 €", "1600"), (" 0 ", "0")]
)
def test_typed_amounts_are_read_as_people_type_them(text, amount):
    assert money_from_text(text) == D(amount)


@pytest.mark.parametrize("text", ["1e30", "\uff11\uff16\uff10\uff10", "1,2,3", "NaN", "", "x" * 100])
def test_bad_typed_amounts_are_refused_in_french(text):
    with pytest.raises(MoneyError, match="Saisissez un montant"):
        money_from_text(text)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(value=st.one_of(st.text(max_size=50), st.integers(), st.floats(), st.none(), st.booleans()))
def test_any_value_gives_a_bounded_amount_or_a_french_refusal(value):
    try:
        amount = money_from_json(value)
    except MoneyError as error:
        assert str(error)[0].isupper() and str(error).endswith(".")
    else:
        assert isinstance(amount, D) and 0 <= amount <= MAX_MONTHLY and amount == amount.quantize(D("0.01"))
