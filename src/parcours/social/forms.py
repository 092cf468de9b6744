"""The forms of social support's pages."""

from __future__ import annotations

from django import forms
from dsfr.forms import DsfrBaseForm

from . import lifecycle
from .models import Interview
from .offers import KIND_CHOICES, ORIGIN_LABELS, Origin

STATE_CHOICES = [("", "Tous les signalements à traiter"), *lifecycle.SIGNALEMENT.choices, ("tous", "Tous")]


class SignalementFilter(DsfrBaseForm):
    kind = forms.ChoiceField(label="Motif", choices=[("", "Tous"), *KIND_CHOICES], required=False)
    state = forms.ChoiceField(label="État", choices=STATE_CHOICES, required=False)


class SignalementForm(DsfrBaseForm):
    """A family signalled by hand, by an agent or for a partner."""

    numero_allocataire = forms.RegexField(
        label="Numéro allocataire",
        regex=r"^\d{7}$",
        error_messages={"invalid": "Le numéro allocataire comporte 7 chiffres."},
    )
    kind = forms.ChoiceField(label="Motif", choices=KIND_CHOICES)
    origin = forms.ChoiceField(
        label="Signalé par", choices=[(o.value, ORIGIN_LABELS[o]) for o in (Origin.AGENT, Origin.PARTNER)]
    )
    source = forms.CharField(label="Service ou structure qui signale", max_length=100)


class AnswerForm(DsfrBaseForm):
    answer = forms.ChoiceField(choices=[("oui", "La famille accepte"), ("non", "La famille refuse")])
    reason = forms.CharField(label="Précision (facultatif)", required=False, max_length=500)


class ActionForm(DsfrBaseForm):
    action = forms.ChoiceField(choices=[(a, t.label) for a, t in lifecycle.ACCOMPANIMENT.transitions.items()])
    outcome = forms.ChoiceField(
        label="Résultat", choices=[("", "—"), *lifecycle.CLOSING_OUTCOMES.items()], required=False
    )
    reason = forms.CharField(
        label="Motif", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class InterviewForm(DsfrBaseForm):
    on = forms.DateTimeField(
        label="Date et heure",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    mode = forms.ChoiceField(label="Modalité", choices=Interview.Mode.choices)
    place = forms.CharField(label="Lieu", required=False, max_length=200)


class InterviewRecordForm(DsfrBaseForm):
    held = forms.ChoiceField(
        label="L'entretien a-t-il eu lieu ?",
        choices=[("oui", "Oui, tenu"), ("non", "Non, la famille n'est pas venue")],
    )
    note = forms.CharField(
        label="Note confidentielle de l'entretien (facultatif)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ObjectiveForm(DsfrBaseForm):
    text = forms.CharField(label="Objectif convenu avec la famille", max_length=300)


class NoteForm(DsfrBaseForm):
    text = forms.CharField(
        label="Note confidentielle", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReferralForm(DsfrBaseForm):
    partner = forms.ModelChoiceField(
        label="Partenaire", queryset=None, empty_label="Choisissez un partenaire"
    )
    purpose = forms.CharField(label="Objet de l'orientation", max_length=300)
    contact = forms.CharField(label="Coordonnées transmises au partenaire", max_length=200)
    consent_on = forms.DateField(
        label="Accord de la famille recueilli le",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, partners, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


class ReferralActionForm(DsfrBaseForm):
    action = forms.ChoiceField(choices=[(a, t.label) for a, t in lifecycle.REFERRAL.transitions.items()])
    reason = forms.CharField(label="Motif ou retour", required=False, max_length=300)
