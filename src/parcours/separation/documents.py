"""Uploaded documents: PDF, JPEG or PNG only, recognised by their content, stored outside the web root.

The type is read from the bytes (a PDF header and end-of-file marker; an image Pillow can decode),
never from the name or the browser's claim. A refused file leaves nothing behind.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from .models import Demande, Document

MAX_BYTES = 10 * 1024 * 1024  # 10 Mo
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def sniff(content: bytes) -> str:
    """The real type of the file, or a French ValidationError."""
    if content.startswith(b"%PDF-"):
        tail = content[-2048:]
        if b"%%EOF" not in tail or b"obj" not in content:
            raise ValidationError({"file": "Ce PDF est incomplet ou endommagé."})
        return "application/pdf"
    if content.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        try:
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
                kind = image.format
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise ValidationError(
                {"file": "Cette image ne peut pas être lue : elle est endommagée."}
            ) from error
        return {"JPEG": "image/jpeg", "PNG": "image/png"}[kind]
    raise ValidationError({"file": "Seuls les fichiers PDF, JPEG et PNG sont acceptés."})


def storage_root() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT)


def document_upload(*, demande: Demande, code: str, name: str, content: bytes, by: Any) -> Document:
    if len(content) == 0:
        raise ValidationError({"file": "Le fichier est vide."})
    if len(content) > MAX_BYTES:
        raise ValidationError({"file": "Le fichier dépasse 10 Mo."})
    content_type = sniff(content)
    relative = Path("demandes") / str(demande.pk) / f"{secrets.token_hex(16)}.{EXTENSIONS[content_type]}"
    path = storage_root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    try:
        with transaction.atomic():
            return Document.objects.create(
                demande=demande,
                code=code,
                original_name=Path(name).name[:200],
                stored_path=str(relative),
                content_type=content_type,
                size=len(content),
                uploaded_by=by,
            )
    except Exception:
        path.unlink(missing_ok=True)
        raise


def document_bytes(document: Document) -> bytes:
    return (storage_root() / document.stored_path).read_bytes()
