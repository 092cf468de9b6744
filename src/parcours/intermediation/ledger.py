"""Double-entry arithmetic of the intermediation ledger, on plain data (no Django).

DESIGN.md invariant: every movement (due, receipt, payout, ASF advance, recovery, write-off,
reversal) is one transaction of entries over accounts whose amounts sum to zero; nothing is ever
changed or removed, a correction is a reversal.

Conventions:
- amounts are integer cents (never float, never Decimal here: sums of ints are exact and fast);
- an entry's amount is positive for a debit and negative for a credit, so a balanced transaction
  sums to zero and the balance of every account, added up, is zero too;
- accounts are strings named by the caller ("caf_bank", "suspense", "debtor:<id>", ...).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from parcours.core.money import format_cents

REVERSAL = "reversal"


class LedgerError(ValueError):
    """A refused movement; the message is in French, for the agent who sees it."""


@dataclass(frozen=True)
class Entry:
    account: str
    amount: int  # cents: > 0 debit, < 0 credit


@dataclass(frozen=True)
class Transaction:
    key: str  # the idempotency key: one transaction per key, ever
    kind: str
    entries: tuple[Entry, ...]
    reverses: str | None = None  # the key of the transaction this one cancels


def entries_of(raw: Iterable[Entry | tuple[str, int]]) -> tuple[Entry, ...]:
    return tuple(e if isinstance(e, Entry) else Entry(*e) for e in raw)


def check_entries(entries: Sequence[Entry]) -> None:
    """Raise LedgerError unless `entries` form a balanced movement: at least two entries, each on a
    named account with a non-zero amount in integer cents, summing to zero."""
    if len(entries) < 2:
        raise LedgerError("Une opération comporte au moins deux écritures.")
    for entry in entries:
        if not isinstance(entry.account, str) or not entry.account.strip():
            raise LedgerError("Chaque écriture porte sur un compte nommé.")
        if isinstance(entry.amount, bool) or not isinstance(entry.amount, int):
            raise LedgerError("Les montants des écritures sont des nombres entiers de centimes.")
        if entry.amount == 0:
            raise LedgerError("Une écriture d'un montant nul n'est pas admise.")
    total = sum(entry.amount for entry in entries)
    if total != 0:
        raise LedgerError(
            f"Opération déséquilibrée : la somme des écritures vaut {format_cents(total)} au lieu de {format_cents(0)}."
        )


def transaction(key: str, kind: str, entries: Iterable[Entry | tuple[str, int]]) -> Transaction:
    """A checked, balanced transaction (LedgerError otherwise)."""
    if not key or not key.strip():
        raise LedgerError("Chaque opération a une clé d'idempotence.")
    checked = entries_of(entries)
    check_entries(checked)
    return Transaction(key=key, kind=kind, entries=checked)


def reversal(original: Transaction, key: str) -> Transaction:
    """The transaction that cancels `original`: the same entries with opposite signs."""
    return Transaction(
        key=key,
        kind=REVERSAL,
        entries=tuple(Entry(e.account, -e.amount) for e in original.entries),
        reverses=original.key,
    )


def balances(transactions: Iterable[Transaction]) -> dict[str, int]:
    """Balance of each account touched (debits minus credits, in cents); zeros are kept."""
    result: dict[str, int] = defaultdict(int)
    for tx in transactions:
        for entry in tx.entries:
            result[entry.account] += entry.amount
    return dict(result)


def nonzero(balance: Mapping[str, int]) -> dict[str, int]:
    return {account: amount for account, amount in balance.items() if amount}


# --- Allocation of a payment to dues ----------------------------------------------------------


@dataclass(frozen=True)
class Due:
    key: str | int  # unique among the dues given, all of one type (the due's id in the database)
    due_on: date
    outstanding: int  # cents still owed, ≥ 0
    # The part of `outstanding` still owed to the creditor; the rest repays the Caf's ASF advance on
    # this due (CSS L581-2). None: all of it (no advance). See `open_due`.
    creditor_outstanding: int | None = None

    @property
    def creditor_share(self) -> int:
        return self.outstanding if self.creditor_outstanding is None else self.creditor_outstanding


def open_due(*, key: str | int, due_on: date, amount: int, paid: int, asf_advanced: int) -> Due:
    """A due as the allocation sees it: `amount` due, `paid` already applied to it, `asf_advanced`
    of it advanced to the creditor by the Caf. The creditor's share (amount − ASF advanced) is paid
    first, so what was paid went to it first: the creditor is still owed amount − ASF − paid (not
    below 0), and the rest of what is outstanding repays the advance (decision 0007)."""
    outstanding = amount - paid
    return Due(key, due_on, outstanding, max(0, min(outstanding, amount - asf_advanced - paid)))


@dataclass(frozen=True)
class Share:
    """What a payment paid on one due: to the creditor, and in repayment of the Caf's ASF advance."""

    key: str | int
    creditor: int
    recovery: int

    @property
    def amount(self) -> int:
        return self.creditor + self.recovery


@dataclass(frozen=True)
class Allocation:
    shares: tuple[Share, ...]  # in the order the dues were paid, none of 0 cents
    unallocated: int  # what is left of the payment once every due given is paid

    @property
    def parts(self) -> tuple[tuple[str | int, int], ...]:
        """(due key, cents), in the order they were paid."""
        return tuple((share.key, share.amount) for share in self.shares)

    @property
    def allocated(self) -> int:
        return sum(share.amount for share in self.shares)

    @property
    def recovered(self) -> int:
        return sum(share.recovery for share in self.shares)


def allocate(payment: int, dues: Iterable[Due]) -> Allocation:
    """Share a payment among the dues it may settle: oldest due first, the creditor before the Caf.

    The rule (issue 5, "partial payments are allocated ... oldest due first", decision 0007): dues
    are taken by due date, the oldest first, and among dues of the same date by their key (so the
    result never depends on the order in which the dues are given); each is paid as fully as the
    money left allows before the next one gets anything. Within a due, the creditor's share comes
    first (`creditor_outstanding`), then the repayment of the Caf's ASF advance: the creditor's
    current pension has priority over the Caf's recovery. What remains once all are paid is returned
    as `unallocated` (an overpayment: the caller books it, e.g. on the debtor's credit or in
    suspense). A payment never pays more than a due's outstanding amount.

    The SQL of `cycle/steps.py:allocate` (a window over each intermediation's open dues) is proven
    equal to this by tests/intermediation/test_oracles.py.
    """
    if isinstance(payment, bool) or not isinstance(payment, int):
        raise LedgerError("Le paiement est un nombre entier de centimes.")
    if payment < 0:
        raise LedgerError("Un paiement à répartir ne peut pas être négatif.")
    ordered = sorted(dues, key=lambda d: (d.due_on, d.key))
    if len({d.key for d in ordered}) != len(ordered):
        raise LedgerError("Chaque échéance à solder a une clé différente.")
    if any(d.outstanding < 0 for d in ordered):
        raise LedgerError("Le reste dû d'une échéance ne peut pas être négatif.")
    if any(not 0 <= d.creditor_share <= d.outstanding for d in ordered):
        raise LedgerError("La part du créancier est comprise entre zéro et le reste dû de l'échéance.")
    left = payment
    shares: list[Share] = []
    for due in ordered:
        if left == 0:
            break
        amount = min(left, due.outstanding)
        if amount:
            creditor = min(amount, due.creditor_share)
            shares.append(Share(due.key, creditor, amount - creditor))
            left -= amount
    return Allocation(shares=tuple(shares), unallocated=left)
