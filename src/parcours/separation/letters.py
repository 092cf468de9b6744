"""The notification of revised rights: a PDF letter (WeasyPrint) stored in the parent's documents,
then announced to the parent (notifications: e-mail or SMS), both in background tasks queued on commit; and the payment schedule.

Benefits of month M are paid around the 5th of M+1 (PAYMENT_DAY, a parameter: the Caf's usual
calendar, to confirm per Caf).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from parcours.core.dates import date_fr, month_fr
from parcours.core.money import format_euros
from parcours.core.tasks import enqueue_on_commit
from parcours.households.models import Dossier
from parcours.households.selectors import household_on
from parcours.notifications import events
from parcours.rights.facts import month_add
from parcours.rights.selectors import MonthRights, rights_timeline

from .documents import storage_root
from .models import Demande, Document
from .selectors import BENEFIT_LABELS, PAYMENT_DAY, declarant_dossier_id


@dataclass(frozen=True)
class Payment:
    month: str
    amount: Decimal
    paid_on: date


def payment_schedule(timeline: list[MonthRights]) -> list[Payment]:
    """What is due for each month, and around which day it is paid (the 5th of the next month)."""
    schedule = []
    for entry in timeline:
        year, month = (int(x) for x in month_add(entry.month, 1).split("-"))
        schedule.append(
            Payment(entry.month, sum(entry.due.values(), Decimal("0.00")), date(year, month, PAYMENT_DAY))
        )
    return schedule


def notification_context(demande: Demande) -> dict[str, Any]:
    first = f"{demande.separation_date:%Y-%m}"
    last = f"{timezone.localdate():%Y-%m}"
    # The declarant's own household after the separation: the same figures as their page.
    dossier = Dossier.objects.get(pk=declarant_dossier_id(demande))
    timeline = rights_timeline(dossier, first, last)
    state = household_on(dossier, timezone.localdate())
    return {
        "demande": demande,
        "allocataire": state.adults[0].person if state.adults else None,
        "address": state.address,
        "today": timezone.localdate(),
        "months": [
            {
                "month": entry.month,
                "due": [(BENEFIT_LABELS.get(b, b), v) for b, v in sorted(entry.due.items()) if v],
                "rappels": [(BENEFIT_LABELS.get(b, b), v) for b, v in sorted(entry.rappels.items())],
                "indus": [(BENEFIT_LABELS.get(b, b), v) for b, v in sorted(entry.indus.items())],
            }
            for entry in timeline
        ],
        "schedule": payment_schedule(timeline),
    }


def notification_pdf(demande: Demande, context: dict[str, Any] | None = None) -> bytes:
    from weasyprint import HTML

    html = render_to_string("separation/letter.html", context or notification_context(demande))
    return HTML(string=html).write_pdf()


NOTIFICATION = "notification"  # the Document code of the letter


def next_payment(schedule: list[Payment], today: date) -> Payment | None:
    """The first payment still to come, as the letter's calendar lists it."""
    return next((p for p in schedule if p.paid_on > today and p.amount > 0), None)


def letter_issue(*, demande: Demande, by: Any) -> None:
    """Queue the letter once the validation commits: rendering it (OpenFisca timeline, WeasyPrint) and
    e-mailing the parent run in the background worker, with retries (separation/tasks.py)."""
    from .tasks import notification_letter_render

    enqueue_on_commit(notification_letter_render, demande_id=demande.pk, by_id=by.pk)


def letter_render(*, demande: Demande, by_id: int) -> Document | None:
    """Render the letter, store it with the demande's documents, queue the e-mail once it is stored.

    One letter per demande: a second run (a retry after a late failure) changes nothing and sends
    nothing. The file is written before its row, and removed if the row is not created (as uploads)."""
    if demande.documents.filter(code=NOTIFICATION).exists():
        return None
    context = notification_context(demande)
    content = notification_pdf(demande, context)  # slow: outside any transaction, no lock held meanwhile
    relative = Path("demandes") / str(demande.pk) / f"{secrets.token_hex(16)}.pdf"
    path = storage_root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    try:
        with transaction.atomic():
            Demande.objects.select_for_update().get(pk=demande.pk)
            if demande.documents.filter(code=NOTIFICATION).exists():  # another run stored it meanwhile
                path.unlink(missing_ok=True)
                return None
            document = Document.objects.create(
                demande=demande,
                code=NOTIFICATION,
                original_name="notification-de-droits.pdf",
                stored_path=str(relative),
                content_type="application/pdf",
                size=len(content),
                uploaded_by_id=by_id,
            )
            # Both once per demande (the letter is): the validation, then the next payment.
            from .services import demande_notify

            demande_notify(demande, events.DEMANDE_VALIDEE, f"demande:{demande.pk}")
            upcoming = next_payment(context["schedule"], timezone.localdate())
            if upcoming is not None:
                demande_notify(
                    demande,
                    events.PAIEMENT_PROGRAMME,
                    f"demande:{demande.pk}",
                    montant=format_euros(upcoming.amount),
                    date=date_fr(upcoming.paid_on),
                    mois=month_fr(date.fromisoformat(upcoming.month + "-01")),
                )
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return document
