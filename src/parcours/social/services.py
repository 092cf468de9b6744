"""Domain operations of the social-support team: the only place that writes signalements."""

from __future__ import annotations

from parcours.households.models import Dossier

from .models import Signalement


def signalement_create(*, dossier: Dossier, kind: str, source: str) -> Signalement:
    """A signalement of this dossier for this reason and origin: created once, then found again.

    Idempotent on (dossier, kind, source), which the table keeps unique: re-applying the same
    declaration signals the team once.
    """
    signalement, _ = Signalement.objects.get_or_create(dossier=dossier, kind=kind, source=source)
    return signalement
