"""Staff accounts must pass two-factor authentication when the setting requires it."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/compte/", "/static/", "/api/v1/health")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        user = request.user
        if (
            settings.PARCOURS_STAFF_2FA_REQUIRED
            and user.is_authenticated
            and getattr(user, "is_staff_role", False)
            and not user.is_verified()
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            return redirect(reverse("accounts:two_factor") + f"?next={request.path}")
        return self.get_response(request)
