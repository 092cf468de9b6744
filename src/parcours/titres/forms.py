"""The forms of the Caf titre exécutoire (CSS L582-2, R582-2): the joint request, the other
parent's signature, the ARIPA agent's decision."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from dsfr.forms import DsfrBaseForm

from parcours.child_support.simulation import MAX_CHILDREN, parse_amount
from parcours.core import uploads
from parcours.core.forms import BankFieldsMixin, styled
from parcours.core.templatetags.parcours_format import iban_masked
from parcours.intermediation.services import BankDetails
from parcours.titres.models import Arrangement
from parcours.titres.rules import DOCUMENT_LABELS
from parcours.titres.services.titre_caf import Piece, document_field

NUMERO_PATTERN = re.compile(r"[0-9]{7}")
OTHER_BY_NUMERO = "numero"
UNION_CHOICES = [
    ("concubinage", "En union libre (concubinage)"),
    ("pacs", "Pacsés"),
    ("mariage", "Mariés"),
]
AMOUNT_ERROR = "Indiquez le montant mensuel de la pension pour cet enfant, par exemple 150,00."


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
        # One file input per piece (CSS R582-2), checked as the declaration's documents are.
        for code, label in DOCUMENT_LABELS.items():
            name = document_field(code)
            self.fields[name] = forms.FileField(
                label=label[:1].upper() + label[1:],
                help_text=uploads.HINT,
                required=False,
                allow_empty_file=True,  # refused by the content checks, with their message
                widget=forms.FileInput(
                    attrs={
                        "class": "fr-upload",
                        "accept": uploads.ACCEPT,
                        "aria-describedby": f"id_{name}-messages",
                    }
                ),
                error_messages={
                    "invalid": "Le fichier n'a pas pu être lu : choisissez-le à nouveau.",
                    "missing": "Le fichier n'a pas pu être lu : choisissez-le à nouveau.",
                },
            )
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
        styled(self)

    def child_rows(self):  # type: ignore[no-untyped-def]
        """(person, include, amount, arrangement, existing) bound fields, for the template."""
        return [
            (p, *(self[f"child_{p.pk}_{part}"] for part in ("include", "amount", "arrangement", "existing")))
            for p in self.children
        ]

    def document_rows(self):  # type: ignore[no-untyped-def]
        """The file input of each piece, for the template."""
        return [self[document_field(code)] for code in DOCUMENT_LABELS]

    def _pieces(self, data: dict) -> list[Piece]:
        """The files sent, each checked by content (core/uploads.py); a bad one is an error on its
        own input. "Vérifier" checks them too, but needs none."""
        pieces = []
        for code in DOCUMENT_LABELS:
            name = document_field(code)
            upload = data.get(name)
            if not upload:
                continue
            content = uploads.read_upload(upload)
            try:
                uploads.content_checked(content, field=name)
            except forms.ValidationError as refused:
                self.add_error(None, refused)
                continue
            pieces.append(Piece(code, upload.name, content))
        return pieces

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
        data["pieces"] = self._pieces(data)
        data["documents"] = [piece.code for piece in data["pieces"]]
        return data


class TitreSignForm(DsfrBaseForm):
    certify = forms.BooleanField(
        label="J'ai lu la demande, je suis d'accord avec son contenu et je la signe",
        error_messages={"required": "Cochez la case pour signer la demande."},
    )


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
        styled(self)

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
