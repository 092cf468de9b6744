"""Build intermediations through the services and run IFPA days with real camt statements."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from parcours.intermediation.bank import StatementLine, statement_xml
from parcours.intermediation.cycle.check import ledger_check
from parcours.intermediation.cycle.daily import run_day
from parcours.intermediation.cycle.files import caf_account
from parcours.intermediation.models import Due, Intermediation
from parcours.intermediation.services import BankDetails, ChildLine
from parcours.titres.services import titre_record
from tests.factories import PersonFactory, household

DEBTOR_IBAN = "FR7630004000031234567890143"
CREDITOR_IBAN = "FR7630006000011234567890189"
_keys = itertools.count(1)
_titres = itertools.count(1)


def make_intermediation(
    *,
    amount: str = "150.00",
    children: int = 1,
    issued_on: date = date(2025, 12, 10),
    start_on: date = date(2026, 1, 1),
    debit: bool = False,
    asf_eligible: bool = False,
    violence: bool = False,
    refused: bool = False,
    kind: str = "jugement",
    employer: str = "",
    end_on: date | None = None,
) -> tuple:
    dossier = household(couple=False, children=children)
    creditor = dossier.memberships.get(role="allocataire").person
    kids = [m.person for m in dossier.memberships.filter(role="enfant")]
    debtor = PersonFactory(sex="M")
    titre, intermediation = titre_record(
        kind=kind,
        reference=f"T-TEST-{next(_titres)}",
        issued_on=issued_on,
        start_on=start_on,
        debtor=debtor,
        creditor=creditor,
        creditor_dossier=dossier,
        children=[ChildLine(child, Decimal(amount), "classique") for child in kids],
        debtor_bank=BankDetails("M. DEBITEUR", DEBTOR_IBAN),
        creditor_bank=BankDetails("MME CREANCIERE", CREDITOR_IBAN),
        mandate_signed_on=issued_on if debit else None,
        refused=refused,
        violence=violence,
        asf_eligible=asf_eligible,
        debtor_employer=employer,
        end_on=end_on,
    )
    return titre, intermediation


def payment(
    intermediation: Intermediation,
    cents: int,
    on: date,
    *,
    reference: bool = True,
    month: date | None = None,
    iban: str = DEBTOR_IBAN,
    key: str | None = None,
) -> StatementLine:
    label = f"{intermediation.reference}-{(month or on):%Y%m}" if reference else "PENSION"
    return StatementLine(
        line_key=key or f"BANK{next(_keys):08d}",
        booked_on=on,
        value_on=on,
        amount_cents=cents,
        credit=True,
        end_to_end_id="",
        remittance=f"PENSION ALIMENTAIRE {label}",
        counterparty_name="M DEBITEUR",
        counterparty_iban=iban,
    )


def statement(tmp_path: Path, day: date, lines: list[StatementLine]) -> Path:
    path = tmp_path / f"camt053-{day}-{next(_keys)}.xml"
    path.write_bytes(
        statement_xml(
            message_id=f"TEST-{day:%Y%m%d}-{path.stem[-4:]}",
            created_at=datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone()),
            account=caf_account(),
            from_date=min((line.booked_on for line in lines), default=day),
            to_date=day,
            lines=lines,
        )
    )
    return path


def day(tmp_path: Path, on: date, lines: list[StatementLine] | None = None) -> dict:
    """Run one IFPA day (with a statement of `lines` if any) and check the ledger after it."""
    paths = [statement(tmp_path, on, lines)] if lines else []
    summary = run_day(on, paths, tmp_path / "out")
    check = ledger_check()
    assert check["ok"], check
    return summary


def due(intermediation: Intermediation, month: date) -> Due:
    return Due.objects.get(intermediation=intermediation, month=month)


def refreshed(intermediation: Intermediation) -> Intermediation:
    return Intermediation.objects.get(pk=intermediation.pk)
