"""The notification of revised rights: a PDF letter (WeasyPrint) stored in the parent's documents,
announced by e-mail once the transaction is committed; and the payment schedule.

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

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from parcours.households.selectors import household_on
from parcours.rights.facts import month_add
from parcours.rights.selectors import MonthRights, rights_timeline

from .documents import storage_root
from .models import Demande, Document
from .selectors import BENEFIT_LABELS

PAYMENT_DAY = 5


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
    timeline = rights_timeline(demande.dossier, first, last)
    state = household_on(demande.dossier, timezone.localdate())
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


def notification_pdf(demande: Demande) -> bytes:
    from weasyprint import HTML

    html = render_to_string("separation/letter.html", notification_context(demande))
    return HTML(string=html).write_pdf()


def letter_issue(*, demande: Demande, by: Any) -> Document:
    """Render the letter, store it with the demande's documents, e-mail the parent after commit."""
    content = notification_pdf(demande)
    relative = Path("demandes") / str(demande.pk) / f"{secrets.token_hex(16)}.pdf"
    path = storage_root() / relative

    def write() -> None:  # files are written once the database has committed (STYLE.md)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)

    transaction.on_commit(write)
    document = Document.objects.create(
        demande=demande,
        code="notification",
        original_name="notification-de-droits.pdf",
        stored_path=str(relative),
        content_type="application/pdf",
        size=len(content),
        uploaded_by=by,
    )
    email = demande.declarant.email
    if email:
        transaction.on_commit(
            lambda: send_mail(
                "Vos droits ont été révisés",
                "Bonjour,\n\nLa Caf a pris en compte votre séparation et révisé vos droits. Votre notification "
                "est disponible dans votre espace parcours, rubrique « Déclarer ma séparation ».\n\nVotre Caf",
                None,
                [email],
            )
        )
    return document
