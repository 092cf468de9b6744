"""The forms of parenting support's pages: every refusal in French."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from . import lifecycle
from .models import Slot


class BookingForm(DsfrBaseForm):
    """A parent books a slot for some of their children."""

    children = forms.MultipleChoiceField(
        label="Enfants concernés par la séance",
        help_text="Le soutien à la parentalité concerne les enfants de 0 à 21 ans.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choisissez au moins un enfant concerné par la séance.",
            "invalid_choice": "Choisissez des enfants de votre foyer.",
        },
    )

    def __init__(self, *args, children=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = [
            (str(p.pk), f"{p.first_names} (né·e le {p.birth_date:%d/%m/%Y})") for p in children
        ]


class OnBehalfForm(DsfrBaseForm):
    """A structure or a social worker books for a family, with the parent's consent."""

    numero_allocataire = forms.RegexField(
        label="Numéro allocataire de la famille",
        regex=r"\A[0-9]{7}\Z",
        error_messages={
            "required": "Indiquez le numéro allocataire de la famille.",
            "invalid": "Le numéro allocataire comporte 7 chiffres.",
        },
    )
    last_name = forms.CharField(
        label="Nom de famille du parent",
        help_text="Tel que le parent vous l'indique : il confirme le numéro allocataire.",
        max_length=100,
        error_messages={"required": "Indiquez le nom de famille du parent."},
    )
    slot = forms.TypedChoiceField(
        label="Créneau",
        coerce=int,
        error_messages={
            "required": "Choisissez un créneau.",
            "invalid_choice": "Ce créneau n'est plus disponible : choisissez-en un autre.",
        },
    )
    consent = forms.BooleanField(
        label="Le parent a donné son accord pour cette réservation",
        help_text="Les enfants de 0 à 21 ans du foyer sont concernés ; le parent est prévenu par courriel ou SMS.",
        error_messages={"required": "Sans l'accord du parent, la séance ne peut pas être réservée pour lui."},
    )

    def __init__(self, *args, slots=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [("", "Choisissez un créneau")] + [
            (s.pk, _slot_label(s)) for s in slots
        ]


def _slot_label(slot: Slot) -> str:
    local = timezone.localtime(slot.starts_at)
    return f"{local:%d/%m/%Y à %H h %M} — {slot.structure.name} — {slot.professional} — {slot.get_mode_display()}"


class SlotForm(DsfrBaseForm):
    """A structure opens a one-hour slot of one of its professionals."""

    professional = forms.TypedChoiceField(
        label="Professionnel",
        coerce=int,
        error_messages={
            "required": "Choisissez le professionnel.",
            "invalid_choice": "Choisissez un professionnel de la structure.",
        },
    )
    starts_at = forms.DateTimeField(
        label="Date et heure de début",
        help_text="Une séance dure une heure.",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Indiquez la date et l'heure du créneau.",
            "invalid": "Indiquez une date et une heure valides.",
        },
    )
    mode = forms.ChoiceField(
        label="Modalité",
        choices=Slot.Mode.choices,
        error_messages={"required": "Choisissez la modalité.", "invalid_choice": "Choisissez la modalité."},
    )

    def __init__(self, *args, professionals=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["professional"].choices = [("", "Choisissez un professionnel")] + [
            (p.pk, str(p)) for p in professionals
        ]

    def clean_starts_at(self) -> datetime:
        value = self.cleaned_data["starts_at"]
        if value.year < 2000 or value.year > 2100:
            raise forms.ValidationError("Indiquez une date et une heure valides.")
        return value


class AttendanceForm(DsfrBaseForm):
    outcome = forms.ChoiceField(
        label="Présence",
        choices=[(state, lifecycle.BOOKING.label(state)) for state in lifecycle.ATTENDANCE],
        error_messages={
            "required": "Choisissez : séance tenue, absence excusée ou absence non excusée.",
            "invalid_choice": "Choisissez : séance tenue, absence excusée ou absence non excusée.",
        },
    )


class CancelForm(DsfrBaseForm):
    reason = forms.CharField(label="Motif (facultatif)", required=False, max_length=500)


class OrientationForm(DsfrBaseForm):
    target = forms.ChoiceField(
        label="Orientation de la famille",
        choices=list(lifecycle.ORIENTATIONS.items()),
        error_messages={
            "required": "Choisissez l'orientation.",
            "invalid_choice": "Choisissez l'orientation.",
        },
    )
    partner = forms.TypedChoiceField(
        label="Partenaire (si orientation vers un partenaire)",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choisissez un partenaire actif du territoire."},
    )
    note = forms.CharField(label="Précision (facultatif)", required=False, max_length=300)

    def __init__(self, *args, partners=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", "Aucun")] + [(p.pk, p.name) for p in partners]
