"""The two workflows of an intermediation, declared once (core/workflow.py), each with its log:

- its status (CSS L582-1): en cours → terminée, by the ARIPA agent on one parent's request with the
  other's consent, or by the daily run once no pension is due and nothing is owed; a parent may have
  it re-activated at any time;
- its recovery state (CSS R582-8, CPCE R213-11): paiements à jour → relance (notice) → recouvrement
  forcé (paiement direct) → levée after six paid months; a notice paid in time clears it.

The daily run's moves are set-based (`set_transition` in cycle/), never hand-written UPDATEs.
"""

from __future__ import annotations

from parcours.core.workflow import SYSTEM, SystemActor, Transition, Workflow

ACTIVE, ENDED = "active", "ended"
NORMAL, NOTICE, FORCED = "normal", "notice", "forced"
AGENT = "agent"
DAILY_RUN = SystemActor("ifpa daily")

STATUS = Workflow.declare(
    name="intermédiation",
    field="status",
    states={ACTIVE: "En cours", ENDED: "Terminée"},
    initial=ACTIVE,
    final=(),  # a parent may re-activate an ended intermediation at any time
    transitions=[
        Transition("fin", "Fin à la demande d'un parent", {ACTIVE}, ENDED, {AGENT}, needs_reason=True),
        Transition("fin_automatique", "Fin automatique : plus rien n'est dû", {ACTIVE}, ENDED, {SYSTEM}),
        Transition("reprise", "Reprise", {ENDED}, ACTIVE, {AGENT}),
    ],
)

RECOVERY = Workflow.declare(
    name="recouvrement",
    field="recovery_state",
    states={
        NORMAL: "Paiements à jour",
        NOTICE: "Relance envoyée au débiteur",
        FORCED: "Recouvrement forcé",
    },
    initial=NORMAL,
    final=(),
    transitions=[
        Transition("relance", "Mise en demeure envoyée au débiteur", {NORMAL}, NOTICE, {SYSTEM}),
        Transition("regularisation", "Impayé régularisé dans le délai", {NOTICE}, NORMAL, {SYSTEM}),
        Transition(
            "recouvrement_force", "Recouvrement forcé par paiement direct", {NOTICE}, FORCED, {SYSTEM}
        ),
        Transition("levee", "Recouvrement forcé levé", {FORCED}, NORMAL, {SYSTEM}),
    ],
)
