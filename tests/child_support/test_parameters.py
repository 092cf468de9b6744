"""The dated parameters: parcours's data file, and the RSA amount read from openfisca-france."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import yaml

from parcours.child_support import parameters
from parcours.child_support.parameters import OutOfPeriod, rsa_one_person, scales_on, simulation_period


@pytest.mark.parametrize(
    ("on", "amount"),
    [
        # DOMAIN.md §3, "RSA one person"
        (date(2022, 4, 1), "575.52"),
        (date(2022, 7, 1), "598.54"),
        (date(2022, 11, 1), "598.54"),
        (date(2023, 4, 1), "607.75"),
        (date(2024, 4, 1), "635.71"),
        (date(2025, 4, 1), "646.52"),
        (date(2026, 1, 15), "646.52"),
        (date(2026, 4, 1), "651.69"),
        (date(2026, 3, 31), "646.52"),
    ],
)
def test_the_rsa_for_one_person_is_openfisca_frances(on, amount):
    assert rsa_one_person(on) == Decimal(amount)


def test_the_period_runs_from_the_arrete_to_the_next_rsa_revaluation():
    first, last = simulation_period()
    assert first == date(2018, 7, 27)
    # openfisca-france checked its last RSA value on 2026-04-01: trusted until the next 1 April.
    assert last == date(2027, 3, 31)
    for outside in (first.replace(day=26), date(2027, 4, 1)):
        with pytest.raises(OutOfPeriod, match="La date doit être comprise entre le 27 juillet 2018"):
            scales_on(outside)


def test_every_rate_is_a_string_in_the_data_file():
    # Rates are written between quotes, so that they are read as Decimal and never as float.
    data = yaml.safe_load(parameters.DATA.read_text(encoding="utf-8"))
    for name in ("justice_reference_table", "caf_threshold"):
        for version in data[name]["versions"]:
            assert version["source"] if "source" in version else data[name]["source"]
            for row in version["rows"]:
                rates = {k: v for k, v in row.items() if k not in ("children", "to_confirm")}
                assert rates and all(isinstance(v, str) for v in rates.values()), row


def test_a_float_rate_is_refused():
    with pytest.raises(TypeError, match="entre guillemets"):
        parameters._rate({"reduit": 18.0}, "reduit")


def test_the_to_confirm_values_of_domain_md_are_flagged():
    justice = scales_on(date(2026, 1, 15)).justice
    flagged = [i + 1 for i, row in enumerate(justice.rows) if any(r.to_confirm for r in row.values())]
    assert flagged == [4, 5, 6]
