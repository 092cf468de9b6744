"""The pure rules of the financial aid: the kinds of each theme, the dated rule of a kind, the
refusals of a request, the quotient familial, the budget and a loan's schedule."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.aid import rules

ON = date(2026, 3, 1)


def test_every_theme_has_kinds_and_every_kind_a_rule_in_force():
    assert set(rules.THEMES) == {
        "parentalite",
        "petite_enfance",
        "enfance_jeunesse",
        "animation_vie_sociale",
        "logement",
    }
    for theme in rules.THEMES:
        assert rules.kinds_of(theme)
    for kind in rules.KINDS:
        rule = rules.kind_rule(kind, ON)
        assert isinstance(rule.ceiling_cents, int) and rule.ceiling_cents > 0 and rule.forms
        assert "illustratives" in rule.source
        assert rule.loan_max_months > 0 if rule.loan else rule.loan_max_months == 0


def test_no_rule_before_the_first_version_is_a_french_refusal():
    with pytest.raises(rules.AidRuleError, match="Aucune règle n'est en vigueur"):
        rules.kind_rule("installation", date(2020, 1, 1))


def test_a_rent_debt_is_a_loan_only_with_its_ceiling_and_income_condition():
    errors = rules.request_refusals(
        theme="logement",
        kind="dette_de_loyer",
        form="subvention",
        amount_cents=300_000,
        loan_months=None,
        qf_cents=120_000,
        on=ON,
    )
    assert "prêt seulement" in errors["form"]
    assert "dépasse le plafond" in errors["amount_requested"]
    assert "quotient familial" in errors["quotient_familial"]


def test_a_kind_of_another_theme_and_a_loan_too_long_are_refused():
    assert (
        "thème « Parentalité »"
        in rules.request_refusals(
            theme="parentalite",
            kind="bafa",
            form="subvention",
            amount_cents=100,
            loan_months=None,
            qf_cents=0,
            on=ON,
        )["kind"]
    )
    errors = rules.request_refusals(
        theme="logement",
        kind="installation",
        form="pret",
        amount_cents=10_000,
        loan_months=48,
        qf_cents=0,
        on=ON,
    )
    assert errors == {
        "loan_months": "Un prêt « Aide à l'installation dans un logement » se rembourse en 24 mois au plus."
    }


def test_the_cnaf_parts_and_the_quotient():
    assert [rules.half_parts(adults=1, children=n) for n in range(5)] == [4, 5, 6, 8, 9]
    assert rules.half_parts(adults=2, children=2, disabled_children=1) == 7
    # 1 500 € + 140 € of AF, a couple with two children (3 parts): 546,66 €
    assert (
        rules.quotient_familial_cents(
            monthly_resources_cents=150_000, monthly_benefits_cents=14_000, halves=6
        )
        == 54_666
    )


def test_the_budget_refusal_names_what_is_left():
    assert (
        rules.budget_refusal(
            theme="logement", year=2026, budget_cents=100_000, used_cents=60_000, amount_cents=40_000
        )
        is None
    )
    message = rules.budget_refusal(
        theme="logement", year=2026, budget_cents=100_000, used_cents=60_000, amount_cents=40_001
    )
    assert message is not None and "il reste 400,00" in message and "Logement" in message


@given(st.integers(1, 10**9), st.integers(1, 120), st.dates(date(2024, 1, 1), date(2030, 12, 31)))
def test_a_schedule_sums_to_the_loan_in_integer_cents_monthly(total, months, paid_on):
    schedule = rules.repayment_schedule(total_cents=total, months=months, paid_on=paid_on)
    assert sum(cents for _, cents in schedule) == total and len(schedule) == months
    assert all(isinstance(cents, int) for _, cents in schedule)
    assert max(c for _, c in schedule) - min(c for _, c in schedule) <= 1
    days = [d for d, _ in schedule]
    assert days == sorted(days) and days[0] > paid_on and all(d.day == 5 for d in days)
