"""Small readers of rendered pages: the navigation's links, and inputs without a label."""

from __future__ import annotations

from html.parser import HTMLParser

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.label_targets: set[str] = set()
        self.inputs: list[dict[str, str | None]] = []
        self.nav_links: list[dict[str, str | None]] = []
        self.ids: set[str] = set()
        self._in_nav = 0
        self._link: dict[str, str | None] | None = None
        self._label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "nav" and "fr-nav" in (values.get("class") or "").split():
            self._in_nav += 1
        elif tag == "a" and self._in_nav:
            self._link = {**values, "text": ""}
        elif tag == "label":
            self._label_depth += 1
            if values.get("for"):
                self.label_targets.add(values["for"] or "")
        elif tag in ("input", "select", "textarea") and (
            tag != "input" or (values.get("type") or "text") not in UNLABELLED_TYPES
        ):
            self.inputs.append({**values, "wrapped": "yes" if self._label_depth else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._in_nav:
            self._in_nav -= 1
        elif tag == "a" and self._link is not None:
            self._link["text"] = (self._link["text"] or "").strip()
            self.nav_links.append(self._link)
            self._link = None
        elif tag == "label" and self._label_depth:
            self._label_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link["text"] = (self._link["text"] or "") + data


def read(html: str) -> _PageReader:
    reader = _PageReader()
    reader.feed(html)
    return reader


def nav_links(html: str) -> list[tuple[str, str | None]]:
    """(label, aria-current) of each link of the main navigation, in order."""
    return [(str(link["text"]), link.get("aria-current")) for link in read(html).nav_links]


def unlabelled_inputs(html: str) -> list[str]:
    """The inputs a screen reader could not name: no <label for>, no wrapping label, no aria-label."""
    page = read(html)
    return [
        str(i.get("name") or i.get("id"))
        for i in page.inputs
        if not (
            i.get("id") in page.label_targets
            or i.get("wrapped")
            or i.get("aria-label")
            or i.get("aria-labelledby")
        )
    ]


def dangling_describedby(html: str) -> list[str]:
    """aria-describedby values that point to no element of the page."""
    page = read(html)
    return [
        ref for i in page.inputs for ref in (i.get("aria-describedby") or "").split() if ref not in page.ids
    ]
