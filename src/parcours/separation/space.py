"""The separation's section of the parent's space: where their declaration stands, what the Caf
waits for, the letter; or the way to declare, when there is a couple to declare the end of."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from parcours.households.access import own_dossier_ids
from parcours.households.models import Dossier
from parcours.households.selectors import household_on
from parcours.rights.selectors import rights_timeline

from . import lifecycle
from .letters import next_payment, payment_schedule
from .models import Demande, Invitation
from .selectors import declarant_dossier_id

NOTIFICATION = "notification"  # the Document code of the letter (letters.NOTIFICATION)


def separation_section(user: Any) -> dict[str, Any] | None:
    if user.person_id is None:
        return None
    invitation = Invitation.objects.filter(person_id=user.person_id, state=Invitation.State.PENDING).first()
    demande = Demande.objects.filter(declarant=user).order_by("-id").first()
    if demande is None:
        dossier = Dossier.objects.filter(id__in=own_dossier_ids(user)).order_by("id").first()
        couple = dossier is not None and len(household_on(dossier, timezone.localdate()).adults) >= 2
        if not couple and invitation is None:
            return None  # nobody to declare a separation from: no such link in this space
        return {"invitation": invitation, "can_declare": couple and invitation is None}
    today = timezone.localdate()
    paid, upcoming = None, None
    if demande.state == lifecycle.VALIDEE:  # the same calendar as the declaration's page and letter
        schedule = payment_schedule(
            rights_timeline(
                Dossier.objects.get(pk=declarant_dossier_id(demande)),
                f"{demande.separation_date:%Y-%m}",
                f"{today:%Y-%m}",
            )
        )
        paid = next((p for p in reversed(schedule) if p.paid_on <= today and p.amount > 0), None)
        upcoming = next_payment(schedule, today)
    return {
        "invitation": invitation,
        "demande": demande,
        "paid": paid,
        "upcoming": upcoming,
        "waits": demande.state == lifecycle.A_COMPLETER,
        "draft": demande.state == lifecycle.BROUILLON,
        "letters": [d for d in demande.documents.all() if d.code == NOTIFICATION],
        "last_request": demande.messages.filter(private=False).exclude(author=user).order_by("-id").first()
        if demande.state == lifecycle.A_COMPLETER
        else None,
    }
