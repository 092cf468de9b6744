"""The home page of each role, and the static pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from parcours.accounts.models import Role
from parcours.households.models import Dossier

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
