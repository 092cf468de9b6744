"""Staff must pass two-factor authentication when it is required, or once they enrolled a device."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

# Only the pages that lead to the second factor are open before it: not the whole /compte/ prefix,
# which also holds the audit log.
EXEMPT_URL_NAMES = (
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor",
    "accounts:two_factor_setup",
)
EXEMPT_PREFIXES = ("/static/", "/api/v1/health")


def is_exempt(path: str) -> bool:
    return path.startswith(EXEMPT_PREFIXES) or path in {reverse(name) for name in EXEMPT_URL_NAMES}


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "is_staff_role", False)
            and not user.is_verified()
            and not is_exempt(request.path)
        ):
            has_device = user_has_device(user, confirmed=True)
            if settings.PARCOURS_STAFF_2FA_REQUIRED or has_device:
                target = reverse("accounts:two_factor" if has_device else "accounts:two_factor_setup")
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
