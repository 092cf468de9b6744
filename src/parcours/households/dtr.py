"""The quarterly resource declaration (DTR) of RSA and prime d'activité: when it is due, whether
it is missing, which months it suspends. Pure: dates in, answers out.

Sources:
- RSA: the allocataire declares the household's resources each quarter (CASF R262-37 and R262-38:
  "déclaration trimestrielle de ressources"); the amount is set for the three months that follow.
- prime d'activité: the same quarterly declaration (CSS L843-4: the prime is set for three months
  from the resources of the three months before; the declaration form is the same one).
- without the declaration the amount cannot be computed and its payment is suspended; paid back
  once the declaration arrives (Caf practice, e.g. Département de Vaucluse, "Vos obligations"
  for the RSA: "En cas d'absence de DTR, le montant du RSA … ne peut être calculé et son versement
  est donc suspendu"). The exact article of the suspension (CASF R262-40?) is to confirm.

parcours's choices (decision 0014): each dossier's quarters start in the month of its opening
modulo 3 (the Caf spreads its declarations over the year the same way: each household declares on
the anniversary of its right), the declaration of the quarter starting in month Q is due on
`DUE_DAY` of Q, and while it is missing after that day RSA and prime d'activité of the three months
of the quarter are suspended. The first payment it stops is that of month Q, on `PAYMENT_DAY` of
Q + 1 (the Caf pays the month's benefits early in the next month).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

BENEFITS = ("rsa", "ppa")  # what a missing declaration suspends
DUE_DAY = 15
PAYMENT_DAY = 5


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def from_index(index: int, day: int = 1) -> date:
    return date(index // 12, index % 12 + 1, day)


def quarter_start(month: date, opened_on: date) -> date:
    """The first day of the dossier's quarter that contains `month`."""
    index = month_index(month)
    return from_index(index - (index - month_index(opened_on)) % 3)


def due_on(quarter: date) -> date:
    """The day the declaration of the quarter starting on `quarter` is due."""
    return quarter.replace(day=DUE_DAY)


def breaks_on(quarter: date) -> date:
    """The first payment a missing declaration stops: that of the quarter's first month."""
    return from_index(month_index(quarter) + 1, PAYMENT_DAY)


@dataclass(frozen=True)
class Declaration:
    quarter_start: date
    due_on: date
    received_on: date | None


def next_payment(day: date) -> date:
    """The first monthly payment of benefits after `day` (paid on PAYMENT_DAY of each month)."""
    return from_index(month_index(day) + (1 if day.day >= PAYMENT_DAY else 0), PAYMENT_DAY)


def is_missing(declaration: Declaration, today: date) -> bool:
    """Expected, not received, and its due day has passed."""
    return declaration.received_on is None and declaration.due_on < today


def suspended(month: date, declarations: list[Declaration], today: date) -> frozenset[str]:
    """The benefits suspended for `month`: RSA and prime d'activité when the declaration of the
    quarter containing `month` is missing today. No declaration expected: nothing suspended."""
    index = month_index(month)
    for declaration in declarations:
        start = month_index(declaration.quarter_start)
        if start <= index < start + 3 and is_missing(declaration, today):
            return frozenset(BENEFITS)
    return frozenset()
