"""Domain operations of child support: the only place that writes."""

from parcours.intermediation.services.intermediation import (
    BankDetails,
    ChildLine,
    arrears_request,
    intermediation_end,
    intermediation_open,
    intermediation_reactivate,
    suspense_refund,
    suspense_resolve,
)
from parcours.intermediation.services.ledger import ledger_post, ledger_reverse

__all__ = [
    "BankDetails",
    "ChildLine",
    "arrears_request",
    "intermediation_end",
    "intermediation_open",
    "intermediation_reactivate",
    "ledger_post",
    "ledger_reverse",
    "suspense_refund",
    "suspense_resolve",
]
