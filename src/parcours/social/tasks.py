"""Background tasks of social support: send an offer, queued on commit by `signalement_create`."""

from __future__ import annotations

from parcours.core.tasks import background_task

from .services import offer_send


@background_task(label="Accompagnement social : envoi d'une offre")
def offer_send_task(*, signalement_id: int) -> str:
    return offer_send(signalement_id=signalement_id)
