"""Workflow declarations (pure): checked at import, one refusal in French, replay of a history."""

from __future__ import annotations

import pytest

from parcours.core.workflow import (
    SYSTEM,
    HistoryError,
    SystemActor,
    Transition,
    TransitionRefused,
    Workflow,
    WorkflowDeclarationError,
    replay,
)

STATES = {"ouvert": "Ouvert", "suspendu": "Suspendu", "clos": "Clos"}


def declare(*transitions: Transition, final=("clos",)) -> Workflow:
    return Workflow.declare(
        name="essai", field="status", states=STATES, initial="ouvert", final=final, transitions=transitions
    )


SUSPEND = Transition("suspendre", "Suspendre", {"ouvert"}, "suspendu", {"agent", SYSTEM}, needs_reason=True)
RESUME = Transition("reprendre", "Reprendre", {"suspendu"}, "ouvert", {"agent"})
CLOSE = Transition("clore", "Clore", {"ouvert", "suspendu"}, "clos", {SYSTEM})
FLOW = declare(SUSPEND, RESUME, CLOSE)


def test_a_wrong_declaration_fails_at_import():
    with pytest.raises(WorkflowDeclarationError, match="twice"):
        declare(SUSPEND, SUSPEND)
    with pytest.raises(WorkflowDeclarationError, match="unknown"):
        declare(Transition("x", "X", {"ouvert"}, "nulle_part", {"agent"}))
    with pytest.raises(WorkflowDeclarationError, match="final"):
        declare(Transition("rouvrir", "Rouvrir", {"clos"}, "ouvert", {"agent"}))
    with pytest.raises(WorkflowDeclarationError, match="nobody"):
        declare(Transition("x", "X", {"ouvert"}, "clos", set()))
    with pytest.raises(TypeError):
        Transition("x", "X", "ouvert", "clos", {"agent"})  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        SystemActor(" ")


def test_one_check_with_french_reasons():
    assert FLOW.refusal(state="ouvert", action="suspendre", role="agent", reason="congé") is None
    assert FLOW.refusal(state="ouvert", action="inconnue", role="agent") == "Cette action n'existe pas."
    assert FLOW.refusal(state="ouvert", action="clore", role="agent") == (
        "Cette action n'est pas ouverte à votre rôle."
    )
    assert FLOW.refusal(state="clos", action="clore", role=SYSTEM) == "Impossible depuis l'état « Clos »."
    assert FLOW.refusal(state="ouvert", action="suspendre", role=SYSTEM, reason=" ") == (
        "Un message est obligatoire pour cette action."
    )
    with pytest.raises(TransitionRefused, match="rôle"):
        FLOW.check(state="ouvert", action="reprendre", role=SYSTEM)
    assert FLOW.check(state="suspendu", action="reprendre", role="agent") is RESUME
    assert [t.action for t in FLOW.actions_for("suspendu", "agent")] == ["reprendre"]
    assert FLOW.actions_for("clos", SYSTEM) == []
    assert FLOW.choices == list(STATES.items())


def test_replay_rebuilds_the_state_and_refuses_a_broken_history():
    moves = [
        ("suspendre", "ouvert", "suspendu"),
        ("reprendre", "suspendu", "ouvert"),
        ("clore", "ouvert", "clos"),
    ]
    assert replay(FLOW, moves) == "clos"
    assert replay(FLOW, []) == "ouvert"
    assert replay(FLOW, moves[1:], start="suspendu") == "clos"
    with pytest.raises(HistoryError, match="rompu au mouvement 2"):
        replay(FLOW, [moves[0], moves[2]])
    with pytest.raises(HistoryError, match="non déclaré"):
        replay(FLOW, [("suspendre", "ouvert", "clos")])
