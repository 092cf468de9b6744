"""Sign-in (rate-limited by django-axes), staff two-factor authentication, audit log."""

from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login

from .forms import LoginForm, TokenForm
from .models import AuditEntry
from .rules import Perm, has_permission
from .services import totp_check, totp_device_confirm, totp_device_for_enrolment

STAFF_ONLY = "La double authentification est réservée aux comptes des agents."


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"page_title": "Connexion"}

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        user = form.get_user()
        if getattr(user, "is_staff_role", False) and user_has_device(user, confirmed=True):
            # The password is only the first step: the code page keeps the (already safe) target.
            query = urlencode({"next": self.get_success_url()})
            return redirect(f"{reverse('accounts:two_factor')}?{query}")
        return response


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Second step of a staff sign-in: the TOTP code."""
    if not request.user.is_staff_role:
        raise PermissionDenied(STAFF_ONLY)
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        messages.info(request, "Activez d'abord la double authentification.")
        return redirect("accounts:two_factor_setup")
    if request.user.is_verified():
        return redirect(_safe_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = ""
        for device in devices:
            error = totp_check(
                device=device,
                token=form.cleaned_data["token"],
                wrong_message="Ce code n'est pas valide ou a expiré.",
            )
            if not error:
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("token", error)
    return render(
        request, "accounts/two_factor.html", {"form": form, "page_title": "Double authentification"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Staff enrol a TOTP application: scan the QR code, then confirm with a first code."""
    if not request.user.is_staff_role:
        raise PermissionDenied(STAFF_ONLY)
    title = "Activer la double authentification"
    if user_has_device(request.user, confirmed=True):
        # A second device is never enrolled here: whoever holds only the password cannot add one.
        return render(request, "accounts/two_factor_setup.html", {"already": True, "page_title": title})
    device = totp_device_for_enrolment(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = totp_check(
            device=device,
            token=form.cleaned_data["token"],
            wrong_message="Ce code n'est pas valide : vérifiez l'heure de votre téléphone.",
        )
        if not error:
            totp_device_confirm(device=device)
            otp_login(request, device)
            messages.success(request, "La double authentification est activée.")
            return redirect(_safe_next(request, default=reverse("core:home")))
        form.add_error("token", error)
    qr_svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "already": False,
            "form": form,
            # Inline SVG, without the XML declaration that has no place inside HTML.
            "qr_svg": qr_svg.to_string(encoding="unicode"),
            # The same secret in letters, for whoever cannot scan a code (screen reader, no camera).
            "secret": b32encode(device.bin_key).decode().rstrip("="),
            "page_title": title,
        },
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user.role, Perm.AUDIT_READ):
        raise PermissionDenied("Le journal d'audit n'est pas accessible avec votre rôle.")
    entries = AuditEntry.objects.select_related("actor", "dossier")
    if request.user.departement:  # the entries of the territory (older ones: by their dossier)
        territory = request.user.departement
        entries = entries.filter(Q(departement=territory) | Q(departement="", dossier__departement=territory))
    elif request.user.role != "admin":  # only a national administrator reads every territory
        entries = entries.none()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"page": page, "page_title": "Journal d'audit"})
