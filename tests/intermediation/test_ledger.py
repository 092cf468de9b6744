"""Double-entry arithmetic of the ledger, on plain data (no database)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.intermediation.ledger import (
    REVERSAL,
    Due,
    Entry,
    LedgerError,
    allocate,
    balances,
    nonzero,
    open_due,
    reversal,
    transaction,
)

ACCOUNTS = ["caf_bank", "suspense", "asf_advanced", "debtor:1", "debtor:2", "creditor:1", "creditor:2"]


@st.composite
def balanced_transactions(draw, key=None):
    """A random balanced transaction: a few non-zero amounts, and one entry that balances them."""
    amounts = draw(st.lists(st.integers(-(10**9), 10**9).filter(bool), min_size=1, max_size=5))
    if sum(amounts) == 0:  # the balancing entry below must not be zero
        amounts.append(1)
    accounts = draw(st.lists(st.sampled_from(ACCOUNTS), min_size=len(amounts) + 1, max_size=len(amounts) + 1))
    entries = [Entry(a, x) for a, x in zip(accounts, amounts, strict=False)] + [
        Entry(accounts[-1], -sum(amounts))
    ]
    return transaction(key or draw(st.uuids()).hex, "due", entries)


# --- transactions -----------------------------------------------------------------------------


def test_a_transaction_balances_to_zero():
    tx = transaction("due:1:2026-01", "due", [("debtor:1", 15000), ("creditor:1", -15000)])
    assert tx.entries == (Entry("debtor:1", 15000), Entry("creditor:1", -15000))
    assert balances([tx]) == {"debtor:1": 15000, "creditor:1": -15000}


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            [("debtor:1", 15000), ("creditor:1", -14999)],
            "Opération déséquilibrée : la somme des écritures vaut 0,01\u00a0€",
        ),
        ([("debtor:1", -250), ("creditor:1", 100)], "vaut -1,50\u00a0€"),
        ([("debtor:1", 0), ("creditor:1", 0)], "montant nul"),
        ([("debtor:1", 100)], "au moins deux écritures"),
        ([("debtor:1", 1.5), ("creditor:1", -1.5)], "entiers de centimes"),
        ([("debtor:1", True), ("creditor:1", -1)], "entiers de centimes"),
        ([("", 100), ("creditor:1", -100)], "compte nommé"),
    ],
)
def test_a_bad_transaction_is_refused_in_french(entries, message):
    with pytest.raises(LedgerError, match=message):
        transaction("k", "due", entries)


def test_a_transaction_needs_a_key():
    with pytest.raises(LedgerError, match="clé d'idempotence"):
        transaction(" ", "due", [("a", 1), ("b", -1)])


@given(st.lists(balanced_transactions(), max_size=30))
def test_any_sequence_of_valid_transactions_keeps_the_total_balance_zero(transactions):
    assert sum(balances(transactions).values()) == 0


@given(st.lists(balanced_transactions(), min_size=1, max_size=20), st.data())
def test_a_reversal_restores_the_balances(transactions, data):
    target = data.draw(st.sampled_from(transactions))
    undo = reversal(target, key="reversal:" + target.key)
    assert undo.kind == REVERSAL and undo.reverses == target.key
    assert sum(e.amount for e in undo.entries) == 0
    others = [t for t in transactions if t is not target]
    assert nonzero(balances([*transactions, undo])) == nonzero(balances(others))


# --- allocation -------------------------------------------------------------------------------

START = date(2026, 1, 5)


def test_a_partial_payment_settles_the_oldest_due_first():
    dues = [
        Due("2026-03", date(2026, 3, 5), 15000),
        Due("2026-01", START, 15000),
        Due("2026-02", date(2026, 2, 5), 15000),
    ]
    allocation = allocate(20000, dues)
    assert allocation.parts == (("2026-01", 15000), ("2026-02", 5000))
    assert allocation.unallocated == 0


def test_an_overpayment_is_left_unallocated():
    allocation = allocate(40000, [Due("a", START, 15000), Due("b", START, 10000)])
    assert allocation.parts == (("a", 15000), ("b", 10000))
    assert allocation.unallocated == 15000


def test_dues_of_the_same_day_are_taken_by_key():
    allocation = allocate(100, [Due("b", START, 100), Due("a", START, 100)])
    assert allocation.parts == (("a", 100),)


@pytest.mark.parametrize(
    ("payment", "dues", "message"),
    [
        (-1, [], "négatif"),
        (1.0, [], "entier de centimes"),
        (1, [Due("a", START, 1), Due("a", START, 2)], "clé différente"),
        (1, [Due("a", START, -1)], "reste dû"),
    ],
)
def test_bad_allocations_are_refused(payment, dues, message):
    with pytest.raises(LedgerError, match=message):
        allocate(payment, dues)


dues_lists = st.lists(
    st.builds(
        Due,
        key=st.text(alphabet="abcdefgh", min_size=1, max_size=4),
        due_on=st.dates(START, START + timedelta(days=800)),
        outstanding=st.integers(0, 10**7),
    ),
    max_size=15,
    unique_by=lambda d: d.key,
)


@given(st.integers(0, 10**8), dues_lists, st.randoms())
def test_allocation_never_over_allocates_and_is_order_stable(payment, dues, rnd: random.Random):
    allocation = allocate(payment, dues)
    outstanding = {d.key: d.outstanding for d in dues}
    assert allocation.allocated + allocation.unallocated == payment
    assert all(0 < amount <= outstanding[key] for key, amount in allocation.parts)
    assert len({key for key, _ in allocation.parts}) == len(allocation.parts)
    assert allocation.unallocated == max(0, payment - sum(outstanding.values()))
    shuffled = list(dues)
    rnd.shuffle(shuffled)
    assert allocate(payment, shuffled) == allocation


@given(st.integers(0, 10**8), dues_lists)
def test_allocation_pays_no_due_before_every_older_one_is_settled(payment, dues):
    paid = dict(allocate(payment, dues).parts)
    ordered = sorted(dues, key=lambda d: (d.due_on, d.key))
    for i, due in enumerate(ordered):
        if paid.get(due.key):
            assert all(paid.get(o.key, 0) == o.outstanding for o in ordered[:i])


def test_within_a_due_the_creditor_s_share_comes_before_the_caf_s_recovery():
    # 150 € due, 100 € advanced by the ASF: the creditor's 50 € first, then the Caf's 100 €.
    due = open_due(key=1, due_on=START, amount=15000, paid=0, asf_advanced=10000)
    allocation = allocate(8000, [due])
    assert [(s.key, s.creditor, s.recovery) for s in allocation.shares] == [(1, 5000, 3000)]
    assert allocation.recovered == 3000 and allocation.parts == ((1, 8000),)
    # 60 € already paid: the creditor's 50 € are paid, 10 € of the advance repaid.
    assert open_due(key=1, due_on=START, amount=15000, paid=6000, asf_advanced=10000).creditor_share == 0


def test_dues_of_the_same_day_are_taken_by_id_as_a_number():
    allocation = allocate(100, [Due(10, START, 100), Due(9, START, 100)])
    assert allocation.parts == ((9, 100),)


@st.composite
def asf_dues(draw):
    amount = draw(st.integers(1, 10**6))
    return open_due(
        key=draw(st.integers(1, 10**6)),
        due_on=draw(st.dates(START, START + timedelta(days=400))),
        amount=amount,
        paid=draw(st.integers(0, amount)),
        asf_advanced=draw(st.integers(0, amount)),
    )


@given(st.integers(0, 10**7), st.lists(asf_dues(), max_size=10, unique_by=lambda d: d.key))
def test_the_caf_recovers_on_a_due_only_once_its_creditor_is_paid(payment, dues):
    by_key = {d.key: d for d in dues}
    for share in allocate(payment, dues).shares:
        due = by_key[share.key]
        assert share.creditor <= due.creditor_share
        assert share.recovery <= due.outstanding - due.creditor_share
        assert share.recovery == 0 or share.creditor == due.creditor_share
