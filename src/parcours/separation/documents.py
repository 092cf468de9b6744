"""Uploaded documents of a declaration: PDF, JPEG or PNG only, really parsed and scanned, stored
outside the web root. The checks and the storage are core/uploads/'s (shared with the titre
exécutoire request); a refused file leaves nothing behind. A piece takes MAX_FILES_PER_PIECE files
at most (the ones the agent refused do not count: the parent sends another).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from parcours.core.uploads import EXTENSIONS, MAX_BYTES, sniff, storage_root, stored_bytes, upload_store

from .models import Demande, Document, DocumentReview
from .services import pieces_received

__all__ = [
    "EXTENSIONS",
    "MAX_BYTES",
    "MAX_FILES_PER_PIECE",
    "document_bytes",
    "document_upload",
    "sniff",
    "storage_root",
]

# A piece is one document: a few files for its pages or its sides, not an unbounded store.
MAX_FILES_PER_PIECE = 5


def document_upload(*, demande: Demande, code: str, name: str, content: bytes, by: Any) -> Document:
    """Check `content`, store it and record it as a file of the piece `code` of `demande`; a
    French ValidationError, and nothing written, if it is refused or the piece has its
    MAX_FILES_PER_PIECE files already."""
    _room_for_one_more(demande, code)  # before anything is read or written

    def create(stored_path: str, content_type: str) -> Document:
        # Again under the demande's lock: two uploads at once cannot both take the last place.
        Demande.objects.select_for_update().only("pk").get(pk=demande.pk)
        _room_for_one_more(demande, code)
        document = Document.objects.create(
            demande=demande,
            code=code,
            original_name=Path(name).name[:200],
            stored_path=stored_path,
            content_type=content_type,
            size=len(content),
            uploaded_by=by,
        )
        pieces_received(demande)  # work for the back office, in the same transaction
        return document

    return upload_store(folder=Path("demandes") / str(demande.pk), content=content, create=create)


def _room_for_one_more(demande: Demande, code: str) -> None:
    kept = Document.objects.filter(demande=demande, code=code).exclude(review=DocumentReview.REFUSEE)
    if kept.count() >= MAX_FILES_PER_PIECE:
        raise ValidationError(
            {
                "file": f"Vous avez déjà déposé {MAX_FILES_PER_PIECE} fichiers pour cette pièce : c'est "
                "le maximum. Si l'un d'eux est erroné, dites-le à la Caf dans un message sur votre "
                "déclaration."
            }
        )


def document_bytes(document: Document) -> bytes:
    return stored_bytes(document.stored_path)
