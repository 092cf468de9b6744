"""Uploads are really parsed (core/uploads/): a PDF by pypdf, plain and of 1 to 100 pages; an image
by Pillow, within 40 megapixels read from its header before any decoding, and decoded to its end;
then scanned by the configured antivirus (a fake clamd speaking the real INSTREAM protocol here).
Every refusal is a French error on the file's field, never a server error, and leaves no file."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageFile
from pypdf import PdfReader

from parcours.core.uploads import (
    MAX_PAGES,
    MAX_PIXELS,
    antivirus_scan,
    content_checked,
    storage_root,
    upload_store,
)
from parcours.core.uploads import antivirus as antivirus_module
from parcours.core.uploads import pdf as pdf_module
from parcours.core.uploads.antivirus import INFECTED, UNAVAILABLE, clamd_scan
from parcours.core.uploads.image import megapixels
from parcours.core.uploads.pdf import ACTIVE, ENCRYPTED, NO_PAGE, UNREADABLE

from . import fake_clamd
from . import upload_files as files

clamd = fake_clamd.clamd  # the fixture: a fake clamd, over a unix socket then TCP

FIELD = "document_convention"


def refusal(content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        content_checked(content, field=FIELD)
    assert list(refused.value.message_dict) == [FIELD]  # on the file's own field
    (message,) = refused.value.message_dict[FIELD]
    return message


# -- PDF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(files.pdf(), id="pypdf"),
        pytest.param(files.pdf(MAX_PAGES), id="100-pages"),
        pytest.param(files.SMALL_PDF, id="by-hand"),
        pytest.param(files.pdf_with_link(b"https://example.org/JS/AA/Launch?x=/XFA"), id="link"),
    ],
)
def test_a_plain_pdf_is_accepted(content):
    assert content_checked(content, field=FIELD) == "application/pdf"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(files.exe_between_markers(), UNREADABLE, id="exe-between-markers"),
        pytest.param(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", UNREADABLE, id="no-catalog"),
        pytest.param(files.encrypted_pdf(), ENCRYPTED, id="encrypted"),
        pytest.param(files.pdf_with_document_javascript(), ACTIVE, id="names-tree-javascript"),
        pytest.param(files.pdf_with_open_action(), ACTIVE, id="open-action-javascript"),
        pytest.param(files.pdf_with_escaped_open_action(), ACTIVE, id="escaped-names"),
        pytest.param(files.pdf_with_page_actions(), ACTIVE, id="page-additional-actions"),
        pytest.param(files.pdf_with_launch_link(), ACTIVE, id="launch"),
        pytest.param(files.pdf_with_attachment(), ACTIVE, id="embedded-file"),
        pytest.param(files.pdf_with_xfa(), ACTIVE, id="xfa"),
        pytest.param(files.pdf_with_javascript_in_object_stream(), ACTIVE, id="object-stream"),
        pytest.param(files.pdf_with_orphan_object_stream(), ACTIVE, id="unlisted-object-stream"),
        pytest.param(files.pdf_without_pages(), NO_PAGE, id="no-page"),
    ],
)
def test_a_pdf_that_is_not_plain_is_refused_in_french(content, message):
    assert refusal(content) == message


def test_the_messages_say_how_to_send_a_clean_pdf():
    assert "Imprimer → Enregistrer au format PDF" in ACTIVE and "Imprimer" in ENCRYPTED
    assert refusal(files.pdf(MAX_PAGES + 1)) == (
        "Ce PDF compte 101 pages : 100 pages au plus. Déposez seulement les pages utiles."
    )


def test_code_is_found_by_the_structure_and_by_the_bytes_each_alone():
    """The structure, as pypdf reads it, sees the object stream the cross-reference lists, its
    names escaped; the raw bytes see one no cross-reference lists."""
    listed = files.pdf_with_javascript_in_object_stream()
    unlisted = files.pdf_with_orphan_object_stream()
    assert b"JavaScript" not in listed and b"JavaScript" not in unlisted  # no grep finds them
    assert pdf_module._structure_active(PdfReader(io.BytesIO(listed), strict=False))
    assert not pdf_module._structure_active(PdfReader(io.BytesIO(unlisted), strict=False))
    assert pdf_module._raw_names_active(unlisted)
    # The structure alone refuses what a viewer runs, even when the bytes say nothing.
    for content in (files.pdf_with_document_javascript(), files.pdf_with_attachment(), files.pdf_with_xfa()):
        assert pdf_module._structure_active(PdfReader(io.BytesIO(content), strict=False))


def test_strings_are_not_names():
    assert pdf_module._without_strings(rb"/A (a (b\) /JS) c) /B (x\\) /C") == rb"/A   /B   /C"
    assert not pdf_module._names_active(rb"<</URI(https://example.org/JavaScript/)>>")
    assert pdf_module._names_active(rb"<</S/JavaScript/JS 5 0 R>>")
    assert pdf_module._names_active(rb"<</#4A#53 (x)>>")  # /JS, escaped


def test_a_file_pypdf_chokes_on_is_refused_not_a_server_error(monkeypatch):
    def choke(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pdf_module, "PdfReader", choke)
    assert refusal(files.pdf()) == UNREADABLE


# -- Images -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (files.png(), "image/png"),
        (files.jpeg(), "image/jpeg"),
        (files.mpo(), "image/jpeg"),
        (files.png((400, 300)), "image/png"),
    ],
)
def test_a_real_image_is_accepted(content, kind):
    assert content_checked(content, field=FIELD) == kind


@pytest.mark.parametrize(
    ("width", "height", "shown"),
    [
        pytest.param(20_000, 20_000, "400", id="48-ko-bomb"),  # beyond Pillow's own error
        pytest.param(12_000, 12_000, "144", id="144-megapixels"),  # where Pillow only warns
        pytest.param(7_000, 6_000, "42", id="42-megapixels"),
        pytest.param(8_000, 5_001, "40,1", id="just-over"),
    ],
)
def test_an_image_over_the_pixel_ceiling_is_refused_from_its_header(monkeypatch, width, height, shown):
    def no_decoding(self):
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    content = files.png_declaring(width, height)
    assert len(content) < 1024
    assert refusal(content) == f"Cette image est trop grande ({shown} mégapixels) : 40 mégapixels au plus."


def test_pillows_bomb_guards_become_a_french_error(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # a 40 × 40 image: Pillow warns; 50 × 50: error
    assert "trop grande" in refusal(files.png((40, 40)))
    assert "trop grande" in refusal(files.png((50, 50)))


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(files.truncated_jpeg(), id="truncated-jpeg"),
        pytest.param(files.png((300, 300))[:-200], id="truncated-png"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"pas une image" * 10, id="not-a-png"),
        pytest.param(b"\xff\xd8\xff\xe0" + b"\0" * 100, id="not-a-jpeg"),
    ],
)
@pytest.mark.parametrize("lenient", [False, True])
def test_a_damaged_image_is_refused(monkeypatch, content, lenient):
    # WeasyPrint, once imported (the letters), makes Pillow fill truncated images in silently.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", lenient)
    assert refusal(content) == "Cette image ne peut pas être lue : elle est endommagée."


def test_another_image_format_is_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "GIF")
    assert refusal(buffer.getvalue()) == "Seuls les fichiers PDF, JPEG et PNG sont acceptés."


def test_megapixels_read_in_french():
    assert MAX_PIXELS == 40_000_000
    assert [megapixels(n) for n in (144_000_000, 40_000_001, 40_400_000, 999)] == [
        "144",
        "40,1",
        "40,4",
        "0,1",
    ]


# -- Antivirus ----------------------------------------------------------------------------------


def test_clamd_gets_the_file_in_chunks_and_answers(clamd):
    big = files.png((4, 4)) + bytes(200_000) + files.EICAR  # several 64 Kio chunks
    assert clamd_scan(files.png()) is None
    assert clamd_scan(big) == "Eicar-Signature"
    assert clamd.streams == [files.png(), big]


@pytest.mark.django_db
def test_a_file_the_antivirus_flags_is_refused_and_nothing_is_stored(clamd, caplog):
    infected = files.png_with_text(files.EICAR)
    created = []
    with pytest.raises(ValidationError) as refused, caplog.at_level(logging.WARNING):
        upload_store(folder="x", content=infected, create=lambda *row: created.append(row), field=FIELD)
    assert refused.value.message_dict == {FIELD: [INFECTED]}
    assert created == [] and not storage_root().exists()
    assert "Eicar-Signature" in caplog.text
    # A clean file goes through the same scanner and is stored.
    stored = upload_store(folder="x", content=files.png(), create=lambda path, kind: path, field=FIELD)
    assert (storage_root() / stored).read_bytes() == files.png()
    assert len(clamd.streams) == 2


def test_a_file_refused_by_its_content_costs_no_scan(clamd):
    assert refusal(files.pdf_with_document_javascript()) == ACTIVE
    assert clamd.streams == []


@pytest.mark.parametrize("where", ["socket", "tcp"])
def test_an_unreachable_clamd_refuses_the_upload(settings, tmp_path, caplog, where):
    settings.PARCOURS_ANTIVIRUS = "clamd"
    if where == "socket":
        settings.PARCOURS_CLAMD_SOCKET = str(tmp_path / "absent.sock")
    else:
        settings.PARCOURS_CLAMD_HOST, settings.PARCOURS_CLAMD_PORT = "127.0.0.1", _closed_port()
    with caplog.at_level(logging.WARNING):
        assert refusal(files.png()) == UNAVAILABLE
    assert "Réessayez dans quelques minutes" in UNAVAILABLE
    assert "antivirus unavailable" in caplog.text and FIELD not in caplog.text
    assert not storage_root().exists()


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free again once closed: nothing listens there


def test_no_antivirus_by_default(settings, monkeypatch):
    assert getattr(settings, "PARCOURS_ANTIVIRUS", "") == ""
    monkeypatch.setattr(antivirus_module, "clamd_scan", lambda content: "would have refused")
    assert content_checked(files.png_with_text(files.EICAR)) == "image/png"


def finds_everything(content: bytes) -> str | None:
    return "Test.Everything"


def finds_nothing(content: bytes) -> str | None:
    return None


def cannot_scan(content: bytes) -> str | None:
    raise TimeoutError("scanner busy")


@pytest.mark.parametrize(
    ("scanner", "message"),
    [
        (f"{__name__}.finds_everything", INFECTED),
        (f"{__name__}.cannot_scan", UNAVAILABLE),
        (f"{__name__}.no_such_scanner", UNAVAILABLE),  # a wrong path fails closed too
        (f"{__name__}.finds_nothing", None),
    ],
)
def test_another_scanner_plugs_in_by_its_dotted_path(settings, scanner, message):
    settings.PARCOURS_ANTIVIRUS = scanner
    if message is None:
        antivirus_scan(files.png(), field=FIELD)
        return
    with pytest.raises(ValidationError) as refused:
        antivirus_scan(files.png(), field=FIELD)
    assert refused.value.message_dict == {FIELD: [message]}


def test_every_refusal_leaves_no_file(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "prive"
    for content in (
        files.exe_between_markers(),
        files.pdf_with_attachment(),
        files.encrypted_pdf(),
        files.png_declaring(20_000, 20_000),
        files.truncated_jpeg(),
    ):
        with pytest.raises(ValidationError):
            upload_store(folder="demandes/1", content=content, create=lambda *row: row)
    assert not Path(settings.PRIVATE_STORAGE_ROOT).exists()
