"""The text of a laid-out PDF document (WeasyPrint's boxes), to assert what a letter says
(pypdf is not a dependency)."""

from __future__ import annotations

import re


def text_of(document) -> str:
    parts: list[str] = []

    def walk(box) -> None:
        if getattr(box, "text", None):
            parts.append(box.text)
        for child in getattr(box, "children", None) or ():
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    # Collapse line breaks and spaces, but keep the no-break spaces of French amounts.
    return re.sub(r"[ \t\r\n]+", " ", " ".join(parts)).strip()
