"""A parent's space ("Mon espace"): one page made of sections that each app contributes.

core cannot import the apps above it, so each app registers its section in its AppConfig.ready():
`register(Section(order, title, template, context))`; `context(user)` returns the section's
template context, or None when the section has nothing to say to this parent. The page shows the
sections in `order` (what the Caf waits for first)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    order: int
    title: str
    template: str
    context: Callable[[Any], dict[str, Any] | None]


SECTIONS: dict[str, Section] = {}


def register(name: str, section: Section) -> None:
    SECTIONS[name] = section


def sections_for(user: Any) -> list[tuple[Section, dict[str, Any]]]:
    shown = []
    for section in sorted(SECTIONS.values(), key=lambda s: s.order):
        context = section.context(user)
        if context is not None:
            shown.append((section, context))
    return shown
