"""The one accessor of dated parameters (parcours's YAML files) and the one reader of openfisca-france's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parcours.core.parameters import (
    ParameterUnknown,
    dated_parameter,
    openfisca_parameter,
    openfisca_period,
)

DATA = """
delay:
  source: CSS R582-8
  values:
    "2020-10-01": 15
    "2024-01-01": 20
ratio:
  source: à confirmer
  to_confirm: true
  values:
    "2010-01-01": "1.036"
flag:
  source: un texte
  values:
    "2000-01-01": false
table:
  source: un arrêté
  versions:
    - from: 2018-07-27
      rows: [{children: 1, rate: "18"}]
    - from: 2025-01-01
      rows: [{children: 1, rate: "17"}]
"""


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "parameters.yaml"
    path.write_text(DATA, encoding="utf-8")
    return path


def test_the_value_in_force_on_a_day_with_its_source(data):
    before = dated_parameter(data, "delay", date(2023, 12, 31))
    assert (before.value, before.in_force_from, before.source) == (15, date(2020, 10, 1), "CSS R582-8")
    assert dated_parameter(data, "delay", date(2024, 1, 1)).value == 20
    assert dated_parameter(data, "delay").value == 20  # no day: the latest value
    assert not before.to_confirm


def test_money_and_rates_between_quotes_are_decimal(data):
    ratio = dated_parameter(data, "ratio", date(2026, 1, 1))
    assert ratio.value == Decimal("1.036") and isinstance(ratio.value, Decimal) and ratio.to_confirm
    assert dated_parameter(data, "flag", date(2026, 1, 1)).value is False


def test_a_table_in_versions(data):
    table = dated_parameter(data, "table", date(2024, 6, 1))
    assert table.in_force_from == date(2018, 7, 27) and table.value["rows"][0]["rate"] == "18"
    assert dated_parameter(data, "table", date(2025, 1, 1)).value["rows"][0]["rate"] == "17"


def test_no_value_is_said_in_french(data):
    with pytest.raises(ParameterUnknown, match="delay : aucune valeur en vigueur le 2019-01-01"):
        dated_parameter(data, "delay", date(2019, 1, 1))
    with pytest.raises(ParameterUnknown, match="le paramètre inconnu n'existe pas"):
        dated_parameter(data, "inconnu", date(2026, 1, 1))


@pytest.mark.parametrize(
    "text",
    [
        'x:\n  source: s\n  values:\n    "2020-01-01": 1.5\n',
        "x:\n  source: s\n  versions:\n    - from: 2020-01-01\n      rows: [{rate: 13.5}]\n",
    ],
)
def test_a_float_is_refused_never_rounded(tmp_path, text):
    path = tmp_path / "floats.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TypeError, match="entre guillemets"):
        dated_parameter(path, "x", date(2026, 1, 1))


BMAF = "prestations_sociales.prestations_familiales.bmaf.bmaf"


def test_openfisca_parameters_come_back_as_the_decimal_written_in_openfisca_france():
    assert openfisca_parameter(BMAF, date(2025, 6, 1)) == Decimal("474.37")
    first, last = openfisca_period(BMAF, "04-01")
    assert first < date(2020, 1, 1) and last.month == 3 and last.day == 31
