"""The JSON API under /api/v1/, with its OpenAPI schema at /api/v1/openapi.json (django-ninja).

One error format for every endpoint: {"detail": [{"field": "...", "message": "<French>"}]}, the
500 included ("Erreur interne : …" with a reference to the log, never a traceback, DEBUG or not:
core/api_errors.py), and Django's 404 and 500 under /api/ (core/views.py). Inputs are checked by
the shared types of core/api_inputs.py (amounts, months, codes commune) before any arithmetic;
tests/core/test_api_fuzz.py posts thousands of wrong payloads to every endpoint.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError as NinjaValidationError

from parcours.core.api_errors import french_message, install_french_errors
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


def _mount_app_routers() -> None:
    from parcours.child_support.api import router as child_support_router
    from parcours.rights.api import router as rights_router
    from parcours.separation.api import router as separation_router

    api.add_router("/", rights_router)
    api.add_router("/", child_support_router)
    api.add_router("/", separation_router)


class HealthOut(Schema):
    status: str
    database: str
    households: int


@api.get("/health", response=HealthOut, tags=["santé"], summary="État du service")
def health(request: HttpRequest) -> dict[str, object]:
    return {
        "status": "ok",
        "database": connection.vendor,
        "households": Dossier.objects.count(),
    }


_mount_app_routers()
