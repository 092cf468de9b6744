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


# A parent who feels unsafe asks to be called back: an agent takes it, calls, and closes it with what
# came of it (the outcome is required: the team's follow-up and the figures read it).
A_RAPPELER, PRISE_EN_CHARGE, TRAITEE = "a_rappeler", "prise_en_charge", "traitee"
CALLBACK_OUTCOMES = {
    "joint": "Parent joint et conseillé",
    "oriente": "Parent joint et orienté (3919, association, travailleur social)",
    "message": "Message laissé, sans rappel",
    "injoignable": "Injoignable après plusieurs essais",
}
CALLBACK = Workflow.declare(
    name="demande de rappel",
    field="state",
    states={A_RAPPELER: "À rappeler", PRISE_EN_CHARGE: "Prise en charge", TRAITEE: "Traitée"},
    initial=A_RAPPELER,
    final={TRAITEE},
    transitions=[
        Transition("prendre", "Je prends ce rappel", {A_RAPPELER}, PRISE_EN_CHARGE, {AGENT}),
        Transition("cloturer", "Clore le rappel", {A_RAPPELER, PRISE_EN_CHARGE}, TRAITEE, {AGENT}),
    ],
)
