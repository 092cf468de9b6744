"""French messages for the errors of the API: payload validation (pydantic error types), and the
other refusals, all in the one format {"detail": [{"field": ..., "message": ...}]}."""

import logging
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.operation import PathView

MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "string_type": "Ce champ doit être une chaîne de caractères.",
    "int_parsing": "Ce champ doit être un nombre entier.",
    "int_type": "Ce champ doit être un nombre entier.",
    "bool_parsing": "Ce champ doit valoir true ou false.",
    "bool_type": "Ce champ doit valoir true ou false.",
    "decimal_parsing": 'Ce champ doit être un montant décimal, par exemple "1200.00".',
    "decimal_type": 'Ce champ doit être un montant décimal, par exemple "1200.00".',
    "decimal_max_places": "Ce montant a au plus deux décimales.",
    "date_from_datetime_parsing": "Cette date doit être au format AAAA-MM-JJ.",
    "date_parsing": "Cette date doit être au format AAAA-MM-JJ.",
    "date_type": "Cette date doit être au format AAAA-MM-JJ.",
    "literal_error": "Cette valeur n'est pas autorisée.",
    "enum": "Cette valeur n'est pas autorisée.",
    "greater_than_equal": "Cette valeur est trop petite.",
    "greater_than": "Cette valeur est trop petite.",
    "less_than_equal": "Cette valeur est trop grande.",
    "less_than": "Cette valeur est trop grande.",
    "string_too_short": "Ce champ est trop court.",
    "string_too_long": "Ce champ est trop long.",
    "string_pattern_mismatch": "Ce champ n'a pas le format attendu.",
    "extra_forbidden": "Ce champ n'est pas attendu.",
    "list_type": "Ce champ doit être une liste.",
    "dict_type": "Ce champ doit être un objet.",
    "model_attributes_type": "Ce champ doit être un objet.",
    "json_invalid": "Le corps de la requête n'est pas un JSON valide.",
}


def french_message(error: dict[str, Any]) -> str:
    """The French message of a pydantic error; a custom error keeps its own (French) text."""
    kind = error.get("type", "")
    if kind == "value_error":
        message = str(error.get("msg", ""))
        return message.removeprefix("Value error, ")
    return MESSAGES.get(kind, "Cette valeur n'est pas valide.")


# The refusals that are not about a field still answer in the one format, in French.
HTTP_MESSAGES = {
    400: "Le corps de la requête n'est pas un JSON valide.",
    401: "Connectez-vous pour utiliser cette API.",
    403: "Vous n'avez pas accès à cette ressource.",
    404: "Ressource introuvable.",
    405: "Cette méthode n'est pas autorisée ici.",
}


class ErrorDetail(Schema):
    field: str = Field(..., description="Champ en cause, ou « requête »")
    message: str = Field(..., description="Message en français")


class ErrorOut(Schema):
    """The one error format, as the OpenAPI schema documents it for every refusal of an endpoint."""

    detail: list[ErrorDetail]


# The refusals every endpoint may answer: an unreadable body (400) and a refused payload (422).
INPUT_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 422: ErrorOut}


def error_response(status: int, message: str, field: str = "requête") -> JsonResponse:
    return JsonResponse({"detail": [{"field": field, "message": message}]}, status=status)


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals (unreadable body, not signed in, ...), whose texts are English."""
    return error_response(exc.status_code, HTTP_MESSAGES.get(exc.status_code, "La requête a été refusée."))


def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404, HTTP_MESSAGES[404])


def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # parcours writes its refusals in French ("Vous n'avez pas accès à ce dossier."): keep them.
    return error_response(403, str(exc) or HTTP_MESSAGES[403])


logger = logging.getLogger("parcours.api")


def server_error_message(reference: str) -> str:
    return (
        "Erreur interne : la demande n'a pas pu être traitée. Réessayez plus tard ; si l'erreur "
        f"persiste, signalez-la en donnant la référence {reference}."
    )


def log_server_error(request: HttpRequest, exc: BaseException | None) -> str:
    """Log the traceback under a new short reference, which the French answer gives so that a
    report can be matched to the log; the answer itself never shows the exception."""
    reference = secrets.token_hex(4)
    logger.error("Erreur interne %s sur %s %s", reference, request.method, request.path, exc_info=exc)
    return reference


def on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Any other exception: a French 500 in the one format, DEBUG or not (ninja's own handler
    answers a plain-text traceback when DEBUG is on, and Django's English page when it is off)."""
    return error_response(500, server_error_message(log_server_error(request, exc)))


def _french_not_allowed(self: PathView) -> HttpResponse:
    # django-ninja answers a method no operation of the path has with the plain text "Method not
    # allowed" (PathView._not_allowed, no exception a handler could catch): the same 405, in French
    # and in the one format, with the Allow header.
    allowed = sorted({method for operation in self.operations for method in operation.methods})
    response = error_response(405, HTTP_MESSAGES[405])
    response["Allow"] = ", ".join(allowed)
    return response


def install_french_errors(api: NinjaAPI) -> None:
    """Register the handlers above on an API (beside its 422 handlers), and the French 405."""
    PathView._not_allowed = _french_not_allowed  # type: ignore[method-assign]
    api.add_exception_handler(Exception, on_server_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
