"""Writes of the accounts app: the audit log."""

from __future__ import annotations

from typing import Any

from .models import AuditEntry


def audit_record(
    *,
    actor: Any,
    action: str,
    dossier: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    context: str = "",
    allowed: bool = True,
) -> AuditEntry:
    """Append one entry to the audit log (who, what, on which dossier, why). Never personal data
    beyond the identifiers: the context is a route or a purpose, not a name."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=getattr(actor, "role", "anonyme"),
        action=action,
        dossier=dossier,
        object_type=object_type,
        object_id=str(object_id),
        context=context[:200],
        allowed=allowed,
    )
