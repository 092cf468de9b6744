"""Plain records exchanged with the bank: accounts, payment orders, statement lines.

Money is integer cents (never float) everywhere in this package.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Account:
    """The Caf's own account or a party's."""

    name: str
    iban: str
    bic: str = ""


@dataclass(frozen=True)
class Transfer:
    """One credit transfer to a creditor (a line of a pain.001)."""

    end_to_end_id: str  # <= 35 chars, unique in the file, e.g. "PO-123-20260105"
    amount_cents: int  # > 0
    creditor: Account
    remittance: str  # <= 140 chars, unstructured


@dataclass(frozen=True)
class Debit:
    """One SEPA Core direct debit on a debtor (a line of a pain.008)."""

    end_to_end_id: str
    amount_cents: int
    debtor: Account
    mandate_id: str
    mandate_signed_on: date
    sequence: str  # "FRST" | "RCUR"
    remittance: str


@dataclass(frozen=True)
class StatementLine:
    """One booked movement on the account, read from a camt.053 entry or transaction detail."""

    line_key: str  # the bank's unique reference: idempotency key of an import
    booked_on: date
    value_on: date
    amount_cents: int  # > 0
    credit: bool  # True for money in (CRDT), False for money out (DBIT)
    end_to_end_id: str  # "" when absent or "NOTPROVIDED"
    remittance: str  # unstructured remittance joined, or structured creditor reference, "" if none
    counterparty_name: str
    counterparty_iban: str


@dataclass(frozen=True)
class StatementHeader:
    """What a camt file says about itself, known before its first line is read."""

    kind: str  # "camt.053" | "camt.054"
    message_id: str
    account_iban: str
    created_at: datetime


@dataclass(frozen=True)
class Statement:
    kind: str  # "camt.053" | "camt.054"
    message_id: str
    account_iban: str
    created_at: datetime
    lines: list[StatementLine]
    digest: str = ""  # SHA-256 of the canonical content: the same whatever the encoding
