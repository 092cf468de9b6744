"""Reading bank statements: camt.053 (BkToCstmrStmt) and camt.054 (BkToCstmrDbtCdtNtfctn), versions
001.02 to 001.08, streamed with lxml's iterparse so that a file of a million entries is read in
constant memory (each entry is dropped once read).

The checks are structural and made here, with French messages naming the entry: the official XSDs
are not applied to incoming files (they would cost the streaming and say nothing a person can read);
the tests check that `statement_xml` and the sample files are valid against them.

Only booked entries (status BOOK) become lines: a pending or informative entry (PDNG, INFO) comes
back booked in a later statement. One entry with several transaction details (TxDtls) gives one line
per detail, whose amounts must add up to the entry's.

Guards: the encoding and the prolog are checked on the first bytes (`prolog.py`: UTF-8 or UTF-16,
no lying declaration, no DOCTYPE); the parser never reads the network, loads no DTD, expands no
entity and keeps libxml2's size limits (huge_tree off). The stream's `digest` is the SHA-256 of the
file's canonical content (C14N of each part, in document order, comments and the whitespace between
parts aside): the same for the same statement whatever its encoding.
"""

from __future__ import annotations

import hashlib
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
from parcours.intermediation.bank.prolog import DOCTYPE, HEAD, check_prolog
from parcours.intermediation.bank.records import Statement, StatementHeader, StatementLine

_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.(\d\d)")
_VERSIONS = range(2, 9)
_MESSAGES = {"camt.053": "BkToCstmrStmt", "camt.054": "BkToCstmrDbtCdtNtfctn"}
_PARSER_OPTIONS = {"no_network": True, "load_dtd": False, "resolve_entities": False, "huge_tree": False}
_TAGS = ("{*}GrpHdr", "{*}Acct", "{*}Ntry", "{*}Stmt", "{*}Ntfctn")
MAX_MESSAGE_ID = 35  # Max35Text

Source = bytes | bytearray | memoryview | str | os.PathLike[str] | BinaryIO


def parse_statement(data: Source) -> Statement:
    """All the booked lines of a camt.053 / camt.054 file, or `BankFileError` (French) naming what is
    wrong and where; nothing is returned from a refused file."""
    stream = iter_statement_lines(data)
    lines = list(stream)
    header = stream.header
    return Statement(
        header.kind, header.message_id, header.account_iban, header.created_at, lines, stream.digest
    )


def iter_statement_lines(data_or_path: Source, *, check_keys: bool = True) -> StatementStream:
    """The streaming reader: an iterator of `StatementLine` whose `header` (kind, message id, account,
    creation time) is read on the call. A fault further in the file raises `BankFileError` while
    iterating, after the lines before it were given: import inside one transaction (the line keys
    make a repeated import a no-op). `check_keys=False`: a bank reference repeated in the file is
    not looked for (the caller does it; see `EntryReader`)."""
    return StatementStream(data_or_path, check_keys=check_keys)


class StatementStream(Iterator[StatementLine]):
    def __init__(self, data_or_path: Source, *, check_keys: bool = True) -> None:
        self._state = _State()
        self._lines = _read(_source(data_or_path), self._state, check_keys)
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

    @property
    def entry_number(self) -> int:
        """The number, in the file, of the entry (Ntry) the last line given was read from."""
        return self._state.reader.entries if self._state.reader else 0

    @property
    def digest(self) -> str:
        """The SHA-256 (hex) of the file's canonical content, once every line was read."""
        if not self._state.finished or self._state.reader is None:
            raise RuntimeError("The digest of a statement is known once the whole file was read.")
        return self._state.reader.hash.hexdigest()

    def __next__(self) -> StatementLine:
        line = next(self._lines)
        assert isinstance(line, StatementLine)
        return line


class _State:
    def __init__(self) -> None:
        self.reader: _Reader | None = None
        self.finished = False


