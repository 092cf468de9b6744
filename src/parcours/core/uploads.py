"""Uploaded files: PDF, JPEG or PNG only, recognised by their content, stored outside the web root.

The type is read from the bytes (a PDF header and end-of-file marker; an image Pillow can decode),
never from the name or the browser's claim. Files live under `settings.PRIVATE_STORAGE_ROOT`, under
a random name, and are served only by views that check who asks. A refused file leaves nothing
behind: every check runs before anything is written, and a file written for a row that is then
not created is removed.

Shared by the separation's documents and the titre exécutoire request's pieces.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024  # 10 Mo
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# Pillow names a phone's JPEG with several pictures "MPO": still a JPEG.
IMAGE_TYPES = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png"}
# What the file inputs say and accept (the checks below decide, not the browser).
ACCEPT = ".pdf,.jpg,.jpeg,.png"
HINT = "Formats acceptés : PDF, JPEG ou PNG. Taille maximale : 10 Mo."

T = TypeVar("T")


def sniff(content: bytes, *, field: str = "file") -> str:
    """The real type of the file, or a French ValidationError on `field`."""
    if content.startswith(b"%PDF-"):
        tail = content[-2048:]
        if b"%%EOF" not in tail or b"obj" not in content:
            raise ValidationError({field: "Ce PDF est incomplet ou endommagé."})
        return "application/pdf"
    if content.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        try:
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
                kind = image.format
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise ValidationError(
                {field: "Cette image ne peut pas être lue : elle est endommagée."}
            ) from error
        if kind not in IMAGE_TYPES:
            raise ValidationError({field: "Seuls les fichiers PDF, JPEG et PNG sont acceptés."})
        return IMAGE_TYPES[kind]
    raise ValidationError({field: "Seuls les fichiers PDF, JPEG et PNG sont acceptés."})


def content_checked(content: bytes, *, field: str = "file") -> str:
    """Every check of an upload (not empty, 10 Mo at most, a real PDF, JPEG or PNG): its type."""
    if len(content) == 0:
        raise ValidationError({field: "Le fichier est vide."})
    if len(content) > MAX_BYTES:
        raise ValidationError({field: "Le fichier dépasse 10 Mo."})
    return sniff(content, field=field)


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
