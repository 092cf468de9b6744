"""The intermediation's section of the parent's space: the pension the Caf collects and pays."""

from __future__ import annotations

from typing import Any

from .selectors.files import creditor_sides, debtor_sides


def pension_section(user: Any) -> dict[str, Any] | None:
    if user.person_id is None:
        return None
    creditor, debtor = creditor_sides(user.person_id), debtor_sides(user.person_id)
    if not creditor and not debtor:
        return {"none": True}
    return {
        "creditor": [(side, side.payouts[-3:][::-1]) for side in creditor],
        "debtor": debtor,
    }
