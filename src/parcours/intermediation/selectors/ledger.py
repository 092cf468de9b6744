"""Read queries of this app (the ledger's balances and checks), set-based in SQL."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Sum

from parcours.intermediation.ledger import Entry, Transaction
from parcours.intermediation.models import LedgerEntry, LedgerTransaction


def account_balances(accounts: Iterable[str] | None = None) -> dict[str, int]:
    """Balance in cents (debits minus credits) of each account, or of the accounts given."""
    entries = LedgerEntry.objects.all()
    if accounts is not None:
        entries = entries.filter(account__in=list(accounts))
    rows = entries.order_by("account").values_list("account").annotate(balance=Sum("amount"))
    return {account: int(balance) for account, balance in rows}


def ledger_imbalance() -> int:
    """The sum of every entry: 0 in a sound ledger."""
    return int(LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] or 0)


def unbalanced_transactions() -> list[str]:
    """Keys of the transactions whose entries do not sum to zero (none in a sound ledger)."""
    return list(
        LedgerTransaction.objects.order_by("key")
        .annotate(total=Sum("entries__amount"))
        .exclude(total=0)
        .values_list("key", flat=True)
    )


def as_plain(tx: LedgerTransaction) -> Transaction:
    """A stored transaction as the plain data of `ledger.py`."""
    return Transaction(
        key=tx.key,
        kind=tx.kind,
        entries=tuple(Entry(e.account, e.amount) for e in tx.entries.order_by("id")),
        reverses=tx.reverses.key if tx.reverses_id else None,
    )
