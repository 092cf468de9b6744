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


# The applications whose pages show personal data (URL namespaces); the simulator, the public and
# standard pages, the sign-in and two-factor pages are not audited.
AUDITED_NAMESPACES = frozenset(
    {
        "households",
        "separation",
        "social",
        "parenting",
        "aid",
        "intermediation",
        "titres",
        "rights",
        "notifications",
        "casework",
        "admin",
    }
)
AUDITED_URL_NAMES = frozenset({"accounts:audit_log"})


class StaffReadAudit:
    """Every page a staff member reads is in the audit log, lists and the administration included:
    a view that audited its read itself (a dossier, a confidential address) writes its own entry;
    for any other page this middleware writes one `page.read` (`admin.read` in /admin/), with the
    path only (a search's terms are not kept: they may be a name)."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        from .services import AUDITED_IN_REQUEST

        token = AUDITED_IN_REQUEST.set(0)
        try:
            response = self.get_response(request)
            if (
                request.method in {"GET", "HEAD"}
                and response.status_code == 200
                and AUDITED_IN_REQUEST.get() == 0
                and getattr(request.user, "is_staff_role", False)
                and _audited(request)
            ):
                _record(request)
            return response
        finally:
            AUDITED_IN_REQUEST.reset(token)


def _audited(request) -> bool:  # type: ignore[no-untyped-def]
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return bool(set(match.namespaces) & AUDITED_NAMESPACES) or match.view_name in AUDITED_URL_NAMES


def _record(request) -> None:  # type: ignore[no-untyped-def]
    from .services import audit_record

    match = request.resolver_match
    admin = "admin" in match.namespaces
    object_id = str(match.kwargs.get("object_id") or match.kwargs.get("pk") or "")
    searched = any(key != "page" for key in request.GET)  # a list's page number is no search
    context = request.path + (" (recherche)" if searched else "")
    audit_record(
        actor=request.user,
        action="admin.read" if admin else "page.read",
        object_type=match.url_name or "",
        object_id=object_id,
        context=context,
        departement=_admin_object_departement(match) if admin and object_id else None,
    )


def _admin_object_departement(match) -> str | None:  # type: ignore[no-untyped-def]
    """The territory of the object an administration page shows: its own, or its dossier's (each
    ModelAdmin view carries its `model_admin`, ModelAdmin.get_urls)."""
    model_admin = getattr(match.func, "model_admin", None)
    if model_admin is None:
        return None
    obj = model_admin.model._default_manager.filter(pk=match.kwargs["object_id"]).first()
    dossier = getattr(obj, "dossier", None)
    return getattr(obj, "departement", None) or getattr(dossier, "departement", None)
