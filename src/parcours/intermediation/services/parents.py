"""What the daily run tells the creditor parent: the pension paid to them, the ASF advanced, and an
unpaid pension the Caf acts on (issue 10). One step of `ifpa daily`, in its own transaction.

Only parents with an account on parcours are told (the others receive the Caf's letters); the
notifications' keys name the payout or the notice, so a re-run of the day, or the next day's run
over the same window, tells no one twice.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse

from parcours.accounts.models import User
from parcours.core.dates import date_fr
from parcours.core.money import format_cents
from parcours.intermediation.models import Payout, UnpaidNotice
from parcours.notifications import events
from parcours.notifications.services import notify, site_link

# A payout dated on a day without a run (an ASF advance paid the next business day, a day the run
# was skipped) is still told the following days, within this window.
WINDOW_DAYS = 7

PAYOUT_EVENTS = {"pension": events.PENSION_VERSEE, "asf": events.ASF_AVANCEE}


@transaction.atomic
def parents_told(day: date) -> dict[str, int]:
    since = day - timedelta(days=WINDOW_DAYS)
    creditor = "intermediation__titre__creditor_id"
    payouts = list(
        Payout.objects.filter(
            on__gt=since, on__lte=day, intermediation__titre__creditor__account__isnull=False
        )
        .order_by("on", "key")
        .values_list("key", "kind", "on", "amount_cents", creditor)
    )
    notices = list(
        UnpaidNotice.objects.filter(
            sent_on__gt=since, sent_on__lte=day, intermediation__titre__creditor__account__isnull=False
        )
        .order_by("sent_on", "intermediation__reference")
        .values_list("intermediation__reference", "sent_on", "amount_cents", creditor)
    )
    if not payouts and not notices:
        return {"parents_told": 0}
    people = {person_id for *_, person_id in payouts} | {person_id for *_, person_id in notices}
    users = {user.person_id: user for user in User.objects.filter(person_id__in=people, is_active=True)}
    link = site_link(reverse("intermediation:my_pension"))
    told = 0
    for key, kind, on, cents, person_id in payouts:
        if person_id in users and kind in PAYOUT_EVENTS:
            told += len(
                notify(
                    user=users[person_id],
                    event=PAYOUT_EVENTS[kind],
                    ref=f"versement:{key}",
                    fields={"montant": format_cents(cents), "date": date_fr(on), "lien": link},
                )
            )
    for reference, sent_on, cents, person_id in notices:
        if person_id in users:
            told += len(
                notify(
                    user=users[person_id],
                    event=events.PENSION_IMPAYEE,
                    ref=f"relance:{reference}:{sent_on.isoformat()}",
                    fields={"montant": format_cents(cents), "date": date_fr(sent_on), "lien": link},
                )
            )
    return {"parents_told": told}
