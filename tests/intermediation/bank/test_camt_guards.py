"""What the statement reader refuses before reading a line (encodings, DOCTYPE and entities), and the
digest of a statement's canonical content (issue 16)."""

from __future__ import annotations

import pytest

from parcours.intermediation.bank import BankFileError, iter_statement_lines, parse_statement

from .conftest import SAMPLES
from .test_camt import good, line, refused, statement

SAMPLE = (SAMPLES / "camt053_v08.xml").read_bytes()


def declared(data: bytes, encoding: str) -> bytes:
    return data.replace(b'encoding="UTF-8"', f'encoding="{encoding}"'.encode(), 1)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_its_byte_order_mark_reads_the_same_lines_and_digest(codec):
    data = good()
    text = declared(data, "UTF-16").decode()
    encoded = text.encode(codec) if codec == "utf-16" else "\ufeff".encode(codec) + text.encode(codec)
    twin, read = parse_statement(data), parse_statement(encoded)
    assert read.lines == twin.lines and read.digest == twin.digest
    assert (read.message_id, read.account_iban) == (twin.message_id, twin.account_iban)


def test_the_sample_with_accents_and_comments_reads_the_same_in_utf16():
    read = parse_statement(declared(SAMPLE, "UTF-16").decode().encode("utf-16"))
    assert read == parse_statement(SAMPLE)


def test_a_utf8_byte_order_mark_and_an_ascii_declaration_are_read():
    assert parse_statement(b"\xef\xbb\xbf" + good()) == parse_statement(good())
    ascii_only = statement([line(i, counterparty_name=f"Parent {i}") for i in range(1, 5)])
    assert parse_statement(declared(ascii_only, "US-ASCII")) == parse_statement(ascii_only)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (
            good().decode().encode("utf-16"),
            "le fichier déclare l'encodage « UTF-8 » mais il est écrit en UTF-16LE",
        ),
        (declared(good(), "UTF-16"), "le fichier déclare l'encodage « UTF-16 » mais il est écrit en UTF-8"),
        (
            declared(good(), "UTF-16BE").decode().encode("utf-16-le"),
            "le fichier déclare l'encodage « UTF-16BE » mais il est écrit en UTF-16LE",
        ),
        (b"\xef\xbb\xbf" + declared(good(), "UTF-16"), "mais il est écrit en UTF-8"),
        (
            declared(SAMPLE, "UTF-8").decode().encode("latin-1"),
            "n'est pas écrit dans l'encodage qu'il déclare",
        ),
        (declared(SAMPLE, "US-ASCII"), "n'est pas écrit dans l'encodage qu'il déclare (« US-ASCII »"),
        (declared(SAMPLE, "ISO-8859-1"), "l'encodage déclaré « ISO-8859-1 » n'est pas accepté"),
        (declared(good(), "windows-1252"), "l'encodage déclaré « windows-1252 » n'est pas accepté"),
        (good().decode().encode("utf-32"), "le fichier est écrit en UTF-32, qui n'est pas accepté"),
        (good().decode().encode("cp500"), "le fichier est écrit en EBCDIC, qui n'est pas accepté"),
    ],
)
def test_a_lying_or_foreign_encoding_is_refused_in_french(data, words):
    assert words in refused(data)


XXE = b'<!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
LAUGHS = (
    b'<!DOCTYPE Document [<!ENTITY a "hahahahaha">'
    + b"".join(b'<!ENTITY %c "%s">' % (98 + i, b"&%c;" % (97 + i) * 10) for i in range(9))
    + b"]>\n"
)


@pytest.mark.parametrize(
    "doctype",
    [XXE, LAUGHS, b'<!DOCTYPE Document SYSTEM "http://example.org/camt.dtd">\n', b"<!DOCTYPE Document>\n"],
)
@pytest.mark.parametrize("where", ["first bytes", "after a long comment"])
def test_a_doctype_is_refused_and_no_entity_is_expanded(doctype, where):
    data = good()
    if where == "after a long comment":  # beyond the first bytes checked: the parser's own check
        doctype = b"<!-- " + b"x" * 5000 + b" -->\n" + doctype
    at = data.index(b"<Document")
    reference = b"&secret;" if doctype.find(b"secret") > 0 else b"&j;" if b"ENTITY j" in doctype else b""
    mangled = data[:at] + doctype + data[at:].replace(b"<MsgId>STMT", b"<MsgId>" + reference + b"STMT", 1)
    message = refused(mangled)
    assert "le fichier contient une définition de type de document (DOCTYPE)" in message


def test_the_digest_is_of_the_content_not_of_the_layout():
    data = good()
    digest = parse_statement(data).digest
    commented = data.replace(b"<Ntry>", "<!-- une écriture -->\n  <Ntry><!-- dedans -->".encode())
    assert parse_statement(commented).digest == digest
    assert parse_statement(data.replace(b'"EUR"', b"'EUR'")).digest == digest  # quotes: C14N
    changed = [
        statement([line(i) for i in range(1, 13)], opening_balance_cents=100),  # a balance only
        data.replace(b"<Sts>BOOK</Sts>", b"<Sts>PDNG</Sts>", 1),  # a pending entry, not a line
        data.replace(b"<MsgId>STMT-20260105", b"<MsgId>STMT-20260106"),
        data.replace(b"</Stmt>", b"</Stmt><SplmtryData><Envlp/></SplmtryData>"),
    ]
    assert len({parse_statement(other).digest for other in changed} | {digest}) == 5


def test_without_the_key_check_a_repeated_reference_is_left_to_the_caller():
    data = good().replace(b"BQ-2026-000009", b"BQ-2026-000002")
    stream = iter_statement_lines(data, check_keys=False)
    keys = [read.line_key for read in stream]
    assert keys.count("BQ-2026-000002") == 2 and stream.digest
    assert "figure déjà plus haut" in refused(data)


def test_the_digest_is_known_once_the_file_is_read():
    stream = iter_statement_lines(good())
    with pytest.raises(RuntimeError):
        _ = stream.digest
    numbers = []
    for _ in stream:
        numbers.append(stream.entry_number)
    assert numbers == list(range(1, 13)) and len(stream.digest) == 64


def test_a_message_id_over_35_characters_is_refused():
    data = good().replace(b"<MsgId>STMT-20260105</MsgId>", b"<MsgId>" + b"M" * 36 + b"</MsgId>")
    assert "l'identifiant de message (GrpHdr/MsgId) « " + "M" * 36 + " » dépasse 35 caractères" in refused(
        data
    )


def test_a_file_that_cannot_be_read_is_refused_in_french(tmp_path):
    with pytest.raises(BankFileError, match="fichier introuvable"):
        parse_statement(tmp_path / "absent.xml")
    with pytest.raises(BankFileError, match="c'est un dossier"):
        parse_statement(tmp_path)
