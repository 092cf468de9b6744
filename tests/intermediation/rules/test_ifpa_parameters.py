"""The dated parameters of data/ifpa.yaml, read through one accessor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import yaml

from parcours.intermediation.rules import IFPA, ParameterUnknown, ifpa_parameter, ifpa_value


def test_the_parameters_of_domain_md_5():
    assert ifpa_value("notice_within_days") == 15
    assert ifpa_value("notice_pay_within_days") == 15
    assert ifpa_value("lift_after_paid_months") == 6
    assert ifpa_value("arrears_back_months") == 24
    assert ifpa_value("small_debt_bmaf_ratio") == Decimal("1.2")
    assert ifpa_value("titre_silence_acceptance_months") == 4


def test_what_is_to_confirm_says_so():
    due_day = ifpa_parameter("debtor_due_day", date(2026, 1, 1))
    assert due_day.value == 5 and due_day.to_confirm and "à confirmer" in due_day.source
    assert ifpa_parameter("titre_silence_acceptance_months").to_confirm
    notice = ifpa_parameter("notice_within_days")
    assert not notice.to_confirm and "R582-8" in notice.source
    assert notice.in_force_from == date(2020, 10, 1)


def test_no_value_before_the_mechanism_existed():
    with pytest.raises(ParameterUnknown, match="aucune valeur en vigueur le 2019-01-01"):
        ifpa_parameter("notice_within_days", date(2019, 1, 1))


def test_every_entry_has_a_source_and_no_float():
    data = yaml.safe_load(IFPA.read_text(encoding="utf-8"))
    for name, entry in data.items():
        if name == "openfisca":
            continue
        assert entry["source"] and entry["description"] and entry["values"], name
        for value in entry["values"].values():
            assert isinstance(value, int | str) and not isinstance(value, bool), name
        if "à confirmer" in entry["source"]:
            assert entry.get("to_confirm") is True, name
