"""Pages of this app: the simulation (everyone), the ARIPA agents' intermediations, suspense
account and Caf titre requests, and each parent's own side (pension, titre requests)."""

from .ifpa import (
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
from .simulation import simulate_page
from .titre import (
    titre_pdf,
    titre_request_new,
    titre_request_page,
    titre_request_sign_view,
    titre_request_withdraw_view,
)
from .titre_agent import titre_agent_decide, titre_agent_detail, titre_agent_list

__all__ = [
    "intermediation_arrears",
    "intermediation_detail",
    "intermediation_end",
    "intermediation_list",
    "intermediation_reactivate",
    "intermediation_request",
    "my_pension",
    "simulate_page",
    "suspense_assign",
    "suspense_list",
    "suspense_refund",
    "titre_agent_decide",
    "titre_agent_detail",
    "titre_agent_list",
    "titre_pdf",
    "titre_request_new",
    "titre_request_page",
    "titre_request_sign_view",
    "titre_request_withdraw_view",
]
