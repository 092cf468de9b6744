"""The forms of the financial aid's pages. Amounts are typed in euros ("1 200,50") and read into
integer cents through core.money_input; the rules themselves are the service's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from dsfr.forms import DsfrBaseForm

from parcours.core.money_input import MoneyError, money_from_text

from . import rules
from .models import AidRequest

MAX_AID = Decimal("100000.00")  # an input bound, far above any ceiling
KIND_CHOICES = [
    (rules.theme_label(theme), [(code, label) for code, label in rules.kinds_of(theme)])
    for theme in rules.THEMES
]


def _cents(text: str, noun: str) -> int:
    try:
        return int(money_from_text(text, noun=noun, maximum=MAX_AID) * 100)
    except MoneyError as error:
        raise forms.ValidationError(str(error)) from None


class AidRequestForm(DsfrBaseForm):
    """A social worker's request for a family: found by its numéro allocataire (or the
    accompaniment it comes from)."""

    numero_allocataire = forms.RegexField(
        label="Numéro allocataire",
        regex=r"^\d{7}\Z",
        error_messages={
            "invalid": "Le numéro allocataire comporte 7 chiffres.",
            "required": "Indiquez le numéro allocataire.",
        },
    )
    accompaniment = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    kind = forms.ChoiceField(
        label="Nature de l'aide",
        choices=[("", "Choisissez"), *KIND_CHOICES],
        error_messages={
            "required": "Choisissez la nature de l'aide.",
            "invalid_choice": "Choisissez la nature de l'aide.",
        },
    )
    form = forms.ChoiceField(
        label="Forme",
        choices=list(rules.FORMS.items()),
        widget=forms.RadioSelect,
        initial=rules.GRANT,
        error_messages={"required": "Choisissez une subvention ou un prêt."},
    )
    amount_requested = forms.CharField(
        label="Montant demandé (€)",
        max_length=40,
        help_text="Par exemple 350,00.",
        error_messages={"required": "Indiquez le montant demandé."},
    )
    loan_months = forms.IntegerField(
        label="Durée de remboursement du prêt (mois)",
        required=False,
        min_value=1,
        max_value=120,
        error_messages={"invalid": "La durée du prêt est un nombre de mois."},
    )
    motive = forms.CharField(
        label="Motif de la demande",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Indiquez le motif de la demande."},
    )
    payee_kind = forms.ChoiceField(
        label="L'aide est versée à",
        choices=AidRequest.Payee.choices,
        widget=forms.RadioSelect,
        initial="famille",
    )
    payee_name = forms.CharField(
        label="Titulaire du compte à créditer",
        max_length=140,
        error_messages={"required": "Indiquez le titulaire du compte à créditer."},
    )
    payee_iban = forms.CharField(
        label="IBAN du compte à créditer",
        max_length=42,
        help_text="Par exemple FR76 3000 6000 0112 3456 7890 189.",
        error_messages={"required": "Indiquez l'IBAN du compte à créditer."},
    )

    def clean_amount_requested(self) -> int:
        return _cents(self.cleaned_data["amount_requested"], "Le montant demandé")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind:
            data["theme"] = rules.KINDS[kind][0]
        return data


class DecisionForm(DsfrBaseForm):
    action = forms.ChoiceField(
        label="Décision",
        choices=[("accorder", "Accorder"), ("refuser", "Refuser"), ("ajourner", "Ajourner")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez la décision.", "invalid_choice": "Choisissez la décision."},
    )
    amount_granted = forms.CharField(
        label="Montant accordé (€)", max_length=40, required=False, help_text="Pour une aide accordée."
    )
    reason = forms.CharField(
        label="Motif (obligatoire pour un refus ou un ajournement)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "accorder":
            text = (data.get("amount_granted") or "").strip()
            if not text:
                self.add_error("amount_granted", "Indiquez le montant accordé.")
            else:
                try:
                    data["amount_granted_cents"] = _cents(text, "Le montant accordé")
                except forms.ValidationError as error:
                    self.add_error("amount_granted", error)
        elif data.get("action") in ("refuser", "ajourner") and not (data.get("reason") or "").strip():
            self.add_error("reason", "Indiquez le motif de la décision.")
        return data


class WithdrawForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif du retrait",
        max_length=500,
        error_messages={"required": "Indiquez pourquoi la demande est retirée."},
    )


class YearForm(DsfrBaseForm):
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100, required=False)
