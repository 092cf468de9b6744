"""French formats of the templates: money (Decimal only), dates, masked IBANs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from parcours.core.templatetags.parcours_format import date_fr, euros, format_euros, iban_masked

NNBSP, NBSP = "\u202f", "\u00a0"  # narrow no-break space (thousands), no-break space (before €)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.5"), f"1{NNBSP}234,50{NBSP}€"),
        (Decimal("1234.50"), f"1{NNBSP}234,50{NBSP}€"),
        (Decimal("0"), f"0,00{NBSP}€"),
        (Decimal("999.99"), f"999,99{NBSP}€"),
        (Decimal("1000"), f"1{NNBSP}000,00{NBSP}€"),
        (Decimal("1234567.89"), f"1{NNBSP}234{NNBSP}567,89{NBSP}€"),
        (Decimal("-75.125"), f"-75,13{NBSP}€"),  # half up, away from zero
        (Decimal("-1234.5"), f"-1{NNBSP}234,50{NBSP}€"),
        (Decimal("0.005"), f"0,01{NBSP}€"),
        (Decimal("-0.001"), f"0,00{NBSP}€"),  # never "-0,00 €"
        (Decimal("-0"), f"0,00{NBSP}€"),
        (12, f"12,00{NBSP}€"),  # an integer is exact: a sum of nothing is 0
        (None, "—"),
        ("", "—"),  # a missing template value
    ],
)
def test_euros(value, expected):
    assert euros(value) == expected == format_euros(value)


def test_euros_spaces_are_the_french_ones():
    text = euros(Decimal("1234.5"))
    assert text[1] == "\u202f" and text[-2] == "\u00a0"
    assert " " not in text  # no ordinary space, which a line could break on


@pytest.mark.parametrize("value", [1234.5, 0.1 + 0.2, "650.00", "pas un nombre", True, [Decimal("1")]])
def test_euros_refuses_anything_but_decimal(value):
    # A float (or text) here means the amount left Decimal on its way: refused loudly, not rounded.
    with pytest.raises(TypeError):
        euros(value)


def test_euros_in_a_template():
    html = Template("{% load parcours_format %}{{ a|euros }} / {{ b|euros }}").render(
        Context({"a": Decimal("-1234.5"), "b": None})
    )
    assert html == f"-1{NNBSP}234,50{NBSP}€ / —"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 3, 1), "1er mars 2026"),
        (date(2026, 8, 15), "15 août 2026"),
        (date(2025, 12, 31), "31 décembre 2025"),
        (date(2026, 2, 2), "2 février 2026"),
        (date(2024, 1, 1), "1er janvier 2024"),
        (None, "—"),
        ("", "—"),
        # A date-time is shown as its day in France: 23:30 UTC on 28 February is 1 March in Paris.
        (datetime(2026, 2, 28, 23, 30, tzinfo=UTC), "1er mars 2026"),
        (datetime(2026, 7, 14, 12, 0), "14 juillet 2026"),
    ],
)
def test_date_fr(value, expected):
    assert date_fr(value) == expected


def test_date_fr_in_a_template():
    html = Template("{% load parcours_format %}{{ d|date_fr }}").render(Context({"d": date(2026, 3, 1)}))
    assert html == "1er mars 2026"


def test_iban_masked_shows_only_the_country_and_the_last_four():
    assert iban_masked("FR7630006000011234567890189") == "FR76 •••• •••• 0189"
    assert iban_masked("") == "—"
