"""Domain operations of titres: the only place that writes them."""

from parcours.titres.services.titre import titre_record
from parcours.titres.services.titre_caf import (
    titre_request_create,
    titre_request_decide,
    titre_request_examine,
    titre_request_sign,
    titre_request_withdraw,
    titre_requests_by_silence,
)

__all__ = [
    "titre_record",
    "titre_request_create",
    "titre_request_decide",
    "titre_request_examine",
    "titre_request_sign",
    "titre_request_withdraw",
    "titre_requests_by_silence",
]
