"""An uploaded PDF, really parsed (pypdf): readable, not encrypted, 1 to 100 pages, and nothing a
viewer would run or unpack — no JavaScript, no launch of a program, no embedded file, no XFA form.

Two passes, each enough alone for what it sees:
- the structure, as pypdf reads it: every object the cross-reference lists (object streams
  included) and every object reachable from the trailer (catalog, names tree, pages, their /AA
  and annotations), each dictionary looked at for the keys and action types that carry code;
- the raw bytes, best effort: every name outside the streams' data, with `#xx` escapes decoded,
  and the names inside the object streams once decompressed — where a name can hide from a grep
  and from a parser that a broken cross-reference misleads.
A refused file gets a plain French error telling the parent how to send a clean one.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

MAX_PAGES = 100
# Containers (dictionaries, arrays) looked at: a 100-page scan has a few thousand; a file built to
# make the walk endless is refused as unreadable.
MAX_NODES = 500_000
# Decompressed size of one object stream in the raw pass (its objects are dictionaries: small).
MAX_OBJECT_STREAM_BYTES = 20 * 1024 * 1024

UNREADABLE = "Ce PDF est incomplet ou endommagé."
ENCRYPTED = (
    "Ce PDF est protégé par un mot de passe ou chiffré : enregistrez-le de nouveau sans protection "
    "(Imprimer → Enregistrer au format PDF) et déposez-le."
)
ACTIVE = (
    "Ce PDF contient du code ou des fichiers intégrés : enregistrez-le de nouveau en PDF simple "
    "(Imprimer → Enregistrer au format PDF) et déposez-le."
)
NO_PAGE = "Ce PDF ne contient aucune page."

# Keys whose presence in any dictionary means code, an embedded file or an XFA form (ISO 32000-1:
# 12.6.3 /AA additional actions, 12.6.4.16 /JS, 7.7.4 /JavaScript and /EmbeddedFiles name trees,
# 7.11.4 /EF embedded file streams, 12.7.8 /XFA, Adobe's /RichMedia extension).
ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/XFA", "/RichMediaContent"}
)
# Action types (/S) that run code, start a program, open an embedded document or import data.
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/GoToE", "/ImportData", "/RichMediaExecute"})
# Object types (/Type, /Subtype) that are an embedded file or an embedded application.
ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/FileAttachment", "/RichMedia"})
# The same, as names found in the raw bytes (/EF alone is too short to look for there).
ACTIVE_NAMES = frozenset(
    name.encode()[1:] for name in (ACTIVE_KEYS - {"/EF"}) | ACTIVE_ACTIONS | ACTIVE_TYPES
)

# A name: a slash and regular characters (ISO 32000-1: 7.2.2, 7.3.5).
NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
STRING_TOKEN = re.compile(rb"[()\\]")
INNERMOST_STRING = re.compile(rb"\((?:[^()\\]|\\.)*\)", re.DOTALL)
NESTING_PASSES = 4
STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")


def pdf_checked(content: bytes, *, field: str = "file") -> None:
    """Nothing if `content` is a readable, plain PDF of 1 to MAX_PAGES pages; else a French
    ValidationError on `field`."""
    # The raw pass first: it needs no parser, and a file it refuses is not parsed at all.
    if _raw_names_active(content):
        raise ValidationError({field: ACTIVE})
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValidationError({field: ENCRYPTED})
        pages = len(reader.pages)
        active = pages <= MAX_PAGES and _structure_active(reader)
    except ValidationError:
        raise
    except Exception as error:  # pypdf raises assorted exceptions on hostile or broken files
        raise ValidationError({field: UNREADABLE}) from error
    if pages == 0:
        raise ValidationError({field: NO_PAGE})
    if pages > MAX_PAGES:
        message = (
            f"Ce PDF compte {pages} pages : {MAX_PAGES} pages au plus. Déposez seulement les pages utiles."
        )
        raise ValidationError({field: message})
    if active:
        raise ValidationError({field: ACTIVE})


class _TooComplex(Exception):
    """More containers than MAX_NODES: refused as unreadable."""


def _structure_active(reader: PdfReader) -> bool:
    """Whether an object of the file, listed by its cross-reference or reachable from its
    trailer, carries code, an embedded file or an XFA form."""
    seen: set[tuple[int, int]] = set()
    pending: list[object] = [reader.trailer]
    pending += [
        IndirectObject(idnum, generation, reader) for generation, ids in reader.xref.items() for idnum in ids
    ]
    pending += [IndirectObject(idnum, 0, reader) for idnum in reader.xref_objStm]
    nodes = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            nodes += 1
            if _dictionary_active(item):
                return True
            # The names of an object stream, decompressed (pypdf's own limits apply).
            if (
                isinstance(item, StreamObject)
                and _name(item, "/Type") == "/ObjStm"
                and _names_active(item.get_data())
            ):
                return True
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            nodes += 1
            pending.extend(item)
        if nodes > MAX_NODES:
            raise _TooComplex
    return False


def _dictionary_active(dictionary: DictionaryObject) -> bool:
    if any(key in ACTIVE_KEYS for key in dictionary):
        return True
    if _name(dictionary, "/S") in ACTIVE_ACTIONS:
        return True
    return _name(dictionary, "/Type") in ACTIVE_TYPES or _name(dictionary, "/Subtype") in ACTIVE_TYPES


def _name(dictionary: DictionaryObject, key: str) -> str:
    """The name under `key` (an indirect one resolved), or ""."""
    value = dict.get(dictionary, key)
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return str(value) if isinstance(value, NameObject) else ""


def _raw_names_active(content: bytes) -> bool:
    """Whether a name outside the streams' data, or inside a Flate object stream once
    decompressed, is one of ACTIVE_NAMES. Streams' data (images, fonts) is skipped: random bytes
    would look like names."""
    for syntax, data in _segments(content):
        if _names_active(syntax):
            return True
        if data is not None and _is_object_stream(syntax) and _names_active(_inflated(data)):
            return True
    return False


def _names_active(syntax: bytes) -> bool:
    """Whether a name of `syntax` (PDF objects, outside their strings) is one of ACTIVE_NAMES."""
    return any(_active_name(name) for name in NAME.findall(_without_strings(syntax)))


def _segments(content: bytes) -> Iterator[tuple[bytes, bytes | None]]:
    """(syntax, data of the stream that follows or None) pieces of a PDF's bytes."""
    position = 0
    while True:
        start = STREAM_START.search(content, position)
        if start is None:
            yield content[position:], None
            return
        end = content.find(b"endstream", start.end())
        end = len(content) if end < 0 else end
        yield content[position : start.start()], content[start.end() : end]
        position = end + len(b"endstream")


