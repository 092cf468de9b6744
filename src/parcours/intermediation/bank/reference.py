"""The reference writers: the same documents as `pain.py`, built by sepaxml's element tree.

Kept to prove the fast writers right (the tests compare both byte for byte) and as the fallback
should a bank ask for what sepaxml writes. sepaxml stamps random identifiers and the current time;
they are replaced here by the caller's, so the output is deterministic, and the layout is set to
the fast writers' one (one transaction per line).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime

from lxml import etree
from sepaxml import SepaDD, SepaTransfer

from parcours.intermediation.bank.orders import (
    NOT_PROVIDED,
    PAIN_001,
    PAIN_008,
    CreditOrder,
    DebitOrder,
    credit_order,
    debit_order,
)
from parcours.intermediation.bank.pain import XML_DECLARATION
from parcours.intermediation.bank.records import Account, Debit, Transfer


def reference_credit_transfers_xml(
    *,
    message_id: str,
    created_at: datetime,
    initiator: Account,
    execution_date: date,
    transfers: Sequence[Transfer],
) -> bytes:
    order = credit_order(
        message_id=message_id,
        created_at=created_at,
        initiator=initiator,
        execution_date=execution_date,
        transfers=transfers,
    )
    return _credit(order)


def reference_direct_debits_xml(
    *,
    message_id: str,
    created_at: datetime,
    creditor: Account,
    creditor_identifier: str,
    collection_date: date,
    debits: Sequence[Debit],
) -> bytes:
    order = debit_order(
        message_id=message_id,
        created_at=created_at,
        creditor=creditor,
        creditor_identifier=creditor_identifier,
        collection_date=collection_date,
        debits=debits,
    )
    return _debit(order)


def _credit(order: CreditOrder) -> bytes:
    payer = order.initiator
    config = {"name": payer.name, "IBAN": payer.iban, "batch": True, "currency": "EUR"}
    if payer.bic:
        config["BIC"] = payer.bic
    sepa = SepaTransfer(config, schema=PAIN_001, clean=False)
    with _quiet():
        for line in order.lines:
            payment = {
                "name": line.creditor.name,
                "IBAN": line.creditor.iban,
                "amount": line.amount_cents,
                "execution_date": order.execution_date,
                "description": line.remittance,
                "endtoend_id": line.end_to_end_id,
            }
            if line.creditor.bic:
                payment["BIC"] = line.creditor.bic
            sepa.add_payment(payment)
        root = etree.fromstring(sepa.export(validate=False))
    ns = f"{{urn:iso:std:iso:20022:tech:xsd:{PAIN_001}}}"
    for block in root.iter(f"{ns}PmtInf"):
        block.find(f"{ns}PmtInfId").text = order.payment_info_id()
        agent = block.find(f"{ns}DbtrAgt/{ns}FinInstnId")
        if len(agent) == 0:  # sepaxml leaves it empty; the EPC guidelines say NOTPROVIDED
            etree.SubElement(etree.SubElement(agent, f"{ns}Othr"), f"{ns}Id").text = NOT_PROVIDED
    return _finish(root, ns, order.message_id, order.created_at, f"{ns}CdtTrfTxInf")


def _debit(order: DebitOrder) -> bytes:
    payee = order.creditor
    config = {
        "name": payee.name,
        "IBAN": payee.iban,
        "batch": True,
        "currency": "EUR",
        "creditor_id": order.creditor_identifier,
    }
    if payee.bic:
        config["BIC"] = payee.bic
    sepa = SepaDD(config, schema=PAIN_008, clean=False)
    with _quiet():
        for line in order.lines:
            payment = {
                "name": line.debtor.name,
                "IBAN": line.debtor.iban,
                "amount": line.amount_cents,
                "type": line.sequence,
                "collection_date": order.collection_date,
                "mandate_id": line.mandate_id,
                "mandate_date": line.mandate_signed_on,
                "description": line.remittance,
                "endtoend_id": line.end_to_end_id,
            }
            if line.debtor.bic:
                payment["BIC"] = line.debtor.bic
            sepa.add_payment(payment)
        root = etree.fromstring(sepa.export(validate=False))
    ns = f"{{urn:iso:std:iso:20022:tech:xsd:{PAIN_008}}}"
    for block in root.iter(f"{ns}PmtInf"):
        sequence = block.findtext(f"{ns}PmtTpInf/{ns}SeqTp")
        block.find(f"{ns}PmtInfId").text = order.payment_info_id(sequence)
    return _finish(root, ns, order.message_id, order.created_at, f"{ns}DrctDbtTxInf")


@contextmanager
def _quiet() -> Iterator[None]:
    """sepaxml 2.7 tests elements' truth value, which ElementTree deprecates: not our warning."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="sepaxml")
        yield


def _finish(root: etree._Element, ns: str, message_id: str, created_at: str, tx_tag: str) -> bytes:
    """Stamp the caller's identifiers and time, and lay the document out one transaction a line."""
    initiation = root[0]
    header = initiation.find(f"{ns}GrpHdr")
    header.find(f"{ns}MsgId").text = message_id
    header.find(f"{ns}CreDtTm").text = created_at
    initiation.text = "\n"
    header.tail = "\n"
    for block in initiation.iter(f"{ns}PmtInf"):
        block.tail = "\n"
        for child in block:
            if child.tag == tx_tag or (child.getnext() is not None and child.getnext().tag == tx_tag):
                child.tail = "\n"
    return (XML_DECLARATION + etree.tostring(root, encoding="unicode") + "\n").encode()
