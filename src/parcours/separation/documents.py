"""Uploaded documents of a declaration: PDF, JPEG or PNG only, recognised by their content, stored
outside the web root. The checks and the storage are core/uploads.py's (shared with the titre
exécutoire request); a refused file leaves nothing behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parcours.core.uploads import EXTENSIONS, MAX_BYTES, sniff, storage_root, stored_bytes, upload_store

from .models import Demande, Document

__all__ = ["EXTENSIONS", "MAX_BYTES", "document_bytes", "document_upload", "sniff", "storage_root"]


def document_upload(*, demande: Demande, code: str, name: str, content: bytes, by: Any) -> Document:
    def create(stored_path: str, content_type: str) -> Document:
        return Document.objects.create(
            demande=demande,
            code=code,
            original_name=Path(name).name[:200],
            stored_path=stored_path,
            content_type=content_type,
            size=len(content),
            uploaded_by=by,
        )

    return upload_store(folder=Path("demandes") / str(demande.pk), content=content, create=create)


def document_bytes(document: Document) -> bytes:
    return stored_bytes(document.stored_path)
