"""The two child-support scales (DOMAIN.md §2): worked examples, tables, and properties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.child_support.scales import (
    CAF_RATE_FOR_CUSTODY,
    CafRate,
    Custody,
    caf_threshold,
    justice_estimate,
)

D = Decimal
RSA_2026_01 = D("646.52")

incomes = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False)
rsas = st.decimals(min_value=300, max_value=900, places=2, allow_nan=False, allow_infinity=False)
children_counts = st.integers(min_value=1, max_value=20)
custodies = st.sampled_from(list(Custody))


# --- Justice reference table (estimate) ----------------------------------------------------


def test_the_official_worked_example_of_2012(scales):
    # DOMAIN.md §2a: income 1 600 €, 2 children, classique, minimum vital 475 € (2012):
    # (1600 − 475) × 11.5 % = 129.375 → 129.38 € per child.
    estimate = justice_estimate(
        income=D("1600"), children=2, custody=Custody.CLASSIQUE, minimum_vital=D("475"), table=scales.justice
    )
    assert estimate.per_child == D("129.38")
    assert estimate.total == D("258.76")  # the rounded amount per child, times 2
    assert estimate.base == D("1125")
    assert estimate.rate.percent == D("11.5") and not estimate.rate.to_confirm


@pytest.mark.parametrize(
    ("children", "reduit", "classique", "alterne", "to_confirm"),
    [
        (1, "18", "13.5", "9", False),
        (2, "15.5", "11.5", "7.8", False),
        (3, "13.3", "10", "6.7", False),
        (4, "11.7", "8.8", "5.9", True),
        (5, "10.6", "8", "5.3", True),
        (6, "9.5", "7.2", "4.8", True),
        (9, "9.5", "7.2", "4.8", True),  # "6 et plus"
    ],
)
def test_the_justice_table_is_domain_md_2a(scales, children, reduit, classique, alterne, to_confirm):
    for custody, percent in (
        (Custody.REDUIT, reduit),
        (Custody.CLASSIQUE, classique),
        (Custody.ALTERNE, alterne),
    ):
        rate = scales.justice.rate(children, custody)
        assert rate.percent == D(percent)
        assert rate.to_confirm is to_confirm


def test_no_pension_below_the_minimum_vital(scales):
    estimate = justice_estimate(
        income=D("600"), children=1, custody=Custody.REDUIT, minimum_vital=RSA_2026_01, table=scales.justice
    )
    assert (estimate.base, estimate.per_child, estimate.total) == (0, D("0.00"), D("0.00"))


def test_half_a_cent_rounds_up(scales):
    # (1000.05 − 646.52) × 9 % = 31.8177 → 31.82; (646.52 + 5.05) × 9 % = 0.4545 → 0.45
    assert justice_estimate(
        income=D("1000.05"),
        children=1,
        custody=Custody.ALTERNE,
        minimum_vital=RSA_2026_01,
        table=scales.justice,
    ).per_child == D("31.82")
    # 50 × 13.5 % = 6.75 exactly; 0.05 × 13.5 % = 0.00675 → 0.01 (half up, not half even)
    assert justice_estimate(
        income=D("0.05"), children=1, custody=Custody.CLASSIQUE, minimum_vital=D(0), table=scales.justice
    ).per_child == D("0.01")


def test_bad_input_is_refused(scales):
    with pytest.raises(ValueError):
        justice_estimate(
            income=D("-1"),
            children=1,
            custody=Custody.REDUIT,
            minimum_vital=RSA_2026_01,
            table=scales.justice,
        )
    with pytest.raises(ValueError):
        justice_estimate(
            income=D("1"), children=0, custody=Custody.REDUIT, minimum_vital=RSA_2026_01, table=scales.justice
        )
    with pytest.raises(TypeError):
        justice_estimate(
            income=1600.0,  # type: ignore[arg-type]
            children=1,
            custody=Custody.REDUIT,
            minimum_vital=RSA_2026_01,
            table=scales.justice,
        )


@given(income=incomes, more=incomes, children=children_counts, custody=custodies, rsa=rsas)
def test_the_estimate_never_decreases_when_income_grows(scales, income, more, children, custody, rsa):
    low = justice_estimate(
        income=income, children=children, custody=custody, minimum_vital=rsa, table=scales.justice
    )
    high = justice_estimate(
        income=income + more, children=children, custody=custody, minimum_vital=rsa, table=scales.justice
    )
    assert high.per_child >= low.per_child
    assert high.total >= low.total
    assert low.total >= 0
    assert low.total == low.per_child * children


@given(income=incomes, children=children_counts, custody=custodies, rsa=rsas)
def test_per_child_never_increases_with_more_children(scales, income, children, custody, rsa):
    fewer = justice_estimate(
        income=income, children=children, custody=custody, minimum_vital=rsa, table=scales.justice
    )
    more = justice_estimate(
        income=income, children=children + 1, custody=custody, minimum_vital=rsa, table=scales.justice
    )
    assert more.per_child <= fewer.per_child


@given(income=incomes, children=children_counts, rsa=rsas)
def test_more_time_with_the_debtor_never_raises_the_estimate(scales, income, children, rsa):
    amounts = [
        justice_estimate(
            income=income, children=children, custody=c, minimum_vital=rsa, table=scales.justice
        ).per_child
        for c in (Custody.REDUIT, Custody.CLASSIQUE, Custody.ALTERNE)
    ]
    assert amounts == sorted(amounts, reverse=True)


# --- Caf threshold (CSS R582-1) -------------------------------------------------------------


def test_the_caf_rate_follows_the_custody():
    assert CAF_RATE_FOR_CUSTODY == {
        Custody.REDUIT: CafRate.MAJORE,
        Custody.CLASSIQUE: CafRate.CLASSIQUE,
        Custody.ALTERNE: CafRate.MINORE,
    }


@pytest.mark.parametrize(
    ("custody", "kind", "percent"),
    [
        (Custody.REDUIT, CafRate.MAJORE, "15.7"),
        (Custody.CLASSIQUE, CafRate.CLASSIQUE, "11.8"),
        (Custody.ALTERNE, CafRate.MINORE, "7.9"),
    ],
)
def test_the_threshold_uses_the_mapped_column(scales, custody, kind, percent):
    threshold = caf_threshold(
        income=D("3000"), children=2, custody=custody, rsa=RSA_2026_01, table=scales.caf
    )
    assert threshold.kind is kind
    assert threshold.rate.percent == D(percent)
    assert threshold.per_child == (D("3000") * D(percent) / 100).quantize(D("0.01"))


@pytest.mark.parametrize(
    ("children", "classique", "majore", "minore"),
    [
        (1, "14", "18.7", "9.3"),
        (2, "11.8", "15.7", "7.9"),
        (3, "10.2", "13.6", "6.8"),
        (4, "9", "12", "6"),
        (5, "8", "10.7", "5.3"),
        (6, "7.2", "9.7", "4.8"),
        (7, "6.6", "8.8", "4.4"),
        (8, "6.1", "8.1", "4"),
        (9, "5.6", "7.5", "3.7"),
        (10, "5.2", "7", "3.5"),
        (11, "4.9", "6.6", "3.3"),  # "par enfant supplémentaire": −0.3, −0.4, −0.2 point
        (13, "4.3", "5.8", "2.9"),
        (40, "0", "0", "0"),  # past zero: no threshold, never a negative one
    ],
)
def test_the_caf_table_is_the_arrete_of_25_june_2018(scales, children, classique, majore, minore):
    for kind, percent in ((CafRate.CLASSIQUE, classique), (CafRate.MAJORE, majore), (CafRate.MINORE, minore)):
        rate = scales.caf.rate(children, kind)
        assert rate.percent == D(percent)
        assert not rate.to_confirm


def test_worked_threshold_without_the_rsa_guarantee(scales):
    # 2 000 × 11.8 % = 236.00 per child; 2 000 − 2 × 236 = 1 528 ≥ RSA: not lowered.
    threshold = caf_threshold(
        income=D("2000"), children=2, custody=Custody.CLASSIQUE, rsa=RSA_2026_01, table=scales.caf
    )
    assert (threshold.per_child, threshold.total, threshold.capped) == (D("236.00"), D("472.00"), False)


def test_worked_threshold_lowered_to_leave_the_rsa(scales):
    # 700 × 18.7 % = 130.90, but 700 − 130.90 = 569.10 < 646.52: S = (700 − 646.52) / 1 = 53.48.
    threshold = caf_threshold(
        income=D("700"), children=1, custody=Custody.REDUIT, rsa=RSA_2026_01, table=scales.caf
    )
    assert (threshold.uncapped_per_child, threshold.per_child, threshold.capped) == (
        D("130.90"),
        D("53.48"),
        True,
    )
    # Split over 3 children: (1 000 − 646.52) / 3 = 117.8266… → 117.82, rounded down to keep the RSA.
    threshold = caf_threshold(
        income=D("1000"), children=3, custody=Custody.REDUIT, rsa=RSA_2026_01, table=scales.caf
    )
    assert (threshold.per_child, threshold.total) == (D("117.82"), D("353.46"))
    assert D("1000") - threshold.total >= RSA_2026_01


def test_no_threshold_at_or_below_the_rsa(scales):
    for income in (D("0"), D("500"), RSA_2026_01):
        threshold = caf_threshold(
            income=income, children=1, custody=Custody.REDUIT, rsa=RSA_2026_01, table=scales.caf
        )
        assert threshold.per_child == threshold.total == D("0.00")


@given(income=incomes, children=children_counts, custody=custodies, rsa=rsas)
def test_the_caf_threshold_always_leaves_the_debtor_the_rsa(scales, income, children, custody, rsa):
    threshold = caf_threshold(income=income, children=children, custody=custody, rsa=rsa, table=scales.caf)
    assert threshold.total == threshold.per_child * children
    if income > rsa:
        assert income - threshold.per_child * children >= rsa - D("0.01")
        assert income - threshold.total >= rsa  # rounding down keeps it exactly
        assert threshold.per_child <= threshold.uncapped_per_child
    else:
        assert threshold.per_child == 0
    assert threshold.per_child >= 0


def test_the_tables_start_on_their_texts(scales):
    assert scales.justice.in_force_from == date(2010, 4, 12)
    assert scales.caf.in_force_from == date(2018, 7, 27)
    assert "12 avril 2010" in scales.justice.source
    assert "R. 582-1" in scales.caf.source and "25 juin 2018" in scales.caf.source
