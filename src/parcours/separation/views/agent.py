"""The agents' pages of the separation journey: the declarations to instruct, the call-back requests."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parcours.accounts.rules import Perm, has_permission
from parcours.households.access import visible_dossiers

from .. import lifecycle
from ..models import CallbackRequest, Demande


@login_required
def instruction_list(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user.role, Perm.TASKS):
        raise PermissionDenied
    demandes = (
        Demande.objects.filter(dossier__in=visible_dossiers(request.user))
        .exclude(state__in=[lifecycle.BROUILLON, *lifecycle.FINAL])
        .select_related("dossier")
        .order_by("submitted_at", "id")
    )
    return render(
        request,
        "separation/instruction.html",
        {"demandes": demandes, "page_title": "Déclarations à instruire"},
    )


@login_required
def callbacks(request: HttpRequest) -> HttpResponse:
    """Agents call back the parents who asked, oldest first (the numbers are shown to agents only)."""
    if not has_permission(request.user.role, Perm.TASKS):
        raise PermissionDenied
    pending = CallbackRequest.objects.filter(handled_at__isnull=True)
    return render(
        request, "separation/callbacks.html", {"pending": pending, "page_title": "Demandes de rappel"}
    )


def demande_instruction(request: HttpRequest, demande: Demande) -> HttpResponse:
    """The agent's page of a demande (the reader's access is already checked and audited)."""
    from .parent import demande_page

    return demande_page(request, demande, lifecycle.AGENT)
