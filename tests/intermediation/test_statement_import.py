"""Importing statements at bank realism (issue 16): a message id once per account, the same
statement known whatever its encoding, a lying encoding refused; every refusal in French, with
nothing written (statements, lines, ledger, payouts, files)."""

from __future__ import annotations

import importlib
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from parcours.intermediation.bank import BankFileError, StatementLine, parse_statement, statement_xml
from parcours.intermediation.cycle import files
from parcours.intermediation.cycle.check import ledger_check
from parcours.intermediation.cycle.daily import run_day
from parcours.intermediation.models import (
    BankLine,
    BankStatement,
    Due,
    LedgerEntry,
    LedgerTransaction,
    PaymentFile,
    Payout,
)

from .cycle_helpers import make_intermediation, payment

pytestmark = pytest.mark.django_db

JAN = date(2026, 1, 1)


def xml(message_id: str, lines: list[StatementLine], *, on: date = date(2026, 1, 5)) -> bytes:
    return statement_xml(
        message_id=message_id,
        created_at=datetime(on.year, on.month, on.day, 22, 0, tzinfo=UTC),
        account=files.caf_account(),
        from_date=min(line.booked_on for line in lines),
        to_date=on,
        lines=lines,
    )


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def utf16(data: bytes, codec: str = "utf-16") -> bytes:
    """The same XML re-encoded in UTF-16 with its byte order mark (and a declaration saying so)."""
    text = data.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    encoded = text.encode(codec)
    return encoded if codec == "utf-16" else "\ufeff".encode(codec) + encoded


def written() -> dict[str, int]:
    """What a day's run writes."""
    models = (BankStatement, BankLine, LedgerTransaction, LedgerEntry, Payout, Due, PaymentFile)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def paid(tmp_path):
    """An intermediation whose January pension the statement REL-0106 (booked on the 5th) pays,
    imported on 6 January."""
    _, inter = make_intermediation(amount="150.00")
    run_day(date(2026, 1, 2), [], tmp_path / "out")
    lines = [payment(inter, 15000, date(2026, 1, 5), month=JAN, key="BQ-0105-1")]
    data = xml("REL-0106", lines)
    summary = run_day(date(2026, 1, 6), [write(tmp_path, "rel-0106.xml", data)], tmp_path / "out")
    assert summary["lines_imported"] == 1
    return inter, lines, data


def refused_run(tmp_path: Path, day: date, paths: list[Path]) -> str:
    before = written()
    with pytest.raises(BankFileError) as error:
        run_day(day, paths, tmp_path / "out")
    assert written() == before
    return str(error.value)


def refused_parse(paths: list[Path], day: date) -> str:
    before = written()
    with pytest.raises(BankFileError) as error:
        files.parse_files(paths, day=day)
    assert written() == before
    return str(error.value)


def test_a_message_id_used_again_for_another_content_is_refused_and_nothing_is_written(tmp_path, paid):
    inter, _, _ = paid
    other = [payment(inter, 4000, date(2026, 1, 6), month=JAN, key="BQ-0106-1")]
    path = write(tmp_path, "rel-0107.xml", xml("REL-0106", other, on=date(2026, 1, 6)))
    message = refused_run(tmp_path, date(2026, 1, 7), [path])
    assert message.startswith(
        "Ce relevé (MsgId REL-0106, fichier rel-0107.xml) a déjà été importé le 6 janvier 2026 "
        "(fichier rel-0106.xml) avec un autre contenu"
    )
    assert not Payout.objects.filter(on=date(2026, 1, 7)).exists()  # the 7th did not even pay
    with pytest.raises(CommandError) as command:
        call_command(
            "ifpa", "daily", "--date", "2026-01-07", "--statement", str(path), "--out", str(tmp_path / "out")
        )
    assert str(command.value).endswith("Relevé refusé. Rien n'a été importé ni traité.")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-be"])
def test_the_same_statement_on_a_later_day_is_refused_whatever_its_encoding(tmp_path, paid, encoding):
    _, _, data = paid
    again = data if encoding == "utf-8" else utf16(data, encoding)
    path = write(tmp_path, f"rel-0106-{encoding}.xml", again)
    message = refused_parse([path], date(2026, 1, 7))
    assert message == (
        f"Ce relevé (MsgId REL-0106, fichier {path.name}) a déjà été importé le 6 janvier 2026 "
        "(fichier rel-0106.xml). Relevé refusé."
    )


def test_a_re_run_of_the_day_with_a_utf16_copy_changes_nothing(tmp_path, paid):
    _, _, data = paid
    before, check = written(), ledger_check()
    for day in (date(2026, 1, 6), None):  # the day run again, or a caller that names no day
        parsed = files.parse_files([write(tmp_path, "copie-utf16.xml", utf16(data))], day=day)
        summary = files.import_statements(date(2026, 1, 6), parsed)
        assert summary["statements_already_imported"] == 1 and summary["statements_imported"] == 0
    summary = run_day(date(2026, 1, 6), [write(tmp_path, "copie-utf16.xml", utf16(data))], tmp_path / "out")
    assert summary["statements_already_imported"] == 1 and summary["lines_imported"] == 0
    assert written() == before and ledger_check() == check


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-be"])
def test_a_utf16_statement_is_imported_with_the_lines_of_its_utf8_twin(tmp_path, encoding):
    _, inter = make_intermediation(amount="150.00")
    lines = [
        replace(payment(inter, 15000, date(2026, 1, 5), month=JAN), counterparty_name="M. DÉBITEUR Zoé"),
        payment(inter, 2500, date(2026, 1, 5), reference=False),
    ]
    data = xml("REL-UTF", lines)
    given = data if encoding == "utf-8" else utf16(data, encoding)
    summary = run_day(date(2026, 1, 6), [write(tmp_path, "rel.xml", given)], tmp_path / "out")
    assert summary["lines_imported"] == 2
    columns = ("line_key", "booked_on", "amount_cents", "credit", "remittance", "counterparty_name")
    assert list(BankLine.objects.order_by("line_key").values_list(*columns)) == sorted(
        (
            line.line_key,
            line.booked_on,
            line.amount_cents,
            line.credit,
            line.remittance,
            line.counterparty_name,
        )
        for line in lines
    )
    statement = BankStatement.objects.get()
    assert (statement.message_id, statement.account_iban) == ("REL-UTF", files.caf_account().iban)
    assert statement.sha256 == parse_statement(data).digest  # the UTF-8 twin's digest


