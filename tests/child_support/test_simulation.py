"""Both scales on one date, the shared input checks, and the explanation in plain French."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parcours.child_support.scales import Custody
from parcours.child_support.simulation import comparison, explanation, parse_amount, percent_fr, simulate
from parcours.core.money import format_euros

D = Decimal
ON = date(2026, 1, 15)


def test_the_2012_example_through_the_simulation_with_an_injected_rsa():
    result = simulate(income=D("1600"), children=2, custody="classique", on=ON, rsa_one_person=D("475"))
    assert result.estimate.minimum_vital == D("475")
    assert (result.estimate.per_child, result.estimate.total) == (D("129.38"), D("258.76"))
    assert result.threshold.rsa == D("475")  # both scales use the RSA for one person
    assert not result.to_confirm


def test_the_rsa_of_the_date_is_read_from_openfisca_france():
    assert simulate(income=D("2000"), children=1, custody=Custody.ALTERNE, on=ON).estimate.minimum_vital == D(
        "646.52"
    )


def test_to_confirm_follows_the_justice_rate():
    assert simulate(income=D("3000"), children=4, custody="reduit", on=ON).to_confirm
    assert not simulate(income=D("3000"), children=3, custody="reduit", on=ON).to_confirm


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1600", "1600"),
        ("1 600,50", "1600.50"),
        ("1\u202f600,5 €", "1600.5"),
        (" 0 ", "0"),
        ("1600.25", "1600.25"),
    ],
)
def test_amounts_are_read_as_people_type_them(text, amount):
    assert parse_amount(text) == D(amount)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "Saisissez un montant"),
        ("1,2,3", "Saisissez un montant"),
        ("NaN", "Saisissez un montant"),
        ("-1", "négatif"),
        ("1,001", "au plus deux décimales"),
        ("1000000,01", "dépasser"),
    ],
)
def test_bad_amounts_are_refused_in_french(text, message):
    with pytest.raises(ValueError, match=message):
        parse_amount(text)


def test_percentages_are_written_the_french_way():
    assert percent_fr(D("11.5")) == "11,5\u00a0%"
    assert percent_fr(D("10")) == "10\u00a0%"
    assert percent_fr(D("4.90")) == "4,9\u00a0%"


def test_the_explanation_walks_through_each_scale():
    steps = explanation(
        simulate(income=D("1600"), children=2, custody="classique", on=ON, rsa_one_person=D("475"))
    )
    assert "475,00\u00a0€" in steps["justice"][0]
    assert "1\u202f125,00\u00a0€ × 11,5\u00a0% = 129,38\u00a0€ par enfant" in steps["justice"][1]
    assert steps["justice"][-1] == "Pour 2 enfants : 258,76\u00a0€ par mois."
    assert "11,8\u00a0%, taux classique" in steps["caf"][0]
    assert "le seuil n'est pas réduit" in steps["caf"][1]


def test_the_explanation_says_when_nothing_is_due_or_the_threshold_is_lowered():
    low = explanation(simulate(income=D("500"), children=1, custody="reduit", on=ON))
    assert "ne dépasse pas ce minimum" in low["justice"][1]
    assert "aucun montant minimum n'est donc exigé" in low["caf"][1]
    capped = explanation(simulate(income=D("700"), children=1, custody="reduit", on=ON))
    assert "taux majoré" in capped["caf"][0]
    assert "(700,00\u00a0€ − 646,52\u00a0€) ÷ 1 = 53,48\u00a0€ par enfant" in capped["caf"][1]


@pytest.mark.parametrize("income", ["700", "2000", "4500", "12000"])
@pytest.mark.parametrize("custody", list(Custody))
def test_the_two_amounts_are_compared_row_by_row_and_the_gap_explained(income, custody):
    result = simulate(income=D(income), children=2, custody=custody, on=ON)
    compared = comparison(result)
    rows = {label: (justice, caf) for label, justice, caf in compared.rows}
    assert rows["Par mois pour 2 enfants"] == (
        format_euros(result.estimate.total),
        format_euros(result.threshold.total),
    )
    assert rows["Taux par enfant"] == (
        percent_fr(result.estimate.rate.percent),
        percent_fr(result.threshold.rate.percent),
    )
    # Both tables' rates make the Caf minimum the higher one; the page says why, with the RSA.
    assert result.threshold.total > result.estimate.total
    assert "plus élevé que l'estimation" in compared.verdict
    assert format_euros(result.estimate.minimum_vital) in compared.verdict
    assert format_euros(result.threshold.total) in compared.advice


def test_below_the_rsa_no_minimum_is_asked_and_the_page_says_so():
    compared = comparison(simulate(income=D("500"), children=1, custody="classique", on=ON))
    assert "aucun montant minimum" in compared.verdict
    assert "juge aux affaires familiales" in compared.advice
