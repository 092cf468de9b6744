"""The home page of each role, the static pages (personal data, legal notices, accessibility),
and the 404 and 500 handlers."""

import sys

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.views import defaults
from django.views.generic import TemplateView

from parcours.accounts.models import Role
from parcours.accounts.rules import ROLE_HOME, Perm, has_permission
from parcours.core.api_errors import HTTP_MESSAGES, error_response, log_server_error, server_error_message
from parcours.households.models import Dossier

from .selectors import failed_tasks, waiting_retry_count

ROLE_HOME_TEMPLATES = {
    Role.AGENT_PRESTATIONS: "core/home_agent.html",
    Role.AGENT_ARIPA: "core/home_agent.html",
    Role.TRAVAILLEUR_SOCIAL: "core/home_agent.html",
    Role.MANAGER: "core/home_manager.html",
    Role.ADMIN: "core/home_admin.html",
}


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return render(request, "core/home_public.html", {"page_title": "Accueil"})
    if user.role == Role.PARENT:
        from .space import sections_for

        return render(
            request, "core/home_parent.html", {"sections": sections_for(user), "page_title": "Mon espace"}
        )
    if user.role in ROLE_HOME:
        return redirect(ROLE_HOME[user.role])
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


# The pages every public service owes its users, linked from the footer of every page.
privacy = TemplateView.as_view(
    template_name="core/privacy.html", extra_context={"page_title": "Données personnelles"}
)
legal = TemplateView.as_view(
    template_name="core/legal.html", extra_context={"page_title": "Mentions légales"}
)
accessibility = TemplateView.as_view(
    template_name="core/accessibility.html", extra_context={"page_title": "Déclaration d'accessibilité"}
)


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


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's handler404 (DEBUG off; with DEBUG on, middleware_errors calls it): under /api/, the
    API's French JSON in the one format; elsewhere, Django's own view with the French 404.html."""
    if request.path.startswith("/api/"):
        return error_response(404, HTTP_MESSAGES[404])
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500 (DEBUG off): under /api/ (an error outside the API's own handler, in a
    middleware say) the API's French JSON, elsewhere a standalone French page; both give the
    reference that the log writes beside the traceback."""
    reference = log_server_error(request, sys.exc_info()[1])
    if request.path.startswith("/api/"):
        return error_response(500, server_error_message(reference))
    return server_error_page(reference)


def server_error_page(reference: str) -> HttpResponse:
    """The standalone French 500 page: rendered without the request, so that nothing it needs can
    fail in turn (handler500 here, and middleware_errors with DEBUG on)."""
    return HttpResponseServerError(loader.get_template("500.html").render({"reference": reference}))
