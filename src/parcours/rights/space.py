"""The rights' panel of the staff's dossier page: what is due, month by month, and what each
recomputation changed (rappels owed to the family, indus paid too much)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .facts import month_add
from .results import BENEFIT_LABELS
from .selectors import rights_timeline

MONTHS_SHOWN = 6  # the current month and the five before it


def rights_panel(dossier: Any, user: Any) -> dict[str, Any]:
    this_month = f"{timezone.localdate():%Y-%m}"
    first = month_add(this_month, -(MONTHS_SHOWN - 1))
    timeline = rights_timeline(dossier, first, this_month)
    order = list(BENEFIT_LABELS)
    benefits = sorted({b for entry in timeline for b, amount in entry.due.items() if amount}, key=order.index)
    return {
        "first": first,
        "benefits": [(b, BENEFIT_LABELS[b]) for b in benefits],
        "months": [
            {
                "month": entry.month,
                "due": [entry.due.get(b) for b in benefits],
                "rappels": [(BENEFIT_LABELS.get(b, b), v) for b, v in sorted(entry.rappels.items())],
                "indus": [(BENEFIT_LABELS.get(b, b), v) for b, v in sorted(entry.indus.items())],
                "revisions": len(entry.revisions),
            }
            for entry in reversed(timeline)
        ],
    }