def _source(data: Source) -> BinaryIO | str:
    if isinstance(data, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(data))
    if isinstance(data, str | os.PathLike):
        return os.fspath(data)
    return data


class _Prefixed:
    """A binary file whose first bytes were read (to check the prolog), read again from its start."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head, self.rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if self.head:
            if size is None or size < 0:
                data, self.head = self.head + self.rest.read(), b""
                return data
            data, self.head = self.head[:size], self.head[size:]
            return data
        return self.rest.read(size)


def _read(
    source: BinaryIO | str, state: _State, check_keys: bool
) -> Iterator[StatementHeader | StatementLine]:
    """First the header, then the lines: one generator holds the file and the parser from start to
    end (a path is opened here and closed when the generator ends)."""
    try:
        file = open(source, "rb") if isinstance(source, str) else source  # noqa: SIM115 (closed below)
    except OSError as error:
        raise _refuse(f"le fichier ne peut pas être lu ({unreadable(error)}).") from error
    try:
        yield from _parse(file, state, check_keys)
    finally:
        if file is not source:
            file.close()


def _parse(file: BinaryIO, state: _State, check_keys: bool) -> Iterator[StatementHeader | StatementLine]:
    try:
        head = file.read(HEAD)
    except OSError as error:
        raise _refuse(f"le fichier ne peut pas être lu ({unreadable(error)}).") from error
    try:
        declared = check_prolog(head)
    except ValueError as error:
        raise _refuse(str(error)) from None
    events = etree.iterparse(_Prefixed(head, file), events=("end",), tag=_TAGS, **_PARSER_OPTIONS)
    reader: _Reader | None = None
    try:
        for _, element in events:
            if reader is None:
                # The first event is the group header's end.
                reader = state.reader = _Reader.start(element, check_keys=check_keys)
                continue
            items = reader.read(element)
            if items:
                yield from items
    except etree.XMLSyntaxError as error:
        raise _refuse(_syntax(error, started=reader is not None, declared=declared)) from error
    except OSError as error:
        raise _refuse(f"le fichier ne peut pas être lu ({unreadable(error)}).") from error
    if reader is None:
        root = events.root
        raise _refuse(_not_camt(etree.QName(root).namespace if root is not None else None))
    if not reader.header_given:
        raise _refuse("il ne contient aucun relevé de compte.")
    reader.finish()
    state.finished = True


def _syntax(error: etree.XMLSyntaxError, *, started: bool, declared: str | None) -> str:
    message = str(error.msg or error)
    where = f"ligne {error.lineno} ; " if error.lineno else ""
    if error.code == 81:  # XML_ERR_INVALID_ENCODING: bytes that are not of the encoding
        return (
            f"le fichier n'est pas écrit dans l'encodage qu'il déclare (« {declared or 'UTF-8'} », {where}"
            f"détail technique : {message}) : l'encodage déclaré est faux, le fichier n'est pas lu."
        )
    if "amplification" in message or "entity reference loop" in message:
        return DOCTYPE
    if not started and any(
        sign in message for sign in ("Start tag expected", "Document is empty", "no element")
    ):
        return "ce n'est pas un document XML (est-ce bien un relevé camt.053 ou camt.054 ?)."
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
    """The state of one file being read: its namespace, header, current statement, digest."""

    def __init__(
        self, ns: str, kind: str, message_id: str, created_at: datetime, *, check_keys: bool
    ) -> None:
        self.q = q = f"{{{ns}}}"
        self.kind, self.message_id, self.created_at = kind, message_id, created_at
        self.iban = ""
        self.header_given = False
        self.statements = 0
        self.statement: etree._Element | None = None  # the statement whose account was read
        self.entries = 0
        self.entry_reader = EntryReader(q, check_keys=check_keys)
        self.ntry, self.acct = q + "Ntry", q + "Acct"
        self.account_iban, self.account_currency = f"{q}Id/{q}IBAN", q + "Ccy"
        self.hash = hashlib.sha256(b"parcours camt c14n 1\n")
        # The part last hashed and kept in the tree, at the message's level and at a statement's:
        # every part before it is hashed and deleted.
        self.kept_top: etree._Element | None = None
        self.kept_inner: etree._Element | None = None
        self.message: etree._Element | None = None  # BkToCstmrStmt or BkToCstmrDbtCdtNtfctn

    @classmethod
    def start(cls, element: etree._Element, *, check_keys: bool) -> _Reader:
        root = element.getroottree().getroot()
        docinfo = element.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
            raise _refuse(DOCTYPE)  # beyond the first bytes checked (see prolog.py)
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
        if len(message_id) > MAX_MESSAGE_ID:
            raise _refuse(
                f"l'identifiant de message (GrpHdr/MsgId) « {message_id} » dépasse {MAX_MESSAGE_ID} caractères."
            )
        created_at = _datetime(element.findtext(q + "CreDtTm"), "l'en-tête du fichier (GrpHdr/CreDtTm)")
        reader = cls(qname.namespace, kind, message_id, created_at, check_keys=check_keys)
        reader.message = message
        reader.hash.update(f"{root.tag} {sorted(root.attrib.items())}\n".encode())
        reader._hash_before(element, top=True)
        reader._hash(element)
        reader.kept_top = element
        element.clear()
        return reader

    def read(self, element: etree._Element) -> list[StatementHeader] | list[StatementLine]:
        """What one end event gives: the header (at the first account), lines (at an entry), or
        nothing; what is read is hashed, then dropped from the tree."""
        tag = element.tag
        items: list[StatementHeader] | list[StatementLine] = []
        if tag == self.ntry:
            self.entries += 1
            if element.getparent() is not self.statement:
                raise _refuse(f"l'écriture n° {self.entries} ne suit pas l'identification d'un compte.")
            self._hash_before(element, top=False)
            self._hash(element)
            self.kept_inner = element
            items = self.entry_reader.lines(element, self.entries)
            element.clear()
        elif tag == self.acct:
            parent = element.getparent()
            if etree.QName(parent).localname in ("Stmt", "Ntfctn"):
                return self._account(element, parent)
            return items  # an Acct elsewhere is not a statement's (it is hashed with its part)
        elif etree.QName(tag).localname in ("Stmt", "Ntfctn"):
            if self.statement is None or element is not self.statement:
                raise _refuse(f"le relevé n° {self.statements + 1} n'indique pas de compte.")
            self._hash_after(element, self.kept_inner)
            self.hash.update(b"</statement>\n")
            self.statement = self.kept_inner = None
            self.kept_top = element
            element.clear()
        return items

    def finish(self) -> None:
        """Hash what follows the last statement (supplementary data)."""
        if self.message is not None:
            self._hash_after(self.message, self.kept_top)

    def _hash(self, element: etree._Element) -> None:
        self.hash.update(etree.tostring(element, method="c14n", with_comments=False))

    def _hash_before(self, element: etree._Element, *, top: bool) -> None:
        """Hash (except the part kept, already hashed) and delete the parts before `element`."""
        kept = self.kept_top if top else self.kept_inner
        parent = element.getparent()
        while element.getprevious() is not None:
            first = parent[0]
            if first is not kept and isinstance(first.tag, str):  # comments are not content
                self._hash(first)
            del parent[0]

    def _hash_after(self, parent: etree._Element, kept: etree._Element | None) -> None:
        """Hash the children of `parent` after `kept` (all of them if None)."""
        after = kept is None
        for child in parent:
            if after and isinstance(child.tag, str):
                self._hash(child)
            after = after or child is kept

    def _account(self, element: etree._Element, statement: etree._Element) -> list[StatementHeader]:
        self.statements += 1
        self.statement = statement
        self._hash_before(statement, top=True)
        self.hash.update(f"<statement {etree.QName(statement).localname}>\n".encode())
        self._hash_before(element, top=False)
        self._hash(element)
        self.kept_inner = element
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
