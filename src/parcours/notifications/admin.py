from django.contrib import admin

from .models import ContactPreference, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "channel", "status", "recipient_hint", "sent_at")
    list_filter = ("event", "channel", "status")
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ContactPreference)
class ContactPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "channels", "updated_at")
    readonly_fields = ("updated_at",)
