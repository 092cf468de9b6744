"""The Permissions-Policy header on every answer: the browser features parcours never uses are off
for its pages and for anything they could embed (the Content-Security-Policy is django-csp's,
configured in settings.CONTENT_SECURITY_POLICY)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Permissions-Policy"


def permissions_policy(features: list[str]) -> str:
    """`camera=(), microphone=()`: each feature allowed to no origin at all."""
    return ", ".join(f"{feature}=()" for feature in features)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.value = permissions_policy(settings.PARCOURS_PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault(HEADER, self.value)
        return response