def _without_strings(syntax: bytes) -> bytes:
    """`syntax` without its literal strings, `(...)` with nested parentheses and `\\` escapes
    (ISO 32000-1: 7.3.4.2): a link's address such as (https://example.org/JS/) is not a name.
    The innermost strings go first, by a regular expression, a few levels deep; what is left
    (deeper nesting, a string never closed) goes through the exact scan."""
    for _ in range(NESTING_PASSES):
        if b"(" not in syntax:
            return syntax
        syntax = INNERMOST_STRING.sub(b" ", syntax)
    return _strings_cut(syntax)


def _strings_cut(syntax: bytes) -> bytes:
    parts = []
    position = 0
    while (start := syntax.find(b"(", position)) >= 0:
        parts.append(syntax[position:start])
        depth, escaped, end = 0, -1, len(syntax)
        for match in STRING_TOKEN.finditer(syntax, start):
            index = match.start()
            if index == escaped:
                continue
            if match[0] == b"\\":
                escaped = index + 1
                continue
            depth += 1 if match[0] == b"(" else -1
            if depth == 0:
                end = index + 1
                break
        position = end
    parts.append(syntax[position:])
    return b" ".join(parts)


def _is_object_stream(syntax: bytes) -> bool:
    dictionary = syntax[syntax.rfind(b"obj") :]
    return b"/ObjStm" in dictionary and b"/FlateDecode" in dictionary


def _inflated(data: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, MAX_OBJECT_STREAM_BYTES)
    except zlib.error:
        return b""  # best effort: the structural pass reads what pypdf can


def _active_name(raw: bytes) -> bool:
    if b"#" in raw:
        raw = HEX_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), raw)
    return raw in ACTIVE_NAMES
