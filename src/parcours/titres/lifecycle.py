"""The lifecycle of a Caf titre request (CSS L582-2, R582-3), declared once (core/workflow.py):

à signer → déposée (the other parent signs) → acceptée / refusée (the ARIPA agent), or acceptée
après quatre mois de silence (the daily run); either parent may withdraw it until it is decided.
"""

from __future__ import annotations

from parcours.core.workflow import SYSTEM, Transition, Workflow

A_SIGNER = "a_signer"
DEPOSEE = "deposee"
ACCEPTEE = "acceptee"
ACCEPTEE_SILENCE = "acceptee_silence"
REFUSEE = "refusee"
RETIREE = "retiree"

PARENT, AGENT = "parent", "agent"

TITRE_REQUEST = Workflow.declare(
    name="demande de titre exécutoire",
    field="status",
    states={
        A_SIGNER: "En attente de la signature de l'autre parent",
        DEPOSEE: "Déposée, en cours d'examen",
        ACCEPTEE: "Acceptée : titre délivré",
        ACCEPTEE_SILENCE: "Acceptée (quatre mois sans réponse) : titre délivré",
        REFUSEE: "Refusée",
        RETIREE: "Retirée par un parent",
    },
    initial=A_SIGNER,
    final={ACCEPTEE, ACCEPTEE_SILENCE, REFUSEE, RETIREE},
    transitions=[
        Transition("signer", "Signer la demande", {A_SIGNER}, DEPOSEE, {PARENT}),
        Transition("retirer", "Retirer la demande", {A_SIGNER, DEPOSEE}, RETIREE, {PARENT}),
        Transition("accepter", "Accepter et délivrer le titre", {DEPOSEE}, ACCEPTEE, {AGENT}),
        # CSS R582-3: silence for four months is an acceptance; an agent deciding late records it too.
        Transition(
            "accepter_silence",
            "Acceptée après quatre mois de silence",
            {DEPOSEE},
            ACCEPTEE_SILENCE,
            {AGENT, SYSTEM},
        ),
        Transition("refuser", "Refuser", {DEPOSEE}, REFUSEE, {AGENT}),
    ],
)
