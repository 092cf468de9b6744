from dataclasses import dataclass

from django import forms
from dsfr.forms import DsfrBaseForm

from .models import ChildSupportSituation, Residence, Visiting


class DeclarationForm(DsfrBaseForm):
    separation_date = forms.DateField(
        label="Date de la séparation",
        help_text="Le jour où vous avez cessé de vivre ensemble.",
        # <input type="date"> takes only ISO dates: a draft's date in another format is dropped.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )
    new_street = forms.CharField(
        label="Nouvelle adresse de l'autre parent (facultatif)",
        help_text="Si vous la connaissez : numéro et nom de la voie.",
        max_length=200,
        required=False,
    )
    new_postcode = forms.CharField(label="Code postal", max_length=5, required=False)
    new_commune_name = forms.CharField(
        label="Commune",
        max_length=100,
        required=False,
        help_text="Son nom, par exemple Massy ou Saint-Denis.",
    )
    new_address_confidential = forms.BooleanField(
        label="Cette adresse doit rester confidentielle", required=False
    )
    visiting = forms.ChoiceField(label="Droit de visite et d'hébergement", choices=Visiting.choices)
    child_support = forms.ChoiceField(label="Pension alimentaire", choices=ChildSupportSituation.choices)
    child_support_amount = forms.DecimalField(
        label="Montant mensuel fixé (€)",
        help_text="Obligatoire si une pension est fixée. Par exemple 180 ou 180,50.",
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        error_messages={"max_decimal_places": "Au plus deux décimales.", "invalid": "Saisissez un montant."},
    )

    new_iban = forms.CharField(
        label="Nouveau compte bancaire (IBAN) (facultatif)",
        max_length=42,
        required=False,
        help_text="Seulement si vous changez de compte.",
    )

    attestation = forms.BooleanField(
        label="Je certifie sur l'honneur l'exactitude des informations déclarées",
        help_text="Une fausse déclaration peut entraîner le remboursement des sommes versées et des sanctions "
        "(article L114-13 du code de la sécurité sociale).",
        required=False,
    )

    def __init__(self, *args, children=(), declarant_leaves=False, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if declarant_leaves:
            # The declarant is the one who leaves: the address is their own, and may need protecting.
            self.fields["new_street"].label = "Ma nouvelle adresse (facultatif)"
            self.fields[
                "new_address_confidential"
            ].label = (
                "Je me sens en danger : ma nouvelle adresse ne doit pas être communiquée à l'autre parent"
            )
            for name in ("new_street", "new_address_confidential"):
                self._bound_fields_cache.pop(name, None)
        self.children = list(children)
        for person, value in self.children:
            name = f"child_{person.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"Où vit {person.first_names} ?", choices=Residence.choices, initial=value
            )
            self.fields[name].widget.attrs["class"] = "fr-select"

    def child_fields(self):  # type: ignore[no-untyped-def]
        return [self[f"child_{person.pk}"] for person, _ in self.children]

    def draft_data(self) -> dict:
        child_names = {f"child_{person.pk}" for person, _ in self.children}
        data = {k: v for k, v in self.cleaned_data.items() if k not in child_names}
        data["children"] = {str(p.pk): self.cleaned_data[f"child_{p.pk}"] for p, _ in self.children}
        data.pop("attestation", None)
        for key in ("new_street", "new_postcode", "new_commune_name", "new_iban"):
            data[key] = (data.get(key) or "").strip()
        return data


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    fields: tuple[str, ...]  # "child_*": every child's residence


# The declaration, one question at a time (DSFR stepper); each step is saved as the draft.
STEPS = (
    Step("separation", "Votre séparation", ("separation_date",)),
    Step("enfants", "Vos enfants", ("child_*", "visiting")),
    Step(
        "adresse",
        "La nouvelle adresse",
        ("new_street", "new_postcode", "new_commune_name", "new_address_confidential"),
    ),
    Step("pension", "La pension alimentaire", ("child_support", "child_support_amount")),
    Step("banque", "Vos coordonnées bancaires", ("new_iban",)),
    Step("recapitulatif", "Récapitulatif et envoi", ("attestation",)),
)


def is_child_field(name: str) -> bool:
    """A child's residence field, "child_<person id>" (not child_support)."""
    return name.startswith("child_") and name.removeprefix("child_").isdigit()


def step_of_field(name: str) -> Step:
    """The step where a field is asked (a deposit's error links back to it)."""
    key = "child_*" if is_child_field(name) or name == "children" else name
    return next((s for s in STEPS if key in s.fields), STEPS[0])


class QuestionnaireForm(DsfrBaseForm):
    union = forms.ChoiceField(
        label="Vous étiez",
        choices=[("mariage", "Marié(e)s"), ("pacs", "Pacsé(e)s"), ("concubinage", "En union libre")],
        widget=forms.RadioSelect,
    )
    children = forms.ChoiceField(
        label="Avez-vous des enfants ensemble ?",
        choices=[("oui", "Oui"), ("non", "Non")],
        widget=forms.RadioSelect,
    )
    decision = forms.ChoiceField(
        label="Un jugement ou un accord fixe-t-il déjà la résidence des enfants ou la pension ?",
        choices=[("oui", "Oui"), ("non", "Non")],
        widget=forms.RadioSelect,
    )
    unsafe = forms.ChoiceField(
        label="Vous sentez-vous en danger ?",
        choices=[("non", "Non"), ("oui", "Oui")],
        widget=forms.RadioSelect,
    )


class CallbackForm(DsfrBaseForm):
    phone = forms.RegexField(
        label="Numéro de téléphone où vous joindre en sécurité",
        regex=r"^(\+33|0)[1-9](\s?\d{2}){4}$",
        error_messages={"invalid": "Saisissez un numéro français, par exemple 06 12 34 56 78."},
    )
    slot = forms.CharField(
        label="Quand pouvons-nous vous appeler sans risque ?", max_length=100, required=False
    )


class NoteForm(DsfrBaseForm):
    body = forms.CharField(label="Votre message", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    private = forms.BooleanField(label="Note interne (jamais visible du parent)", required=False)
