"""Pages of the registry: a parent's own dossier, and a staff member's view of any dossier."""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from parcours.accounts.rules import Perm, has_permission
from parcours.core.space import panels_for

from .access import dossier_for_staff_page, own_dossier_ids, visible_dossiers
from .describe import describe_changes
from .models import Dossier
from .selectors import household_changes, household_on

NUMERO_ALLOCATAIRE = re.compile(r"[0-9]{7}")


def _require(request: HttpRequest, perm: Perm) -> None:
    if not has_permission(request.user.role, perm):
        raise PermissionDenied("Cette page n'est pas accessible avec votre rôle.")


def _parse_date(raw: str | None, default: date) -> date:
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


@login_required
def my_dossier(request: HttpRequest) -> HttpResponse:
    """A parent's own dossier(s): today's household; never anyone else's."""
    _require(request, Perm.OWN_DOSSIER)
    today = timezone.localdate()
    dossiers = Dossier.objects.filter(id__in=own_dossier_ids(request.user))
    states = [household_on(d, today) for d in dossiers]
    # Only the dossiers in which the parent is a member today; former ones stay in their history.
    current = [s for s in states if any(m.person.pk == request.user.person_id for m in s.members)]
    return render(
        request,
        "households/my_dossier.html",
        {"states": current, "today": today, "page_title": "Mon dossier"},
    )


@login_required
def dossier_search(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.DOSSIER_SEARCH)
    query = (request.GET.get("q") or "").strip()
    error = ""
    if query:
        # Seven ASCII digits: str.isdigit() (like \d) also accepts the digits of other scripts.
        if not NUMERO_ALLOCATAIRE.fullmatch(query):
            error = "Le numéro allocataire comporte 7 chiffres."
        elif visible_dossiers(request.user).filter(numero_allocataire=query).exists():
            return redirect("households:dossier_detail", numero=query)
        else:
            error = "Aucun dossier de votre territoire ne porte ce numéro."
    return render(
        request,
        "households/dossier_search.html",
        {"query": query, "error": error, "page_title": "Rechercher un dossier"},
    )


@login_required
def dossier_detail(request: HttpRequest, numero: str) -> HttpResponse:
    """A dossier as it was on a date, with its changes over a period. Every read is audited."""
    dossier = dossier_for_staff_page(request.user, numero, context=f"fiche dossier {request.path}")
    today = timezone.localdate()
    on = _parse_date(request.GET.get("date"), today)
    since = _parse_date(request.GET.get("depuis"), dossier.opened_on)
    state = household_on(dossier, on)
    changes = describe_changes(household_changes(dossier, since, today))
    return render(
        request,
        "households/dossier_detail.html",
        {
            "dossier": dossier,
            "state": state,
            "on": on,
            "since": since,
            "changes": changes,
            "panels": panels_for(dossier, request.user),
            "page_title": f"Dossier {dossier.numero_allocataire}",
        },
    )
