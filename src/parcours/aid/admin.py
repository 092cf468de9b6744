"""The administration of the individual financial aid: the committee of each territory and the
budgets (each change through `budget_set`, audited). Requests and decisions are worked on their
pages, never here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from . import services
from .models import AidBudget, AidCommittee
from .selectors import COMMITTEE_ROLES


class AidCommitteeForm(forms.ModelForm):
    class Meta:
        model = AidCommittee
        fields = ["name", "departement", "members"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        departement = data.get("departement", "")
        for user in data.get("members") or []:
            if user.role not in COMMITTEE_ROLES or user.departement != departement:
                raise ValidationError(
                    f"{user} ne peut pas siéger : la commission réunit des travailleurs sociaux du "
                    "territoire."
                )
        return data


@admin.register(AidCommittee)
class AidCommitteeAdmin(admin.ModelAdmin):
    form = AidCommitteeForm
    list_display = ["name", "departement"]
    filter_horizontal = ["members"]


class AidBudgetForm(forms.ModelForm):
    """The checks of services.budget_set, asked before saving: a refusal is the form's French
    error, never a 500."""

    class Meta:
        model = AidBudget
        fields = ["departement", "theme", "year", "amount_cents"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = {
            name: data.get(name, getattr(self.instance, name, None))
            for name in ("departement", "theme", "year", "amount_cents")
        }
        if None not in values.values():
            try:
                services.budget_validate(**values)  # type: ignore[arg-type]
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return data


@admin.register(AidBudget)
class AidBudgetAdmin(admin.ModelAdmin):
    form = AidBudgetForm
    list_display = ["departement", "year", "theme", "amount_cents"]
    list_filter = ["departement", "year", "theme"]

    def get_readonly_fields(self, request: HttpRequest, obj: AidBudget | None = None) -> list[str]:
        return ["departement", "theme", "year"] if obj else []

    def save_model(self, request: HttpRequest, obj: AidBudget, form: Any, change: bool) -> None:
        saved = services.budget_set(
            departement=obj.departement,
            theme=obj.theme,
            year=obj.year,
            amount_cents=obj.amount_cents,
            by=request.user,
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: AidBudget | None = None) -> bool:
        return False
