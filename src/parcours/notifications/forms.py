from django import forms
from dsfr.forms import DsfrBaseForm

from .models import Channels


class PreferenceForm(DsfrBaseForm):
    channels = forms.ChoiceField(
        label="Comment voulez-vous être prévenu quand votre dossier avance ?",
        choices=Channels.choices,
        widget=forms.RadioSelect,
    )
    mobile_phone = forms.CharField(
        label="Téléphone portable",
        help_text="Pour les SMS. Par exemple 06 12 34 56 78. Un SMS ne contient jamais d'information "
        "personnelle : il vous invite seulement à vous connecter.",
        max_length=20,
        required=False,
    )
