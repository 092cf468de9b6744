"""Bank statements: camt.053 / camt.054 in (parse_statement), camt.053 out (statement_xml)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcours.intermediation.bank import (
    CAMT_053,
    Account,
    BankFileError,
    StatementLine,
    iter_statement_lines,
    parse_statement,
    statement_xml,
)

from .conftest import CAF, IBANS, SAMPLES, assert_valid, camt_xsd

CREATED = datetime(2026, 1, 6, 6, 0)
ACCOUNT = Account(CAF["name"], CAF["iban"], CAF["bic"])


def line(i: int, **changes) -> StatementLine:
    fields = {
        "line_key": f"BQ-2026-{i:06d}",
        "booked_on": date(2026, 1, 5),
        "value_on": date(2026, 1, 5),
        "amount_cents": 10_000 + i,
        "credit": i % 3 != 0,
        "end_to_end_id": f"PO-{i}-20260105" if i % 2 else "",
        "remittance": f"PENSION ALIMENTAIRE JANVIER 2026 DOSSIER {i}" if i % 5 else "",
        "counterparty_name": f"Parent n° {i}" if i % 7 else "",
        "counterparty_iban": IBANS[i % len(IBANS)] if i % 4 else "",
    }
    return StatementLine(**{**fields, **changes})


def statement(lines, **changes) -> bytes:
    arguments = {
        "message_id": "STMT-20260105",
        "created_at": CREATED,
        "account": ACCOUNT,
        "from_date": date(2026, 1, 5),
        "to_date": date(2026, 1, 5),
        "lines": lines,
    }
    return statement_xml(**{**arguments, **changes})


def refused(data: bytes) -> str:
    with pytest.raises(BankFileError) as error:
        parse_statement(data)
    message = str(error.value)
    assert message.startswith("Relevé bancaire refusé : ")
    return message


# --- statement_xml -> parse_statement: the same lines ----------------------------------------------------


def test_a_written_statement_is_valid_and_reads_back():
    lines = [line(i) for i in range(60)]
    xml = statement(lines, opening_balance_cents=-5_000)
    assert_valid(camt_xsd(CAMT_053), xml)
    read = parse_statement(xml)
    assert (read.kind, read.message_id, read.account_iban, read.created_at) == (
        "camt.053",
        "STMT-20260105",
        CAF["iban"],
        CREATED,
    )
    assert read.lines == lines


def test_the_balances_and_summary_add_up():
    lines = [line(1, amount_cents=1_000, credit=True), line(2, amount_cents=3_000, credit=False)]
    xml = statement(lines, opening_balance_cents=500).decode()
    assert '<Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>' in xml
    assert '<Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">15.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>' in xml
    assert "<TtlNtries><NbOfNtries>2</NbOfNtries><Sum>40.00</Sum><TtlNetNtryAmt>20.00</TtlNetNtryAmt>" in xml
    assert statement(lines) == statement(list(lines))  # deterministic


def test_an_empty_statement_is_valid():
    xml = statement([])
    assert_valid(camt_xsd(CAMT_053), xml)
    assert parse_statement(xml).lines == []


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèçàœ'&<>-/0123456789ABCDEFXYZ€", min_size=1, max_size=30)
texts = st.lists(words, max_size=12).map(" ".join)
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
references = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/.", min_size=1, max_size=35).filter(
    lambda s: s.strip() == s
)
lines_strategy = st.lists(
    st.builds(
        StatementLine,
        line_key=references,
        booked_on=days,
        value_on=days,
        amount_cents=st.integers(min_value=1, max_value=10**15),
        credit=st.booleans(),
        end_to_end_id=st.one_of(st.just(""), references.filter(lambda s: s != "NOTPROVIDED")),
        remittance=st.one_of(st.just(""), texts.map(lambda s: s[:420].strip())),
        counterparty_name=st.one_of(st.just(""), texts.map(lambda s: s[:70].strip())),
        counterparty_iban=st.one_of(st.just(""), st.sampled_from(IBANS)),
    ),
    max_size=25,
    unique_by=lambda line: line.line_key,
)


@settings(max_examples=150, deadline=None)
@given(
    lines=lines_strategy,
    opening=st.integers(min_value=-(10**12), max_value=10**12),
    created=st.datetimes(
        min_value=datetime(2024, 1, 1),
        max_value=datetime(2027, 12, 31),
        timezones=st.sampled_from([None, UTC]),
    ),
)
def test_round_trip(lines, opening, created):
    xml = statement(lines, opening_balance_cents=opening, created_at=created)
    read = parse_statement(xml)
    assert read.lines == lines
    assert read.created_at == created
    assert read.account_iban == CAF["iban"]


@settings(max_examples=25, deadline=None)
@given(lines=lines_strategy)
def test_written_statements_are_valid_against_the_official_xsd(lines):
    assert_valid(camt_xsd(CAMT_053), statement(lines))


def test_a_long_remittance_is_cut_into_140_character_pieces_and_joined_back():
    remittance = " ".join(f"mot{i}" for i in range(80))  # 469 characters
    xml = statement([line(1, remittance=remittance)])
    assert xml.count(b"<Ustrd>") == 4
    assert_valid(camt_xsd(CAMT_053), xml)
    assert parse_statement(xml).lines[0].remittance == remittance


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount_cents": 0}, "la ligne n° 1 : le montant doit être un nombre entier de centimes positif"),
        ({"line_key": "K" * 36}, "la référence bancaire dépasse 35 caractères"),
        ({"line_key": " K"}, "entourée d'espaces"),
        ({"counterparty_iban": "FR76 3000"}, "n'a pas la forme d'un IBAN"),
        ({"remittance": "bip\x07"}, "caractère de contrôle"),
    ],
)
def test_statement_xml_refuses_bad_lines(changes, message):
    with pytest.raises(BankFileError, match=re.escape(message)):
        statement([line(1, **changes)])


def test_statement_xml_refuses_a_repeated_key():
    with pytest.raises(BankFileError, match="figure déjà plus haut"):
        statement([line(1), line(1)])


# --- real-looking files from banks ---------------------------------------------------------------------


def test_a_camt054_notification_gives_one_line_per_transaction_detail():
    data = (SAMPLES / "camt054_v02.xml").read_bytes()
    assert_valid(camt_xsd("camt.054.001.02"), data)
    read = parse_statement(data)
    assert (read.kind, read.message_id, read.account_iban) == (
        "camt.054",
        "NTF-20260108-0001",
        "FR7630006000011234567890189",
    )
    assert read.created_at == datetime(2026, 1, 8, 6, 30, tzinfo=timezone(timedelta(hours=1)))
    first, second, returned = read.lines  # the pending entry gives no line
    assert first == StatementLine(
        line_key="2026010800017/1",  # the entry's reference, made unique per detail
        booked_on=date(2026, 1, 8),
        value_on=date(2026, 1, 8),
        amount_cents=20_150,
        credit=True,
        end_to_end_id="DD-41-20260108",
        remittance="PENSION ALIMENTAIRE JANVIER 2026",
        counterparty_name="MARTIN JEAN",
        counterparty_iban="FR7630004000000000000000151",
    )
    assert (second.line_key, second.amount_cents, second.remittance) == (
        "2026010800017/2",
        15_000,
        "RF18539007547034",
    )
    assert (returned.line_key, returned.amount_cents, returned.end_to_end_id) == (
        "RTN-2026010800018",
        12_345,
        "PO-123-20260105",
    )
    assert returned.value_on == date(2026, 1, 7)


def test_a_camt053_of_2019_reads_its_choices():
    data = (SAMPLES / "camt053_v08.xml").read_bytes()
    assert_valid(camt_xsd("camt.053.001.08"), data)
    read = parse_statement(data)
    assert read.created_at == datetime(2026, 1, 10, 5, 0, 0, 123456, tzinfo=UTC)
    received, paid, fees = read.lines  # the INFO entry gives no line
    assert received.line_key == "TX-20260109-000001"  # the transaction's own reference wins
    assert received.booked_on == date(2026, 1, 9)  # from a date-time
    assert received.end_to_end_id == ""  # NOTPROVIDED
    assert received.counterparty_name == "Lefèvre Éric"  # Dbtr/Pty/Nm, stripped
    assert received.counterparty_iban == "FR7610107000000012345678935"
    assert (paid.credit, paid.amount_cents, paid.counterparty_name) == (False, 20_470, "DUPONT MARIE")
    assert paid.line_key == "20260109-000002"
    assert (fees.line_key, fees.amount_cents, fees.credit, fees.value_on) == (
        "FEES-202601",
        50,
        False,
        fees.booked_on,
    )


def test_the_stream_knows_the_header_before_the_first_line(tmp_path: Path):
    path = tmp_path / "releve.xml"
    path.write_bytes(statement([line(i) for i in range(30)]))
    stream = iter_statement_lines(path)
    assert (stream.kind, stream.message_id, stream.account_iban) == ("camt.053", "STMT-20260105", CAF["iban"])
    assert [read.line_key for read in stream] == [line(i).line_key for i in range(30)]
    with path.open("rb") as file:
        assert len(list(iter_statement_lines(file))) == 30


def test_the_stream_gives_the_lines_before_a_fault_then_refuses():
    xml = statement([line(i) for i in range(10)]).replace(b">100.05<", b">100.051<")
    stream = iter_statement_lines(xml)
    got = []
    with pytest.raises(BankFileError, match="l'écriture n° 6 a un montant de plus de deux décimales"):
        for read in stream:
            got.append(read)
    assert len(got) == 5
    with pytest.raises(BankFileError):
        parse_statement(xml)  # and parse_statement returns nothing of it


# --- refused files ---------------------------------------------------------------------------------------


def good() -> bytes:
    return statement([line(i) for i in range(1, 13)])


def test_not_xml_is_refused():
    assert "ce n'est pas un document XML" in refused(b"%PDF-1.7\n...")
    assert "ce n'est pas un document XML" in refused(b"")
    assert "ce n'est pas un document XML" in refused(b"date;montant\n2026-01-05;12,00\n")


def test_a_pain_file_given_as_a_statement_is_refused():
    from .test_pain import transfer, transfers_xml

    assert "c'est un ordre de virement (pain.001), pas un relevé de compte" in refused(
        transfers_xml([transfer(1)])
    )


def test_other_documents_are_refused():
    assert "ce n'est pas un relevé de compte camt.053 ou camt.054" in refused(b"<html><body/></html>")
    camt052 = (
        good().replace(b"camt.053.001.02", b"camt.052.001.02").replace(b"BkToCstmrStmt", b"BkToCstmrAcctRpt")
    )
    assert "camt.052 ne sont pas pris en charge" in refused(camt052)
    assert "la version camt.053.001.09 n'est pas prise en charge" in refused(
        good().replace(b"001.02", b"001.09")
    )
    wrong = good().replace(b"BkToCstmrStmt", b"BkToCstmrDbtCdtNtfctn")
    assert "n'a pas la structure attendue (Document/BkToCstmrStmt)" in refused(wrong)


def test_a_truncated_file_is_refused_whole():
    data = good()
    for cut in (100, len(data) // 2, len(data) - 20):
        message = refused(data[:cut])
        assert "le fichier est mal formé ou incomplet" in message or "aucun relevé" in message


def nth_entry(data: bytes, n: int) -> tuple[int, int]:
    starts = [m.start() for m in re.finditer(rb"<Ntry>", data)]
    return starts[n - 1], data.index(b"</Ntry>", starts[n - 1]) + len(b"</Ntry>")


def mangle_entry(n: int, old: bytes, new: bytes) -> bytes:
    data = good()
    start, end = nth_entry(data, n)
    entry = data[start:end]
    assert old in entry
    return data[:start] + entry.replace(old, new) + data[end:]


@pytest.mark.parametrize(
    ("n", "old", "new", "message"),
    [
        (
            12,
            rb'<Amt Ccy="EUR">100.12</Amt><CdtDbtInd>',
            b"<CdtDbtInd>",
            "l'écriture n° 12 n'a pas de montant.",
        ),
        (
            3,
            b'Ccy="EUR">100.03<',
            b'Ccy="USD">100.03<',
            "l'écriture n° 3 est en USD ; seuls les euros (EUR) sont acceptés.",
        ),
        (
            2,
            b">100.02</Amt><CdtDbtInd>",
            b">12,50</Amt><CdtDbtInd>",
            "l'écriture n° 2 a un montant illisible (« 12,50 »).",
        ),
        (2, b">100.02</Amt><CdtDbtInd>", b">abc</Amt><CdtDbtInd>", "l'écriture n° 2 a un montant illisible"),
        (2, b">100.02</Amt><CdtDbtInd>", b">0.00</Amt><CdtDbtInd>", "l'écriture n° 2 a un montant nul."),
        (
            4,
            b"<CdtDbtInd>CRDT</CdtDbtInd>",
            b"<CdtDbtInd>CREDIT</CdtDbtInd>",
            "l'écriture n° 4 n'indique pas si c'est un crédit ou un débit",
        ),
        (
            5,
            b"<BookgDt><Dt>2026-01-05</Dt></BookgDt>",
            b"",
            "l'écriture n° 5 n'a pas de date de comptabilisation.",
        ),
        (
            5,
            b"<BookgDt><Dt>2026-01-05</Dt>",
            b"<BookgDt><Dt>05/01/2026</Dt>",
            "l'écriture n° 5 (date de comptabilisation) : date illisible",
        ),
        (
            5,
            b"<ValDt><Dt>2026-01-05</Dt>",
            b"<ValDt><Dt>2026-02-30</Dt>",
            "l'écriture n° 5 (date de valeur) : date impossible",
        ),
        (6, b"<Sts>BOOK</Sts>", b"", "l'écriture n° 6 n'a pas de statut (Sts)."),
        (
            7,
            b'<TxAmt><Amt Ccy="EUR">100.07</Amt>',
            b'<TxAmt><Amt Ccy="EUR">100.08</Amt>',
            "les détails de l'écriture n° 7 totalisent 100,08\u00a0€, l'écriture 100,07\u00a0€.",
        ),
    ],
)
def test_a_faulty_entry_is_named_in_french(n, old, new, message):
    assert message in refused(mangle_entry(n, old, new))


def test_an_entry_without_reference_is_refused():
    data = mangle_entry(8, b"<AcctSvcrRef>BQ-2026-000008</AcctSvcrRef>", b"")
    assert "l'écriture n° 8 n'a pas de référence bancaire (AcctSvcrRef ou NtryRef)." in refused(data)


def test_a_repeated_bank_reference_is_refused():
    data = mangle_entry(9, b"BQ-2026-000009", b"BQ-2026-000002")
    assert "la référence bancaire « BQ-2026-000002 » de l'écriture n° 9 figure déjà plus haut" in refused(
        data
    )


def test_a_statement_of_another_currency_or_account_is_refused():
    assert "porte sur un compte en USD" in refused(good().replace(b"<Ccy>EUR</Ccy>", b"<Ccy>USD</Ccy>"))
    assert "n'identifie pas le compte par un IBAN" in refused(
        good().replace(f"<IBAN>{CAF['iban']}</IBAN>".encode(), b"<Othr><Id>123</Id></Othr>")
    )
    data = good()
    second = data[data.index(b"<Stmt>") : data.index(b"</Stmt>") + len(b"</Stmt>")]
    other = second.replace(CAF["iban"].encode(), IBANS[3].encode()).replace(b"BQ-2026", b"BQ-2027")
    both = data.replace(b"</Stmt>", b"</Stmt>" + other, 1)
    assert f"le relevé n° 2 porte sur le compte {IBANS[3]}" in refused(both)
    same = second.replace(b"BQ-2026", b"BQ-2027")
    assert len(parse_statement(data.replace(b"</Stmt>", b"</Stmt>" + same, 1)).lines) == 24


def test_a_header_without_message_id_or_date_is_refused():
    assert "n'a pas d'identifiant de message" in refused(good().replace(b"<MsgId>STMT-20260105</MsgId>", b""))
    no_date = good().replace(
        b"<GrpHdr><MsgId>STMT-20260105</MsgId><CreDtTm>2026-01-06T06:00:00</CreDtTm>",
        b"<GrpHdr><MsgId>STMT-20260105</MsgId><CreDtTm>hier</CreDtTm>",
    )
    assert "date de création illisible (« hier »)" in refused(no_date)
