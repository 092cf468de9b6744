"""Pages made of parts that each app contributes: a parent's space ("Mon espace"), and the panels
of the staff's dossier page (the dossier's rights, its pensions…).

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


@dataclass(frozen=True)
class Panel:
    """A part of the staff's dossier page: `context(dossier, user)` returns the panel's template
    context, or None when it has nothing to show for this dossier. The page has already checked
    (and audited) the reader's right to the dossier."""

    order: int
    title: str
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]


PANELS: dict[str, Panel] = {}


def register_panel(name: str, panel: Panel) -> None:
    PANELS[name] = panel


def panels_for(dossier: Any, user: Any) -> list[tuple[Panel, dict[str, Any]]]:
    shown = []
    for panel in sorted(PANELS.values(), key=lambda p: p.order):
        context = panel.context(dossier, user)
        if context is not None:
            shown.append((panel, context))
    return shown
