"""Sign-in (rate-limited by django-axes), staff two-factor authentication, audit log."""

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import LoginForm, TokenForm
from .models import AuditEntry
from .rules import Perm, has_permission


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"page_title": "Connexion"}

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        user = form.get_user()
        if getattr(user, "is_staff_role", False) and any(devices_for_user(user, confirmed=True)):
            return redirect("accounts:two_factor")
        return response


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Second step of a staff sign-in: the TOTP code."""
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        messages.info(request, "Activez d'abord la double authentification.")
        return redirect("accounts:two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("token", "Ce code n'est pas valide ou a expiré.")
    return render(
        request, "accounts/two_factor.html", {"form": form, "page_title": "Double authentification"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Staff enrol a TOTP application: scan the QR code, then confirm with a first code."""
    if not request.user.is_staff_role:
        raise PermissionDenied
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return render(request, "accounts/two_factor_setup.html", {"already": True})
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Application"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "La double authentification est activée.")
            return redirect("core:home")
        form.add_error("token", "Ce code n'est pas valide : vérifiez l'heure de votre téléphone.")
    buffer = BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": buffer.getvalue().decode(),
            "page_title": "Activer la double authentification",
        },
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user.role, Perm.AUDIT_READ):
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("actor", "dossier")
    if request.user.departement:
        entries = entries.filter(dossier__departement=request.user.departement)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"page": page, "page_title": "Journal d'audit"})
