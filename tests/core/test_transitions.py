"""The database side of workflows, on the demande's log: one object from a service, many rows
from a set-based SQL step, and the state replayed from the log."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction

from parcours.core.transitions import (
    SetTransition,
    Statement,
    replayed_state,
    set_transition,
    transition_apply,
)
from parcours.core.workflow import SYSTEM, HistoryError, SystemActor, Transition, Workflow
from parcours.separation import lifecycle as lc
from parcours.separation.models import Demande, DemandeTransition
from tests.factories import UserFactory, household

pytestmark = pytest.mark.django_db
DAILY = SystemActor("séparation quotidienne")

# The demande's workflow with one more, system, transition: what a batch step of a coming app does.
WITH_BATCH = Workflow.declare(
    name="demande_essai",
    field="state",
    states=lc.STATES,
    initial=lc.BROUILLON,
    final=lc.FINAL,
    transitions=(
        *lc.TRANSITIONS.values(),
        Transition(
            "expirer",
            "Classer sans suite (délai dépassé)",
            {lc.BROUILLON, lc.DEPOSEE},
            lc.SANS_SUITE,
            {SYSTEM},
        ),
    ),
)


@pytest.fixture
def demandes():
    dossier = household()
    parent = UserFactory()
    return [
        Demande.objects.create(dossier=dossier, declarant=parent, state=state)
        for state in (lc.BROUILLON, lc.DEPOSEE, lc.EN_INSTRUCTION, lc.BROUILLON)
    ]


@pytest.fixture
def batch_workflow(monkeypatch):
    monkeypatch.setattr(DemandeTransition, "workflow", WITH_BATCH)


def test_apply_locks_checks_sets_saves_and_logs_who_when_from_to(demandes):
    agent = UserFactory(agent=True)
    at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    demande, entry = transition_apply(
        log=DemandeTransition, subject=demandes[1], action="instruire", by=agent, role=lc.AGENT, at=at
    )
    assert demande.state == Demande.objects.get(pk=demande.pk).state == lc.EN_INSTRUCTION
    stored = DemandeTransition.objects.get()
    assert stored == entry and (stored.source, stored.target, stored.action) == (
        "deposee",
        "en_instruction",
        "instruire",
    )
    assert (stored.by, stored.system_actor, stored.at, stored.author) == (agent, "", at, str(agent))


def test_a_refusal_or_a_failing_preparation_writes_nothing(demandes):
    agent = UserFactory(agent=True)
    with pytest.raises(ValidationError) as error:
        transition_apply(
            log=DemandeTransition, subject=demandes[0], action="valider", by=agent, role=lc.AGENT
        )
    assert error.value.message_dict == {"action": ["Impossible depuis l'état « Brouillon »."]}

    def refuse(locked):
        locked.new_street = "changée"
        raise ValidationError({"new_street": "Adresse refusée."})

    with pytest.raises(ValidationError):
        transition_apply(
            log=DemandeTransition,
            subject=demandes[1],
            action="instruire",
            by=agent,
            role=lc.AGENT,
            prepare=refuse,
        )
    assert not DemandeTransition.objects.exists()
    assert Demande.objects.get(pk=demandes[1].pk).state == lc.DEPOSEE


def test_the_same_request_twice_moves_once_and_a_system_actor_is_named(demandes, batch_workflow):
    first = transition_apply(log=DemandeTransition, subject=demandes[0], action="expirer", by=DAILY)
    again = transition_apply(log=DemandeTransition, subject=demandes[0], action="expirer", by=DAILY)
    assert first.entry is not None and again.entry is None
    assert DemandeTransition.objects.get().system_actor == "séparation quotidienne"
    assert DemandeTransition.objects.get().author == "séparation quotidienne"


def test_a_set_transition_is_checked_at_definition_time(batch_workflow):
    with pytest.raises(ImproperlyConfigured):
        set_transition(DemandeTransition, "valider")  # an agent's action, not the system's
    with pytest.raises(ImproperlyConfigured):
        set_transition(DemandeTransition, "inconnue")
    expire = set_transition(DemandeTransition, "expirer")
    kinds = [s.kind for s in expire.statements(ids="SELECT 1", by=DAILY, vendor="postgresql")]
    assert kinds == ["drop", "lock", "capture", "log", "move", "drop"]
    assert "lock" not in [s.kind for s in expire.statements(ids="SELECT 1", by=DAILY, vendor="sqlite")]


def test_a_set_based_step_logs_each_row_with_its_own_from_state(demandes, batch_workflow):
    at = datetime(2026, 4, 1, 2, 0, tzinfo=UTC)
    expire = set_transition(DemandeTransition, "expirer")
    # The selection reads the log it writes: the ids and from-states are captured before it grows.
    never_moved = (
        "SELECT d.id FROM separation_demande d WHERE d.id >= %s AND NOT EXISTS "
        "(SELECT 1 FROM separation_demandetransition t WHERE t.demande_id = d.id)"
    )
    with transaction.atomic():
        moved = expire.run(
            ids=never_moved, params=[demandes[0].pk], by=DAILY, at=at, reason="délai de 6 mois"
        )
    assert moved == 3  # the demande en instruction is not in a source state: untouched
    states = {d.pk: d.state for d in Demande.objects.all()}
    assert [states[d.pk] for d in demandes] == [
        lc.SANS_SUITE,
        lc.SANS_SUITE,
        lc.EN_INSTRUCTION,
        lc.SANS_SUITE,
    ]
    rows = list(
        DemandeTransition.objects.order_by("demande_id").values_list(
            "demande_id", "source", "target", "action", "by", "system_actor", "at", "reason"
        )
    )
    assert rows == [
        (
            demandes[i].pk,
            source,
            "sans_suite",
            "expirer",
            None,
            "séparation quotidienne",
            at,
            "délai de 6 mois",
        )
        for i, source in ((0, "brouillon"), (1, "deposee"), (3, "brouillon"))
    ]
    for demande in demandes:
        assert replayed_state(DemandeTransition, demande, start=demande.state) == states[demande.pk]
    with transaction.atomic():
        assert expire.run(ids="SELECT id FROM separation_demande", by=DAILY) == 0  # a re-run moves nothing


class _RowChangedMidway(SetTransition):
    """A concurrent change between the capture and the move, as a step without locks could meet."""

    def statements(self, **kwargs):
        out = super().statements(**kwargs)
        change = Statement(
            "other", "UPDATE separation_demande SET state = 'deposee' WHERE state = 'brouillon'", []
        )
        return [*out[:-2], change, *out[-2:]]


def test_rows_that_moved_differ_from_rows_logged_undo_the_whole_step(demandes, batch_workflow):
    expire = set_transition(DemandeTransition, "expirer")
    raced = _RowChangedMidway(expire.log, expire.transition, expire.role)
    with pytest.raises(RuntimeError, match="1 objets changés d'état"), transaction.atomic():
        raced.run(ids="SELECT id FROM separation_demande", by=DAILY)
    assert not DemandeTransition.objects.exists()
    assert [Demande.objects.get(pk=d.pk).state for d in demandes] == [d.state for d in demandes]


def test_a_reason_is_required_where_the_workflow_says_so(demandes):
    monkey = Workflow.declare(
        name="demande_motif",
        field="state",
        states=lc.STATES,
        initial=lc.BROUILLON,
        final=lc.FINAL,
        transitions=[Transition("expirer", "Expirer", {lc.BROUILLON}, lc.SANS_SUITE, {SYSTEM}, True)],
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DemandeTransition, "workflow", monkey)
        expire = set_transition(DemandeTransition, "expirer")
        with pytest.raises(ValidationError, match="obligatoire"):
            expire.statements(ids="SELECT 1", by=DAILY, reason="  ")


def test_a_broken_history_is_found(demandes):
    agent = UserFactory(agent=True)
    transition_apply(log=DemandeTransition, subject=demandes[1], action="instruire", by=agent, role=lc.AGENT)
    assert replayed_state(DemandeTransition, demandes[1], start=lc.DEPOSEE) == lc.EN_INSTRUCTION
    with pytest.raises(HistoryError):
        replayed_state(DemandeTransition, demandes[1])  # it was created "déposée": no move from the draft
