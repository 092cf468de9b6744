"""`make demo` also opens the pensions' intermediations and runs their last months."""

from __future__ import annotations

from datetime import date

import pytest

from parcours.accounts.models import User
from parcours.intermediation.cycle.check import ledger_check
from parcours.intermediation.models import Due, Intermediation, Payout, UnpaidNotice

from .conftest import load

pytestmark = pytest.mark.django_db


def test_the_demo_has_intermediations_with_months_of_history():
    out = load(600, seed=5, no_accounts=True, no_ifpa=False)
    opened = Intermediation.objects.count()
    assert opened > 0 and "intermédiation financière" in out
    assert Due.objects.filter(month=date(2026, 9, 1)).exists()
    assert Payout.objects.exists() and UnpaidNotice.objects.exists()
    assert ledger_check()["ok"]
    again = load(600, seed=5, no_accounts=True, no_ifpa=False)
    assert Intermediation.objects.count() == opened and "0 pension ouverte" in again
    assert ledger_check()["ok"]


def test_the_demo_parent_sees_the_unpaid_months_her_dossier_records_and_is_told_of_them():
    from parcours.notifications.models import Notification

    load(40, seed=2026, no_ifpa=False)
    parent = User.objects.get(username="parent")
    [intermediation] = Intermediation.objects.filter(titre__creditor_id=parent.person_id)
    past = Due.objects.filter(intermediation=intermediation, due_on__lt=date(2026, 11, 20))
    # The registry records the pension as unpaid: the simulated bank does not pay it, and the
    # cycle has sent the notice (and told her), as the ARIPA agent's list shows.
    assert past.exists() and all(d.paid_cents == 0 and d.notice_on for d in past)
    assert intermediation.recovery_state != "normal"
    events = set(Notification.objects.filter(user=parent).values_list("event", flat=True))
    assert "pension_impayee" in events
