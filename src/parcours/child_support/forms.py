"""The form of "Simuler une pension alimentaire" (same checks as the API)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from dsfr.forms import DsfrBaseForm

from parcours.child_support.scales import Custody
from parcours.child_support.simulation import (
    CUSTODY_HINTS,
    CUSTODY_LABELS,
    MAX_CHILDREN,
    checked_children,
    checked_date,
    parse_amount,
)


class SimulationForm(DsfrBaseForm):
    income = forms.CharField(
        label="Revenu mensuel du parent qui verse la pension (en euros)",
        help_text="Ses revenus imposables et de remplacement (salaire, allocations chômage, retraite…), "
        "sans ceux d'un nouveau conjoint. Par exemple : 1600,00.",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": "Indiquez le revenu mensuel du parent qui verse la pension."},
    )
    children = forms.IntegerField(
        label="Nombre d'enfants à sa charge",
        help_text="Tous les enfants qu'il ou elle élève ou pour lesquels il ou elle verse une pension, "
        "quelle que soit l'union dont ils sont nés.",
        min_value=1,
        max_value=MAX_CHILDREN,
        error_messages={
            "required": "Indiquez le nombre d'enfants.",
            "invalid": "Indiquez un nombre entier, par exemple 2.",
            "min_value": "Indiquez au moins 1 enfant.",
            "max_value": f"Indiquez au plus {MAX_CHILDREN} enfants.",
        },
    )
    custody = forms.ChoiceField(
        label="Temps passé par les enfants chez le parent qui verse la pension",
        choices=[(c.value, f"{CUSTODY_LABELS[c]} — {CUSTODY_HINTS[c]}") for c in Custody],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le mode de résidence des enfants.",
            "invalid_choice": "Choisissez l'un des trois modes de résidence proposés.",
        },
    )
    on = forms.DateField(
        label="Date du calcul",
        help_text="Le montant du RSA en vigueur à cette date est utilisé. Format : jj/mm/aaaa.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Indiquez la date du calcul.",
            "invalid": "Indiquez une date valide, par exemple 15/01/2026.",
        },
    )

    def clean_income(self) -> Decimal:
        try:
            return parse_amount(self.cleaned_data["income"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_children(self) -> int:
        try:
            return checked_children(self.cleaned_data["children"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_on(self) -> date:
        try:
            return checked_date(self.cleaned_data["on"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
