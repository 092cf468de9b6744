"""The administration of social support: the teams of each territory and the partners' directory.
Signalements, accompaniments and notes are worked on their pages (audited), never here."""

from __future__ import annotations

from django.contrib import admin

from .models import Partner, SocialTeam


@admin.register(SocialTeam)
class SocialTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "departement"]
    filter_horizontal = ["members", "leaders"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "departement", "active"]
    list_filter = ["kind", "departement", "active"]
    search_fields = ["name", "services", "labels"]
    filter_horizontal = ["members"]
