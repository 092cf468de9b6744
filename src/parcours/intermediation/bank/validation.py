"""Validation of payment orders against the ISO 20022 XSD shipped by sepaxml.

The validation streams: libxml2 checks the document while it is parsed and every transaction is
dropped once checked, so a file of a million transfers is validated in constant memory.
"""

from __future__ import annotations

import io
import os
import re
from functools import cache
from pathlib import Path

import sepaxml
from lxml import etree

from parcours.intermediation.bank.errors import BankFileError, unreadable

SCHEMA_DIR = Path(sepaxml.__file__).parent / "schemas"
_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"
# Entities keep lxml's default ("internal": no external entity is ever fetched). Do not pass
# resolve_entities=False: with a schema, lxml 6.1's iterparse then accepts a truncated document.
_PARSER_OPTIONS = {"no_network": True, "load_dtd": False}
_TRANSACTIONS = ("CdtTrfTxInf", "DrctDbtTxInf")


@cache
def pain_schema(name: str) -> etree.XMLSchema:
    """The XSD of `name` ("pain.001.001.09"), parsed once per process."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / f"{name}.xsd")))


def pain_schemas() -> list[str]:
    return sorted(path.stem for path in SCHEMA_DIR.glob("pain.*.xsd"))


def validate_pain(xml: bytes | os.PathLike[str]) -> None:
    """Raise `BankFileError` unless `xml` (the bytes of a document, or the path of a file) is valid
    against sepaxml's XSD for its namespace (pain.001.001.03/09/10/11, pain.008.001.02/08/09/10)."""
    prefix = "Fichier SEPA refusé : "
    name = _schema_name(xml, prefix)
    schema = pain_schema(name)
    tags = [f"{{{_PREFIX}{name}}}{tag}" for tag in ("GrpHdr", "PmtInf", *_TRANSACTIONS)]
    try:
        for _, element in etree.iterparse(
            _source(xml), events=("end",), tag=tags, schema=schema, **_PARSER_OPTIONS
        ):
            element.clear()  # drop what is checked: constant memory on large files
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as error:
        raise BankFileError(f"{prefix}il n'est pas conforme au schéma {name} ({_where(error)}).") from error


def _source(xml: bytes | os.PathLike[str]) -> io.BytesIO | str:
    if isinstance(xml, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(xml))
    return os.fspath(xml)


def _schema_name(xml: bytes | os.PathLike[str], prefix: str) -> str:
    """The schema named by the root element's namespace, read from the first bytes only."""
    try:
        with (
            io.BytesIO(bytes(xml)) if isinstance(xml, bytes | bytearray | memoryview) else open(xml, "rb")
        ) as source:
            _, root = next(etree.iterparse(source, events=("start",), **_PARSER_OPTIONS))
    except (etree.XMLSyntaxError, StopIteration) as error:
        raise BankFileError(f"{prefix}ce n'est pas un document XML lisible.") from error
    except OSError as error:
        raise BankFileError(f"{prefix}le fichier ne peut pas être lu ({unreadable(error)}).") from error
    namespace = etree.QName(root).namespace or ""
    name = namespace.removeprefix(_PREFIX)
    if not namespace.startswith(_PREFIX) or name not in pain_schemas():
        raise BankFileError(
            f"{prefix}ce n'est pas un ordre de virement ou de prélèvement SEPA connu "
            f"(espace de noms « {namespace or 'absent'} » ; attendus : {', '.join(pain_schemas())})."
        )
    return name


def _where(error: etree.XMLSyntaxError) -> str:
    """Where the document breaks its schema, with libxml2's (English) words as a technical detail.
    (Streaming validation reports schema errors without a line number.)"""
    detail = re.sub(r"^line \d+: b?'(.*)'$", r"\1", str(error.msg or error))
    where = [f"ligne {error.lineno}"] if error.lineno else []
    element = re.match(r"Element '(?:\{[^}]*\})?(\w+)'", detail)
    if element:
        where.append(f"élément {element.group(1)}")
        detail = detail[element.end() :].lstrip(": ")
    return f"{', '.join([*where, f'détail technique : {detail}'])}"
