from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parcours.accounts.rules import Perm, has_permission
from parcours.households.access import visible_dossiers

from .models import Signalement


@login_required
def signalements(request: HttpRequest) -> HttpResponse:
    """The social team's list of signalements, limited to the territory."""
    if not has_permission(request.user.role, Perm.SOCIAL):
        raise PermissionDenied
    rows = Signalement.objects.filter(dossier__in=visible_dossiers(request.user)).select_related("dossier")
    return render(request, "social/signalements.html", {"rows": rows, "page_title": "Signalements"})
