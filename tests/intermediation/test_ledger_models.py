"""The stored ledger: append-only, idempotent posting, balanced or refused, reversals."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from parcours.intermediation import services
from parcours.intermediation.models import LedgerEntry, LedgerKind, LedgerTransaction
from parcours.intermediation.selectors.ledger import (
    account_balances,
    ledger_imbalance,
    unbalanced_transactions,
)
from parcours.intermediation.services import ledger_post, ledger_reverse

pytestmark = pytest.mark.django_db

DUE = [("debtor:1", 15000), ("creditor:1", -15000)]


def test_a_balanced_movement_is_posted_once():
    tx = ledger_post(key="due:1:2026-01", kind=LedgerKind.DUE, entries=DUE)
    assert tx.kind == "due"
    assert list(tx.entries.values_list("account", "amount")) == DUE
    assert account_balances() == {"creditor:1": -15000, "debtor:1": 15000}
    assert ledger_imbalance() == 0 and unbalanced_transactions() == []


def test_the_same_key_returns_the_same_transaction_and_writes_nothing():
    first = ledger_post(key="due:1:2026-01", kind=LedgerKind.DUE, entries=DUE)
    with CaptureQueriesContext(connection) as queries:
        # In any order of entries: the same movement.
        again = ledger_post(key="due:1:2026-01", kind=LedgerKind.DUE, entries=list(reversed(DUE)))
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
    assert again.pk == first.pk
    assert LedgerTransaction.objects.count() == 1 and LedgerEntry.objects.count() == 2


def test_the_same_key_for_another_movement_is_refused():
    ledger_post(key="due:1:2026-01", kind=LedgerKind.DUE, entries=DUE)
    with pytest.raises(ValidationError) as refused:
        ledger_post(
            key="due:1:2026-01", kind=LedgerKind.DUE, entries=[("debtor:1", 100), ("creditor:1", -100)]
        )
    assert "a déjà servi pour une autre opération" in refused.value.message_dict["key"][0]
    assert LedgerEntry.objects.count() == 2


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            [("debtor:1", 15000), ("creditor:1", -14000)],
            "Opération déséquilibrée : la somme des écritures vaut 10,00\u00a0€",
        ),
        ([("debtor:1", 15000)], "au moins deux écritures"),
        ([("debtor:1", 150.0), ("creditor:1", -150.0)], "entiers de centimes"),
    ],
)
def test_unbalanced_entries_are_refused_in_french_and_nothing_is_written(entries, message):
    with pytest.raises(ValidationError) as refused:
        ledger_post(key="k", kind=LedgerKind.DUE, entries=entries)
    assert message in refused.value.message_dict["entries"][0]
    assert not LedgerTransaction.objects.exists() and not LedgerEntry.objects.exists()


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError, match="Nature d'opération inconnue"):
        ledger_post(key="k", kind="gift", entries=DUE)


def test_nothing_is_updated_nor_deleted():
    tx = ledger_post(key="due:1:2026-01", kind=LedgerKind.DUE, entries=DUE)
    entry = tx.entries.first()
    for attempt in (
        tx.save,
        tx.delete,
        entry.save,
        entry.delete,
        lambda: LedgerTransaction.objects.update(kind="payout"),
        lambda: LedgerEntry.objects.filter(pk=entry.pk).update(amount=1),
        lambda: LedgerEntry.objects.all().delete(),
        lambda: LedgerTransaction.objects.all().delete(),
    ):
        with pytest.raises(PermissionError, match="en ajout seul"):
            attempt()
    assert account_balances() == {"creditor:1": -15000, "debtor:1": 15000}


def test_a_reversal_restores_the_balances_once():
    ledger_post(key="due:1:2026-01", kind=LedgerKind.DUE, entries=DUE)
    receipt = ledger_post(
        key="camt:ABC:1", kind=LedgerKind.RECEIPT, entries=[("caf_bank", 15000), ("debtor:1", -15000)]
    )
    undo = ledger_reverse(key="reversal:camt:ABC:1", original=receipt)
    assert undo.kind == LedgerKind.REVERSAL and undo.reverses == receipt
    assert sorted(undo.entries.values_list("account", "amount")) == [
        ("caf_bank", -15000),
        ("debtor:1", 15000),
    ]
    assert {k: v for k, v in account_balances().items() if v} == {"creditor:1": -15000, "debtor:1": 15000}
    # Idempotent, and only once.
    assert ledger_reverse(key="reversal:camt:ABC:1", original=receipt).pk == undo.pk
    with pytest.raises(ValidationError, match="déjà été contre-passée"):
        ledger_reverse(key="reversal:camt:ABC:1:bis", original=receipt)
    assert LedgerTransaction.objects.count() == 3


def test_a_key_posted_concurrently_is_read_back(monkeypatch):
    # Simulates another process winning the race between our read and our write.
    other = ledger_post(
        key="payout:1:2026-01", kind=LedgerKind.PAYOUT, entries=[("creditor:1", 15000), ("caf_bank", -15000)]
    )
    real_filter = LedgerTransaction.objects.filter
    calls = []

    def stale_first_read(*args, **kwargs):
        calls.append(kwargs)
        queryset = real_filter(*args, **kwargs)
        return queryset.none() if len(calls) == 1 else queryset

    monkeypatch.setattr(LedgerTransaction.objects, "filter", stale_first_read)
    again = services.ledger_post(
        key="payout:1:2026-01", kind=LedgerKind.PAYOUT, entries=[("creditor:1", 15000), ("caf_bank", -15000)]
    )
    assert again.pk == other.pk
    assert LedgerEntry.objects.count() == 2


ACCOUNTS = ["caf_bank", "suspense", "debtor:1", "creditor:1", "asf_advanced"]


class LedgerPropertyTest(TestCase):
    """Any sequence of posts, valid or not, repeated or not, leaves a balanced ledger."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["a", "b", "c", "d"]),
                st.sampled_from(ACCOUNTS),
                st.sampled_from(ACCOUNTS),
                st.integers(-(10**6), 10**6),
                st.integers(-1, 1),
            ),
            max_size=12,
        )
    )
    def test_the_ledger_stays_balanced(self, posts):
        for key, debit, credit, amount, error in posts:
            with contextlib.suppress(ValidationError):  # refused posts must leave no trace
                ledger_post(
                    key=key, kind=LedgerKind.DUE, entries=[(debit, amount), (credit, -amount + error)]
                )
        assert ledger_imbalance() == 0
        assert sum(account_balances().values()) == 0
        assert unbalanced_transactions() == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_of_one_key_write_one_transaction():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL (SQLite serialises its writers)")
    workers = 6
    barrier = threading.Barrier(workers)
    results: list[int] = []
    errors: list[BaseException] = []

    def post() -> None:
        try:
            barrier.wait()
            tx = ledger_post(
                key="camt:LINE:42", kind=LedgerKind.RECEIPT, entries=[("caf_bank", 9900), ("suspense", -9900)]
            )
            results.append(tx.pk)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1 and len(results) == workers
    assert LedgerTransaction.objects.count() == 1 and LedgerEntry.objects.count() == 2
