"""What an incoming XML file says before its first element: its encoding and any DOCTYPE, checked on
its first bytes before the parser is given the file.

ISO 20022 messages are UTF-8; XML requires every parser to read UTF-16 too (with its byte order
mark), so both are read, to the same lines. Any other declared encoding is refused, and so is a
declaration that contradicts the bytes (a file declared UTF-8 written in UTF-16, or the reverse):
libxml2 would believe the byte order mark, or silently read UTF-8 as Latin-1. Bytes that are not
valid in the declared encoding further in the file are found by the parser (see `camt._syntax`).

A DOCTYPE is refused outright: no ISO 20022 message has one, and it is where XML entities (XXE,
"billion laughs") are declared.
"""

from __future__ import annotations

import codecs
import re

HEAD = 4096  # the prolog of a bank file: declaration, comments, and the root element's start

_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF8, "UTF-8"),
    (codecs.BOM_UTF16_LE, "UTF-16LE"),
    (codecs.BOM_UTF16_BE, "UTF-16BE"),
)
_DECLARATION = re.compile(r"<\?xml\b[^>]*?\bencoding\s*=\s*(['\"])([^'\"]*)\1")
_ELEMENT = re.compile(r"<[^?!]")
_UTF8 = {"UTF8", "USASCII", "ASCII"}  # ASCII is a part of UTF-8 (a non-ASCII byte is a lie)
_UTF16 = {"UTF16", "UTF16LE", "UTF16BE"}
ACCEPTED = "un relevé ISO 20022 est en UTF-8 (ou en UTF-16 avec sa marque d'ordre des octets)"


def check_prolog(head: bytes) -> str | None:
    """The file's declared encoding (None if it declares none), after checking that its first bytes
    agree with it; a French sentence (to be prefixed) in `ValueError` otherwise."""
    actual, bom = _actual(head)
    if actual in ("UTF-32", "EBCDIC"):
        raise ValueError(f"le fichier est écrit en {actual}, qui n'est pas accepté : {ACCEPTED}.")
    text = _decode(head[len(bom) :], actual)
    match = _DECLARATION.match(text)
    declared = match.group(2).strip() if match else None
    if declared is not None:
        name = re.sub(r"[^A-Z0-9]", "", declared.upper())
        if name not in _UTF8 | _UTF16:
            raise ValueError(f"l'encodage déclaré « {declared} » n'est pas accepté : {ACCEPTED}.")
        written = "UTF-16" if actual.startswith("UTF-16") else "UTF-8"
        if (name in _UTF16) != (written == "UTF-16") or (
            name in ("UTF16LE", "UTF16BE") and actual != f"UTF-16{name[-2:]}"
        ):
            raise ValueError(
                f"le fichier déclare l'encodage « {declared} » mais il est écrit en {actual} : "
                "l'encodage déclaré est faux, le fichier n'est pas lu."
            )
    elif actual.startswith("UTF-16") and not bom:
        raise ValueError(
            f"le fichier est écrit en UTF-16 sans marque d'ordre des octets ni déclaration : {ACCEPTED}."
        )
    element = _ELEMENT.search(text)
    if "<!DOCTYPE" in text[: element.start() if element else len(text)]:
        raise ValueError(DOCTYPE)
    return declared


DOCTYPE = (
    "le fichier contient une définition de type de document (DOCTYPE) : aucun relevé ISO 20022 n'en a, "
    "et elle n'est pas acceptée (protection contre les entités XML)."
)


def _actual(head: bytes) -> tuple[str, bytes]:
    """The encoding the bytes are written in (by the byte order mark, else by how `<?` or the first
    character is written: XML 1.0, appendix F), and the mark."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name, bom
    if head.startswith(b"\x00<\x00"):
        return "UTF-16BE", b""
    if head.startswith(b"<\x00") and head[2:3] != b"\x00":
        return "UTF-16LE", b""
    if head.startswith((b"\x00\x00\x00<", b"<\x00\x00\x00")):
        return "UTF-32", b""
    if head.startswith(b"\x4c\x6f\xa7\x94"):  # "<?xm" in EBCDIC
        return "EBCDIC", b""
    return "UTF-8", b""


def _decode(data: bytes, encoding: str) -> str:
    if encoding.startswith("UTF-16"):
        data = data[: len(data) // 2 * 2]
    # A head cut inside a character, or bytes not of the encoding: the parser says where.
    return data.decode(encoding.lower(), errors="replace")
