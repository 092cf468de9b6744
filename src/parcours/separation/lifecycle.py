"""The lifecycle of a demande, modelled on Démarches Simplifiées: the allowed transitions, in one place.

brouillon → déposée → en instruction ⇄ à compléter → validée / refusée / sans suite.
Declared once with `core.workflow` (decision 0009): who may do what, from which state, to which state.
"""

from __future__ import annotations

from parcours.core.workflow import Transition, Workflow

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
FINAL = frozenset({VALIDEE, REFUSEE, SANS_SUITE})

PARENT, AGENT = "parent", "agent"


DEMANDE = Workflow.declare(
    name="demande",
    field="state",
    states=STATES,
    initial=BROUILLON,
    final=FINAL,
    transitions=(
        Transition("deposer", "Déposer la déclaration", {BROUILLON}, DEPOSEE, {PARENT}),
        Transition("repondre", "Envoyer mes compléments", {A_COMPLETER}, EN_INSTRUCTION, {PARENT}, True),
        Transition("instruire", "Passer en instruction", {DEPOSEE}, EN_INSTRUCTION, {AGENT}),
        Transition(
            "demander_complement", "Demander un complément", {EN_INSTRUCTION}, A_COMPLETER, {AGENT}, True
        ),
        Transition("valider", "Valider", {EN_INSTRUCTION}, VALIDEE, {AGENT}),
        Transition("refuser", "Refuser", {EN_INSTRUCTION}, REFUSEE, {AGENT}, True),
        Transition(
            "classer_sans_suite",
            "Classer sans suite",
            {DEPOSEE, EN_INSTRUCTION, A_COMPLETER},
            SANS_SUITE,
            {AGENT},
            True,
        ),
    ),
)
TRANSITIONS = DEMANDE.transitions


def transition_error(state: str, action: str, actor: str, reason: str = "") -> str | None:
    """A French message when the transition is not allowed, else None."""
    return DEMANDE.refusal(state=state, action=action, role=actor, reason=reason)


def actions_for(state: str, actor: str) -> list[Transition]:
    return DEMANDE.actions_for(state, actor)


# The other parent's answer to the invitation to confirm the facts that concern them.
EN_ATTENTE, CONFIRMEE, CONTESTEE = "en_attente", "confirmee", "contestee"
INVITATION = Workflow.declare(
    name="invitation de l'autre parent",
    field="state",
    states={EN_ATTENTE: "En attente de réponse", CONFIRMEE: "Confirmée", CONTESTEE: "Contestée"},
    initial=EN_ATTENTE,
    final={CONFIRMEE, CONTESTEE},
    transitions=[
        Transition("confirmer", "Confirmer la déclaration", {EN_ATTENTE}, CONFIRMEE, {PARENT}),
        Transition("contester", "Contester la déclaration", {EN_ATTENTE}, CONTESTEE, {PARENT}, True),
    ],
)
