"""The lifecycle of a demande, modelled on Démarches Simplifiées: the allowed transitions, in one place.

brouillon → déposée → en instruction ⇄ à compléter → validée / refusée / sans suite.
Pure: who may do what, from which state, to which state.
"""

from __future__ import annotations

from dataclasses import dataclass

BROUILLON = "brouillon"
DEPOSEE = "deposee"
EN_INSTRUCTION = "en_instruction"
A_COMPLETER = "a_completer"
VALIDEE = "validee"
REFUSEE = "refusee"
SANS_SUITE = "sans_suite"

STATES = {
    BROUILLON: "Brouillon",
    DEPOSEE: "Déposée",
    EN_INSTRUCTION: "En instruction",
    A_COMPLETER: "À compléter",
    VALIDEE: "Validée",
    REFUSEE: "Refusée",
    SANS_SUITE: "Classée sans suite",
}
FINAL = {VALIDEE, REFUSEE, SANS_SUITE}

PARENT, AGENT = "parent", "agent"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    source: frozenset[str]
    target: str
    actor: str
    needs_reason: bool = False


TRANSITIONS = {
    t.action: t
    for t in (
        Transition("deposer", "Déposer la déclaration", frozenset({BROUILLON}), DEPOSEE, PARENT),
        Transition(
            "repondre", "Envoyer mes compléments", frozenset({A_COMPLETER}), EN_INSTRUCTION, PARENT, True
        ),
        Transition("instruire", "Passer en instruction", frozenset({DEPOSEE}), EN_INSTRUCTION, AGENT),
        Transition(
            "demander_complement",
            "Demander un complément",
            frozenset({EN_INSTRUCTION}),
            A_COMPLETER,
            AGENT,
            True,
        ),
        Transition("valider", "Valider", frozenset({EN_INSTRUCTION}), VALIDEE, AGENT),
        Transition("refuser", "Refuser", frozenset({EN_INSTRUCTION}), REFUSEE, AGENT, True),
        Transition(
            "classer_sans_suite",
            "Classer sans suite",
            frozenset({DEPOSEE, EN_INSTRUCTION, A_COMPLETER}),
            SANS_SUITE,
            AGENT,
            True,
        ),
    )
}


def transition_error(state: str, action: str, actor: str, reason: str = "") -> str | None:
    """A French message when the transition is not allowed, else None."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return "Cette action n'existe pas."
    if transition.actor != actor:
        return "Cette action n'est pas ouverte à votre rôle."
    if state not in transition.source:
        return f"Impossible depuis l'état « {STATES[state]} »."
    if transition.needs_reason and not reason.strip():
        return "Un message est obligatoire pour cette action."
    return None


def actions_for(state: str, actor: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if t.actor == actor and state in t.source]
