"""Every change of a demande's state is a row of its append-only log, and the log replays it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.core.transitions import history, replayed_state
from parcours.separation import lifecycle as lc
from parcours.separation import services
from parcours.separation.models import Demande, DemandeTransition
from tests.core.append_only import assert_append_only
from tests.factories import UserFactory, household

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    dossier = household(children=1)
    parent = UserFactory(person=dossier.memberships.get(role="allocataire").person)
    demande = services.declaration_start(dossier=dossier, by=parent)
    services.declaration_save(
        demande=demande,
        data={
            "separation_date": timezone.localdate() - timedelta(days=40),
            "children": dict.fromkeys(demande.children, "chez_moi"),
            "child_support": "aucune",
            "child_support_amount": None,
        },
        by=parent,
    )
    services.demande_transition(demande=demande, action="deposer", by=parent, actor=lc.PARENT)
    return Demande.objects.get(pk=demande.pk), parent


def test_the_log_replays_the_correction_loop_and_names_who_did_each_move(submitted):
    demande, parent = submitted
    agent = UserFactory(agent=True)
    for action, by, actor, reason in [
        ("instruire", agent, lc.AGENT, ""),
        ("demander_complement", agent, lc.AGENT, "Merci de joindre le bail."),
        ("repondre", parent, lc.PARENT, "Le voici."),
        ("refuser", agent, lc.AGENT, "Séparation non établie."),
    ]:
        demande = services.demande_transition(
            demande=demande, action=action, by=by, actor=actor, reason=reason
        )
    assert demande.state == lc.REFUSEE == replayed_state(DemandeTransition, demande)
    assert [move[0] for move in history(DemandeTransition, demande)] == [
        "deposer",
        "instruire",
        "demander_complement",
        "repondre",
        "refuser",
    ]
    assert list(demande.transitions.values_list("by", flat=True)) == [
        parent.pk,
        agent.pk,
        agent.pk,
        parent.pk,
        agent.pk,
    ]
    assert demande.submitted_at is not None


def test_a_transition_row_is_append_only(submitted):
    demande, _ = submitted
    row = DemandeTransition.objects.get(demande=demande)
    assert_append_only(row, target=lc.VALIDEE, reason="réécrit")


def test_a_demande_with_a_history_cannot_be_deleted(submitted):
    from django.db.models import ProtectedError

    demande, _ = submitted
    with pytest.raises(ProtectedError):
        demande.delete()
    assert DemandeTransition.objects.filter(demande=demande).count() == 1
