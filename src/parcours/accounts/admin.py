from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AuditEntry, User


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
