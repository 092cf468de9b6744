"""The forms of the back office's pages: the queue's filters, an agent's moves, batch actions."""

from __future__ import annotations

from django import forms
from dsfr.forms import DsfrBaseForm

from parcours.core.work import Kind

from . import lifecycle
from .kinds import catalogue
from .models import Segment

KIND_CHOICES = [("", "Toutes")] + [(k.value, catalogue()[k.value].label) for k in Kind]
STATE_CHOICES = [("", "Toutes les tâches ouvertes")] + [
    (s, lifecycle.STATES[s]) for s in sorted(lifecycle.OPEN)
]
OWNER_CHOICES = [("", "Tous"), ("moi", "Moi"), ("personne", "Personne (à prendre)")]


class QueueFilter(DsfrBaseForm):
    kind = forms.ChoiceField(label="Nature", choices=KIND_CHOICES, required=False)
    state = forms.ChoiceField(label="État", choices=STATE_CHOICES, required=False)
    owner = forms.ChoiceField(label="Agent", choices=OWNER_CHOICES, required=False)
    segment = forms.ChoiceField(label="Segment", required=False)
    overdue = forms.BooleanField(label="Seulement les tâches en retard", required=False)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = [("", "Tous"), *Segment.objects.values_list("code", "name")]


class ActionForm(DsfrBaseForm):
    action = forms.ChoiceField(choices=[(a, t.label) for a, t in lifecycle.TASK.transitions.items()])
    reason = forms.CharField(
        label="Message ou issue", required=False, max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )
