"""The forms of the ARIPA agents' intermediation pages (search, suspense account, end, arrears) and
of a parent's request for the intermediation of a titre."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from dsfr.forms import DsfrBaseForm

from parcours.core.forms import BankFieldsMixin, styled
from parcours.intermediation.models import IntermediationStatus, RecoveryState

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


# --- The Caf titre exécutoire (CSS L582-2, R582-2) --------------------------------------------
class IntermediationEndForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif de la fin",
        help_text="Par exemple : demande de la mère du 3 mars 2026, accord écrit du père.",
        max_length=200,
        error_messages={"required": "Indiquez le motif et le parent qui demande la fin."},
    )
    other_parent_consents = forms.BooleanField(
        label="L'autre parent a donné son accord",
        help_text="L'intermédiation ne prend fin qu'avec l'accord des deux parents, et jamais lorsque "
        "des violences sont établies.",
        required=False,
    )


class ArrearsForm(DsfrBaseForm):
    months = forms.MultipleChoiceField(
        label="Mois impayés avant l'intermédiation",
        help_text="Jusqu'à 24 mois en arrière, à la demande du parent créancier. Chaque mois coché devient "
        "une échéance, recouvrée comme tout impayé.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Cochez au moins un mois impayé.",
            "invalid_choice": "Ce mois ne peut pas être ajouté : choisissez dans la liste.",
        },
    )

    def __init__(self, *args, months=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        from parcours.intermediation.letters import month_fr

        self.fields["months"].choices = [(m.isoformat(), month_fr(m)) for m in months]

    def clean_months(self) -> list[date]:
        return [date.fromisoformat(value) for value in self.cleaned_data["months"]]


class IntermediationRequestForm(BankFieldsMixin, DsfrBaseForm):
    """A parent asks the intermediation of a titre: only the accounts the registry does not know
    are asked (the parent's own, and the other parent's if they have it)."""

    def __init__(self, *args, ask_own: bool = False, ask_other: bool = False, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.ask_own, self.ask_other = ask_own, ask_other
        if ask_own:
            self.fields.update(self.bank_fields("own", "de votre compte", required=True))
        if ask_other:
            self.fields.update(self.bank_fields("other", "du compte de l'autre parent", required=True))
            self.fields["other_iban"].help_text = (
                "La Caf ne connaît pas le compte de l'autre parent : indiquez-le s'il figure sur un RIB en "
                "votre possession. Sinon, contactez votre Caf."
            )
        styled(self)
