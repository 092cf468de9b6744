"""Whatever a social worker clicks, in whatever order: a refused step writes nothing, the log of
transitions replays to the state stored, and a closed accompaniment has its outcome and date."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.core.transitions import replayed_state
from parcours.social import lifecycle, services
from parcours.social.models import Accompaniment, AccompanimentTransition, SignalementTransition
from tests.factories import SignalementFactory, accepted, held_interview, social_worker

pytestmark = pytest.mark.django_db

STEPS = st.sampled_from(
    ["interview", "objective", "diagnostiquer", "etablir_plan", "clore", "clore_sans_motif", "note"]
)


def _do(step: str, accompaniment: Accompaniment) -> None:
    worker = accompaniment.worker
    if step == "interview":
        held_interview(accompaniment)
    elif step == "objective":
        services.objective_add(accompaniment=accompaniment, text="Un objectif", by=worker)
    elif step == "note":
        services.note_add(accompaniment=accompaniment, text="Une note", by=worker)
    elif step == "clore":
        services.accompaniment_act(
            accompaniment=accompaniment, action="clore", by=worker, reason="Fin", outcome="sans_nouvelles"
        )
    elif step == "clore_sans_motif":
        services.accompaniment_act(
            accompaniment=accompaniment, action="clore", by=worker, outcome="sans_nouvelles"
        )
    else:
        services.accompaniment_act(accompaniment=accompaniment, action=step, by=worker)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(STEPS, max_size=8))
def test_any_sequence_of_steps_keeps_the_state_and_its_log_in_step(steps):
    worker = social_worker()
    accompaniment = accepted(SignalementFactory(), worker=worker)
    for step in steps:
        before = (
            Accompaniment.objects.get(pk=accompaniment.pk).state,
            AccompanimentTransition.objects.filter(accompaniment=accompaniment).count(),
        )
        try:
            _do(step, Accompaniment.objects.get(pk=accompaniment.pk))
        except ValidationError:
            after = (
                Accompaniment.objects.get(pk=accompaniment.pk).state,
                AccompanimentTransition.objects.filter(accompaniment=accompaniment).count(),
            )
            assert after == before, f"a refused {step} wrote something"
    stored = Accompaniment.objects.get(pk=accompaniment.pk)
    assert replayed_state(AccompanimentTransition, stored) == stored.state
    assert (stored.state == lifecycle.CLOS) == (stored.closed_on is not None) == bool(stored.outcome)
    if "clore" in steps:  # closing is allowed at any open step: the first "clore" closes it
        assert stored.state == lifecycle.CLOS
    signalement = stored.signalement
    assert replayed_state(SignalementTransition, signalement) == signalement.state == lifecycle.ACCEPTE
