"""What the pages of this app share: the ARIPA gate, the parent gate, pagination."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest

from parcours.accounts.access import own_dossier_ids
from parcours.accounts.rules import Perm, has_permission
from parcours.households.models import Dossier, Person

LIST_PAGE_SIZE = 25
SUSPENSE_PAGE_SIZE = 50


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


def page_of(rows, number: str | None, size: int):  # type: ignore[no-untyped-def]
    page = Paginator(rows, size).get_page(number)
    page.pages_list = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page
