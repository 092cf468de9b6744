"""Writes of the accounts app: the audit log and the staff's TOTP devices."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AuditEntry

TOTP_THROTTLED = "Trop de codes erronés : patientez quelques secondes avant de réessayer."


# How many entries the current request has written (accounts.middleware.StaffReadAudit writes one
# for a staff page that wrote none itself).
AUDITED_IN_REQUEST: ContextVar[int] = ContextVar("audited_in_request", default=0)


def audit_record(
    *,
    actor: Any,
    action: str,
    dossier: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    context: str = "",
    allowed: bool = True,
    departement: str | None = None,
) -> AuditEntry:
    """Append one entry to the audit log (who, what, on which dossier, why). Never personal data
    beyond the identifiers: the context is a route or a purpose, not a name. `departement`: the
    territory of what was read when there is no dossier (by default the dossier's, else the actor's)."""
    if departement is None:
        departement = getattr(dossier, "departement", None) or getattr(actor, "departement", "") or ""
    AUDITED_IN_REQUEST.set(AUDITED_IN_REQUEST.get() + 1)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=getattr(actor, "role", "anonyme"),
        action=action,
        dossier=dossier,
        object_type=object_type,
        object_id=str(object_id)[:50],
        context=context[:200],
        allowed=allowed,
        departement=departement,
    )


def totp_device_for_enrolment(*, user: Any) -> TOTPDevice:
    """The staff member's device being enrolled (created unconfirmed on first visit)."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "Application"})
    return device


def totp_check(*, device: TOTPDevice, token: str, wrong_message: str) -> str:
    """Check a code against a device: "" when it is right, else the French reason.

    django-otp throttles a device after a wrong code (exponential back-off); a code typed during
    the back-off is refused without being checked, and the person is told to wait.
    """
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return TOTP_THROTTLED
    return "" if device.verify_token(token) else wrong_message


def totp_device_confirm(*, device: TOTPDevice) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
