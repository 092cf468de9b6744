"""Property: whatever debtors pay, when and how much, the cycle's books stay right.

Random payments (none, partial, exact, too much, several), with or without the reference, on random
days of two months, for two intermediations (one eligible to the ASF): after every day `ifpa check`
is ok, and at the end the money adds up — the creditor received exactly what was collected for them
plus the ASF, the Caf recovered no more than it advanced, and nothing was paid twice.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from parcours.intermediation.models import AsfAdvance, Due, DueAllocation, Payout
from parcours.intermediation.selectors.ledger import account_balances

from .cycle_helpers import day, make_intermediation, payment

RUN_DAYS = [
    date(2026, 1, 2),
    date(2026, 1, 7),
    date(2026, 1, 12),
    date(2026, 1, 21),
    date(2026, 1, 27),
    date(2026, 2, 2),
    date(2026, 2, 9),
    date(2026, 2, 16),
    date(2026, 2, 27),
    date(2026, 3, 3),
]

payments = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1),  # which intermediation
        st.integers(min_value=1, max_value=55),  # day offset from 2 January
        st.integers(min_value=1, max_value=40_000),  # cents
        st.booleans(),  # with the reference
    ),
    max_size=8,
)


class CyclePropertyTest(TestCase):
    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(paid=payments)
    def test_the_books_add_up_whatever_is_paid(self, paid):
        inters = [
            make_intermediation(amount="150.00")[1],
            make_intermediation(amount="200.00", asf_eligible=True)[1],
        ]
        lines = [
            payment(inters[which], cents, date(2026, 1, 2) + timedelta(days=offset), reference=ref)
            for which, offset, cents, ref in paid
        ]
        with tempfile.TemporaryDirectory() as folder:
            since = date(2026, 1, 1)
            for run_on in RUN_DAYS:
                todays = [line for line in lines if since <= line.booked_on < run_on]
                day(Path(folder), run_on, todays)  # asserts ifpa check is ok after each day
                since = run_on
        for inter in inters:
            pension = sum(
                Payout.objects.filter(intermediation=inter, kind="pension").values_list(
                    "amount_cents", flat=True
                )
            )
            asf = sum(
                Payout.objects.filter(intermediation=inter, kind="asf").values_list("amount_cents", flat=True)
            )
            for_creditor = sum(
                DueAllocation.objects.filter(intermediation=inter).values_list("creditor_cents", flat=True)
            )
            recovered = sum(
                DueAllocation.objects.filter(intermediation=inter).values_list("recovery_cents", flat=True)
            )
            advanced = sum(
                AsfAdvance.objects.filter(intermediation=inter).values_list("amount_cents", flat=True)
            )
            assert pension <= for_creditor  # never paid out before it was collected
            assert asf == advanced and recovered <= advanced
            owed = sum(d.amount_cents for d in Due.objects.filter(intermediation=inter))
            assert for_creditor + advanced <= owed  # the creditor never gets more than the pension
            balance = account_balances([f"asf_advanced:{inter.pk}"]).get(f"asf_advanced:{inter.pk}", 0)
            assert balance == advanced - recovered
        assert Payout.objects.values("key").distinct().count() == Payout.objects.count()