LYING = [
    (
        lambda data: data.decode().encode("utf-16"),
        "le fichier déclare l'encodage « UTF-8 » mais il est écrit en UTF-16LE : l'encodage déclaré est faux",
    ),
    (
        lambda data: data.replace(b'encoding="UTF-8"', b'encoding="UTF-16"'),
        "le fichier déclare l'encodage « UTF-16 » mais il est écrit en UTF-8",
    ),
    (
        lambda data: data.decode().encode("latin-1"),
        "le fichier n'est pas écrit dans l'encodage qu'il déclare (« UTF-8 », ligne ",
    ),
    (
        lambda data: data.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"'),
        "l'encodage déclaré « ISO-8859-1 » n'est pas accepté : un relevé ISO 20022 est en UTF-8",
    ),
]


@pytest.mark.parametrize(("lie", "words"), LYING)
def test_a_lying_encoding_is_refused_in_french_and_nothing_is_written(tmp_path, lie, words):
    _, inter = make_intermediation(amount="150.00")
    run_day(date(2026, 1, 2), [], tmp_path / "out")
    line = replace(payment(inter, 15000, date(2026, 1, 5), month=JAN), counterparty_name="M. DÉBITEUR")
    path = write(tmp_path, "menteur.xml", lie(xml("REL-LIE", [line])))
    message = refused_run(tmp_path, date(2026, 1, 6), [path])
    assert message.startswith("Relevé bancaire refusé : ") and words in message
    assert message.endswith("(fichier menteur.xml).")


def test_two_copies_in_one_run_are_refused(tmp_path):
    _, inter = make_intermediation(amount="150.00")
    data = xml("REL-2X", [payment(inter, 15000, date(2026, 1, 5), month=JAN)])
    paths = [write(tmp_path, "a.xml", data), write(tmp_path, "b.xml", utf16(data))]
    message = refused_run(tmp_path, date(2026, 1, 6), paths)
    assert "b.xml et a.xml portent le même identifiant de message (MsgId REL-2X)" in message


def test_a_bank_reference_twice_in_a_file_is_refused_at_import(tmp_path):
    _, inter = make_intermediation(amount="150.00")
    data = xml("REL-DUP", [payment(inter, 100 + i, date(2026, 1, 5), key=f"BQ-DUP-{i}") for i in range(1, 4)])
    path = write(tmp_path, "doublon.xml", data.replace(b"BQ-DUP-3", b"BQ-DUP-1"))
    assert refused_run(tmp_path, date(2026, 1, 6), [path]) == (
        "Relevé bancaire refusé : dans doublon.xml, la référence bancaire « BQ-DUP-1 » de l'écriture n° 3 "
        "figure déjà plus haut (écriture n° 1)."
    )


def test_overlapping_statements_still_import_their_new_lines(tmp_path, paid):
    inter, lines, _ = paid
    new = payment(inter, 4000, date(2026, 1, 6), month=JAN, key="BQ-0106-1")
    path = write(tmp_path, "rel-0107.xml", xml("REL-0107", [*lines, new], on=date(2026, 1, 6)))
    summary = run_day(date(2026, 1, 7), [path], tmp_path / "out")
    assert (summary["statements_imported"], summary["lines_imported"], summary["lines_duplicate"]) == (
        1,
        1,
        1,
    )
    assert ledger_check()["ok"]


def test_the_database_refuses_a_message_id_twice_for_one_account():
    fields = {"kind": "camt.053", "message_id": "REL-1", "imported_on": date(2026, 1, 6), "file_name": "a"}
    iban = files.caf_account().iban
    BankStatement.objects.create(sha256="1" * 64, account_iban=iban, **fields)
    BankStatement.objects.create(sha256="2" * 64, account_iban="FR7630003000011234567890168", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        BankStatement.objects.create(sha256="3" * 64, account_iban=iban, **fields)


def test_the_migration_gives_each_message_id_its_first_import_the_cafs_account():
    fields = {"kind": "camt.053", "imported_on": date(2026, 1, 6), "file_name": "a"}
    for n, message_id in enumerate(["REL-1", "REL-1", "REL-2"]):
        BankStatement.objects.create(sha256=str(n) * 64, message_id=message_id, **fields)
    migration = importlib.import_module("parcours.intermediation.migrations.0004_bank_statement_message_once")
    migration.record_accounts(apps, None)
    iban = files.caf_account().iban
    assert list(BankStatement.objects.order_by("id").values_list("account_iban", flat=True)) == [
        iban,
        "",
        iban,
    ]
