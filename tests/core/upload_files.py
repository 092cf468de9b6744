"""Real files for the upload tests: PDFs written by pypdf, images by Pillow, and the hostile ones
the security review sent (a program between PDF markers, JavaScript, attachments, a PNG that
declares 20 000 × 20 000 pixels, a truncated JPEG)."""

from __future__ import annotations

import io
import os
import struct
import zlib

from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

# The EICAR antivirus test file (eicar.org), built here so that this source is not itself flagged.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_writer(pages: int = 1) -> PdfWriter:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    return writer


def pdf(pages: int = 1) -> bytes:
    return written(pdf_writer(pages))


def javascript(code: str = "app.alert('bonjour');") -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)}
    )


def pdf_with_document_javascript() -> bytes:
    """JavaScript in the catalog's names tree (what pypdf's add_js / add_open_action write)."""
    writer = pdf_writer()
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(javascript())])}
    )
    writer.root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})
    return written(writer)


def pdf_with_open_action() -> bytes:
    writer = pdf_writer()
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(javascript())
    return written(writer)


def pdf_with_page_actions() -> bytes:
    writer = pdf_writer()
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): javascript()})
    return written(writer)


def pdf_with_launch_link() -> bytes:
    """A link annotation that launches a program."""
    writer = pdf_writer()
    launch = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 2 + [NumberObject(100)] * 2),
            NameObject("/A"): launch,
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    return written(writer)


def pdf_with_xfa() -> bytes:
    writer = pdf_writer()
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp/>")}
    )
    return written(writer)


def pdf_with_attachment() -> bytes:
    writer = pdf_writer()
    writer.add_attachment("programme.exe", b"MZ" + os.urandom(64))
    return written(writer)


def encrypted_pdf() -> bytes:
    writer = pdf_writer()
    writer.encrypt("secret")
    return written(writer)


def pdf_from_objects(*objects: bytes, unlisted: bytes = b"") -> bytes:
    """A PDF of `objects` (numbered from 1, the first the catalog) with its cross-reference table;
    `unlisted`, written after them, is left out of the table."""
    content = b"%PDF-1.5\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(content))
        content += b"%d 0 obj%sendobj\n" % (number, body)
    content += unlisted
    table = len(content)
    content += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    content += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    content += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    return content


PAGE_OBJECTS = (
    b"<</Type/Catalog/Pages 2 0 R>>",
    b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
    b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
)
# A one-page PDF written by hand, byte for byte what tests/factories send.
SMALL_PDF = pdf_from_objects(*PAGE_OBJECTS)


def object_stream(number: int, body: bytes) -> bytes:
    """An object stream (ISO 32000-1: 7.5.7), compressed, holding object `number`."""
    header = b"%d 0 " % number
    data = zlib.compress(header + body)
    return b"<</Type/ObjStm/N 1/First %d/Filter/FlateDecode/Length %d>>stream\n%s\nendstream" % (
        len(header),
        len(data),
        data,
    )


# A JavaScript action whose names are written with #xx escapes: no grep of the raw bytes finds them.
HIDDEN_JAVASCRIPT = b"<< /S /Java#53cript /J#53 (app.alert\\(1\\)) >>"


def pdf_with_javascript_in_object_stream() -> bytes:
    """A one-page PDF whose object stream (listed by the cross-reference) holds a JavaScript action."""
    return pdf_from_objects(*PAGE_OBJECTS, object_stream(5, HIDDEN_JAVASCRIPT))


def pdf_with_orphan_object_stream() -> bytes:
    """The same object stream in a clean PDF, listed by no cross-reference: what a viewer that
    rebuilds one may still read."""
    return pdf_from_objects(
        *PAGE_OBJECTS, unlisted=b"4 0 obj" + object_stream(5, HIDDEN_JAVASCRIPT) + b"endobj\n"
    )


def pdf_without_pages() -> bytes:
    return pdf_from_objects(b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>")


def pdf_with_link(address: bytes) -> bytes:
    """A one-page PDF with a link to `address` (a string, not names, whatever it holds)."""
    return pdf_from_objects(
        PAGE_OBJECTS[0],
        PAGE_OBJECTS[1],
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Annots[4 0 R]>>",
        b"<</Type/Annot/Subtype/Link/Rect[0 0 100 20]/A<</S/URI/URI(" + address + b")>>>>",
    )


def pdf_with_escaped_open_action() -> bytes:
    """/OpenAction JavaScript written with #xx escapes in the names, in plain syntax."""
    return pdf_from_objects(
        b"<</Type/Catalog/Pages 2 0 R/OpenAction<</S/Java#53cript/J#53(app.alert\\(1\\))>>>>",
        *PAGE_OBJECTS[1:],
    )


def exe_between_markers() -> bytes:
    return b"%PDF-1.4\n" + b"MZ" + os.urandom(4096).replace(b"obj", b"abc") + b"\nobj\n%%EOF"


def png(size: tuple[int, int] = (4, 4), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG", **save)
    return buffer.getvalue()


def png_with_text(text: bytes) -> bytes:
    info = PngInfo()
    info.add_text("Comment", text.decode())
    return png(pnginfo=info)


def png_declaring(width: int, height: int) -> bytes:
    """A real small PNG whose header (IHDR) is patched to declare width × height pixels, its CRC
    recomputed: a decompression bomb's header."""
    content = bytearray(png((64, 64)))
    start = 8  # after the signature: length (4), "IHDR" (4), data (13), CRC (4)
    data = bytearray(content[start + 8 : start + 8 + 13])
    data[0:8] = struct.pack(">II", width, height)
    crc = zlib.crc32(b"IHDR" + bytes(data)) & 0xFFFFFFFF
    content[start + 8 : start + 8 + 13] = data
    content[start + 21 : start + 25] = struct.pack(">I", crc)
    return bytes(content)


def jpeg(size: tuple[int, int] = (64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def mpo() -> bytes:
    """A phone's JPEG holding two pictures (Pillow names it MPO)."""
    picture = Image.effect_noise((64, 64), 64).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, "MPO", save_all=True, append_images=[picture])
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    content = jpeg((256, 256))
    return content[: len(content) // 2]
