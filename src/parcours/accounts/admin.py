from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .models import AuditEntry, User
from .rules import Perm, has_permission


def admin_site_has_permission(request: HttpRequest) -> bool:
    """Django's admin opens to the administrator role only: the is_staff flag alone is not enough."""
    user = request.user
    return bool(user.is_active and user.is_staff and has_permission(getattr(user, "role", ""), Perm.ADMIN))


def admin_login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """The admin has no sign-in form of its own: one door for everyone, rate-limited by django-axes
    and followed by the staff's second factor."""
    target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(target)
    if not admin_site_has_permission(request):
        raise PermissionDenied("L'administration est réservée aux administrateurs.")
    return redirect(target)


admin.site.has_permission = admin_site_has_permission  # type: ignore[method-assign]
admin.site.login = admin_login  # type: ignore[method-assign,assignment]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "departement", "is_active"]
    list_filter = ["role", "departement", "is_active"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("parcours", {"fields": ("role", "departement", "person")}))
    raw_id_fields = ["person"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "actor_role", "action", "dossier", "context", "allowed"]
    list_filter = ["action", "actor_role", "allowed"]
    raw_id_fields = ["actor", "dossier"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
