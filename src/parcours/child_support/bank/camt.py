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
from datetime import date, datetime
from typing import BinaryIO

from lxml import etree

from .errors import BankFileError
from .records import Statement, StatementHeader, StatementLine

_PREFIX = "Relevé bancaire refusé : "
_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.(\d\d)")
_VERSIONS = range(2, 9)
_MESSAGES = {"camt.053": "BkToCstmrStmt", "camt.054": "BkToCstmrDbtCdtNtfctn"}
_AMOUNT = re.compile(r"(\d{1,18})(?:\.(\d{1,5}))?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
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

    kind = property(lambda self: self.header.kind)
    message_id = property(lambda self: self.header.message_id)
    account_iban = property(lambda self: self.header.account_iban)
    created_at = property(lambda self: self.header.created_at)

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


def _refuse(message: str) -> BankFileError:
    return BankFileError(_PREFIX + message)


def _read(source: BinaryIO | str) -> Iterator[StatementHeader | StatementLine]:
    """First the header, then the lines: one generator holds the parser from start to end."""
    try:
        events = etree.iterparse(
            source, events=("end",), tag=("{*}GrpHdr", "{*}Acct", "{*}Ntry", "{*}Stmt", "{*}Ntfctn"),
            **_PARSER_OPTIONS,
        )  # fmt: skip
    except OSError as error:
        raise _refuse(f"le fichier ne peut pas être lu ({error.strerror}).") from error
    reader: _Reader | None = None
    try:
        for _, element in events:
            if reader is None:
                reader = _Reader.start(element)  # the first event is the group header's end
                continue
            yield from reader.read(element)
    except etree.XMLSyntaxError as error:
        raise _refuse(_syntax(error, started=reader is not None)) from error
    except OSError as error:
        raise _refuse(f"le fichier ne peut pas être lu ({error.strerror}).") from error
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
    """The state of one file being read: its namespace, header, current statement, keys seen."""

    def __init__(self, ns: str, kind: str, message_id: str, created_at: datetime) -> None:
        self.q = q = f"{{{ns}}}"
        self.kind, self.message_id, self.created_at = kind, message_id, created_at
        self.iban = ""
        self.header_given = False
        self.statements = 0
        self.statement: etree._Element | None = None  # the statement whose account was read
        self.entries = 0
        self.keys: set[str] = set()
        # Qualified tag names, built once.
        self.t = {
            name: q + name
            for name in (
                "Amt", "CdtDbtInd", "Sts", "BookgDt", "ValDt", "AcctSvcrRef", "NtryRef", "NtryDtls",
                "TxDtls", "Refs", "EndToEndId", "AmtDtls", "RltdPties", "Dbtr", "DbtrAcct", "Cdtr",
                "CdtrAcct", "Nm", "Pty", "Id", "IBAN", "RmtInf", "Ustrd", "Ccy",
            )
        }  # fmt: skip
        self.account_iban = f"{q}Id/{q}IBAN"
        self.tx_amount = f"{q}AmtDtls/{q}TxAmt/{q}Amt"
        self.structured_refs = f"{q}Strd/{q}CdtrRefInf/{q}Ref"

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

    def read(self, element: etree._Element) -> Iterator[StatementHeader | StatementLine]:
        name = element.tag[len(self.q) :]
        if name == "Ntry":
            self.entries += 1
            if element.getparent() is not self.statement:
                raise _refuse(f"l'écriture n° {self.entries} ne suit pas l'identification d'un compte.")
            yield from self._entry(element)
        elif name == "Acct":
            parent = element.getparent()
            if etree.QName(parent).localname in ("Stmt", "Ntfctn"):
                yield from self._account(element, parent)
            return  # an Acct elsewhere is left to its entry
        elif name in ("Stmt", "Ntfctn"):
            if element is not self.statement:
                raise _refuse(f"le relevé n° {self.statements + 1} n'indique pas de compte.")
            self.statement = None
        else:
            return
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]

    def _account(self, element: etree._Element, statement: etree._Element) -> Iterator[StatementHeader]:
        t = self.t
        self.statements += 1
        self.statement = statement
        where = f"le relevé n° {self.statements}"
        iban = re.sub(r"\s", "", element.findtext(self.account_iban) or "").upper()
        if not iban:
            raise _refuse(f"{where} n'identifie pas le compte par un IBAN.")
        currency = element.findtext(t["Ccy"])
        if currency is not None and currency.strip() != "EUR":
            raise _refuse(
                f"{where} porte sur un compte en {currency.strip()} ; seuls les euros (EUR) sont acceptés."
            )
        if not self.header_given:
            self.iban = iban
            self.header_given = True
            yield StatementHeader(self.kind, self.message_id, iban, self.created_at)
        elif iban != self.iban:
            raise _refuse(
                f"{where} porte sur le compte {iban}, le premier sur {self.iban} : un compte par fichier."
            )

    def _entry(self, entry: etree._Element) -> Iterator[StatementLine]:
        # One pass over the children, not one find() each: the reader's cost is mostly here.
        t, number = self.t, self.entries
        where = f"l'écriture n° {number}"
        fields: dict[str, etree._Element] = {}
        details: list[etree._Element] = []
        for child in entry:
            if child.tag == t["NtryDtls"]:
                details.extend(detail for detail in child if detail.tag == t["TxDtls"])
            else:
                fields[child.tag] = child
        amount_element = fields.get(t["Amt"])
        if amount_element is None:
            raise _refuse(f"{where} n'a pas de montant.")
        amount = _amount(amount_element, where)
        credit = _direction(fields.get(t["CdtDbtInd"]), where)
        status_element = fields.get(t["Sts"])
        if status_element is None:
            raise _refuse(f"{where} n'a pas de statut (Sts).")
        # Sts is a code up to 001.06, a choice (Cd or Prtry) from 001.07 on.
        status = _text(status_element) or (_text(status_element[0]) if len(status_element) else "")
        if status != "BOOK":
            return  # pending or informative: it comes back booked later
        booked_on = _date(fields.get(t["BookgDt"]), f"{where} (date de comptabilisation)")
        if booked_on is None:
            raise _refuse(f"{where} n'a pas de date de comptabilisation.")
        value_on = _date(fields.get(t["ValDt"]), f"{where} (date de valeur)") or booked_on
        entry_key = _text(fields.get(t["AcctSvcrRef"])) or _text(fields.get(t["NtryRef"]))
        if not details:
            yield self._line(entry_key, where, booked_on, value_on, amount, credit, {})
            return
        lines = []
        signed_total = 0
        for index, detail in enumerate(details, start=1):
            at = f"{where}, détail n° {index}" if len(details) > 1 else where
            tx = {child.tag: child for child in detail}
            refs = tx.get(t["Refs"])
            key = _text(refs.find(t["AcctSvcrRef"])) if refs is not None else ""
            if not key and entry_key:
                key = entry_key if len(details) == 1 else f"{entry_key}/{index}"
            detail_amount = tx.get(t["Amt"])  # from 001.03 on
            if detail_amount is None and t["AmtDtls"] in tx:
                detail_amount = tx[t["AmtDtls"]].find(self.tx_amount)
            if detail_amount is not None:
                value = _amount(detail_amount, at)
            elif len(details) == 1:
                value = amount
            else:
                raise _refuse(f"{at} n'a pas de montant.")
            indicator = tx.get(t["CdtDbtInd"])
            detail_credit = credit if indicator is None else _direction(indicator, at)
            signed_total += value if detail_credit else -value
            lines.append(self._line(key, at, booked_on, value_on, value, detail_credit, tx))
        if signed_total != (amount if credit else -amount):
            raise _refuse(
                f"les détails de {where} totalisent {_euros(signed_total)}, l'écriture "
                f"{_euros(amount if credit else -amount)}."
            )
        yield from lines

    def _line(
        self,
        key: str,
        where: str,
        booked_on: date,
        value_on: date,
        amount: int,
        credit: bool,
        tx: dict[str, etree._Element],
    ) -> StatementLine:
        t = self.t
        if not key:
            raise _refuse(f"{where} n'a pas de référence bancaire (AcctSvcrRef ou NtryRef).")
        if key in self.keys:
            raise _refuse(
                f"la référence bancaire « {key} » de {where} figure déjà plus haut dans le fichier."
            )
        self.keys.add(key)
        end_to_end = remittance = name = iban = ""
        refs = tx.get(t["Refs"])
        if refs is not None:
            end_to_end = _text(refs.find(t["EndToEndId"]))
            if end_to_end == "NOTPROVIDED":
                end_to_end = ""
        parties = tx.get(t["RltdPties"])
        if parties is not None:
            # Money in: the other party is the debtor; money out, the creditor.
            party_tag, account_tag = (t["Dbtr"], t["DbtrAcct"]) if credit else (t["Cdtr"], t["CdtrAcct"])
            for child in parties:
                if child.tag == party_tag:
                    # Up to 001.07 the name is Dbtr/Nm, from 001.08 on Dbtr/Pty/Nm.
                    party = child[0] if len(child) and child[0].tag == t["Pty"] else child
                    name = _text(party.find(t["Nm"]))
                elif child.tag == account_tag:
                    iban = _text(child.find(self.account_iban))
        info = tx.get(t["RmtInf"])
        if info is not None:
            pieces = [_text(child) for child in info if child.tag == t["Ustrd"]]
            if not any(pieces):
                pieces = [_text(ref) for ref in info.iterfind(self.structured_refs)]
            remittance = " ".join(piece for piece in pieces if piece)
        return StatementLine(
            line_key=key,
            booked_on=booked_on,
            value_on=value_on,
            amount_cents=amount,
            credit=credit,
            end_to_end_id=end_to_end,
            remittance=remittance,
            counterparty_name=name,
            counterparty_iban=iban.replace(" ", "").upper(),
        )


