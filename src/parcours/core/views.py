"""The home page of each role, and the static pages."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from parcours.accounts.models import Role
from parcours.accounts.rules import Perm, has_permission
from parcours.households.models import Dossier

from .selectors import failed_tasks, waiting_retry_count

ROLE_HOME_TEMPLATES = {
    Role.AGENT_PRESTATIONS: "core/home_agent.html",
    Role.AGENT_ARIPA: "core/home_agent.html",
    Role.TRAVAILLEUR_SOCIAL: "core/home_agent.html",
    Role.MANAGER: "core/home_manager.html",
    Role.PARTNER: "core/home_partner.html",
    Role.ADMIN: "core/home_admin.html",
}


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return render(request, "core/home_public.html", {"page_title": "Accueil"})
    if user.role == Role.PARENT:
        return redirect("households:my_dossier")
    context: dict[str, object] = {"page_title": "Accueil"}
    if user.role == Role.MANAGER:
        # Aggregated figures only: managers never see an individual dossier.
        scope = (
            Dossier.objects.all()
            if not user.departement
            else Dossier.objects.filter(departement=user.departement)
        )
        context["dossier_count"] = scope.count()
    return render(request, ROLE_HOME_TEMPLATES[user.role], context)


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html", {"page_title": "Données personnelles"})


@login_required
def failed_task_list(request: HttpRequest) -> HttpResponse:
    """The background tasks that failed at their last attempt: administrators only."""
    if not has_permission(request.user.role, Perm.ADMIN):
        raise PermissionDenied("Cette page est réservée aux administrateurs.")
    return render(
        request,
        "core/failed_tasks.html",
        {"tasks": failed_tasks(), "waiting": waiting_retry_count(), "page_title": "Tâches en échec"},
    )
