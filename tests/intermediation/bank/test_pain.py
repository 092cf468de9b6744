"""SEPA payment orders: pain.001 (transfers to creditors) and pain.008 (direct debits on debtors)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from parcours.intermediation.bank import (
    PAIN_001,
    PAIN_008,
    Account,
    BankFileError,
    Debit,
    Transfer,
    credit_transfers_xml,
    direct_debits_xml,
    iter_credit_transfers_xml,
    validate_pain,
)
from parcours.intermediation.bank.reference import reference_credit_transfers_xml, reference_direct_debits_xml

from .conftest import CAF, IBANS, ICS, assert_valid, cents, pain_xsd

CREATED = datetime(2026, 1, 5, 10, 30)
ON = date(2026, 1, 6)
NS1 = {"p": f"urn:iso:std:iso:20022:tech:xsd:{PAIN_001}"}
NS8 = {"p": f"urn:iso:std:iso:20022:tech:xsd:{PAIN_008}"}


def caf(bic: str = CAF["bic"]) -> Account:
    return Account(CAF["name"], CAF["iban"], bic)


def transfer(i: int, amount: int = 12_345, **changes) -> Transfer:
    fields = {
        "end_to_end_id": f"PO-{i}-20260106",
        "amount_cents": amount,
        "creditor": Account(f"Hélène Créancière {i}", IBANS[i % len(IBANS)], "BNPAFRPP" if i % 2 else ""),
        "remittance": f"Pension alimentaire janvier 2026 - dossier {i}",
    }
    return Transfer(**{**fields, **changes})


def debit(i: int, amount: int = 20_150, **changes) -> Debit:
    fields = {
        "end_to_end_id": f"DD-{i}-20260108",
        "amount_cents": amount,
        "debtor": Account(f"Jean Débiteur {i}", IBANS[i % len(IBANS)], "" if i % 3 else "CEPAFRPP"),
        "mandate_id": f"RUM-IFPA-{i}",
        "mandate_signed_on": date(2025, 9, 1),
        "sequence": "FRST" if i % 4 == 0 else "RCUR",
        "remittance": f"Recouvrement pension alimentaire - dossier {i}",
    }
    return Debit(**{**fields, **changes})


def transfers_xml(transfers, **changes) -> bytes:
    arguments = {
        "message_id": "IFPA-20260105-001",
        "created_at": CREATED,
        "initiator": caf(),
        "execution_date": ON,
        "transfers": transfers,
    }
    return credit_transfers_xml(**{**arguments, **changes})


def debits_xml(debits, **changes) -> bytes:
    arguments = {
        "message_id": "IFPA-20260105-002",
        "created_at": CREATED,
        "creditor": caf(),
        "creditor_identifier": ICS,
        "collection_date": date(2026, 1, 8),
        "debits": debits,
    }
    return direct_debits_xml(**{**arguments, **changes})


# --- valid against the XSD, amounts exact -----------------------------------------------------------


@pytest.mark.parametrize("count", [1, 7, 2_000])
def test_credit_transfers_are_valid_and_carry_the_exact_cents(count):
    transfers = [transfer(i, amount=1 + i * 997) for i in range(count)]
    xml = transfers_xml(transfers)
    assert_valid(pain_xsd(PAIN_001), xml)
    validate_pain(xml)
    doc = etree.fromstring(xml)
    amounts = [cents(a) for a in doc.xpath("//p:CdtTrfTxInf/p:Amt/p:InstdAmt/text()", namespaces=NS1)]
    assert amounts == [t.amount_cents for t in transfers]
    assert doc.xpath("//p:InstdAmt/@Ccy", namespaces=NS1) == ["EUR"] * count
    total = sum(t.amount_cents for t in transfers)
    for header in ("p:CstmrCdtTrfInitn/p:GrpHdr", "p:CstmrCdtTrfInitn/p:PmtInf"):
        assert cents(doc.xpath(f"{header}/p:CtrlSum/text()", namespaces=NS1)[0]) == total
        assert int(doc.xpath(f"{header}/p:NbOfTxs/text()", namespaces=NS1)[0]) == count
    ids = doc.xpath("//p:EndToEndId/text()", namespaces=NS1)
    assert ids == [t.end_to_end_id for t in transfers]
    assert doc.xpath("//p:ReqdExctnDt/p:Dt/text()", namespaces=NS1) == ["2026-01-06"]
    assert xml.count(b"\n") == count + 6  # one transaction per line


@pytest.mark.parametrize("count", [1, 9, 2_000])
def test_direct_debits_are_valid_with_one_block_per_sequence(count):
    debits = [debit(i, amount=50 + i * 313) for i in range(count)]
    xml = debits_xml(debits)
    assert_valid(pain_xsd(PAIN_008), xml)
    validate_pain(xml)
    doc = etree.fromstring(xml)
    header = doc.find("p:CstmrDrctDbtInitn/p:GrpHdr", namespaces=NS8)
    assert cents(header.findtext("p:CtrlSum", namespaces=NS8)) == sum(d.amount_cents for d in debits)
    assert int(header.findtext("p:NbOfTxs", namespaces=NS8)) == count
    for block in doc.iterfind("p:CstmrDrctDbtInitn/p:PmtInf", namespaces=NS8):
        sequence = block.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS8)
        mine = [d for d in debits if d.sequence == sequence]
        amounts = [cents(a) for a in block.xpath("p:DrctDbtTxInf/p:InstdAmt/text()", namespaces=NS8)]
        assert amounts == [d.amount_cents for d in mine]
        assert cents(block.findtext("p:CtrlSum", namespaces=NS8)) == sum(amounts)
        assert int(block.findtext("p:NbOfTxs", namespaces=NS8)) == len(mine)
        assert block.findtext("p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id", namespaces=NS8) == ICS
        assert block.xpath("p:DrctDbtTxInf/p:DrctDbtTx/p:MndtRltdInf/p:MndtId/text()", namespaces=NS8) == [
            d.mandate_id for d in mine
        ]
    sequences = doc.xpath("//p:SeqTp/text()", namespaces=NS8)
    assert sorted(sequences) == sorted({d.sequence for d in debits})


def test_names_and_remittances_are_written_in_the_sepa_character_set():
    xml = transfers_xml(
        [transfer(1, creditor=Account("Zoé L'Œillet & fils", IBANS[0]), remittance="Été € 2026")]
    )
    assert b"<Nm>Zoe L'OEillet + fils</Nm>" in xml
    assert b"<Ustrd>Ete 2026</Ustrd>" in xml
    long_name = Account("Marie-" + "Élisabeth " * 12, IBANS[1])
    xml = transfers_xml([transfer(2, creditor=long_name)])
    name = etree.fromstring(xml).xpath("//p:Cdtr/p:Nm/text()", namespaces=NS1)[0]
    assert len(name) <= 70 and name.startswith("Marie-Elisabeth Elisabeth")


def test_the_iban_is_written_compact_and_a_missing_bic_says_notprovided():
    xml = transfers_xml(
        [transfer(1, creditor=Account("Ana", "fr76 3000 4000 0000 0000 0000 151"))], initiator=caf("")
    )
    assert b"<IBAN>FR7630004000000000000000151</IBAN>" in xml
    assert b"<DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>" in xml
    assert b"<CdtrAgt>" not in xml
    assert_valid(pain_xsd(PAIN_001), xml)


# --- deterministic, and identical to sepaxml's documents ------------------------------------------------


def test_same_input_same_bytes():
    transfers = [transfer(i) for i in range(50)]
    assert transfers_xml(transfers) == transfers_xml(list(transfers))
    debits = [debit(i) for i in range(50)]
    assert debits_xml(debits) == debits_xml(list(debits))


def test_the_chunked_writer_gives_the_same_bytes():
    transfers = [transfer(i) for i in range(25_001)]
    arguments = {"message_id": "M-1", "created_at": CREATED, "initiator": caf(), "execution_date": ON}
    chunks = list(iter_credit_transfers_xml(**arguments, transfers=transfers))
    assert len(chunks) > 3
    assert b"".join(chunks) == credit_transfers_xml(**arguments, transfers=transfers)


names = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCXYZéèàçôœÉÈ'&-. 0123456789", min_size=1, max_size=90
).filter(lambda s: any(c.isalnum() for c in s))
amounts = st.integers(min_value=1, max_value=99_999_999_999)
bics = st.sampled_from(["", "BNPAFRPP", "AGRIFRPPXXX", "CEPAFRPP"])


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(amounts, names, st.integers(0, len(IBANS) - 1), bics, names), min_size=1, max_size=12
    ),
    own_bic=bics,
)
def test_fast_writer_equals_the_sepaxml_reference_for_transfers(rows, own_bic):
    transfers = [
        Transfer(f"E2E-{i}", amount, Account(name, IBANS[iban], bic), remittance[:140])
        for i, (amount, name, iban, bic, remittance) in enumerate(rows)
    ]
    arguments = {
        "message_id": "IFPA-PROP-1",
        "created_at": CREATED,
        "initiator": caf(own_bic),
        "execution_date": ON,
        "transfers": transfers,
    }
    fast = credit_transfers_xml(**arguments)
    assert fast == reference_credit_transfers_xml(**arguments)
    assert_valid(pain_xsd(PAIN_001), fast)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(amounts, names, st.integers(0, len(IBANS) - 1), bics, st.sampled_from(["FRST", "RCUR"])),
        min_size=1,
        max_size=12,
    ),
    own_bic=bics,
)
def test_fast_writer_equals_the_sepaxml_reference_for_debits(rows, own_bic):
    debits = [
        Debit(
            f"DD-{i}", amount, Account(name, IBANS[iban], bic), f"RUM-{i}", date(2025, 1, 31), sequence, name
        )
        for i, (amount, name, iban, bic, sequence) in enumerate(rows)
    ]
    arguments = {
        "message_id": "IFPA-PROP-2",
        "created_at": CREATED,
        "creditor": caf(own_bic),
        "creditor_identifier": ICS,
        "collection_date": ON,
        "debits": debits,
    }
    fast = direct_debits_xml(**arguments)
    assert fast == reference_direct_debits_xml(**arguments)
    assert_valid(pain_xsd(PAIN_008), fast)


# --- refused inputs, in French -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount_cents": 0}, "le virement n° 1 (PO-0-20260106) : le montant doit être strictement positif"),
        ({"amount_cents": -100}, "strictement positif (reçu -100 centimes)"),
        ({"amount_cents": 12.5}, "le montant doit être un nombre entier de centimes (reçu 12.5)"),
        ({"amount_cents": True}, "nombre entier de centimes"),
        ({"amount_cents": 100_000_000_000}, "plafond SEPA"),
        ({"end_to_end_id": "X" * 36}, "dépasse 35 caractères (36)"),
        ({"end_to_end_id": ""}, "la référence de bout en bout est obligatoire"),
        ({"end_to_end_id": "PO 1 é"}, "contient des caractères non admis"),
        ({"end_to_end_id": "/PO-1"}, "ne peut ni commencer ni finir par « / »"),
        ({"remittance": "x" * 141}, "le libellé dépasse 140 caractères (141)"),
        ({"remittance": "  "}, "le libellé du paiement est obligatoire"),
        ({"creditor": Account("", IBANS[0])}, "le nom du créancier est obligatoire"),
        ({"creditor": Account("Ana", "FR7630004000000000000000152")}, "clé de contrôle fausse"),
        ({"creditor": Account("Ana", "FR76300040000000000000001")}, "longueur incorrecte"),
        ({"creditor": Account("Ana", "XX7630004000000000000000151")}, "code pays inconnu"),
        ({"creditor": Account("Ana", "")}, "l'IBAN du créancier est obligatoire"),
        ({"creditor": Account("Ana", "BR1500000000000010932840814P2")}, "hors de la zone SEPA"),
        (
            {"creditor": Account("Ana", IBANS[0], "AGRIXXPP")},
            "le BIC du créancier « AGRIXXPP » n'est pas valide",
        ),
        ({"creditor": Account("Ana", IBANS[0], "AGR")}, "le BIC du créancier « AGR » n'est pas valide"),
    ],
)
def test_a_refused_transfer_says_why_in_french(changes, message):
    with pytest.raises(BankFileError) as refused:
        transfers_xml([transfer(0, **changes)])
    assert str(refused.value).startswith("Ordre de virement refusé : ")
    assert message in str(refused.value)


def test_the_iban_error_names_the_transfer_and_the_iban():
    good = [transfer(i) for i in range(3)]
    bad = transfer(3, creditor=Account("Ana", "FR7630004000000000000000152"))
    with pytest.raises(BankFileError, match=r"le virement n° 4 \(PO-3-20260106\) : l'IBAN du créancier"):
        transfers_xml([*good, bad])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"transfers": []}, "il ne contient aucun virement"),
        ({"message_id": "M" * 36}, "l'identifiant du message « " + "M" * 36 + " » dépasse 35 caractères"),
        ({"initiator": Account(CAF["name"], "FR7630006000011234567890188")}, "l'IBAN du compte de la Caf"),
        ({"execution_date": date(2026, 1, 4)}, "la date d'exécution (04/01/2026) est antérieure"),
        ({"execution_date": datetime(2026, 1, 6)}, "la date d'exécution doit être une date"),
        ({"created_at": date(2026, 1, 5)}, "la date de création doit être une date et une heure"),
        (
            {"transfers": [transfer(1), transfer(2), transfer(1)]},
            "le virement n° 3 (PO-1-20260106) : sa référence",
        ),
    ],
)
def test_a_refused_order_of_transfers_says_why(changes, message):
    with pytest.raises(BankFileError) as refused:
        transfers_xml(changes.pop("transfers", [transfer(1)]), **changes)
    assert message in str(refused.value)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"amount_cents": 0},
            "le prélèvement n° 1 (DD-0-20260108) : le montant doit être strictement positif",
        ),
        ({"sequence": "OOFF"}, "le type de séquence « OOFF » est inconnu"),
        ({"mandate_id": "R" * 36}, "la référence unique du mandat (RUM)"),
        (
            {"mandate_signed_on": date(2026, 1, 9)},
            "le mandat est signé le 09/01/2026, après la date d'échéance",
        ),
        ({"debtor": Account("Jean", "FR7630004000000000000000152")}, "l'IBAN du débiteur"),
        ({"remittance": ""}, "le libellé du paiement est obligatoire"),
    ],
)
def test_a_refused_debit_says_why_in_french(changes, message):
    with pytest.raises(BankFileError) as refused:
        debits_xml([debit(0, **changes)])
    assert str(refused.value).startswith("Ordre de prélèvement refusé : ")
    assert message in str(refused.value)


@pytest.mark.parametrize("ics", ["FR73ZZZ123456", "FRZZ123456", "", "DE98ZZZ0999999999X"])
def test_a_wrong_creditor_identifier_is_refused(ics):
    with pytest.raises(BankFileError, match="l'identifiant créancier SEPA"):
        debits_xml([debit(1)], creditor_identifier=ics)


def test_creditor_identifiers_of_france_and_germany_are_accepted():
    assert b"FR72ZZZ123456" in debits_xml([debit(1)], creditor_identifier="FR72 ZZZ 123456")
    assert b"DE98ZZZ09999999999" in debits_xml([debit(1)], creditor_identifier="DE98ZZZ09999999999")


def test_nothing_is_yielded_before_every_input_is_checked():
    transfers = [transfer(i) for i in range(20_000)] + [transfer(20_000, amount_cents=0)]
    with pytest.raises(BankFileError, match="n° 20001"):
        iter_credit_transfers_xml(
            message_id="M-1", created_at=CREATED, initiator=caf(), execution_date=ON, transfers=transfers
        )


# --- validate_pain -------------------------------------------------------------------------------------


def test_validate_pain_accepts_the_versions_sepaxml_knows(tmp_path: Path):
    from sepaxml import SepaTransfer

    old = SepaTransfer(
        {"name": "CAF", "IBAN": CAF["iban"], "BIC": CAF["bic"], "batch": True, "currency": "EUR"}
    )
    old.add_payment(
        {"name": "Ana", "IBAN": IBANS[0], "amount": 100, "execution_date": ON, "description": "Pension"}
    )
    validate_pain(old.export(validate=False))  # pain.001.001.03
    path = tmp_path / "virements.xml"
    path.write_bytes(transfers_xml([transfer(1)]))
    validate_pain(path)


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (
            lambda x: x.replace(b">123.45<", b">-123.45<"),
            "n'est pas conforme au schéma pain.001.001.09 (élément InstdAmt",
        ),
        (
            lambda x: re.sub(rb"<Dbtr>.*?</Dbtr>", b"", x),
            "n'est pas conforme au schéma pain.001.001.09 (élément",
        ),
        (lambda x: x[: len(x) // 2], "n'est pas conforme au schéma pain.001.001.09 (ligne"),
        (lambda x: b"%PDF-1.7 not xml", "ce n'est pas un document XML lisible"),
        (lambda x: b"", "ce n'est pas un document XML lisible"),
        (
            lambda x: x.replace(b"pain.001.001.09", b"pain.001.001.99"),
            "ce n'est pas un ordre de virement ou de prélèvement SEPA connu",
        ),
        (lambda x: b"<Document><x/></Document>", "espace de noms « absent »"),
    ],
)
def test_validate_pain_refuses_in_french(mangle, message):
    xml = transfers_xml([transfer(1), transfer(2)])
    with pytest.raises(BankFileError) as refused:
        validate_pain(mangle(xml))
    assert str(refused.value).startswith("Fichier SEPA refusé : ")
    assert message in str(refused.value)


def test_validate_pain_reports_an_unreadable_path(tmp_path: Path):
    with pytest.raises(BankFileError, match="le fichier ne peut pas être lu"):
        validate_pain(tmp_path / "absent.xml")
