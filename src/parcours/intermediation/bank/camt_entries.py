"""Reading the entries (Ntry) of a camt.053 / camt.054 file into statement lines.

This runs once per entry of files of a million: the children are walked by hand, with the
qualified tag names in local variables, because lxml's find() costs ten times an index.
"""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from parcours.core.money import format_cents
from parcours.intermediation.bank.errors import BankFileError
from parcours.intermediation.bank.records import StatementLine

PREFIX = "Relevé bancaire refusé : "
_AMOUNT = re.compile(r"(\d{1,18})(?:\.(\d{1,5}))?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TAGS = (
    "Amt", "CdtDbtInd", "Sts", "BookgDt", "ValDt", "AcctSvcrRef", "NtryRef", "NtryDtls", "TxDtls", "Refs",
    "EndToEndId", "AmtDtls", "TxAmt", "RltdPties", "Dbtr", "DbtrAcct", "Cdtr", "CdtrAcct", "Nm", "Pty",
    "IBAN", "RmtInf", "Ustrd",
)  # fmt: skip


def refuse(message: str) -> BankFileError:
    return BankFileError(PREFIX + message)


class EntryReader:
    """Turns entries into lines, and refuses a line key seen before in the same file.

    That check holds every key of the file in memory (about 100 bytes each): `check_keys=False`
    leaves it to a caller that keeps the lines elsewhere (the import checks them in its database
    table, so that its memory stays flat whatever the file's size)."""

    def __init__(self, q: str, *, check_keys: bool = True) -> None:
        self.tag = {name: q + name for name in _TAGS}
        self.structured_refs = f"{q}Strd/{q}CdtrRefInf/{q}Ref"
        self.keys: set[str] | None = set() if check_keys else None

    def lines(self, entry: etree._Element, number: int) -> list[StatementLine]:
        """The lines of the `number`-th entry of the file: none unless booked, one per detail."""
        t = self.tag
        where = f"l'écriture n° {number}"
        fields: dict[str, etree._Element] = {}
        details: list[etree._Element] = []
        details_tag, detail_tag = t["NtryDtls"], t["TxDtls"]
        for child in entry:
            tag = child.tag
            if tag == details_tag:
                details.extend(detail for detail in child if detail.tag == detail_tag)
            else:
                fields[tag] = child
        amount_element = fields.get(t["Amt"])
        if amount_element is None:
            raise refuse(f"{where} n'a pas de montant.")
        amount = _amount(amount_element, where)
        credit = _direction(fields.get(t["CdtDbtInd"]), where)
        status_element = fields.get(t["Sts"])
        if status_element is None:
            raise refuse(f"{where} n'a pas de statut (Sts).")
        # Sts is a code up to 001.06, a choice (Cd or Prtry) from 001.07 on.
        status = _text(status_element) or (_text(status_element[0]) if len(status_element) else "")
        if status != "BOOK":
            return []  # pending or informative: it comes back booked in a later statement
        booked_on = _date(fields.get(t["BookgDt"]), f"{where} (date de comptabilisation)")
        if booked_on is None:
            raise refuse(f"{where} n'a pas de date de comptabilisation.")
        value_on = _date(fields.get(t["ValDt"]), f"{where} (date de valeur)") or booked_on
        entry_key = _text(fields.get(t["AcctSvcrRef"])) or _text(fields.get(t["NtryRef"]))
        if not details:
            self._check_key(entry_key, where)
            return [StatementLine(entry_key, booked_on, value_on, amount, credit, "", "", "", "")]
        lines = []
        signed_total = 0
        single = len(details) == 1
        for index, detail in enumerate(details, start=1):
            at = where if single else f"{where}, détail n° {index}"
            line = self._detail(detail, at, booked_on, value_on, credit, amount if single else None)
            if not line.line_key and entry_key:
                # The entry's reference, made unique per detail when it has several.
                key = entry_key if single else f"{entry_key}/{index}"
                line = StatementLine(key, *_fields_after_key(line))
            self._check_key(line.line_key, at)
            signed_total += line.amount_cents if line.credit else -line.amount_cents
            lines.append(line)
        if signed_total != (amount if credit else -amount):
            raise refuse(
                f"les détails de {where} totalisent {format_cents(signed_total)}, l'écriture "
                f"{format_cents(amount if credit else -amount)}."
            )
        return lines

    def _check_key(self, key: str, where: str) -> None:
        if not key:
            raise refuse(f"{where} n'a pas de référence bancaire (AcctSvcrRef ou NtryRef).")
        if self.keys is None:
            return
        if key in self.keys:
            raise refuse(f"la référence bancaire « {key} » de {where} figure déjà plus haut dans le fichier.")
        self.keys.add(key)

    def _detail(
        self,
        detail: etree._Element,
        where: str,
        booked_on: date,
        value_on: date,
        entry_credit: bool,
        entry_amount: int | None,
    ) -> StatementLine:
        """The line of one transaction detail (TxDtls); its key is "" when it has no AcctSvcrRef."""
        t = self.tag
        key = end_to_end = remittance = name = iban = ""
        amount_element = indicator = parties = info = None
        for child in detail:
            tag = child.tag
            if tag == t["Refs"]:
                for ref in child:
                    if ref.tag == t["AcctSvcrRef"]:
                        key = _text(ref)
                    elif ref.tag == t["EndToEndId"]:
                        end_to_end = _text(ref)
            elif tag == t["Amt"]:  # from 001.03 on
                amount_element = child
            elif tag == t["CdtDbtInd"]:
                indicator = child
            elif tag == t["AmtDtls"] and amount_element is None:
                for amounts in child:
                    if amounts.tag == t["TxAmt"] and len(amounts):
                        amount_element = amounts[0]
            elif tag == t["RltdPties"]:
                parties = child
            elif tag == t["RmtInf"]:
                info = child
        if amount_element is not None:
            amount = _amount(amount_element, where)
        elif entry_amount is not None:
            amount = entry_amount
        else:
            raise refuse(f"{where} n'a pas de montant.")
        credit = entry_credit if indicator is None else _direction(indicator, where)
        if parties is not None:
            # Money in: the other party is the debtor; money out, the creditor.
            party_tag, account_tag = (t["Dbtr"], t["DbtrAcct"]) if credit else (t["Cdtr"], t["CdtrAcct"])
            for child in parties:
                if child.tag == party_tag:
                    # Up to 001.07 the name is Dbtr/Nm, from 001.08 on Dbtr/Pty/Nm.
                    party = child[0] if len(child) and child[0].tag == t["Pty"] else child
                    name = next((_text(part) for part in party if part.tag == t["Nm"]), "")
                elif child.tag == account_tag and len(child) and len(child[0]):
                    identifier = child[0][0]  # DbtrAcct/Id/(IBAN | Othr)
                    if identifier.tag == t["IBAN"]:
                        iban = _text(identifier).replace(" ", "").upper()
        if info is not None:
            ustrd = t["Ustrd"]
            pieces = [_text(child) for child in info if child.tag == ustrd]
            if not any(pieces):
                pieces = [_text(ref) for ref in info.iterfind(self.structured_refs)]
            remittance = " ".join(piece for piece in pieces if piece)
        if end_to_end == "NOTPROVIDED":
            end_to_end = ""
        return StatementLine(key, booked_on, value_on, amount, credit, end_to_end, remittance, name, iban)


