"""Writing a bank statement (camt.053.001.02), as the Caf's bank would send it.

Used by the demo, the benchmarks and the tests to play the bank's part; `parse_statement` reads it
back exactly. The statement has what a French bank's camt.053 carries: opening and closing booked
balances, a transactions summary, and per line one entry (Ntry) with its bank reference, bank
transaction code and one transaction detail (references, amount, related party, remittance).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime

from parcours.core.money import cents_text
from parcours.intermediation.bank.checks import (
    MAX_ID,
    MAX_NAME,
    check_date,
    check_datetime,
    check_id,
    check_xml_text,
    xml_escape,
)
from parcours.intermediation.bank.errors import BankFileError
from parcours.intermediation.bank.records import Account, StatementLine

CAMT_053 = "camt.053.001.02"
_IBAN_FORM = re.compile(r"[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}")  # the XSD's IBAN2007Identifier
_BIC_FORM = re.compile(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?")  # its BICIdentifier
_CHUNK = 10_000


def statement_xml(
    *,
    message_id: str,
    created_at: datetime,
    account: Account,
    from_date: date,
    to_date: date,
    lines: Sequence[StatementLine],
    opening_balance_cents: int = 0,
) -> bytes:
    """A camt.053.001.02 statement of `account` from `from_date` to `to_date` with one booked entry
    per line; the closing balance is the opening one plus the lines. Deterministic."""
    return b"".join(
        iter_statement_xml(
            message_id=message_id,
            created_at=created_at,
            account=account,
            from_date=from_date,
            to_date=to_date,
            lines=lines,
            opening_balance_cents=opening_balance_cents,
        )
    )


def iter_statement_xml(
    *,
    message_id: str,
    created_at: datetime,
    account: Account,
    from_date: date,
    to_date: date,
    lines: Sequence[StatementLine],
    opening_balance_cents: int = 0,
) -> Iterator[bytes]:
    """`statement_xml` in chunks; every input is checked before this returns."""
    prefix = "Relevé bancaire non écrit : "
    try:
        check_id(message_id, "l'identifiant du message")
        check_datetime(created_at, "la date de création")
        check_date(from_date, "la date de début")
        check_date(to_date, "la date de fin")
        iban = _iban(account.iban, "du compte")
        if account.bic and not _BIC_FORM.fullmatch(account.bic):
            raise BankFileError(f"le BIC du compte « {account.bic} » n'a pas la forme d'un BIC.")
        check_xml_text(account.name, "le nom du titulaire", limit=MAX_NAME)
        if to_date < from_date:
            raise BankFileError("la date de fin précède la date de début.")
        if isinstance(opening_balance_cents, bool) or not isinstance(opening_balance_cents, int):
            raise BankFileError("le solde d'ouverture doit être un nombre entier de centimes.")
        credits = debits = 0
        seen: set[str] = set()
        for number, line in enumerate(lines, start=1):
            _check_line(line, number, seen)
            if line.credit:
                credits += line.amount_cents
            else:
                debits += line.amount_cents
    except BankFileError as error:
        raise BankFileError(f"{prefix}{error}") from error
    closing = opening_balance_cents + credits - debits
    return _render(message_id, created_at, account, iban, from_date, to_date, lines,
                   opening_balance_cents, closing, credits, debits)  # fmt: skip


def _iban(value: str, of: str) -> str:
    if not isinstance(value, str) or not _IBAN_FORM.fullmatch(value):
        raise BankFileError(
            f"l'IBAN {of} « {value} » n'a pas la forme d'un IBAN (lettres et chiffres, sans espace)."
        )
    return value


def _check_line(line: StatementLine, number: int, seen: set[str]) -> None:
    what = f"la ligne n° {number}"
    try:
        check_xml_text(line.line_key, "la référence bancaire", limit=MAX_ID)
        if not line.line_key.strip() or line.line_key != line.line_key.strip():
            raise BankFileError("la référence bancaire est vide ou entourée d'espaces.")
        if line.line_key in seen:
            raise BankFileError(f"la référence bancaire « {line.line_key} » figure déjà plus haut.")
        seen.add(line.line_key)
        amount = line.amount_cents
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise BankFileError(
                f"le montant doit être un nombre entier de centimes positif (reçu {amount!r})."
            )
        check_date(line.booked_on, "la date de comptabilisation")
        check_date(line.value_on, "la date de valeur")
        if line.end_to_end_id:
            check_xml_text(line.end_to_end_id, "la référence de bout en bout", limit=MAX_ID)
        check_xml_text(line.remittance, "le libellé", limit=140 * 9)
        check_xml_text(line.counterparty_name, "le nom de la contrepartie", limit=MAX_NAME)
        if line.counterparty_iban:
            _iban(line.counterparty_iban, "de la contrepartie")
    except BankFileError as error:
        raise BankFileError(f"{what} : {error}") from error


def _balance(code: str, cents: int, on: date) -> str:
    indicator = "CRDT" if cents >= 0 else "DBIT"
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="EUR">{cents_text(abs(cents))}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>'
        f"<Dt><Dt>{on.isoformat()}</Dt></Dt></Bal>\n"
    )


def _ustrd(text: str) -> list[str]:
    """The remittance in Max140Text pieces cut at spaces, which the reader joins back with one space
    (exact for a text without surrounding spaces and without a word of more than 140 characters)."""
    pieces: list[str] = []
    words = [word[i : i + 140] for word in text.split(" ") for i in range(0, max(len(word), 1), 140)]
    for word in words:
        if pieces and len(pieces[-1]) + 1 + len(word) <= 140:
            pieces[-1] += " " + word
        else:
            pieces.append(word)
    return [piece for piece in pieces if piece]


def _entry(line: StatementLine) -> str:
    amount = cents_text(line.amount_cents)
    key = xml_escape(line.line_key)
    if line.credit:  # SEPA credit transfer received
        indicator, family, party, party_account = "CRDT", "RCDT", "Dbtr", "DbtrAcct"
    else:  # SEPA credit transfer issued
        indicator, family, party, party_account = "DBIT", "ICDT", "Cdtr", "CdtrAcct"
    parties = ""
    if line.counterparty_name:
        parties += f"<{party}><Nm>{xml_escape(line.counterparty_name)}</Nm></{party}>"
    if line.counterparty_iban:
        parties += f"<{party_account}><Id><IBAN>{line.counterparty_iban}</IBAN></Id></{party_account}>"
    if parties:
        parties = f"<RltdPties>{parties}</RltdPties>"
    remittance = "".join(f"<Ustrd>{xml_escape(piece)}</Ustrd>" for piece in _ustrd(line.remittance))
    if remittance:
        remittance = f"<RmtInf>{remittance}</RmtInf>"
    code = (
        f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn>"
        f"</BkTxCd>"
    )
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd><Sts>BOOK</Sts>'
        f"<BookgDt><Dt>{line.booked_on.isoformat()}</Dt></BookgDt>"
        f"<ValDt><Dt>{line.value_on.isoformat()}</Dt></ValDt><AcctSvcrRef>{key}</AcctSvcrRef>{code}"
        f"<NtryDtls><TxDtls><Refs><AcctSvcrRef>{key}</AcctSvcrRef>"
        f"<EndToEndId>{xml_escape(line.end_to_end_id) or 'NOTPROVIDED'}</EndToEndId></Refs>"
        f'<AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>{code}{parties}{remittance}'
        f"</TxDtls></NtryDtls></Ntry>\n"
    )


def _render(
    message_id: str,
    created_at: datetime,
    account: Account,
    iban: str,
    from_date: date,
    to_date: date,
    lines: Sequence[StatementLine],
    opening: int,
    closing: int,
    credits: int,
    debits: int,
) -> Iterator[bytes]:
    created = created_at.isoformat()
    count = len(lines)
    credit_count = sum(1 for line in lines if line.credit)
    net = credits - debits
    servicer = f"<Svcr><FinInstnId><BIC>{account.bic}</BIC></FinInstnId></Svcr>" if account.bic else ""
    owner = f"<Ownr><Nm>{xml_escape(account.name)}</Nm></Ownr>" if account.name else ""
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:{CAMT_053}"><BkToCstmrStmt>\n'
        f"<GrpHdr><MsgId>{message_id}</MsgId><CreDtTm>{created}</CreDtTm></GrpHdr>\n"
        f"<Stmt><Id>{message_id}</Id><CreDtTm>{created}</CreDtTm>"
        f"<FrToDt><FrDtTm>{from_date.isoformat()}T00:00:00</FrDtTm>"
        f"<ToDtTm>{to_date.isoformat()}T23:59:59</ToDtTm></FrToDt>"
        f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy>{owner}{servicer}</Acct>\n"
        f"{_balance('OPBD', opening, from_date)}{_balance('CLBD', closing, to_date)}"
        f"<TxsSummry><TtlNtries><NbOfNtries>{count}</NbOfNtries><Sum>{cents_text(credits + debits)}</Sum>"
        f"<TtlNetNtryAmt>{cents_text(abs(net))}</TtlNetNtryAmt>"
        f"<CdtDbtInd>{'CRDT' if net >= 0 else 'DBIT'}</CdtDbtInd></TtlNtries>"
        f"<TtlCdtNtries><NbOfNtries>{credit_count}</NbOfNtries><Sum>{cents_text(credits)}</Sum></TtlCdtNtries>"
        f"<TtlDbtNtries><NbOfNtries>{count - credit_count}</NbOfNtries><Sum>{cents_text(debits)}</Sum>"
        f"</TtlDbtNtries></TxsSummry>\n"
    ).encode()
    for start in range(0, count, _CHUNK):
        yield "".join(_entry(line) for line in lines[start : start + _CHUNK]).encode()
    yield b"</Stmt>\n</BkToCstmrStmt></Document>\n"
