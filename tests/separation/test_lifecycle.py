"""The demande's lifecycle: every allowed transition, and the refused ones."""

import pytest

from parcours.separation import lifecycle as lc

ALLOWED = [
    (lc.BROUILLON, "deposer", lc.PARENT, lc.DEPOSEE),
    (lc.DEPOSEE, "instruire", lc.AGENT, lc.EN_INSTRUCTION),
    (lc.EN_INSTRUCTION, "demander_complement", lc.AGENT, lc.A_COMPLETER),
    (lc.A_COMPLETER, "repondre", lc.PARENT, lc.EN_INSTRUCTION),
    (lc.EN_INSTRUCTION, "valider", lc.AGENT, lc.VALIDEE),
    (lc.EN_INSTRUCTION, "refuser", lc.AGENT, lc.REFUSEE),
    (lc.DEPOSEE, "classer_sans_suite", lc.AGENT, lc.SANS_SUITE),
    (lc.A_COMPLETER, "classer_sans_suite", lc.AGENT, lc.SANS_SUITE),
]


@pytest.mark.parametrize(("state", "action", "actor", "target"), ALLOWED)
def test_allowed_transitions(state, action, actor, target):
    assert lc.transition_error(state, action, actor, "motif") is None
    assert lc.TRANSITIONS[action].target == target
    assert action in {t.action for t in lc.actions_for(state, actor)}


@pytest.mark.parametrize("state", list(lc.STATES))
@pytest.mark.parametrize("action", list(lc.TRANSITIONS))
@pytest.mark.parametrize("actor", [lc.PARENT, lc.AGENT])
def test_everything_else_is_refused_with_a_french_reason(state, action, actor):
    allowed = any((state, action, actor) == row[:3] for row in ALLOWED) or (
        action == "classer_sans_suite" and actor == lc.AGENT and state == lc.EN_INSTRUCTION
    )
    error = lc.transition_error(state, action, actor, "motif")
    assert (error is None) == allowed
    if error:
        assert error.endswith(".") and ("Impossible" in error or "rôle" in error)


def test_final_states_allow_nothing_and_reasons_are_required_where_due():
    for state in lc.FINAL:
        assert lc.actions_for(state, lc.PARENT) == lc.actions_for(state, lc.AGENT) == []
    assert "obligatoire" in lc.transition_error(lc.EN_INSTRUCTION, "refuser", lc.AGENT, "  ")
    assert lc.transition_error("brouillon", "inconnue", lc.PARENT) == "Cette action n'existe pas."
