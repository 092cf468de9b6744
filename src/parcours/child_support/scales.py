"""The two child-support scales of DOMAIN.md §2, as pure functions on plain data (no Django).

Never mix them:
- `justice_estimate`: the Ministry of Justice reference table, an *indicative* estimate of the
  pension a judge might set (circulaire CIV/06/10 of 12 April 2010);
- `caf_threshold`: the minimum a pension must reach for the Caf to make an agreement between
  unmarried parents enforceable (CSS R582-1, rates of the arrêté of 25 June 2018).

The rates come in as tables (`JusticeTable`, `CafThresholdTable`) built by
`child_support.parameters` from the dated data file; the RSA amount comes in as a number. So every
function here can be called with the values of any year, e.g. the 2012 worked example.

Money is Decimal throughout. Rounding happens once, at the end, to the cent, and each function says
which way: a pension is stated in euros and cents per child in a titre, so the amount per child is
what gets rounded, and a total is that rounded amount times the number of children.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class Custody(StrEnum):
    """How much time the children spend with the debtor (the "droit de visite et d'hébergement")."""

    REDUIT = "reduit"  # less than a quarter of the time, or visits without overnight stays
    CLASSIQUE = "classique"  # about a quarter: every other weekend and half the school holidays
    ALTERNE = "alterne"  # alternating residence


class CafRate(StrEnum):
    """The three columns of the arrêté of 25 June 2018."""

    MAJORE = "majore"  # "taux majoré": less than a quarter of the time, or no overnight stays
    CLASSIQUE = "classique"  # "taux"
    MINORE = "minore"  # "taux minoré": alternating residence


# Arrêté of 25 June 2018, art. 1: the taux majoré applies below a quarter of the time (or visits
# without overnight stays), the taux minoré to alternating residence: the same three situations
# as the Justice table's réduit / classique / alterné columns.
CAF_RATE_FOR_CUSTODY: Mapping[Custody, CafRate] = {
    Custody.REDUIT: CafRate.MAJORE,
    Custody.CLASSIQUE: CafRate.CLASSIQUE,
    Custody.ALTERNE: CafRate.MINORE,
}


def half_up_cents(amount: Decimal) -> Decimal:
    """Rounded to the cent, half up (129.375 → 129.38): the usual rounding of an amount owed."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def floor_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_FLOOR)


@dataclass(frozen=True)
class Rate:
    """A rate in percent (Decimal("11.5") is 11.5 %), and whether it was read in an official text."""

    percent: Decimal
    to_confirm: bool = False

    @property
    def fraction(self) -> Decimal:
        return self.percent / 100


@dataclass(frozen=True)
class JusticeTable:
    """The Justice reference table: `rows[i]` holds the rates for i + 1 children; the last row
    applies to that number of children and more (the table's "6 et plus")."""

    in_force_from: date
    source: str
    rows: tuple[Mapping[Custody, Rate], ...]

    def rate(self, children: int, custody: Custody) -> Rate:
        _check_children(children)
        return self.rows[min(children, len(self.rows)) - 1][custody]


@dataclass(frozen=True)
class CafThresholdTable:
    """The arrêté of 25 June 2018: `rows[i]` holds the rates for i + 1 children (up to 10); beyond
    the last row, each further child lowers the rate by `each_more_minus` points."""

    in_force_from: date
    source: str
    rows: tuple[Mapping[CafRate, Rate], ...]
    each_more_minus: Mapping[CafRate, Decimal]

    def rate(self, children: int, kind: CafRate) -> Rate:
        _check_children(children)
        if children <= len(self.rows):
            return self.rows[children - 1][kind]
        last = self.rows[-1][kind]
        lowered = last.percent - (children - len(self.rows)) * self.each_more_minus[kind]
        # The arrêté does not say what happens past zero (from 28 children at the taux): no threshold.
        return Rate(max(lowered, Decimal(0)), last.to_confirm)


