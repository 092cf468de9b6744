"""The JSON API under /api/v1/, with its OpenAPI schema at /api/v1/openapi.json (django-ninja).

One error format for every endpoint: {"detail": [{"field": "...", "message": "<French>"}]}, the
500 included ("Erreur interne : …" with a reference to the log, never a traceback, DEBUG or not:
core/api_errors.py), and Django's 400, 404 and 500 under /api/ (core/error_pages.py, core/views.py); a
rate limit answers 429 with a Retry-After header (core/rate_limits.py). Inputs are checked by
the shared types of core/api_inputs.py (amounts, months, codes commune) before any arithmetic;
tests/core/test_api_fuzz.py posts thousands of wrong payloads to every endpoint.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import Throttled
from ninja.errors import ValidationError as NinjaValidationError

from parcours.accounts.rules import Perm, has_permission
from parcours.core.api_errors import error_response, french_message, install_french_errors
from parcours.households.models import Dossier

api = NinjaAPI(
    title="parcours API",
    version="1",
    description="API de parcours, la plateforme du parcours séparation d'une Caf.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)

install_french_errors(api)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", []) if part not in ("body", "payload", "query", "path")]
        details.append({"field": ".".join(loc) or "requête", "message": french_message(error)})
    return api.create_response(request, {"detail": details}, status=422)


@api.exception_handler(DjangoValidationError)
def on_domain_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        details = [
            {"field": field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        details = [{"field": "requête", "message": message} for message in exc.messages]
    return api.create_response(request, {"detail": details}, status=422)


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    # ninja adds the Retry-After header (whole seconds) to this answer.
    wait = f" dans {math.ceil(exc.wait)} s" if exc.wait else " plus tard"
    return error_response(429, f"Trop de demandes depuis votre adresse : réessayez{wait}.")


def _mount_app_routers() -> None:
    from parcours.casework.api import router as casework_router
    from parcours.child_support.api import router as child_support_router
    from parcours.rights.api import router as rights_router
    from parcours.separation.api import router as separation_router

    api.add_router("/", rights_router)
    api.add_router("/", child_support_router)
    api.add_router("/", separation_router)
    api.add_router("/", casework_router)


class HealthOut(Schema):
    status: str
    database: str
    households: int | None = None


@api.get(
    "/health",
    response=HealthOut,
    exclude_none=True,
    tags=["santé"],
    summary="État du service",
    description="Pour tous : `status` et `database`. Le nombre de dossiers (`households`) seulement pour "
    "un administrateur connecté : il ne regarde personne d'autre.",
)
def health(request: HttpRequest) -> dict[str, object]:
    answer: dict[str, object] = {"status": "ok", "database": connection.vendor}
    if _is_signed_in_admin(request):
        answer["households"] = Dossier.objects.count()
    return answer


def _is_signed_in_admin(request: HttpRequest) -> bool:
    # The health answers before the second factor (a probe, a half-signed-in agent): the count waits
    # for it where it is required.
    user = request.user
    if not user.is_authenticated or not has_permission(user.role, Perm.ADMIN):
        return False
    verified = getattr(user, "is_verified", lambda: False)  # added by django_otp's middleware
    return bool(verified()) or not settings.PARCOURS_STAFF_2FA_REQUIRED


_mount_app_routers()
