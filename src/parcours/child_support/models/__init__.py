"""Models of child support: titles, intermediations (IFPA) and their monthly dues, bank files,
unpaid follow-up, and the append-only double-entry ledger."""

from .bank import BankLine, BankLineStatus, BankStatement, PaymentFile, PaymentFileKind
from .intermediation import (
    AsfAdvance,
    Collection,
    Due,
    DueAllocation,
    ForcedRecovery,
    Intermediation,
    IntermediationEvent,
    IntermediationStatus,
    Payout,
    RecoveryState,
    Revaluation,
    UnpaidNotice,
)
from .ledger import AppendOnlyModel, LedgerEntry, LedgerKind, LedgerTransaction
from .titles import (
    Arrangement,
    Titre,
    TitreChild,
    TitreKind,
    TitreRequest,
    TitreRequestChild,
    TitreRequestStatus,
)

__all__ = [
    "AppendOnlyModel",
    "Arrangement",
    "AsfAdvance",
    "BankLine",
    "BankLineStatus",
    "BankStatement",
    "Collection",
    "Due",
    "DueAllocation",
    "ForcedRecovery",
    "Intermediation",
    "IntermediationEvent",
    "IntermediationStatus",
    "LedgerEntry",
    "LedgerKind",
    "LedgerTransaction",
    "PaymentFile",
    "PaymentFileKind",
    "Payout",
    "RecoveryState",
    "Revaluation",
    "Titre",
    "TitreChild",
    "TitreKind",
    "TitreRequest",
    "TitreRequestChild",
    "TitreRequestStatus",
    "UnpaidNotice",
]