@dataclass(frozen=True)
class JusticeEstimate:
    minimum_vital: Decimal
    base: Decimal  # max(0, income − minimum vital), exact
    rate: Rate
    per_child: Decimal
    total: Decimal


@dataclass(frozen=True)
class CafThreshold:
    kind: CafRate
    rate: Rate
    rsa: Decimal
    uncapped_per_child: Decimal  # resources × rate, before the RSA guarantee, rounded half up
    per_child: Decimal
    total: Decimal

    @property
    def capped(self) -> bool:
        """True when the RSA guarantee lowered the threshold (CSS R582-1, II)."""
        return self.per_child < self.uncapped_per_child


def justice_estimate(
    *, income: Decimal, children: int, custody: Custody, minimum_vital: Decimal, table: JusticeTable
) -> JusticeEstimate:
    """Indicative pension per child and in total, from the Ministry of Justice reference table.

    Source: circulaire CIV/06/10 of 12 April 2010 and its note explicative:
        per child = max(0, debtor monthly income − minimum vital) × rate(children, custody)
        total = per child × children
    where the minimum vital is the RSA montant forfaitaire for one person (no housing deduction)
    and `children` counts every child the debtor supports, from any union (DOMAIN.md §2a).
    Worked example (2012): (1 600 − 475) × 11.5 % = 129.375 → 129.38 € per child.

    Rounding: the exact amount per child is rounded half up to the cent, as a judge would state
    it; the total is that amount times the number of children, so it always equals the sum of what
    is stated per child.
    """
    _check_income(income)
    rate = table.rate(children, custody)
    base = max(income - minimum_vital, Decimal(0))
    per_child = half_up_cents(base * rate.fraction)
    return JusticeEstimate(
        minimum_vital=minimum_vital, base=base, rate=rate, per_child=per_child, total=per_child * children
    )


def caf_threshold(
    *, income: Decimal, children: int, custody: Custody, rsa: Decimal, table: CafThresholdTable
) -> CafThreshold:
    """Minimum pension per child for a titre exécutoire issued by the Caf.

    Source: CSS R582-1 (décret 2018-655 of 24 July 2018), rates of the arrêté of 25 June 2018:
        S = R × rate(N, kind)       R = the debtor's annual resources / 12 (no minimum-vital deduction)
        M = R − S × N               what the debtor keeps, N = children dependent on the debtor
        if M < RSA: S = (R − RSA) / N    (RSA montant forfaitaire for one person; 0 when R ≤ RSA)
    `kind` follows the custody: réduit → majoré, classique → classique, alterné → minoré.

    Rounding: S = R × rate is rounded half up to the cent; the RSA guarantee is then applied to
    the rounded amount, with (R − RSA) / N rounded *down* to the cent, so that R − S × N ≥ RSA
    holds exactly after rounding: the rule's purpose is a floor for the debtor, and rounding half
    up could take up to half a cent per child below it.
    """
    _check_income(income)
    kind = CAF_RATE_FOR_CUSTODY[custody]
    rate = table.rate(children, kind)
    uncapped = half_up_cents(income * rate.fraction)
    # CSS R582-1, II: the debtor keeps at least the RSA; nothing can be required when R ≤ RSA.
    per_child = min(uncapped, floor_cents((income - rsa) / children)) if income > rsa else ZERO
    return CafThreshold(
        kind=kind,
        rate=rate,
        rsa=rsa,
        uncapped_per_child=uncapped,
        per_child=per_child,
        total=per_child * children,
    )


def _check_children(children: int) -> None:
    if children < 1:
        raise ValueError("Le nombre d'enfants est au moins 1.")


def _check_income(income: Decimal) -> None:
    if not isinstance(income, Decimal) or not income.is_finite():
        raise TypeError("Le revenu est un Decimal fini.")
    if income < 0:
        raise ValueError("Le revenu ne peut pas être négatif.")
