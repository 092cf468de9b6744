"""The cycle's changes of state, declared once (intermediation/workflows.py) and fired set-based
through `core.transitions.set_transition`: each writes one transition row per intermediation moved,
in the same transaction as the change, by the daily run. Only rows in a source state move, so a
re-run moves and logs nothing twice. And the automatic end of an intermediation.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from parcours.core.transitions import set_transition
from parcours.intermediation.cycle.sql import iso, sql
from parcours.intermediation.models import IntermediationTransition, RecoveryTransition
from parcours.intermediation.workflows import DAILY_RUN

NOTICE = set_transition(RecoveryTransition, "relance")
CLEARED = set_transition(RecoveryTransition, "regularisation")
FORCED = set_transition(RecoveryTransition, "recouvrement_force")
LIFTED = set_transition(RecoveryTransition, "levee")
ENDED = set_transition(IntermediationTransition, "fin_automatique")

REASONS = {
    "relance": "Mise en demeure envoyée au débiteur (article R. 582-8) : 15 jours pour payer.",
    "regularisation": "Les échéances relancées ont été payées dans le délai.",
    "recouvrement_force": "Recouvrement forcé par paiement direct (article R. 213-11 du code des procédures "
    "civiles d'exécution).",
    "levee": "Recouvrement forcé levé : six mois consécutifs payés.",
    "fin_automatique": "Fin automatique : plus aucune pension n'est due et rien ne reste à recouvrer.",
}


def recovery_move(move, *, day: date, ids: str, params: list | None = None) -> int:  # type: ignore[no-untyped-def]
    """Fire a recovery transition on the intermediations `ids` selects (a query of one id column,
    with `{table}` names), within the step's transaction; the number moved."""
    action = move.transition.action
    return move.run(
        ids=sql(ids), params=params or [], by=DAILY_RUN, reason=REASONS[action], log_values={"on": day}
    )


@transaction.atomic
def end_finished(day: date) -> dict[str, int]:
    """An intermediation ends when no pension is due any more (the titre's end has passed) and the
    debtor owes nothing: arrears keep it open until they are recovered."""
    ended = ENDED.run(
        ids=sql(
            "SELECT i.id FROM {intermediation} i WHERE i.credit_cents = 0 AND i.titre_id IN "
            "(SELECT t.id FROM {titre} t WHERE t.end_on IS NOT NULL AND t.end_on <= %s) "
            "AND NOT EXISTS (SELECT 1 FROM {due} d WHERE d.intermediation_id = i.id "
            "AND d.paid_cents < d.amount_cents)"
        ),
        params=[iso(day)],
        by=DAILY_RUN,
        reason=REASONS["fin_automatique"],
        log_values={"on": day},
        set_values={"ended_on": day, "end_reason": "Plus aucune pension due : fin fixée par le titre"},
    )
    return {"intermediations_ended": ended}
