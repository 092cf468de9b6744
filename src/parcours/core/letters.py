"""Letters as PDF: an HTML page laid out by WeasyPrint."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint import Document


def pdf_layout(html: str) -> Document:
    """The laid-out document (its pages and boxes), before it is written as PDF."""
    from weasyprint import HTML  # heavy: imported when a letter is rendered, not with the module

    return HTML(string=html).render()
