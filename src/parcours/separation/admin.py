from django.contrib import admin

from .models import CallbackRequest, Demande, InfoTopic


@admin.register(InfoTopic)
class InfoTopicAdmin(admin.ModelAdmin):
    list_display = ["title", "order", "unions", "children_only", "without_decision_only", "unsafe_only"]
    list_editable = ["order"]


@admin.register(Demande)
class DemandeAdmin(admin.ModelAdmin):
    list_display = ["pk", "dossier", "state", "submitted_at"]
    list_filter = ["state"]
    raw_id_fields = ["dossier", "declarant", "leaving", "new_dossier"]
    readonly_fields = ["state"]


@admin.register(CallbackRequest)
class CallbackRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "slot", "handled_at"]
