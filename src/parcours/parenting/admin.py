"""The administration of parenting support: the labelled structures, their accounts and
professionals. Slots, sessions and attendance are worked on their pages (audited), never here."""

from __future__ import annotations

from django.contrib import admin

from .models import Professional, Structure


class ProfessionalInline(admin.TabularInline):
    model = Professional
    extra = 0


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["name", "departement", "commune", "labelled_on", "label_until", "active"]
    list_filter = ["departement", "active"]
    search_fields = ["name", "commune"]
    filter_horizontal = ["members"]
    inlines = [ProfessionalInline]
