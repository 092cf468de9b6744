"""Domain operations of this app: the only place that writes. Typed, keyword-only, transactional."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from parcours.intermediation import ledger
from parcours.intermediation.ledger import Entry, LedgerError
from parcours.intermediation.models import LedgerEntry, LedgerKind, LedgerTransaction
from parcours.intermediation.selectors.ledger import as_plain


def ledger_post(
    *,
    key: str,
    kind: str,
    entries: Iterable[Entry | tuple[str, int]],
    reverses: LedgerTransaction | None = None,
    intermediation: Any = None,
    booked_on: date | None = None,
) -> LedgerTransaction:
    """Post a balanced movement once per idempotency key.

    Same key, same entries: the transaction already posted is returned and nothing is written
    (re-running a day or re-importing a statement changes nothing). Same key with other entries:
    refused, since it means two different movements were given one key. Unbalanced entries are
    refused with a French ValidationError and nothing is written.
    """
    if kind not in LedgerKind.values:
        raise ValidationError({"kind": f"Nature d'opération inconnue : {kind}."})
    try:
        wanted = ledger.transaction(key, kind, entries)
    except LedgerError as error:
        raise ValidationError({"entries": str(error)}) from None
    if reverses is not None:
        wanted = ledger.Transaction(wanted.key, wanted.kind, wanted.entries, reverses=reverses.key)

    existing = LedgerTransaction.objects.filter(key=key).first()
    if existing is not None:
        return _same_or_refuse(existing, wanted)
    try:
        with transaction.atomic():
            posted = LedgerTransaction.objects.create(
                key=key, kind=kind, reverses=reverses, intermediation=intermediation, booked_on=booked_on
            )
            LedgerEntry.objects.bulk_create(
                LedgerEntry(transaction=posted, account=e.account, amount=e.amount) for e in wanted.entries
            )
    except IntegrityError:
        # Another process posted the same key between our read and our write (unique key), or
        # the original was reversed meanwhile: the database decides, we report what it holds.
        existing = LedgerTransaction.objects.filter(key=key).first()
        if existing is None:
            raise ValidationError({"reverses": "Cette opération a déjà été contre-passée."}) from None
        return _same_or_refuse(existing, wanted)
    return posted


def ledger_reverse(*, key: str, original: LedgerTransaction) -> LedgerTransaction:
    """Cancel a posted transaction by a reversal (the same entries, opposite signs), once.

    Idempotent like `ledger_post`: the same key returns the reversal already posted.
    """
    done = LedgerTransaction.objects.filter(key=key).first()
    if done is None and LedgerTransaction.objects.filter(reverses=original).exists():
        raise ValidationError({"reverses": "Cette opération a déjà été contre-passée."})
    undo = ledger.reversal(as_plain(original), key)
    return ledger_post(key=key, kind=LedgerKind.REVERSAL, entries=undo.entries, reverses=original)


def _same_or_refuse(existing: LedgerTransaction, wanted: ledger.Transaction) -> LedgerTransaction:
    stored = as_plain(existing)
    if (stored.kind, sorted(stored.entries, key=_order), stored.reverses) != (
        wanted.kind,
        sorted(wanted.entries, key=_order),
        wanted.reverses,
    ):
        raise ValidationError(
            {"key": f"La clé {wanted.key} a déjà servi pour une autre opération : rien n'a été enregistré."}
        )
    return existing


def _order(entry: Entry) -> tuple[str, int]:
    return (entry.account, entry.amount)
