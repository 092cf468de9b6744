"""Pages of the intermediation: the ARIPA agents' intermediations and suspense account, and each
parent's own side of their pension."""

from .agent import (
    intermediation_arrears,
    intermediation_detail,
    intermediation_end,
    intermediation_list,
    intermediation_reactivate,
    suspense_assign,
    suspense_list,
    suspense_refund,
)
from .parent import intermediation_request, my_pension

__all__ = [
    "intermediation_arrears",
    "intermediation_detail",
    "intermediation_end",
    "intermediation_list",
    "intermediation_reactivate",
    "intermediation_request",
    "my_pension",
    "suspense_assign",
    "suspense_list",
    "suspense_refund",
]
