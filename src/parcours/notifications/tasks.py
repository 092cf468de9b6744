"""Background task of notifications: send one, queued on commit by `services.notify`."""

from __future__ import annotations

from parcours.core.tasks import background_task

from .services import notification_deliver


@background_task(label="Notification : envoi d'un courriel ou d'un SMS")
def notification_send(*, notification_id: int) -> str:
    return notification_deliver(notification_id=notification_id)