def _fields_after_key(line: StatementLine) -> tuple:
    return (
        line.booked_on,
        line.value_on,
        line.amount_cents,
        line.credit,
        line.end_to_end_id,
        line.remittance,
        line.counterparty_name,
        line.counterparty_iban,
    )


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    text = element.text
    return text.strip() if text else ""


def _amount(element: etree._Element, where: str) -> int:
    currency = element.get("Ccy")
    if currency != "EUR":
        raise refuse(
            f"{where} est en {currency or 'devise non précisée'} ; seuls les euros (EUR) sont acceptés."
        )
    text = _text(element)
    match = _AMOUNT.fullmatch(text)
    if not match:
        raise refuse(f"{where} a un montant illisible (« {text} »).")
    units, fraction = match.group(1), (match.group(2) or "").ljust(2, "0")
    if fraction[2:].strip("0"):
        raise refuse(f"{where} a un montant de plus de deux décimales (« {text} »).")
    cents = int(units) * 100 + int(fraction[:2])
    if cents == 0:
        raise refuse(f"{where} a un montant nul.")
    return cents


def _date(element: etree._Element | None, where: str) -> date | None:
    """The date of a Dt / DtTm choice (of a date-time, its own date as the bank wrote it)."""
    if element is None:
        return None
    text = _text(element[0]) if len(element) else ""
    if not _DATE.match(text):
        raise refuse(f"{where} : date illisible (« {text} »).")
    try:
        return date.fromisoformat(text[:10])
    except ValueError as error:
        raise refuse(f"{where} : date impossible (« {text} »).") from error


def _direction(indicator: etree._Element | None, where: str) -> bool:
    value = _text(indicator)
    if value not in ("CRDT", "DBIT"):
        raise refuse(f"{where} n'indique pas si c'est un crédit ou un débit (CdtDbtInd CRDT ou DBIT).")
    return value == "CRDT"
