"""Unpaid pensions under intermediation: notice, paiement direct instalments, lifting forced
recovery, how far back arrears go (DOMAIN.md §5).

Money is integer cents (as in the ledger); the BMAF comes in as Decimal euros, read from
openfisca-france by `bmaf_on(day)`. Every number is a parameter of `data/ifpa.yaml`.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from parcours.core.dates import date_fr
from parcours.core.money import format_cents
from parcours.core.parameters import openfisca_parameter, openfisca_period
from parcours.intermediation.rules import IFPA, ParameterUnknown, ifpa_value, load_data
from parcours.intermediation.rules.calendar import add_months, first_of_month


class RecoveryError(ValueError):
    """A plan or a date that the rules do not allow; the message is in French, for the agent."""


# --- Paiement direct: the instalment plan ---------------------------------------------------


@dataclass(frozen=True)
class InstalmentBounds:
    """How many monthly instalments the arrears may be spread over."""

    min_months: int
    max_months: int
    small_debt: bool  # below 1.2 × BMAF: may also be paid at once


def _check_cents(arrears_cents: int) -> None:
    if isinstance(arrears_cents, bool) or not isinstance(arrears_cents, int):
        raise TypeError("L'arriéré est un nombre entier de centimes.")
    if arrears_cents < 0:
        raise RecoveryError("L'arriéré ne peut pas être négatif.")


def small_debt(*, arrears_cents: int, bmaf: Decimal, on: date | None = None) -> bool:
    """True when the arrears are below `small_debt_bmaf_ratio` (1.2) × BMAF (CPCE R213-11)."""
    _check_cents(arrears_cents)
    if not isinstance(bmaf, Decimal) or not bmaf.is_finite() or bmaf <= 0:
        raise TypeError("La BMAF est un Decimal strictement positif, en euros.")
    ratio = ifpa_value("small_debt_bmaf_ratio", on)
    return Decimal(arrears_cents) < ratio * bmaf * 100  # exact: cents compared with cents


def instalment_bounds(
    *, arrears_cents: int, unpaid_months: int, bmaf: Decimal, on: date | None = None
) -> InstalmentBounds:
    """The number of monthly instalments allowed for the paiement direct of the arrears.

    Source: CPCE R213-11 (DOMAIN.md §5): equal monthly instalments over at least as many months as
    were unpaid, and at most 12 months when at most 12 months were unpaid, 24 when more; a debt
    below 1.2 × BMAF can be paid at once or over at most 6 months.

    Reading (to confirm): the small-debt rule replaces the general one (1 to 6 instalments,
    whatever the number of unpaid months); when more than 24 months were unpaid, the 24-month
    ceiling prevails over the floor (the floor is then 24 too).
    """
    _check_cents(arrears_cents)
    if isinstance(unpaid_months, bool) or not isinstance(unpaid_months, int) or unpaid_months < 1:
        raise RecoveryError("Le nombre de mois impayés est un entier au moins égal à 1.")
    if small_debt(arrears_cents=arrears_cents, bmaf=bmaf, on=on):
        return InstalmentBounds(1, ifpa_value("small_debt_max_months", on), small_debt=True)
    if unpaid_months <= ifpa_value("instalment_long_after_unpaid_months", on):
        ceiling = ifpa_value("instalment_max_months", on)
    else:
        ceiling = ifpa_value("instalment_long_max_months", on)
    return InstalmentBounds(min(unpaid_months, ceiling), ceiling, small_debt=False)


def split_equally(total_cents: int, months: int) -> list[int]:
    """`total_cents` in `months` instalments that differ by at most one cent, the larger ones
    first, summing exactly to the total: 1 000 in 3 → [334, 333, 333]."""
    quotient, remainder = divmod(total_cents, months)
    return [quotient + 1] * remainder + [quotient] * (months - remainder)


def instalment_plan(
    *,
    arrears_cents: int,
    unpaid_months: int,
    bmaf: Decimal,
    pay_at_once: bool = False,
    months: int | None = None,
    on: date | None = None,
) -> list[int]:
    """The monthly instalments, in cents, by which the arrears are recovered (CPCE R213-11).

    - `pay_at_once`: one instalment; allowed only for a small debt (below 1.2 × BMAF);
    - `months`: the number of instalments chosen within `instalment_bounds` (RecoveryError outside);
    - by default, the shortest plan allowed: as many instalments as unpaid months, capped by the
      ceiling (6 for a small debt, 12 or 24 otherwise). Recovering the creditor's money as soon as
      the rule allows is the choice made here (to confirm: a Caf may prefer a longer plan a debtor
      can bear).

    Instalments are equal to the cent, the remainder cents on the first ones, so that the sum is
    exactly the arrears and the plan never increases. No instalment is zero: arrears of fewer
    cents than months are spread over as many months as cents. No arrears, no instalment ([]).

    `cycle/steps.py:escalate` calls this for each forced recovery it opens (its arrears and unpaid
    months selected in SQL); tests/intermediation/test_oracles.py checks the plan it stores.
    """
    bounds = instalment_bounds(arrears_cents=arrears_cents, unpaid_months=unpaid_months, bmaf=bmaf, on=on)
    if pay_at_once:
        if not bounds.small_debt:
            raise RecoveryError(
                f"Un arriéré de {format_cents(arrears_cents)} ne peut être payé en une fois : "
                "seule une dette inférieure à 1,2 fois la BMAF le peut (article R. 213-11 du code des "
                "procédures civiles d'exécution)."
            )
        count = 1
    elif months is not None:
        if not bounds.min_months <= months <= bounds.max_months:
            raise RecoveryError(
                f"L'arriéré doit être étalé sur {bounds.min_months} à {bounds.max_months} mensualités "
                f"(article R. 213-11 du code des procédures civiles d'exécution), pas sur {months}."
            )
        count = months
    else:
        count = min(unpaid_months, bounds.max_months)
    if arrears_cents == 0:
        return []
    return split_equally(arrears_cents, min(count, arrears_cents))


# --- Notice and forced recovery (CSS R582-8) --------------------------------------------------


class NoticeDates(NamedTuple):
    send_by: date  # the notice is sent at the latest on this day
    pay_by: date  # the debtor has until this day to pay


def notice_dates(missed_due_on: date, *, sent_on: date | None = None) -> NoticeDates:
    """When the notice to a debtor who did not pay is sent, and until when they may pay.

    Source: CSS R582-8 (DOMAIN.md §5): the Caf sends a notice within 15 days of the missed due
    date, giving 15 days to pay (`notice_within_days`, `notice_pay_within_days`). Days are calendar
    days; the time to pay runs from the day the notice is sent (`sent_on`, the latest day allowed
    when not yet sent). A deadline falling on a weekend or a public holiday is not extended here
    (to confirm). Forced recovery may start the day after `pay_by`.

    The SQL of `cycle/steps.py:send_notices` (the notice's `pay_by`) and of `escalate` (a notice
    whose `pay_by` has passed) are proven equal to this by tests/intermediation/test_oracles.py.
    """
    send_by = missed_due_on + timedelta(days=ifpa_value("notice_within_days", missed_due_on))
    sent = send_by if sent_on is None else sent_on
    if sent < missed_due_on:
        raise RecoveryError(
            f"La mise en demeure ne peut pas précéder l'échéance impayée du {date_fr(missed_due_on)}."
        )
    return NoticeDates(send_by, sent + timedelta(days=ifpa_value("notice_pay_within_days", missed_due_on)))


def unpaid_from(due_on: date) -> date:
    """The first day a due still not paid in full counts as unpaid and gets its notice:
    `unpaid_after_days` (5, to confirm) after its date, once the bank's statements of the due date
    have arrived. Never later than `notice_dates(due_on).send_by` (the 15 days of CSS R582-8).

    The SQL of `cycle/steps.py:send_notices` is proven equal to this by
    tests/intermediation/test_oracles.py."""
    return due_on + timedelta(days=ifpa_value("unpaid_after_days", due_on))


def debtor_due_date(month: date, *, due_day: int | None = None) -> date:
    """The day the debtor must have paid the pension of `month`: the intermediation's due day
    (`due_day`, fixed when it opens; by default `debtor_due_day` in force that month, to confirm),
    the month's last day when it is shorter. `cycle/params.py:due_on_for`, which dates every due
    `post_dues` and the services post, is this function."""
    first = first_of_month(month)
    day = ifpa_value("debtor_due_day", first) if due_day is None else due_day
    if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31:
        raise RecoveryError("Le jour d'échéance est un jour du mois, de 1 à 31.")
    return first.replace(day=min(day, _stdlib_calendar.monthrange(first.year, first.month)[1]))


def forced_recovery_lifted(consecutive_paid_months: int, *, on: date | None = None) -> bool:
    """True when forced recovery can be lifted: after `lift_after_paid_months` (6) consecutive months
    paid (CSS R582-8, DOMAIN.md §5)."""
    if consecutive_paid_months < 0:
        raise RecoveryError("Le nombre de mois payés ne peut pas être négatif.")
    return consecutive_paid_months >= ifpa_value("lift_after_paid_months", on)


@dataclass(frozen=True)
class DueRecord:
    """A due as the lifting of forced recovery sees it."""

    due_on: date
    paid_in_full: bool
    noticed: bool  # it got a notice (CSS R582-8), even if paid since


def consecutive_paid_months(dues: Iterable[DueRecord], *, since: date, until: date) -> int:
    """How many months in a row, up to `until` (excluded), the debtor paid in full without a
    notice, counting only dues from `since` (the start of forced recovery) on: from the latest due
    before `until` back to the first one not paid in full, or noticed (a later notice breaks the
    run: it counts again from there)."""
    count = 0
    for due in sorted((d for d in dues if d.due_on < until), key=lambda d: d.due_on, reverse=True):
        if due.due_on < since or due.noticed or not due.paid_in_full:
            break
        count += 1
    return count


def forced_recovery_can_be_lifted(*, started_on: date, dues: Iterable[DueRecord], on: date) -> bool:
    """True when the forced recovery that started on `started_on` is lifted on `on`: the dues of
    `lift_after_paid_months` (6) consecutive months since it started were paid with no notice
    (CSS R582-8, `forced_recovery_lifted`) and nothing due before `on` is still owed (the arrears
    it recovers included: decision 0007).

    The SQL of `cycle/steps.py:lift` is proven equal to this by tests/intermediation/test_oracles.py
    (on the states the cycle reaches: every forced recovery follows a due noticed before it began).
    """
    dues = list(dues)
    if any(d.due_on < on and not d.paid_in_full for d in dues):
        return False
    return forced_recovery_lifted(consecutive_paid_months(dues, since=started_on, until=on), on=on)


def arrears_earliest_month(requested_on: date) -> date:
    """The oldest month of arrears before intermediation the Caf may recover on the creditor's
    request: `arrears_back_months` (24) months before the month of the request (CSS L582-1,
    DOMAIN.md §5). A request on 10 March 2026 reaches back to March 2024."""
    return add_months(first_of_month(requested_on), -ifpa_value("arrears_back_months", requested_on))


# --- The BMAF, from openfisca-france ----------------------------------------------------------


def _bmaf_path() -> tuple[str, str]:
    openfisca = load_data(IFPA)["openfisca"]
    return openfisca["bmaf"], openfisca["yearly_revaluation"]


def bmaf_period() -> tuple[date, date]:
    """The days on which parcours trusts openfisca-france's BMAF: from its oldest value in the
    current run of values (openfisca-france marks the end of an older definition with a null) to
    the day before the next 1 April after the date openfisca-france last checked it."""
    return openfisca_period(*_bmaf_path())


def bmaf_on(day: date) -> Decimal:
    """The BMAF in force on `day` (CSS L551-1), read from openfisca-france; ParameterUnknown outside
    `bmaf_period()`."""
    first, last = bmaf_period()
    if not first <= day <= last:
        raise ParameterUnknown(
            f"La BMAF n'est connue que du {date_fr(first)} au {date_fr(last)} : "
            "mettez à jour openfisca-france."
        )
    return openfisca_parameter(_bmaf_path()[0], day).quantize(Decimal("0.01"))
