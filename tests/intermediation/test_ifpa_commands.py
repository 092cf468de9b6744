"""The IFPA commands end to end: seed, a simulated bank, a month of `ifpa daily`, `ifpa check`,
and every pain.001 / pain.008 written validated against the ISO 20022 XSDs that sepaxml ships."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
from django.core.management import CommandError, call_command
from lxml import etree

from parcours.intermediation.bank import parse_statement, statement_xml
from parcours.intermediation.cycle.files import caf_account
from parcours.intermediation.models import BankLine, Due, LedgerEntry, Payout, UnpaidNotice
from parcours.intermediation.rules.calendar import is_business_day

pytestmark = pytest.mark.django_db

SCHEMAS = Path(sepaxml.__file__).parent / "schemas"


def ifpa(*args: str) -> dict:
    out = io.StringIO()
    call_command("ifpa", *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def xsd_for(document: etree._ElementTree) -> etree.XMLSchema:
    namespace = etree.QName(document.getroot()).namespace  # urn:iso:std:iso:20022:tech:xsd:pain.001.001.09
    return etree.XMLSchema(etree.parse(str(SCHEMAS / f"{namespace.rsplit(':', 1)[1]}.xsd")))


def test_a_month_of_the_cycle_from_the_commands(tmp_path):
    seeded = ifpa("seed", "--intermediations", "60", "--seed", "7", "--first-month", "2026-01-01")
    assert seeded["intermediations"] == 60
    out = tmp_path / "out"
    ifpa("daily", "--date", "2026-01-02", "--out", str(out))
    statement = tmp_path / "janvier.xml"
    simulated = ifpa(
        "simulate-bank",
        "--from",
        "2026-01-02",
        "--to",
        "2026-01-31",
        "--pay-rate",
        "0.7",
        "--seed",
        "7",
        "--out",
        str(statement),
    )
    lines = parse_statement(statement.read_bytes()).lines
    assert simulated["lines"] == len(lines) and simulated["on_time"] > 0 and simulated["unknown"] >= 1
    # The bank sends each day what was booked the day before.
    day, summaries = date(2026, 1, 5), []
    while day <= date(2026, 1, 31):
        if is_business_day(day):
            todays = [
                line for line in lines if line.booked_on < day and line.booked_on >= day - timedelta(days=3)
            ]
            args = ["daily", "--date", day.isoformat(), "--out", str(out)]
            path = tmp_path / f"camt-{day}.xml"
            if todays:
                path.write_bytes(
                    statement_xml(
                        message_id=f"J-{day:%Y%m%d}",
                        created_at=datetime(day.year, day.month, day.day, tzinfo=UTC),
                        account=caf_account(),
                        from_date=min(line.booked_on for line in todays),
                        to_date=day,
                        lines=todays,
                    )
                )
                args += ["--statement", str(path)]
            summaries.append(ifpa(*args))
        day += timedelta(days=1)
    check = ifpa("check")
    assert check["ok"] and check["imbalance"] == "0.00" and check["transactions"] > 60
    assert Due.objects.filter(month=date(2026, 1, 1)).count() == 60
    assert Payout.objects.filter(kind="pension").exists() and UnpaidNotice.objects.exists()
    assert BankLine.objects.filter(status="suspense").exists()
    written = sorted(out.glob("*.xml"))
    assert {p.name.split(".", 1)[1] for p in written} == {"pain.001.xml", "pain.008.xml"}
    for path in written:
        document = etree.parse(str(path))
        schema = xsd_for(document)
        assert schema.validate(document), (path.name, schema.error_log)
    # Money out in the files is the money the ledger says went out.
    paid = sum(Payout.objects.values_list("amount_cents", flat=True))
    in_files = 0
    for path in out.glob("*.pain.001.xml"):
        ns = {"p": etree.QName(etree.parse(str(path)).getroot()).namespace}
        in_files += sum(
            int(Decimal(x) * 100)
            for x in etree.parse(str(path)).xpath("//p:CdtTrfTxInf/p:Amt/p:InstdAmt/text()", namespaces=ns)
        )
    assert in_files == paid


def test_a_bad_statement_is_refused_and_nothing_is_imported(tmp_path):
    ifpa("seed", "--intermediations", "5", "--seed", "3")
    out = tmp_path / "out"
    ifpa("daily", "--date", "2026-01-02", "--out", str(out))
    entries = LedgerEntry.objects.count()
    good = tmp_path / "good.xml"
    ifpa("simulate-bank", "--from", "2026-01-02", "--to", "2026-01-05", "--seed", "3", "--out", str(good))
    pain = next(out.glob("*.xml"))
    for bad, words in [(pain, "camt"), (tmp_path / "truncated.xml", "")]:
        if not bad.exists():
            bad.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
        with pytest.raises(CommandError) as refused:
            call_command(
                "ifpa",
                "daily",
                "--date",
                "2026-01-06",
                "--statement",
                str(good),
                "--statement",
                str(bad),
                "--out",
                str(out),
                stdout=io.StringIO(),
            )
        assert "Rien n'a été importé" in str(refused.value) and words in str(refused.value)
        assert BankLine.objects.count() == 0 and LedgerEntry.objects.count() == entries
    with pytest.raises(CommandError, match="Date invalide"):
        call_command("ifpa", "daily", "--date", "2026-13-01", "--out", str(out))
