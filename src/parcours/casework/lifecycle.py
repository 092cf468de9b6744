"""The lifecycle of a task, declared once (core.workflow, decision 0009).

à traiter → en cours → (en attente de pièces ⇄) → traitée / sans suite. The system (the event that
settled the cause) may close a task from any open state; an agent takes, releases, waits, closes.
"""

from __future__ import annotations

from parcours.core.workflow import SYSTEM, Transition, Workflow

A_TRAITER = "a_traiter"
EN_COURS = "en_cours"
EN_ATTENTE = "en_attente"
TRAITEE = "traitee"
SANS_SUITE = "sans_suite"

STATES = {
    A_TRAITER: "À traiter",
    EN_COURS: "En cours",
    EN_ATTENTE: "En attente de pièces",
    TRAITEE: "Traitée",
    SANS_SUITE: "Sans suite",
}
OPEN = frozenset({A_TRAITER, EN_COURS, EN_ATTENTE})
FINAL = frozenset({TRAITEE, SANS_SUITE})

AGENT = "agent"

TASK = Workflow.declare(
    name="tâche",
    field="state",
    states=STATES,
    initial=A_TRAITER,
    final=FINAL,
    transitions=(
        Transition("prendre", "Prendre la tâche", {A_TRAITER}, EN_COURS, {AGENT}),
        Transition("rendre", "Remettre dans la file", {EN_COURS}, A_TRAITER, {AGENT}),
        Transition(
            "attendre", "Mettre en attente de pièces", {A_TRAITER, EN_COURS}, EN_ATTENTE, {AGENT, SYSTEM}
        ),
        Transition("reprendre", "Pièces reçues : reprendre", {EN_ATTENTE}, A_TRAITER, {AGENT, SYSTEM}),
        Transition("traiter", "Marquer comme traitée", OPEN, TRAITEE, {AGENT, SYSTEM}),
        Transition("classer", "Classer sans suite", OPEN, SANS_SUITE, {AGENT}, True),
    ),
)
