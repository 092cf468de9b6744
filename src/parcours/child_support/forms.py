"""The forms of this app: "Simuler une pension alimentaire" (same checks as the API), the ARIPA
agents' search, suspense account and intermediation actions, and the Caf titre exécutoire request."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django import forms
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from parcours.core.templatetags.parcours_format import iban_masked

from .models import Arrangement, IntermediationStatus, RecoveryState
from .rules.titre_caf import DOCUMENT_LABELS
from .scales import Custody
from .services import BankDetails
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


# --- The Caf titre exécutoire (CSS L582-2, R582-2) --------------------------------------------

OTHER_BY_NUMERO = "numero"
UNION_CHOICES = [
    ("concubinage", "En union libre (concubinage)"),
    ("pacs", "Pacsés"),
    ("mariage", "Mariés"),
]
AMOUNT_ERROR = "Indiquez le montant mensuel de la pension pour cet enfant, par exemple 150,00."


def _styled(form: forms.Form) -> None:
    """The DSFR classes on fields added after DsfrBaseForm.__init__ (it styles declared ones)."""
    for visible in form.visible_fields():
        dsfr_input_class_attr(visible)


def _amount(text: str, *, what: str) -> Decimal:
    try:
        return parse_amount(text)
    except ValueError as error:
        raise forms.ValidationError(str(error).replace("Le revenu", what)) from None


class TitreRequestForm(DsfrBaseForm):
    """The joint request, filled in by the parent with whom the children live (who receives the
    pension), signed by them; the other parent signs it next from their own space."""

    other_parent = forms.ChoiceField(
        label="L'autre parent",
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choisissez l'autre parent dans la liste."},
    )
    other_numero = forms.CharField(
        label="Son numéro allocataire",
        help_text="7 chiffres, sur ses courriers de la Caf.",
        max_length=12,
        required=False,
    )
    other_last_name = forms.CharField(label="Son nom", max_length=150, required=False)
    other_birth_date = forms.DateField(
        label="Sa date de naissance",
        help_text="Format : jj/mm/aaaa.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        required=False,
        error_messages={"invalid": "Indiquez une date valide, par exemple 10/05/1988."},
    )
    union = forms.ChoiceField(
        label="Avant la séparation, vous étiez",
        help_text="La Caf délivre un titre seulement aux parents qui n'étaient pas mariés ; "
        "des parents mariés s'adressent au juge aux affaires familiales.",
        choices=UNION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Indiquez si vous étiez en union libre, pacsés ou mariés.",
            "invalid_choice": "Choisissez l'une des trois situations proposées.",
        },
    )
    debtor_resources = forms.CharField(
        label="Ressources mensuelles de l'autre parent, qui verse la pension (en euros)",
        help_text="Ses ressources de l'année divisées par 12 : salaires, allocations chômage, retraite… "
        "Par exemple : 1800,00.",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": "Indiquez les ressources mensuelles du parent qui verse la pension."},
    )
    children_dependent = forms.IntegerField(
        label="Nombre d'enfants à la charge de l'autre parent",
        help_text="Tous les enfants qu'il ou elle élève ou pour lesquels il ou elle verse une pension, "
        "quelle que soit l'union dont ils sont nés, y compris ceux de cette demande.",
        min_value=1,
        max_value=MAX_CHILDREN,
        error_messages={
            "required": "Indiquez le nombre d'enfants à la charge de l'autre parent.",
            "invalid": "Indiquez un nombre entier, par exemple 2.",
            "min_value": "Indiquez au moins 1 enfant.",
            "max_value": f"Indiquez au plus {MAX_CHILDREN} enfants.",
        },
    )
    documents = forms.MultipleChoiceField(
        label="Les pièces jointes à la demande",
        help_text="Sans ces pièces, la Caf refuse la demande.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choisissez les pièces dans la liste."},
    )
    refuse_intermediation = forms.BooleanField(
        label="Nous refusons tous les deux l'intermédiation financière",
        help_text="Sans ce refus, la Caf collecte la pension auprès de l'autre parent et vous la reverse "
        "chaque mois. L'autre parent confirme ce refus en signant. En cas de violences établies, "
        "le refus ne s'applique pas.",
        required=False,
    )
    certify = forms.BooleanField(
        label="Je certifie que ces informations sont exactes et je signe la demande",
        error_messages={"required": "Cochez la case pour signer la demande."},
    )

    def __init__(self, *args, candidates=(), children=(), signing=True, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # "Vérifier" shows the threshold without signing; only "Signer et envoyer" needs the box.
        self.fields["certify"].required = signing
        self.candidates = list(candidates)
        self.children = list(children)
        self.fields["other_parent"].choices = [
            *((str(p.pk), str(p)) for p in self.candidates),
            (OTHER_BY_NUMERO, "Une autre personne : je donne son numéro allocataire"),
        ]
        if not self.candidates:
            self.fields["other_parent"].widget = forms.HiddenInput()
            self.fields["other_parent"].initial = OTHER_BY_NUMERO
        self.fields["documents"].choices = [
            (c, label[:1].upper() + label[1:]) for c, label in DOCUMENT_LABELS.items()
        ]
        for person in self.children:
            prefix, name = f"child_{person.pk}", person.first_names
            self.fields[f"{prefix}_include"] = forms.BooleanField(
                label=f"La demande concerne {name}", required=False
            )
            self.fields[f"{prefix}_amount"] = forms.CharField(
                label=f"Pension mensuelle pour {name} (en euros)",
                max_length=20,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.fields[f"{prefix}_arrangement"] = forms.ChoiceField(
                label=f"Droit de visite et d'hébergement de l'autre parent pour {name}",
                choices=[("", "Choisissez"), *Arrangement.choices],
                required=False,
                error_messages={"invalid_choice": "Choisissez un droit de visite de la liste."},
            )
            self.fields[f"{prefix}_existing"] = forms.BooleanField(
                label=f"Un jugement, un titre ou une procédure devant le juge existe déjà pour {name}",
                required=False,
            )
        _styled(self)

    def child_rows(self):  # type: ignore[no-untyped-def]
        """(person, include, amount, arrangement, existing) bound fields, for the template."""
        return [
            (p, *(self[f"child_{p.pk}_{part}"] for part in ("include", "amount", "arrangement", "existing")))
            for p in self.children
        ]

    def clean_other_numero(self) -> str:
        return "".join(self.cleaned_data["other_numero"].split())

    def clean_debtor_resources(self) -> Decimal:
        return _amount(self.cleaned_data["debtor_resources"], what="Le montant des ressources")

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        choice = data.get("other_parent") or (OTHER_BY_NUMERO if not self.candidates else "")
        if not choice:
            self.add_error("other_parent", "Indiquez qui est l'autre parent.")
        elif choice == OTHER_BY_NUMERO:
            if not NUMERO_PATTERN.fullmatch(data.get("other_numero", "")):
                self.add_error("other_numero", "Le numéro allocataire comporte 7 chiffres.")
            if not (data.get("other_last_name") or "").strip():
                self.add_error("other_last_name", "Indiquez le nom de l'autre parent.")
            if not data.get("other_birth_date") and "other_birth_date" not in self.errors:
                self.add_error("other_birth_date", "Indiquez la date de naissance de l'autre parent.")
        lines = []
        for person in self.children:
            prefix = f"child_{person.pk}"
            if not data.get(f"{prefix}_include"):
                continue
            amount_text = (data.get(f"{prefix}_amount") or "").strip()
            amount = None
            if not amount_text:
                self.add_error(f"{prefix}_amount", AMOUNT_ERROR)
            else:
                try:
                    amount = _amount(amount_text, what="Le montant de la pension")
                except forms.ValidationError as error:
                    self.add_error(f"{prefix}_amount", error)
                else:
                    if amount <= 0:
                        self.add_error(f"{prefix}_amount", "La pension est un montant supérieur à zéro.")
            arrangement = data.get(f"{prefix}_arrangement")
            if not arrangement and f"{prefix}_arrangement" not in self.errors:
                self.add_error(f"{prefix}_arrangement", "Choisissez le droit de visite et d'hébergement.")
            lines.append((person, amount, arrangement, bool(data.get(f"{prefix}_existing"))))
        if not lines:
            self.add_error(None, "Cochez au moins un enfant concerné par la demande.")
        dependent = data.get("children_dependent")
        if dependent is not None and lines and dependent < len(lines):
            self.add_error(
                "children_dependent",
                f"L'autre parent a au moins {len(lines)} enfant{'s' if len(lines) > 1 else ''} à charge : "
                "ceux de cette demande.",
            )
        data["other_choice"] = choice
        data["lines"] = lines
        return data


class TitreSignForm(DsfrBaseForm):
    certify = forms.BooleanField(
        label="J'ai lu la demande, je suis d'accord avec son contenu et je la signe",
        error_messages={"required": "Cochez la case pour signer la demande."},
    )


class BankFieldsMixin:
    """The two accounts of an intermediation: the debtor's (debits or identification of transfers)
    and the creditor's (payouts). The IBAN is checked by the service (schwifty)."""

    @staticmethod
    def bank_fields(side: str, account: str, *, required: bool) -> dict[str, forms.Field]:
        """`account` names the account: "du compte de l'autre parent", "de votre compte"."""
        return {
            f"{side}_name": forms.CharField(
                label=f"Titulaire {account}",
                max_length=140,
                required=required,
                error_messages={"required": f"Indiquez le titulaire {account}."},
            ),
            f"{side}_iban": forms.CharField(
                label=f"IBAN {account}",
                help_text="Par exemple FR76 3000 6000 0112 3456 7890 189.",
                max_length=42,
                required=required,
                error_messages={"required": f"Indiquez l'IBAN {account}."},
            ),
            f"{side}_bic": forms.CharField(
                label=f"BIC {account} (facultatif)", max_length=11, required=False
            ),
        }


