"""The cycle's transitions written to each intermediation's history, and its automatic end.

Every change of state the daily steps make (notice sent, forced recovery opened or lifted, end
when no pension is due any more) is one IntermediationEvent, written set-based in the same
transaction as the change, by "the system" (no user). Each source query selects only what the
step changed today and not yet logged, so a re-run logs nothing twice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from parcours.intermediation.cycle.sql import execute, iso


def log_events(
    *, day: date, action: str, before: str, after: str, note: str, select: str, params: list[Any]
) -> int:
    """One event per intermediation id that `select` (a query with an `intermediation_id` column)
    returns and that has no event of this action on this day yet."""
    return execute(
        'INSERT INTO {event} (intermediation_id, at, "on", action, from_state, to_state, note) '
        f"SELECT x.intermediation_id, CURRENT_TIMESTAMP, %s, %s, %s, %s, %s FROM ({select}) x "
        "WHERE NOT EXISTS (SELECT 1 FROM {event} e WHERE e.intermediation_id = x.intermediation_id "
        'AND e."on" = %s AND e.action = %s)',
        [iso(day), action, before, after, note, *params, iso(day), action],
    )


def log_notices(day: date) -> int:
    return log_events(
        day=day,
        action="relance",
        before="",
        after="notice",
        note="Mise en demeure envoyée au débiteur (article R. 582-8) : 15 jours pour payer.",
        select="SELECT intermediation_id FROM {notice} WHERE sent_on = %s",
        params=[iso(day)],
    )


def log_forced(day: date) -> int:
    return log_events(
        day=day,
        action="recouvrement_force",
        before="notice",
        after="forced",
        note="Recouvrement forcé par paiement direct (article R. 213-11 du code des procédures civiles d'exécution).",
        select="SELECT intermediation_id FROM {forced} WHERE started_on = %s",
        params=[iso(day)],
    )


def log_lifted(day: date) -> int:
    return log_events(
        day=day,
        action="levee",
        before="forced",
        after="normal",
        note="Recouvrement forcé levé : six mois consécutifs payés.",
        select="SELECT intermediation_id FROM {forced} WHERE lifted_on = %s",
        params=[iso(day)],
    )


@transaction.atomic
def end_finished(day: date) -> dict[str, int]:
    """An intermediation ends when no pension is due any more (the titre's end has passed) and the
    debtor owes nothing: arrears keep it open until they are recovered."""
    ended = execute(
        "UPDATE {intermediation} SET status = 'ended', ended_on = %s, "
        "end_reason = 'Plus aucune pension due : fin fixée par le titre' "
        "WHERE status = 'active' AND credit_cents = 0 AND titre_id IN "
        "(SELECT t.id FROM {titre} t WHERE t.end_on IS NOT NULL AND t.end_on <= %s) "
        "AND NOT EXISTS (SELECT 1 FROM {due} d WHERE d.intermediation_id = {intermediation}.id "
        "AND d.paid_cents < d.amount_cents)",
        [iso(day), iso(day)],
    )
    if ended:
        log_events(
            day=day,
            action="fin",
            before="active",
            after="ended",
            note="Fin automatique : plus aucune pension n'est due et rien ne reste à recouvrer.",
            select="SELECT id AS intermediation_id FROM {intermediation} WHERE status = 'ended' AND ended_on = %s",
            params=[iso(day)],
        )
    return {"intermediations_ended": ended}
