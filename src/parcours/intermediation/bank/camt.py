"""Reading bank statements: camt.053 (BkToCstmrStmt) and camt.054 (BkToCstmrDbtCdtNtfctn), versions
001.02 to 001.08, streamed with lxml's iterparse so that a file of a million entries is read in
constant memory (each entry is dropped once read).

The checks are structural and made here, with French messages naming the entry: the official XSDs
are not applied to incoming files (they would cost the streaming and say nothing a person can read);
the tests check that `statement_xml` and the sample files are valid against them.

Only booked entries (status BOOK) become lines: a pending or informative entry (PDNG, INFO) comes
back booked in a later statement. One entry with several transaction details (TxDtls) gives one line
per detail, whose amounts must add up to the entry's.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from datetime import datetime
from typing import BinaryIO

from lxml import etree

from parcours.intermediation.bank.camt_entries import EntryReader
from parcours.intermediation.bank.camt_entries import refuse as _refuse
from parcours.intermediation.bank.errors import unreadable
from parcours.intermediation.bank.records import Statement, StatementHeader, StatementLine

_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.(\d\d)")
_VERSIONS = range(2, 9)
_MESSAGES = {"camt.053": "BkToCstmrStmt", "camt.054": "BkToCstmrDbtCdtNtfctn"}
# Entities keep lxml's default ("internal": nothing external is ever fetched).
_PARSER_OPTIONS = {"no_network": True, "load_dtd": False}

Source = bytes | bytearray | memoryview | str | os.PathLike[str] | BinaryIO


def parse_statement(data: Source) -> Statement:
    """All the booked lines of a camt.053 / camt.054 file, or `BankFileError` (French) naming what is
    wrong and where; nothing is returned from a refused file."""
    stream = iter_statement_lines(data)
    lines = list(stream)
    header = stream.header
    return Statement(header.kind, header.message_id, header.account_iban, header.created_at, lines)


def iter_statement_lines(data_or_path: Source) -> StatementStream:
    """The streaming reader: an iterator of `StatementLine` whose `header` (kind, message id, account,
    creation time) is read on the call. A fault further in the file raises `BankFileError` while
    iterating, after the lines before it were given: import inside one transaction (the line keys
    make a repeated import a no-op)."""
    return StatementStream(data_or_path)


class StatementStream(Iterator[StatementLine]):
    def __init__(self, data_or_path: Source) -> None:
        self._lines = _read(_source(data_or_path))
        header = next(self._lines)
        assert isinstance(header, StatementHeader)
        self.header: StatementHeader = header

    @property
    def kind(self) -> str:
        return self.header.kind

    @property
    def message_id(self) -> str:
        return self.header.message_id

    @property
    def account_iban(self) -> str:
        return self.header.account_iban

    @property
    def created_at(self) -> datetime:
        return self.header.created_at

    def __next__(self) -> StatementLine:
        line = next(self._lines)
        assert isinstance(line, StatementLine)
        return line


def _source(data: Source) -> BinaryIO | str:
    if isinstance(data, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(data))
    if isinstance(data, str | os.PathLike):
        return os.fspath(data)
    return data


def _read(source: BinaryIO | str) -> Iterator[StatementHeader | StatementLine]:
    """First the header, then the lines: one generator holds the parser from start to end."""
    try:
        events = etree.iterparse(
            source, events=("end",), tag=("{*}GrpHdr", "{*}Acct", "{*}Ntry", "{*}Stmt", "{*}Ntfctn"),
            **_PARSER_OPTIONS,
        )  # fmt: skip
    except OSError as error:
        raise _refuse(f"le fichier ne peut pas être lu ({unreadable(error)}).") from error
    reader: _Reader | None = None
    try:
        for _, element in events:
            if reader is None:
                reader = _Reader.start(element)  # the first event is the group header's end
                continue
            items = reader.read(element)
            if items:
                yield from items
    except etree.XMLSyntaxError as error:
        raise _refuse(_syntax(error, started=reader is not None)) from error
    except OSError as error:
        raise _refuse(f"le fichier ne peut pas être lu ({unreadable(error)}).") from error
    if reader is None:
        root = events.root
        raise _refuse(_not_camt(etree.QName(root).namespace if root is not None else None))
    if not reader.header_given:
        raise _refuse("il ne contient aucun relevé de compte.")


def _syntax(error: etree.XMLSyntaxError, *, started: bool) -> str:
    message = str(error.msg or error)
    if not started and any(
        sign in message for sign in ("Start tag expected", "Document is empty", "no element")
    ):
        return "ce n'est pas un document XML (est-ce bien un relevé camt.053 ou camt.054 ?)."
    where = f"ligne {error.lineno} ; " if error.lineno else ""
    return f"le fichier est mal formé ou incomplet ({where}détail technique : {message})."


def _not_camt(namespace: str | None) -> str:
    if namespace and "pain.001" in namespace:
        return "c'est un ordre de virement (pain.001), pas un relevé de compte (camt.053 ou camt.054)."
    if namespace and "pain.008" in namespace:
        return "c'est un ordre de prélèvement (pain.008), pas un relevé de compte (camt.053 ou camt.054)."
    if namespace and "camt.052" in namespace:
        return "les relevés intrajournaliers camt.052 ne sont pas pris en charge (camt.053 ou camt.054)."
    return (
        f"ce n'est pas un relevé de compte camt.053 ou camt.054 (espace de noms « {namespace or 'absent'} »)."
    )


class _Reader:
    """The state of one file being read: its namespace, header, current statement."""

    def __init__(self, ns: str, kind: str, message_id: str, created_at: datetime) -> None:
        self.q = q = f"{{{ns}}}"
        self.kind, self.message_id, self.created_at = kind, message_id, created_at
        self.iban = ""
        self.header_given = False
        self.statements = 0
        self.statement: etree._Element | None = None  # the statement whose account was read
        self.entries = 0
        self.entry_reader = EntryReader(q)
        self.ntry, self.acct = q + "Ntry", q + "Acct"
        self.account_iban, self.account_currency = f"{q}Id/{q}IBAN", q + "Ccy"

    @classmethod
    def start(cls, element: etree._Element) -> _Reader:
        root = element.getroottree().getroot()
        qname = etree.QName(root)
        match = _NAMESPACE.fullmatch(qname.namespace or "")
        if etree.QName(element).localname != "GrpHdr" or not match:
            raise _refuse(_not_camt(qname.namespace))
        kind, version = match.group(1), int(match.group(2))
        if version not in _VERSIONS:
            raise _refuse(
                f"la version {kind}.001.{version:02d} n'est pas prise en charge (versions 001.02 à 001.08)."
            )
        message = element.getparent()
        if qname.localname != "Document" or etree.QName(message).localname != _MESSAGES[kind]:
            raise _refuse(f"le document {kind} n'a pas la structure attendue (Document/{_MESSAGES[kind]}).")
        q = f"{{{qname.namespace}}}"
        message_id = (element.findtext(q + "MsgId") or "").strip()
        if not message_id:
            raise _refuse("l'en-tête du fichier n'a pas d'identifiant de message (GrpHdr/MsgId).")
        created_at = _datetime(element.findtext(q + "CreDtTm"), "l'en-tête du fichier (GrpHdr/CreDtTm)")
        element.clear()
        return cls(qname.namespace, kind, message_id, created_at)

    def read(self, element: etree._Element) -> list[StatementHeader] | list[StatementLine]:
        """What one end event gives: the header (at the first account), lines (at an entry), or
        nothing; what is read is dropped from the tree."""
        tag = element.tag
        items: list[StatementHeader] | list[StatementLine] = []
        if tag == self.ntry:
            self.entries += 1
            if element.getparent() is not self.statement:
                raise _refuse(f"l'écriture n° {self.entries} ne suit pas l'identification d'un compte.")
            items = self.entry_reader.lines(element, self.entries)
        elif tag == self.acct:
            parent = element.getparent()
            if etree.QName(parent).localname in ("Stmt", "Ntfctn"):
                return self._account(element, parent)
            return items  # an Acct elsewhere is not a statement's
        elif etree.QName(tag).localname in ("Stmt", "Ntfctn"):
            if element is not self.statement:
                raise _refuse(f"le relevé n° {self.statements + 1} n'indique pas de compte.")
            self.statement = None
        else:
            return items
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
        return items

    def _account(self, element: etree._Element, statement: etree._Element) -> list[StatementHeader]:
        self.statements += 1
        self.statement = statement
        where = f"le relevé n° {self.statements}"
        iban = re.sub(r"\s", "", element.findtext(self.account_iban) or "").upper()
        if not iban:
            raise _refuse(f"{where} n'identifie pas le compte par un IBAN.")
        currency = element.findtext(self.account_currency)
        if currency is not None and currency.strip() != "EUR":
            raise _refuse(
                f"{where} porte sur un compte en {currency.strip()} ; seuls les euros (EUR) sont acceptés."
            )
        if not self.header_given:
            self.iban = iban
            self.header_given = True
            return [StatementHeader(self.kind, self.message_id, iban, self.created_at)]
        if iban != self.iban:
            raise _refuse(
                f"{where} porte sur le compte {iban}, le premier sur {self.iban} : un compte par fichier."
            )
        return []


def _datetime(text: str | None, where: str) -> datetime:
    text = (text or "").strip()
    if not text:
        raise _refuse(f"{where} n'a pas de date de création.")
    # Python reads up to 6 decimals of a second; ISO 20022 allows more.
    cleaned = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        return datetime.fromisoformat(cleaned)
    except ValueError as error:
        raise _refuse(f"{where} : date de création illisible (« {text} »).") from error
