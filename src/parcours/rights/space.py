"""The rights' panel of the staff's dossier page: what is due, month by month, and what each
recomputation changed (rappels owed to the family, indus paid too much)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .results import BENEFIT_LABELS
from .selectors import rights_timeline

MONTHS_SHOWN = 6  # the current month and the five before it


def rights_panel(dossier: Any, user: Any) -> dict[str, Any]:
    this_month = timezone.localdate().replace(day=1)
    index = this_month.year * 12 + this_month.month - 1 - (MONTHS_SHOWN - 1)
    first = this_month.replace(year=index // 12, month=index % 12 + 1)
    timeline = rights_timeline(dossier, f"{first:%Y-%m}", f"{this_month:%Y-%m}")
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
