"""The risk that a family's payments break: one score per dossier, explained factor by factor.

    score = amount at risk (€/month) × likelihood that it stops within the horizon × vulnerability

- a **break factor** is an open task of a kind named in data/risk.yaml; it threatens some of the
  dossier's monthly benefits (or the amount its cause carries: a pension, a benefit ending) with a
  dated weight, the likelihood that they stop within the horizon if nobody acts; a factor whose
  break date is beyond the horizon does not count yet;
- each threatened amount survives when no factor on it strikes: its expected loss is
  amount × (1 − Π(1 − weight)) over the kinds of factor on it (a kind counts once, however many
  of its tasks are open; the amounts of factors on their cause add up); the dossier's expected
  loss is their sum,
  its amount at risk the sum of the threatened amounts, its likelihood the ratio of the two;
- **vulnerability** = 1 + the weights of the dossier's vulnerability factors (parent isolé, no
  income, a child under 3, a recent separation, a confidential address).

So the score rises with every amount and every weight, and is 0 without a break factor. Pure: the
set-based SQL of services/scoring.py computes the same formula over the whole registry, and a
test holds the two together. The score ranks work: it is a ratio, not money (it is kept as a
float); the amount at risk is money, in cents.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "risk.yaml"
ALL = "all"
CAUSE = "cause"
# The monthly benefits a factor "all" threatens (the ARS is yearly).
MONTHLY_BENEFITS = ("asf", "af", "cf", "rsa", "ppa", "aide_logement", "aah", "aeeh")


@dataclass(frozen=True)
class Factor:
    code: str
    threatens: tuple[str, ...] | str  # benefits, ALL or CAUSE
    weight: Decimal
    reason: str


@dataclass(frozen=True)
class Vulnerability:
    code: str
    label: str
    weight: Decimal
    reason: str


@dataclass(frozen=True)
class Present:
    """A break factor present on a dossier: an open task of kind `code`."""

    code: str
    breaks_on: date | None = None
    amount_cents: int = 0  # what the cause carries (for a factor that threatens CAUSE)


@dataclass(frozen=True)
class Line:
    """One line of "pourquoi ce dossier est ici"."""

    code: str
    weight: Decimal
    amount_cents: int
    breaks_on: date | None


@dataclass(frozen=True)
class Score:
    score: float
    amount_cents: int  # the amount at risk
    likelihood: float
    vulnerability: Decimal
    breaks_on: date | None
    lines: tuple[Line, ...]
    vulnerable: tuple[str, ...]


def _dated(weights: list[dict], day: date) -> Decimal:
    """The weight in force on `day`: the latest line whose `from` is not after it (0 before the first)."""
    valid = [w for w in weights if _day(w["from"]) <= day]
    return Decimal(str(max(valid, key=lambda w: _day(w["from"]))["weight"])) if valid else Decimal("0")


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@functools.cache
def _data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def horizon() -> timedelta:
    return timedelta(days=int(_data()["horizon_days"]))


def factors_on(day: date) -> dict[str, Factor]:
    out = {}
    for code, spec in _data()["factors"].items():
        threatens = spec["threatens"]
        out[code] = Factor(
            code,
            threatens if isinstance(threatens, str) else tuple(threatens),
            _dated(spec["weights"], day),
            " ".join(spec["reason"].split()),
        )
    return out


def vulnerabilities_on(day: date) -> dict[str, Vulnerability]:
    return {
        code: Vulnerability(
            code, spec["label"], _dated(spec["weights"], day), " ".join(spec["reason"].split())
        )
        for code, spec in _data()["vulnerability"].items()
    }


def score(
    *,
    amounts_cents: Mapping[str, int],
    present: Iterable[Present],
    vulnerable: Iterable[str],
    day: date,
    factors: Mapping[str, Factor] | None = None,
    vulnerabilities: Mapping[str, Vulnerability] | None = None,
) -> Score:
    """The dossier's score on `day` from its monthly amounts per benefit (cents), its break
    factors and its vulnerability codes; `factors`/`vulnerabilities` default to data/risk.yaml."""
    factors = factors_on(day) if factors is None else factors
    vulnerabilities = vulnerabilities_on(day) if vulnerabilities is None else vulnerabilities
    limit = day + horizon()
    within = [p for p in present if p.code in factors and (p.breaks_on is None or p.breaks_on <= limit)]
    # A kind of threat counts once on the benefits it threatens (two letters back are one unknown
    # address), on its earliest break day; what causes carry adds up (two pensions unpaid).
    counted: list[Present] = []
    seen: set[str] = set()
    for p in sorted(within, key=lambda p: (p.breaks_on is None, p.breaks_on or day)):
        if factors[p.code].threatens == CAUSE or p.code not in seen:
            seen.add(p.code)
            counted.append(p)
    survival: dict[str, float] = {}  # per benefit: the chance that no factor stops it
    lines = []
    expected, at_risk = 0.0, 0
    for p in counted:
        factor = factors[p.code]
        w = float(factor.weight)
        if factor.threatens == CAUSE:
            amount = p.amount_cents
            expected += amount * w
            at_risk += amount
        else:
            benefits = MONTHLY_BENEFITS if factor.threatens == ALL else factor.threatens
            amount = 0
            for b in benefits:
                if amounts_cents.get(b, 0) > 0:
                    survival[b] = survival.get(b, 1.0) * (1 - w)
                    amount += amounts_cents[b]
        lines.append(Line(p.code, factor.weight, amount, p.breaks_on))
    for b, alive in survival.items():
        expected += amounts_cents[b] * (1 - alive)
        at_risk += amounts_cents[b]
    codes = tuple(sorted(c for c in set(vulnerable) if c in vulnerabilities))
    vulnerability = Decimal(1) + sum((vulnerabilities[c].weight for c in codes), Decimal(0))
    breaks = min((p.breaks_on for p in within if p.breaks_on), default=None)
    return Score(
        score=expected / 100 * float(vulnerability),
        amount_cents=at_risk,
        likelihood=expected / at_risk if at_risk else 0.0,
        vulnerability=vulnerability,
        breaks_on=breaks,
        lines=tuple(sorted(lines, key=lambda line: -float(line.weight))),
        vulnerable=codes,
    )
