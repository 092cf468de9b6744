"""Staff must pass two-factor authentication when it is required, or once they enrolled a device."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

EXEMPT_PREFIXES = ("/compte/", "/static/", "/api/v1/health")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "is_staff_role", False)
            and not user.is_verified()
            and not request.path.startswith(EXEMPT_PREFIXES)
            and (settings.PARCOURS_STAFF_2FA_REQUIRED or user_has_device(user, confirmed=True))
        ):
            target = (
                "accounts:two_factor"
                if user_has_device(user, confirmed=True)
                else "accounts:two_factor_setup"
            )
            return redirect(reverse(target) + f"?next={request.path}")
        return self.get_response(request)
