"""The registry in Django's admin: read-mostly, since changes go through the services."""

from django.contrib import admin

from . import models


class ReadOnlyHistoryAdmin(admin.ModelAdmin):
    """Effective-dated records are never edited in place: the admin shows them read-only."""

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    can_delete = False
    fields = ["person", "role", "custody", "valid_from", "valid_until", "created_in", "retired_in"]
    readonly_fields = fields
    raw_id_fields = ["person"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(models.Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["numero_allocataire", "departement", "opened_on"]
    list_filter = ["departement"]
    search_fields = ["numero_allocataire"]
    inlines = [MembershipInline]
    readonly_fields = ["created_at"]


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_names", "birth_date", "sex", "residence_status"]
    search_fields = ["last_name", "first_names"]
    list_filter = ["sex", "residence_status"]


@admin.register(models.SituationChange)
class SituationChangeAdmin(ReadOnlyHistoryAdmin):
    list_display = ["id", "dossier", "kind", "effective_date", "recorded_at", "source"]
    list_filter = ["kind", "source"]
    raw_id_fields = ["dossier"]


for model in (
    models.Membership,
    models.Union,
    models.Address,
    models.Housing,
    models.Resource,
    models.BankAccount,
    models.ChildSupport,
):
    admin.site.register(
        model,
        type(
            f"{model.__name__}Admin",
            (ReadOnlyHistoryAdmin,),
            {"list_display": ["id", "valid_from", "valid_until", "created_in", "retired_in"]},
        ),
    )
