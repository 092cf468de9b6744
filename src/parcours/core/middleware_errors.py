"""The French 404 and 500 pages with DEBUG on too.

The demo runs with DEBUG on, where Django answers its English technical pages: the 404 lists
every URL of the site, the 500 shows the traceback and the settings. Here, with DEBUG on:

- an address that no URL matches, or an `Http404` raised by a view, gets the French 404 page
  (under /api/, the API's French JSON, as handler404 gives it with DEBUG off);
- any other exception of a view gets the standalone French 500 page, logged on `django.request`
  with its traceback, unless PARCOURS_FRIENDLY_ERRORS is off (a developer who wants the
  traceback in the browser).

The API is left alone: django-ninja answers its own errors in the one JSON format
(core/api_errors.py). With DEBUG off, Django's handler404 and handler500 (core/views.py) already
answer in French, and this middleware does nothing.
"""

import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404

from . import views

logger = logging.getLogger("django.request")

API_PREFIX = "/api/"
# Django answers these with their own status even with DEBUG on (403.html for a refusal), or they
# are the client's fault (400): they are not server errors.
NOT_SERVER_ERRORS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation)


class FrenchErrorPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            # No URL matched (Django resolves before any view, outside process_exception): the
            # response is the technical page, listing the site's URLs.
            return views.page_not_found(request, Resolver404({"path": request.path_info}))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not settings.DEBUG or request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, Http404):
            return views.page_not_found(request, exception)
        if isinstance(exception, NOT_SERVER_ERRORS) or not settings.PARCOURS_FRIENDLY_ERRORS:
            return None
        # Logged as Django logs a server error with DEBUG off, with the reference the page gives.
        reference = secrets.token_hex(4)
        logger.exception(
            "Erreur interne %s sur %s %s", reference, request.method, request.path, exc_info=exception
        )
        return views.server_error_page(reference)
