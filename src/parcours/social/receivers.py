"""The events of the apps below social that call for an offer of support, heard through core.work
(the registry cannot import social): a landlord's notice of rent arrears is also a signalement
"impayé de loyer" for the social team. Synchronous: written in the event's own transaction."""

from __future__ import annotations

from typing import Any

from parcours.core import work


def _opened(sender: str, items: list[work.Work], **_: Any) -> None:
    arrears = [item for item in items if item.kind == work.Kind.RENT_ARREARS]
    if not arrears:
        return
    from parcours.households.models import Dossier

    from .offers import SignalementKind
    from .services import signalement_create

    dossiers = Dossier.objects.in_bulk([item.dossier_id for item in arrears])
    for item in arrears:
        signalement_create(
            dossier=dossiers[item.dossier_id], kind=SignalementKind.IMPAYE_LOYER, source=item.cause
        )


def connect() -> None:
    work.work_opened.connect(_opened, dispatch_uid="social.opened")
