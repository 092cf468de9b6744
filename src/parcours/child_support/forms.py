"""The forms of this app: "Simuler une pension alimentaire" (same checks as the API), and the
ARIPA agents' search and suspense account."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django import forms
from dsfr.forms import DsfrBaseForm

from .models import IntermediationStatus, RecoveryState
from .scales import Custody
from .simulation import (
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


# --- The ARIPA agents' pages -----------------------------------------------------------------

REFERENCE_PATTERN = re.compile(r"IF[0-9]{9}")
NUMERO_PATTERN = re.compile(r"[0-9]{7}")


class IntermediationSearchForm(DsfrBaseForm):
    """Search the territory's intermediations by reference or numéro allocataire, and filter."""

    q = forms.CharField(
        label="Référence ou numéro allocataire",
        help_text="La référence de l'intermédiation (IF suivi de 9 chiffres) ou le numéro allocataire "
        "(7 chiffres) de l'un des parents.",
        required=False,
        max_length=20,
    )
    recovery = forms.ChoiceField(
        label="Recouvrement",
        choices=[("", "Tous"), *RecoveryState.choices],
        required=False,
        error_messages={"invalid_choice": "Choisissez un état de recouvrement de la liste."},
    )
    status = forms.ChoiceField(
        label="État de l'intermédiation",
        choices=[("", "Tous"), *IntermediationStatus.choices],
        required=False,
        error_messages={"invalid_choice": "Choisissez un état de la liste."},
    )

    def clean_q(self) -> str:
        value = "".join(self.cleaned_data["q"].split()).upper()
        if value and not (REFERENCE_PATTERN.fullmatch(value) or NUMERO_PATTERN.fullmatch(value)):
            raise forms.ValidationError(
                "Indiquez une référence d'intermédiation (IF suivi de 9 chiffres, par exemple IF000000123) "
                "ou un numéro allocataire (7 chiffres)."
            )
        return value

    def filters(self) -> dict[str, str]:
        """The keyword arguments of `ifpa_selectors.intermediation_list`."""
        q = self.cleaned_data.get("q", "")
        return {
            "reference": q if q.startswith("IF") else "",
            "numero": q if q and not q.startswith("IF") else "",
            "recovery": self.cleaned_data.get("recovery", ""),
            "status": self.cleaned_data.get("status", ""),
        }


class SuspenseAssignForm(DsfrBaseForm):
    """Assign a credit waiting in the suspense account to an intermediation of the territory."""

    reference = forms.CharField(
        label="Référence de l'intermédiation",
        help_text="IF suivi de 9 chiffres, par exemple IF000000123.",
        max_length=20,
        error_messages={"required": "Indiquez la référence de l'intermédiation à créditer."},
    )

    def __init__(self, *args, intermediations=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.intermediations = intermediations
        self.intermediation = None

    def clean_reference(self) -> str:
        value = "".join(self.cleaned_data["reference"].split()).upper()
        if not REFERENCE_PATTERN.fullmatch(value):
            raise forms.ValidationError(
                "La référence comporte les lettres IF suivies de 9 chiffres, par exemple IF000000123."
            )
        found = (
            self.intermediations.filter(reference=value).first() if self.intermediations is not None else None
        )
        if found is None:
            raise forms.ValidationError("Aucune intermédiation de votre territoire ne porte cette référence.")
        self.intermediation = found
        return value
