"""Uploaded files: PDF, JPEG or PNG only, really parsed, scanned, stored outside the web root.

The type is read from the bytes, never from the name or the browser's claim, and the file is
parsed for what it claims to be: a PDF is read by pypdf and refused if it is encrypted, has no page
or too many, or carries code or embedded files (uploads/pdf.py); an image must stay within a
pixel ceiling read from its header and decode to its end (uploads/image.py). Then the
configured antivirus scans it (uploads/antivirus.py). Files live under
`settings.PRIVATE_STORAGE_ROOT`, under a random name, and are served only by views that check who
asks. A refused file leaves nothing behind: every check runs before anything is written, and a
file written for a row that is then not created is removed.

Shared by the separation's documents and the titre exécutoire request's pieces: both go through
`content_checked`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from .antivirus import antivirus_scan
from .image import IMAGE_TYPES, MAX_PIXELS, image_checked
from .pdf import MAX_PAGES, pdf_checked

__all__ = [
    "ACCEPT",
    "EXTENSIONS",
    "HINT",
    "IMAGE_TYPES",
    "MAX_BYTES",
    "MAX_PAGES",
    "MAX_PIXELS",
    "WrittenFiles",
    "antivirus_scan",
    "content_checked",
    "files_removed_on_error",
    "read_upload",
    "sniff",
    "storage_root",
    "stored_bytes",
    "upload_store",
]

MAX_BYTES = 10 * 1024 * 1024  # 10 Mo
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# What the file inputs say and accept (the checks below decide, not the browser).
ACCEPT = ".pdf,.jpg,.jpeg,.png"
HINT = "Formats acceptés : PDF, JPEG ou PNG. Taille maximale : 10 Mo."

T = TypeVar("T")


def sniff(content: bytes, *, field: str = "file") -> str:
    """The real type of the file, once parsed as that type; else a French ValidationError on
    `field`."""
    if content.startswith(b"%PDF-"):
        tail = content[-2048:]
        if b"%%EOF" not in tail or b"obj" not in content:
            raise ValidationError({field: "Ce PDF est incomplet ou endommagé."})
        pdf_checked(content, field=field)
        return "application/pdf"
    if content.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        return image_checked(content, field=field)
    raise ValidationError({field: "Seuls les fichiers PDF, JPEG et PNG sont acceptés."})


def content_checked(content: bytes, *, field: str = "file") -> str:
    """Every check of an upload (not empty, 10 Mo at most, a real and plain PDF, JPEG or PNG,
    clean for the antivirus): its type. The antivirus comes last: a file refused by its content
    costs no scan."""
    if len(content) == 0:
        raise ValidationError({field: "Le fichier est vide."})
    if len(content) > MAX_BYTES:
        raise ValidationError({field: "Le fichier dépasse 10 Mo."})
    content_type = sniff(content, field=field)
    antivirus_scan(content, field=field)
    return content_type


def read_upload(upload: Any) -> bytes:
    """The bytes of an uploaded file, read up to one byte past the limit (enough to refuse it)."""
    upload.seek(0)
    return upload.read(MAX_BYTES + 1)


def storage_root() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT)


def stored_bytes(stored_path: str) -> bytes:
    return (storage_root() / stored_path).read_bytes()


class WrittenFiles:
    """The files written for one operation, so that all of them go if it fails."""

    def __init__(self) -> None:
        self.paths: list[Path] = []

    def write(self, *, folder: str | Path, content: bytes, content_type: str) -> str:
        """Write `content` (already checked) under `folder` with a random name: its stored path,
        relative to the private storage root."""
        relative = Path(folder) / f"{secrets.token_hex(16)}.{EXTENSIONS[content_type]}"
        path = storage_root() / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        self.paths.append(path)
        path.write_bytes(content)
        return str(relative)

    def remove(self) -> None:
        for path in self.paths:
            path.unlink(missing_ok=True)
        self.paths.clear()


@contextmanager
def files_removed_on_error() -> Iterator[WrittenFiles]:
    """Files written inside the block are removed if the block raises (the rows that named them
    are rolled back with it)."""
    written = WrittenFiles()
    try:
        yield written
    except BaseException:
        written.remove()
        raise


def upload_store(
    *, folder: str | Path, content: bytes, create: Callable[[str, str], T], field: str = "file"
) -> T:
    """Check `content`, write it under `folder`, then `create(stored_path, content_type)` the row
    that names it, in its own transaction: if the row is not created, the file is removed."""
    content_type = content_checked(content, field=field)
    with files_removed_on_error() as written:
        stored_path = written.write(folder=folder, content=content, content_type=content_type)
        with transaction.atomic():
            return create(stored_path, content_type)
