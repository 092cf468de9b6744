"""The pure risk formula (casework/risk.py), checked as properties over generated dossiers and on
worked examples computed by hand from the module's docstring:

    score = expected loss (€) × vulnerability, expected loss = Σ over threatened amounts of
    amount × (1 − Π(1 − weight)) (+ amount × weight for a factor on its cause's own amount),
    amount at risk = Σ threatened amounts, likelihood = expected loss / amount at risk,
    vulnerability = 1 + Σ vulnerability weights.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from parcours.casework import risk
from parcours.casework.risk import ALL, CAUSE, MONTHLY_BENEFITS, Factor, Present, Vulnerability

DAY = date(2026, 12, 3)
HORIZON = risk.horizon()
LIMIT = DAY + HORIZON


def at_least(new: float, old: float) -> bool:
    """`new` ≥ `old`, up to float noise (1e-12 relative)."""
    return new >= old - 1e-12 * max(1.0, abs(old))


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# --- Strategies ------------------------------------------------------------------------------

weights = st.integers(0, 100).map(lambda n: Decimal(n) / 100)  # 0.00 … 1.00
cents = st.integers(0, 300_000)
amounts_st = st.dictionaries(st.sampled_from(MONTHLY_BENEFITS), cents, max_size=len(MONTHLY_BENEFITS))
threatens_st = st.one_of(
    st.just(ALL),
    st.just(CAUSE),
    st.lists(st.sampled_from(MONTHLY_BENEFITS), min_size=1, max_size=4, unique=True).map(tuple),
)
FACTOR_CODES = ("f0", "f1", "f2", "f3", "f4")
VULNERABILITY_CODES = ("v0", "v1", "v2", "v3")


@st.composite
def factors_st(draw) -> dict[str, Factor]:  # type: ignore[no-untyped-def]
    return {code: Factor(code, draw(threatens_st), draw(weights), f"raison {code}") for code in FACTOR_CODES}


@st.composite
def vulnerabilities_st(draw) -> dict[str, Vulnerability]:  # type: ignore[no-untyped-def]
    return {code: Vulnerability(code, code, draw(weights), "") for code in VULNERABILITY_CODES}


# A break day: none known, within the horizon (its last day included), or beyond it.
within_st = st.one_of(st.none(), st.integers(-10, HORIZON.days).map(lambda n: DAY + timedelta(days=n)))
beyond_st = st.integers(1, 200).map(lambda n: LIMIT + timedelta(days=n))
present_st = st.lists(
    st.builds(Present, st.sampled_from(FACTOR_CODES), st.one_of(within_st, beyond_st), cents), max_size=6
)
vulnerable_st = st.lists(st.sampled_from((*VULNERABILITY_CODES, "inconnu")), max_size=5)


@st.composite
def cases(draw) -> dict:  # type: ignore[no-untyped-def]
    return {
        "amounts_cents": draw(amounts_st),
        "present": draw(present_st),
        "vulnerable": draw(vulnerable_st),
        "day": DAY,
        "factors": draw(factors_st()),
        "vulnerabilities": draw(vulnerabilities_st()),
    }


# --- Bounds and identities -------------------------------------------------------------------


@given(cases())
def test_the_score_is_non_negative_and_the_likelihood_a_probability(case):
    result = risk.score(**case)
    assert result.score >= 0
    assert 0.0 <= result.likelihood <= 1.0
    assert result.amount_cents >= 0
    assert result.vulnerability >= 1
    # score = amount at risk (€) × likelihood × vulnerability
    assert close(result.score, result.amount_cents / 100 * result.likelihood * float(result.vulnerability))
    if result.amount_cents == 0:
        assert result.score == 0 and result.likelihood == 0


@given(cases())
def test_the_vulnerability_is_one_plus_the_weights_of_the_known_codes_counted_once(case):
    result = risk.score(**case)
    known = {c for c in case["vulnerable"] if c in case["vulnerabilities"]}
    assert result.vulnerable == tuple(sorted(known))
    assert result.vulnerability == 1 + sum((case["vulnerabilities"][c].weight for c in known), Decimal(0))


@given(cases())
def test_the_break_day_is_the_earliest_of_the_counted_factors(case):
    result = risk.score(**case)
    counted = [p for p in case["present"] if p.breaks_on is None or p.breaks_on <= LIMIT]
    days = [p.breaks_on for p in counted if p.breaks_on]
    assert result.breaks_on == (min(days) if days else None)
    assert [line.code for line in result.lines] == sorted(
        [line.code for line in result.lines], key=lambda c: -case["factors"][c].weight
    )
    # one line per kind of threat on benefits, one per factor on its cause (each carries its amount)
    on_cause = [p.code for p in counted if case["factors"][p.code].threatens == CAUSE]
    kinds = {p.code for p in counted if case["factors"][p.code].threatens != CAUSE}
    assert sorted(line.code for line in result.lines) == sorted(on_cause + list(kinds))


@given(cases(), st.data())
def test_a_second_open_task_of_a_kind_on_benefits_changes_nothing(case, data):
    """A kind of threat on benefits counts once: the same kind again, breaking no earlier, leaves
    the score, the amount and the break day as they were."""
    counted = [
        p
        for p in case["present"]
        if (p.breaks_on is None or p.breaks_on <= LIMIT) and case["factors"][p.code].threatens != CAUSE
    ]
    assume(counted)
    again = data.draw(st.sampled_from(counted))
    before = risk.score(**case)
    after = risk.score(**{**case, "present": [*case["present"], again]})
    assert close(after.score, before.score)
    assert after.amount_cents == before.amount_cents
    assert after.breaks_on == before.breaks_on


# --- No break factor: no score ---------------------------------------------------------------


@given(amounts_st, vulnerable_st, factors_st(), vulnerabilities_st())
def test_without_a_break_factor_the_score_and_the_amount_are_zero(amounts, vulnerable, factors, vulns):
    result = risk.score(
        amounts_cents=amounts,
        present=[],
        vulnerable=vulnerable,
        day=DAY,
        factors=factors,
        vulnerabilities=vulns,
    )
    assert (result.score, result.amount_cents, result.likelihood, result.breaks_on) == (0, 0, 0, None)
    assert result.lines == ()


@given(
    amounts_st,
    vulnerable_st,
    factors_st(),
    vulnerabilities_st(),
    st.lists(st.builds(Present, st.sampled_from(FACTOR_CODES), beyond_st, cents), min_size=1, max_size=6),
)
def test_factors_that_break_beyond_the_horizon_do_not_count_yet(amounts, vulnerable, factors, vulns, present):
    result = risk.score(
        amounts_cents=amounts,
        present=present,
        vulnerable=vulnerable,
        day=DAY,
        factors=factors,
        vulnerabilities=vulns,
    )
    assert (result.score, result.amount_cents, result.likelihood, result.breaks_on) == (0, 0, 0, None)
    assert result.lines == ()


@given(amounts_st, st.lists(st.builds(Present, st.sampled_from(("absent", "autre")), within_st, cents)))
def test_tasks_of_kinds_that_are_no_break_factor_do_not_count(amounts, present):
    result = risk.score(
        amounts_cents=amounts,
        present=present,
        vulnerable=[],
        day=DAY,
        factors={"f0": Factor("f0", ALL, Decimal("0.5"), "")},
        vulnerabilities={},
    )
    assert (result.score, result.amount_cents) == (0, 0)


# --- Monotony --------------------------------------------------------------------------------


@given(cases(), st.sampled_from(MONTHLY_BENEFITS), st.integers(1, 300_000))
def test_the_score_never_falls_when_a_benefit_amount_rises(case, benefit, more):
    before = risk.score(**case)
    amounts = {**case["amounts_cents"], benefit: case["amounts_cents"].get(benefit, 0) + more}
    after = risk.score(**{**case, "amounts_cents": amounts})
    assert at_least(after.score, before.score)
    assert after.amount_cents >= before.amount_cents


@given(cases(), st.integers(0, 10), st.integers(1, 300_000))
def test_the_score_never_falls_when_a_cause_amount_rises(case, index, more):
    assume(case["present"])
    present = list(case["present"])
    i = index % len(present)
    present[i] = replace(present[i], amount_cents=present[i].amount_cents + more)
    before = risk.score(**case)
    after = risk.score(**{**case, "present": present})
    assert at_least(after.score, before.score)
    assert after.amount_cents >= before.amount_cents


@given(cases(), st.sampled_from(FACTOR_CODES), st.integers(1, 100))
def test_the_score_never_falls_when_a_factor_weight_rises(case, code, more):
    factors = dict(case["factors"])
    weight = min(Decimal(1), factors[code].weight + Decimal(more) / 100)
    factors[code] = replace(factors[code], weight=weight)
    before = risk.score(**case)
    after = risk.score(**{**case, "factors": factors})
    assert at_least(after.score, before.score)
    assert at_least(after.likelihood, before.likelihood)
    assert after.amount_cents == before.amount_cents  # a weight changes the odds, not the amounts


@given(cases(), st.sampled_from(VULNERABILITY_CODES), st.integers(1, 100))
def test_the_score_never_falls_when_a_vulnerability_weight_rises(case, code, more):
    vulns = dict(case["vulnerabilities"])
    vulns[code] = replace(vulns[code], weight=vulns[code].weight + Decimal(more) / 100)
    before = risk.score(**case)
    after = risk.score(**{**case, "vulnerabilities": vulns})
    assert at_least(after.score, before.score)
    assert after.likelihood == before.likelihood and after.amount_cents == before.amount_cents


@given(cases(), st.sampled_from(VULNERABILITY_CODES))
def test_the_score_never_falls_when_the_dossier_gets_one_more_vulnerability(case, code):
    before = risk.score(**case)
    after = risk.score(**{**case, "vulnerable": [*case["vulnerable"], code]})
    assert at_least(after.score, before.score)


@given(cases(), st.builds(Present, st.sampled_from(FACTOR_CODES), within_st, cents))
def test_the_score_never_falls_when_one_more_break_factor_is_present(case, extra):
    before = risk.score(**case)
    after = risk.score(**{**case, "present": [*case["present"], extra]})
    assert at_least(after.score, before.score)
    assert after.amount_cents >= before.amount_cents


# --- A factor on money the household does not receive ---------------------------------------


@given(
    cases(),
    st.lists(st.sampled_from(MONTHLY_BENEFITS), min_size=1, max_size=4, unique=True),
    weights,
    within_st,
)
def test_a_factor_on_benefits_the_household_does_not_receive_adds_nothing(case, benefits, weight, breaks):
    amounts = {b: a for b, a in case["amounts_cents"].items() if b not in benefits}
    amounts.update(dict.fromkeys(benefits[:1], 0))  # received as 0 is not received either
    base = {**case, "amounts_cents": amounts}
    factors = {**case["factors"], "nothing": Factor("nothing", tuple(benefits), weight, "")}
    before = risk.score(**{**base, "factors": factors})
    after = risk.score(
        **{**base, "factors": factors, "present": [*case["present"], Present("nothing", breaks)]}
    )
    assert (after.score, after.amount_cents, after.likelihood) == (
        before.score,
        before.amount_cents,
        before.likelihood,
    )
    [line] = [line for line in after.lines if line.code == "nothing"]
    assert line.amount_cents == 0


@given(st.lists(st.sampled_from((ALL, ("rsa", "ppa"), ("aide_logement",))), min_size=1), weights)
def test_a_household_without_monthly_benefits_risks_nothing_on_them(threatens, weight):
    factors = {f"f{i}": Factor(f"f{i}", t, weight, "") for i, t in enumerate(threatens)}
    result = risk.score(
        amounts_cents={"ars": 40_000},  # yearly: no factor "all" threatens it
        present=[Present(code, DAY) for code in factors],
        vulnerable=[],
        day=DAY,
        factors=factors,
        vulnerabilities={},
    )
    assert (result.score, result.amount_cents, result.likelihood) == (0, 0, 0)


# --- Worked examples, computed by hand ---------------------------------------------------------


def test_worked_example_with_the_weights_of_data_risk_yaml():
    """RSA 600 €, prime d'activité 200 €, aide au logement 300 €, AF 150 €; a missing DTR (0.90 on
    RSA and PPA), a returned letter (0.50 on everything), rent arrears (0.40 on the aide au
    logement); a single parent without income (+0.30, +0.40)."""
    result = risk.score(
        amounts_cents={"rsa": 60_000, "ppa": 20_000, "aide_logement": 30_000, "af": 15_000, "aah": 0},
        present=[
            Present("dtr_manquante", date(2026, 12, 5)),
            Present("courrier_retourne", date(2026, 12, 5)),
            Present("impaye_loyer", None),
        ],
        vulnerable=["parent_isole", "sans_revenu"],
        day=DAY,
    )
    rsa = 60_000 * (1 - (1 - 0.90) * (1 - 0.50))  # 57 000
    ppa = 20_000 * (1 - (1 - 0.90) * (1 - 0.50))  # 19 000
    housing = 30_000 * (1 - (1 - 0.50) * (1 - 0.40))  # 21 000
    af = 15_000 * (1 - (1 - 0.50))  # 7 500
    expected = rsa + ppa + housing + af  # 104 500 cents
    assert expected == pytest.approx(104_500)
    assert result.amount_cents == 125_000
    assert result.likelihood == pytest.approx(104_500 / 125_000)  # 0.836
    assert result.vulnerability == Decimal("1.70")
    assert result.score == pytest.approx(1045.0 * 1.7)  # 1776.5
    assert result.breaks_on == date(2026, 12, 5)
    assert [(line.code, line.amount_cents) for line in result.lines] == [
        ("dtr_manquante", 80_000),
        ("courrier_retourne", 125_000),
        ("impaye_loyer", 30_000),
    ]
    assert result.vulnerable == ("parent_isole", "sans_revenu")


def test_worked_example_of_factors_on_their_cause_and_one_beyond_the_horizon():
    """A benefit ending (0.70 on its 600 €), an indu (0.10 on its 50 €), a payment returned but
    breaking after the horizon (not counted); a child under 3 (+0.20)."""
    factors = {
        "fin": Factor("fin", CAUSE, Decimal("0.70"), ""),
        "indu": Factor("indu", CAUSE, Decimal("0.10"), ""),
        "paiement": Factor("paiement", ALL, Decimal("0.95"), ""),
    }
    result = risk.score(
        amounts_cents={"af": 15_000},
        present=[
            Present("fin", date(2026, 12, 5), 60_000),
            Present("indu", None, 5_000),
            Present("paiement", LIMIT + timedelta(days=1)),
        ],
        vulnerable=["jeune"],
        day=DAY,
        factors=factors,
        vulnerabilities={"jeune": Vulnerability("jeune", "", Decimal("0.20"), "")},
    )
    # expected 60 000 × 0.70 + 5 000 × 0.10 = 42 500 cents out of 65 000 at risk
    assert result.amount_cents == 65_000
    assert result.likelihood == pytest.approx(42_500 / 65_000)
    assert result.vulnerability == Decimal("1.20")
    assert result.score == pytest.approx(425.0 * 1.2)  # 510
    assert result.breaks_on == date(2026, 12, 5)
    assert [line.code for line in result.lines] == ["fin", "indu"]


def test_worked_example_two_tasks_of_one_kind_count_once_and_the_horizon_s_last_day_counts():
    """Two returned letters (0.50) on AF 100 €: one kind of threat (the address is unknown), counted
    once, on the earlier break day; one breaks on the horizon's last day (counted), a third the day
    after (not counted). Two unpaid pensions (factors on their cause) add up."""
    factors = {
        "courrier": Factor("courrier", ALL, Decimal("0.50"), ""),
        "pension": Factor("pension", CAUSE, Decimal("0.80"), ""),
    }
    result = risk.score(
        amounts_cents={"af": 10_000},
        present=[
            Present("courrier", LIMIT),
            Present("courrier", date(2026, 12, 20)),
            Present("courrier", LIMIT + timedelta(days=1)),
            Present("pension", None, 20_000),
            Present("pension", None, 10_000),
        ],
        vulnerable=[],
        day=DAY,
        factors=factors,
        vulnerabilities={},
    )
    # 10 000 × 0.5 + (20 000 + 10 000) × 0.8 = 29 000 cents expected of 40 000 at risk
    assert result.amount_cents == 40_000
    assert result.likelihood == pytest.approx(29_000 / 40_000)
    assert result.score == pytest.approx(290.0)
    assert result.vulnerability == 1
    assert result.breaks_on == date(2026, 12, 20)
    assert sorted((line.code, line.amount_cents, line.breaks_on) for line in result.lines) == [
        ("courrier", 10_000, date(2026, 12, 20)),
        ("pension", 10_000, None),
        ("pension", 20_000, None),
    ]


def test_the_weights_are_dated():
    """A dated weight applies from its day: before the first line, 0."""
    lines = [{"from": "2025-01-01", "weight": "0.30"}, {"from": date(2026, 6, 1), "weight": "0.45"}]
    assert risk._dated(lines, date(2024, 12, 31)) == 0
    assert risk._dated(lines, date(2025, 1, 1)) == Decimal("0.30")
    assert risk._dated(lines, date(2026, 5, 31)) == Decimal("0.30")
    assert risk._dated(lines, date(2026, 6, 1)) == Decimal("0.45")
    factors = risk.factors_on(DAY)
    assert all(0 <= f.weight <= 1 for f in factors.values())
    assert all(
        f.threatens in (ALL, CAUSE) or set(f.threatens) <= set(MONTHLY_BENEFITS) for f in factors.values()
    )
