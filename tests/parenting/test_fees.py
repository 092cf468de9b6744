"""The fee scale as a pure rule: each band's edge computed by hand, free at or below the RSA de
base, and (hypothesis) an integer number of euros, never decreasing with the income, 0 to 131 €."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.parenting.fees import Band, FeeScale, scale_on, session_fee_cents

RSA, SMIC = 65169, 147793  # 651,69 € (RSA de base, April 2026) ; 1 477,93 € (net SMIC, June 2026)
SCALE = FeeScale(
    in_force_from=date(2010, 1, 1),
    source="test",
    free_up_to_cents=RSA,
    cap_cents=13100,
    bands=(
        Band(RSA, 200, Decimal("0")),
        Band(SMIC, 500, Decimal("0")),
        Band(155000, 500, Decimal("0.003")),
        Band(200000, 500, Decimal("0.005")),
        Band(250000, 500, Decimal("0.008")),
        Band(380000, 500, Decimal("0.012")),
        Band(530000, 500, Decimal("0.015")),
        Band(None, 500, Decimal("0.018")),
    ),
    rsa_cents=RSA,
    smic_cents=SMIC,
)


@pytest.mark.parametrize(
    ("income", "fee"),
    [
        (0, 0),
        (RSA, 0),  # at the RSA de base: free (the mediation scale's 2 € band)
        (RSA + 1, 500),  # just above: 5 €
        (SMIC, 500),
        (SMIC + 1, 900),  # 5 + 0,3 % × 1 477,94 = 9,43 → 9 €
        (155000, 1000),  # 5 + 0,3 % × 1 550 = 9,65 → 10 €
        (155001, 1300),  # 5 + 0,5 % × 1 550,01 = 12,75 → 13 €
        (200000, 1500),  # 5 + 0,5 % × 2 000 = 15 €
        (200001, 2100),  # 5 + 0,8 % × 2 000,01 = 21,00 → 21 €
        (250000, 2500),  # 5 + 0,8 % × 2 500 = 25 €
        (250001, 3500),  # 5 + 1,2 % × 2 500,01 = 35,00 → 35 €
        (380000, 5100),  # 5 + 1,2 % × 3 800 = 50,60 → 51 €
        (380001, 6200),  # 5 + 1,5 % × 3 800,01 = 62,00 → 62 €
        (530000, 8500),  # 5 + 1,5 % × 5 300 = 84,50 → 85 € (half up)
        (530001, 10000),  # 5 + 1,8 % × 5 300,01 = 100,40 → 100 €
        (700000, 13100),  # 5 + 1,8 % × 7 000 = 131 €
        (1_000_000, 13100),  # 185 €, capped at 131 €
    ],
)
def test_the_fee_at_each_band_edge(income, fee):
    assert session_fee_cents(income, SCALE) == fee


def test_a_float_income_is_refused():
    with pytest.raises(TypeError):
        session_fee_cents(1500.0, SCALE)  # type: ignore[arg-type]


@given(st.integers(min_value=-1000, max_value=50_000_000), st.integers(min_value=0, max_value=50_000_000))
def test_the_fee_is_whole_euros_bounded_and_never_decreases_with_income(income, more):
    fee, higher = session_fee_cents(income, SCALE), session_fee_cents(income + more, SCALE)
    assert isinstance(fee, int) and fee % 100 == 0
    assert 0 <= fee <= higher <= 13100


def test_the_scale_reads_the_rsa_and_the_smic_from_openfisca_france():
    scale = scale_on(date(2026, 12, 10))
    assert scale.rsa_cents == 65169  # openfisca-france: 651,69 € since 1 April 2026
    assert scale.smic_cents == 147793  # 1 867,02 € gross × 0,7916
    assert scale.free_up_to_cents == scale.rsa_cents
    assert scale.in_force_from == date(2010, 1, 1) and "Cnaf" in scale.source
    assert session_fee_cents(150000, scale) == 1000  # 5 + 0,3 % × 1 500 = 9,50 → 10 €
    with pytest.raises(LookupError):
        scale_on(date(2009, 12, 31))
