"""The administration of the back office: teams, and the segments (GAP) with their conditions and
a preview of how many dossiers each rule takes."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from .models import Condition, Segment, Team
from .segmentation import INDICATORS, OPERATORS, condition_q
from .services.segments import segment_preview


class ConditionForm(forms.ModelForm):
    indicator = forms.ChoiceField(label="Indicateur", choices=[(k, v.label) for k, v in INDICATORS.items()])
    operator = forms.ChoiceField(label="Opérateur", choices=[(o, o) for o in OPERATORS])

    class Meta:
        model = Condition
        fields = ["indicator", "operator", "value"]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if all(data.get(k) for k in ("indicator", "operator", "value")):
            try:
                condition_q(data["indicator"], data["operator"], data["value"])
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return data


class ConditionInline(admin.TabularInline):
    model = Condition
    form = ConditionForm
    extra = 1


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "rank", "team_code", "active", "preview"]
    list_editable = ["rank", "active"]
    inlines = [ConditionInline]
    readonly_fields = ["preview"]
    fields = ["code", "name", "description", "rank", "team_code", "active", "preview"]

    @admin.display(description="Aperçu (dossiers)")
    def preview(self, segment: Segment) -> str:
        if segment.pk is None:
            return "Enregistrez le segment pour voir combien de dossiers il prend."
        counts = segment_preview(segment)
        return format_html(
            "{} dossier(s) remplissent ces conditions ; {} en feraient leur segment principal "
            "(non pris par un segment de rang inférieur).",
            counts["selected"],
            counts["primary"],
        )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "departement"]
    list_filter = ["departement"]
    filter_horizontal = ["members", "leaders"]
