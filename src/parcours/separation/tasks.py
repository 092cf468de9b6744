"""Background task of the separation journey: the notification letter (its e-mail is a notification).

Queued on commit by `letters.letter_issue` (arguments: identifiers only); run by the worker.
"""

from __future__ import annotations

from parcours.core.tasks import background_task

from . import letters
from .models import Demande


@background_task(label="Notification de droits : rendu du courrier PDF")
def notification_letter_render(*, demande_id: int, by_id: int) -> int | None:
    demande = Demande.objects.select_related("declarant", "dossier").get(pk=demande_id)
    document = letters.letter_render(demande=demande, by_id=by_id)
    return document.pk if document else None
