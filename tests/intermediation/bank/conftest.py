"""Helpers of the bank file tests: the official XSDs (pain from sepaxml, camt copied in xsd/), and a
stock of valid IBANs."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import sepaxml
from lxml import etree
from schwifty import IBAN

SAMPLES = Path(__file__).parent / "samples"
CAF = {"name": "CAF DE LA SOMME", "iban": "FR7630006000011234567890189", "bic": "AGRIFRPP"}
ICS = "FR72ZZZ123456"  # a French SEPA creditor identifier with a right check key
# Valid French IBANs (bank 30004), distinct, for parties.
IBANS = [IBAN.generate("FR", bank_code="30004", account_code=f"{i:011d}").compact for i in range(40)]


@cache
def pain_xsd(name: str) -> etree.XMLSchema:
    """The XSD sepaxml ships for `name` ("pain.001.001.09"), applied with lxml directly."""
    return etree.XMLSchema(etree.parse(str(Path(sepaxml.__file__).parent / "schemas" / f"{name}.xsd")))


# The official ISO 20022 camt XSDs the tests validate against, copied here from the camt053 package
# (0.0.23, Apache-2.0 OR MIT) rather than depending on it: it pulls a web stack into the install.
CAMT_XSD = Path(__file__).parent / "xsd"


def camt_xsd(name: str) -> etree.XMLSchema:
    """The official ISO 20022 XSD of `name` ("camt.053.001.02")."""
    return _parse_xsd(str(CAMT_XSD / f"{name}.xsd"))


@cache
def _parse_xsd(path: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(path))


def assert_valid(schema: etree.XMLSchema, xml: bytes) -> None:
    document = etree.fromstring(xml)
    assert schema.validate(document), schema.error_log


def cents(text: str) -> int:
    """An ISO 20022 amount read back exactly ("123.45" -> 12345)."""
    value = Decimal(text) * 100
    assert value == value.to_integral_value()
    return int(value)
