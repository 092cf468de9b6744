"""The notice to a debtor who has not paid (intermediation/letters.py), as PDF; its text is read
from WeasyPrint's layout of the same document."""

from __future__ import annotations

import copy
from dataclasses import fields
from datetime import date
from decimal import Decimal

import pytest

from parcours.core.templatetags.parcours_format import format_euros
from parcours.intermediation.letters import (
    UnpaidMonth,
    UnpaidNotice,
    unpaid_notice_document,
    unpaid_notice_pdf,
)
from tests.core.pdf import text_of
from tests.titres.test_letters import CREDITOR_STREET, TITRE

D = Decimal


@pytest.fixture(autouse=True)
def _loud_templates(settings):
    # An unknown template variable fails the test instead of printing nothing.
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = "!!INCONNU %s!!"
    settings.TEMPLATES = templates


NOTICE = UnpaidNotice.from_titre(
    TITRE,
    reference="MD-2026-000045",
    issued_on=date(2026, 5, 15),
    months=(
        UnpaidMonth(date(2026, 4, 1), D("398.30"), D("200.00")),
        UnpaidMonth(date(2026, 5, 1), D("398.30")),
    ),
    pay_by=date(2026, 5, 30),
    payment_reference="IFPA-000123-2026-05",
    caf_iban="FR7630001007941234567890185",
)


def test_the_notice_is_a_pdf():
    assert unpaid_notice_pdf(NOTICE).startswith(b"%PDF-")


def test_the_notice_states_the_amount_the_months_the_date_and_what_follows():
    text = text_of(unpaid_notice_document(NOTICE))
    assert "!!INCONNU" not in text
    assert NOTICE.amount_due == D("596.60")
    for expected in (
        "Julien Bernard 3 allée des Pins 33400 Talence",
        "Mise en demeure de payer la pension alimentaire",
        "Mise en demeure n° MD-2026-000045",
        "titre exécutoire n° TE-2026-000123",
        "pour Léa et Hugo",
        f"avril 2026 {format_euros(D('398.30'))} {format_euros(D('200.00'))} {format_euros(D('198.30'))}",
        f"mai 2026 {format_euros(D('398.30'))} {format_euros(D('0.00'))} {format_euros(D('398.30'))}",
        f"Total à payer {format_euros(D('596.60'))}",
        f"Vous devez payer {format_euros(D('596.60'))} au plus tard le 30 mai 2026",
        "IBAN FR76 3000 1007 9412 3456 7890 185",
        "IFPA-000123-2026-05",
        "R. 582-8",
        "paiement direct",
        "votre employeur, à votre banque ou à France Travail",
        "Trésor public",
        "pendant 6 mois consécutifs",
    ):
        assert expected in text, expected


def test_the_notice_never_shows_the_creditor():
    # Addressed to the debtor: no field can even hold the creditor's address.
    assert not any("creditor" in field.name for field in fields(UnpaidNotice))
    text = text_of(unpaid_notice_document(NOTICE))
    assert CREDITOR_STREET not in text and "Bordeaux" not in text
    assert "Camille" not in text and "Martin" not in text