class TitreDecisionForm(BankFieldsMixin, DsfrBaseForm):
    """The agent decides a submitted request. The accounts are needed only to open the
    intermediation of an accepted titre (not when both parents refused it); an account the
    registry knows is shown masked and used when its fields are left empty."""

    def __init__(self, *args, needs_bank=True, known=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.needs_bank = needs_bank
        self.known = known or {}
        for side, account in (
            ("debtor", "du compte du parent qui verse la pension"),
            ("creditor", "du compte du parent qui reçoit la pension"),
        ):
            known_bank = self.known.get(side)
            self.fields.update(self.bank_fields(side, account, required=needs_bank and known_bank is None))
            if known_bank is not None:
                self.fields[f"{side}_iban"].help_text = (
                    f"Compte connu au registre : {iban_masked(known_bank.iban)} ({known_bank.name}). "
                    "Laissez vide pour l'utiliser."
                )
        _styled(self)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        for side in ("debtor", "creditor"):
            iban, name = (data.get(f"{side}_iban") or "").strip(), (data.get(f"{side}_name") or "").strip()
            known_bank = self.known.get(side)
            if iban:
                if not name and known_bank is None:
                    self.add_error(f"{side}_name", "Indiquez le titulaire de ce compte.")
                data[f"{side}_bank"] = BankDetails(name or known_bank.name, iban, data.get(f"{side}_bic", ""))  # type: ignore[union-attr]
            else:
                data[f"{side}_bank"] = known_bank or BankDetails(name, "", "")
        return data


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
        from .letters import month_fr

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
        _styled(self)
