"""The demo département's intermediations: one per registry pension that is set (with its debtor
known), opened through the services, then the last months of the IFPA cycle run on a simulated
bank, so that the ARIPA agent and the parents have schedules, payouts, notices, ASF advances,
forced recoveries and a suspense account to look at. Idempotent: a pension already under a titre
is skipped, and a day already run changes nothing."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from parcours.demo.bank_simulation import simulate_lines
from parcours.demo.ifpa_seed import fake_iban
from parcours.intermediation.bank import statement_xml
from parcours.intermediation.cycle.asf import asf_eligibility
from parcours.intermediation.cycle.daily import run_day
from parcours.intermediation.cycle.files import caf_account
from parcours.intermediation.models import BankStatement
from parcours.intermediation.rules.calendar import add_months, is_business_day
from parcours.intermediation.services import BankDetails, ChildLine
from parcours.titres.models import Titre
from parcours.titres.services import titre_record

CYCLE_MONTHS = 3  # months of the cycle run before the reference month
DAYS = (2, 6, 7, 12, 27)  # dues, the due date's statement, payouts, notices, forced recovery


def ifpa_demo(*, reference: date, seed: int, today: date | None = None) -> dict[str, int]:
    """Open the pensions' intermediations and run the cycle from 3 months before the reference
    month up to `today` (by default the current day, or the end of the reference month if sooner)."""
    from parcours.households.models import BankAccount, ChildSupport, Membership

    first = add_months(reference.replace(day=1), -CYCLE_MONTHS)
    under_titre = set(Titre.objects.values_list("creditor_dossier_id", flat=True))
    supports = (
        ChildSupport.objects.filter(
            retired_in__isnull=True,
            debtor__isnull=False,
            monthly_amount_set__gt=0,
            status__in=["set_paid", "set_unpaid"],
            valid_from__lt=reference.replace(day=1),
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=reference))
        .exclude(dossier_id__in=under_titre)
        .select_related("dossier", "debtor")
        .order_by("dossier__numero_allocataire")
    )
    supports = list(supports)
    # The pension runs from its first decision (the registry keeps one row per version: revised,
    # then recorded as unpaid): the intermediation takes it from the month after that, so the
    # demo shows the months already lived, not only the current version's.
    began = {
        (dossier_id, debtor_id): valid_from
        for dossier_id, debtor_id, valid_from in ChildSupport.objects.filter(
            status__in=["set_paid", "set_unpaid"], debtor__isnull=False
        )
        .order_by("-valid_from")
        .values_list("dossier_id", "debtor_id", "valid_from")
    }
    starts = {
        s.pk: max(first, add_months(began[s.dossier_id, s.debtor_id].replace(day=1), 1)) for s in supports
    }
    eligible: dict[int, bool] = {}
    for start in sorted(set(starts.values())):  # the rights engine, once per first month
        eligible |= asf_eligibility([s.dossier_id for s in supports if starts[s.pk] == start], start)
    opened = 0
    unpaid_from: dict[int, date] = {}  # the registry says the pension is unpaid from that month
    for support in supports:
        dossier = support.dossier
        children = [
            m.person
            for m in Membership.objects.filter(
                dossier=dossier, role="enfant", retired_in__isnull=True
            ).select_related("person")
            if m.valid_until is None or m.valid_until > reference
        ]
        if not children:
            continue
        creditor = Membership.objects.filter(
            dossier=dossier, role="allocataire", retired_in__isnull=True
        ).first()
        account = (
            BankAccount.objects.filter(dossier=dossier, retired_in__isnull=True)
            .order_by("-valid_from")
            .first()
        )
        if creditor is None or account is None:
            continue
        per_child = (support.monthly_amount_set / len(children)).quantize(support.monthly_amount_set)
        issued = began[support.dossier_id, support.debtor_id]
        _, intermediation = titre_record(
            kind="jugement",
            reference=f"JAF-{dossier.numero_allocataire}",
            issued_on=max(issued, date(2023, 1, 1)),
            start_on=starts[support.pk],
            debtor=support.debtor,
            creditor=creditor.person,
            creditor_dossier=dossier,
            children=[ChildLine(child, per_child, "classique") for child in children],
            debtor_bank=BankDetails(str(support.debtor).upper(), fake_iban("30004", support.debtor_id)),
            creditor_bank=BankDetails(account.holder_name, account.iban, account.bic),
            mandate_signed_on=first if support.debtor_id % 3 == 0 else None,
            asf_eligible=eligible.get(dossier.pk, False),
            debtor_employer="SARL LES ATELIERS DE L'ESSONNE" if support.debtor_id % 2 == 0 else "",
        )
        opened += intermediation is not None
        if intermediation is not None and support.status == "set_unpaid":
            unpaid_from[intermediation.pk] = support.valid_from.replace(day=1)
    last = min(today or timezone.localdate(), add_months(reference.replace(day=1), 1) - timedelta(days=1))
    lines, _counts = simulate_lines(start=first, end=last, pay_rate=0.7, seed=seed, unpaid_from=unpaid_from)
    out = Path(settings.VAR_DIR) / "ifpa"
    days, since, month = 0, first, first
    with tempfile.TemporaryDirectory() as folder:
        while month <= last:
            for day_of_month in DAYS:
                day = month.replace(day=day_of_month)
                while not is_business_day(day):
                    day += timedelta(days=1)
                if day > last:
                    break
                # The bank's statement of what was booked since the last run (before today). A
                # day already run by an earlier load keeps its statement: a message id is used once.
                booked = [line for line in lines if since <= line.booked_on < day]
                paths = []
                message_id = f"DEMO-{seed}-{day:%Y%m%d}"
                if BankStatement.objects.filter(message_id=message_id).exists():
                    since = day
                    continue
                if booked:
                    path = Path(folder) / f"camt053-{day}.xml"
                    path.write_bytes(
                        statement_xml(
                            message_id=message_id,
                            created_at=datetime.combine(day, time(5, 0), tzinfo=UTC),
                            account=caf_account(),
                            from_date=since,
                            to_date=day - timedelta(days=1),
                            lines=booked,
                        )
                    )
                    paths.append(path)
                run_day(day, paths, out)
                since, days = day, days + 1
            month = add_months(month, 1)
    return {"intermediations_opened": opened, "days_run": days}
