"""`make demo` also opens the pensions' intermediations and runs their last months."""

from __future__ import annotations

from datetime import date

import pytest

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
