"""The gates of the pages by role: the ARIPA agents' pages, a parent's own pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from parcours.accounts.rules import Perm, has_permission

from .access import own_dossier_ids
from .models import Dossier, Person


def require_aripa(request: HttpRequest) -> None:
    if not has_permission(request.user.role, Perm.CHILD_SUPPORT):
        raise PermissionDenied("Cette page est réservée aux agents ARIPA.")


def require_parent(request: HttpRequest) -> Person | None:
    """The signed-in parent's person (None when the account is not yet linked to one)."""
    if not has_permission(request.user.role, Perm.OWN_DOSSIER):
        raise PermissionDenied("Cette page est réservée aux parents allocataires.")
    return request.user.person


def parent_dossier(request: HttpRequest) -> tuple[Person, Dossier]:
    """The parent and their own dossier (the first, as separation's declaration does)."""
    person = require_parent(request)
    dossier = Dossier.objects.filter(id__in=own_dossier_ids(request.user)).order_by("id").first()
    if person is None or dossier is None:
        raise PermissionDenied("Aucun dossier n'est rattaché à votre compte.")
    return person, dossier
