"""The notifications' section of the parent's space: the last messages the Caf sent."""

from __future__ import annotations

from typing import Any

from .selectors import notifications_of


def notifications_section(user: Any) -> dict[str, Any] | None:
    return {"notifications": list(notifications_of(user, limit=3))}
