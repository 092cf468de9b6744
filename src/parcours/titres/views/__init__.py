"""Pages of the titres: a parent's Caf titre request (fill, sign, withdraw, the titre as PDF) and
the ARIPA agents' queue and decision."""

from .agent import titre_agent_decide, titre_agent_detail, titre_agent_list
from .documents import titre_document_download
from .parent import (
    titre_pdf,
    titre_request_new,
    titre_request_page,
    titre_request_sign_view,
    titre_request_withdraw_view,
)

__all__ = [
    "titre_agent_decide",
    "titre_agent_detail",
    "titre_agent_list",
    "titre_document_download",
    "titre_pdf",
    "titre_request_new",
    "titre_request_page",
    "titre_request_sign_view",
    "titre_request_withdraw_view",
]