def _text(element: etree._Element | None) -> str:
    if element is None or element.text is None:
        return ""
    return element.text.strip()


def _amount(element: etree._Element, where: str) -> int:
    currency = element.get("Ccy")
    if currency != "EUR":
        raise _refuse(
            f"{where} est en {currency or 'devise non précisée'} ; seuls les euros (EUR) sont acceptés."
        )
    text = _text(element)
    match = _AMOUNT.fullmatch(text)
    if not match:
        raise _refuse(f"{where} a un montant illisible (« {text} »).")
    units, fraction = match.group(1), (match.group(2) or "").ljust(2, "0")
    if fraction[2:].strip("0"):
        raise _refuse(f"{where} a un montant de plus de deux décimales (« {text} »).")
    cents = int(units) * 100 + int(fraction[:2])
    if cents == 0:
        raise _refuse(f"{where} a un montant nul.")
    return cents


def _date(element: etree._Element | None, where: str) -> date | None:
    """The date of a Dt / DtTm choice (a date-time's own date, as the bank wrote it)."""
    if element is None:
        return None
    text = _text(element[0]) if len(element) else ""
    if not _DATE.match(text):
        raise _refuse(f"{where} : date illisible (« {text} »).")
    try:
        return date.fromisoformat(text[:10])
    except ValueError as error:
        raise _refuse(f"{where} : date impossible (« {text} »).") from error


def _direction(indicator: etree._Element | None, where: str) -> bool:
    value = _text(indicator)
    if value not in ("CRDT", "DBIT"):
        raise _refuse(f"{where} n'indique pas si c'est un crédit ou un débit (CdtDbtInd CRDT ou DBIT).")
    return value == "CRDT"


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


def _euros(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return f"{sign}{units:,}".replace(",", " ") + f",{rest:02d} €"
