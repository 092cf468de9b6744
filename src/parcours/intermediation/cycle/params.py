"""The cycle's dated parameters, read through `rules.ifpa_value` (data/ifpa.yaml) and openfisca-france."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from parcours.intermediation.rules import ifpa_value
from parcours.intermediation.rules.recovery import bmaf_on, debtor_due_date
from parcours.intermediation.rules.revaluation import index_value, reference_month


def due_on_for(month: date, due_day: int) -> date:
    """The due date of `month` for an intermediation's due day: `rules.recovery.debtor_due_date`."""
    return debtor_due_date(month, due_day=due_day)


def debtor_due_day(on: date) -> int:
    return int(ifpa_value("debtor_due_day", on))


def notice_after_days(on: date) -> int:
    """Days after a due date before it counts as unpaid: the bank's statements of the due date
    (and of a debit collected on it) have arrived by then. Within the 15 days of R582-8."""
    return int(ifpa_value("unpaid_after_days", on))


def notice_pay_within_days(on: date) -> int:
    return int(ifpa_value("notice_pay_within_days", on))


def lift_after_paid_months(on: date) -> int:
    return int(ifpa_value("lift_after_paid_months", on))


def bmaf(on: date) -> Decimal:
    return bmaf_on(on)


def index_base_month(titre_start: date) -> date:
    """The month of the index a titre's amount is based on: the index published at its start."""
    return reference_month(titre_start)


def index_for_revaluation(series: str, month: date, *, is_base: bool = False) -> Decimal:
    """The index of `series` used for a revaluation on `month` (its reference month, published
    `publication_lag_months` before), or, for a base month, that month's index itself."""
    return index_value(series, month if is_base else reference_month(month))
