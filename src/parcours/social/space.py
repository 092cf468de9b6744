"""The social section of the parent's space: the offers of support awaiting their answer."""

from __future__ import annotations

from typing import Any

from .offers import OFFERS, SignalementKind
from .selectors import parent_offers


def offers_section(user: Any) -> dict[str, Any] | None:
    offers = list(parent_offers(user).order_by("answer_by", "id"))
    if not offers:
        return None
    return {"offers": [(s, OFFERS[SignalementKind(s.kind)]) for s in offers]}
