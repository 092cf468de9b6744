"""S'informer: which démarches and services to show for the answers of the short questionnaire.

The texts live in the database (`InfoTopic`, editable in the admin); this module only says which
topics fit which answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Answers:
    union: str  # "mariage", "pacs" or "concubinage"
    children: bool
    decision: bool  # a judgment or an agreement on the children already exists
    unsafe: bool


def fits(topic: Any, answers: Answers) -> bool:
    if topic.unsafe_only and not answers.unsafe:
        return False
    if topic.children_only and not answers.children:
        return False
    if topic.without_decision_only and answers.decision:
        return False
    unions = {u.strip() for u in topic.unions.split(",") if u.strip()}
    return not unions or answers.union in unions


def topics_for(topics: Iterable[Any], answers: Answers) -> list[Any]:
    """The topics that fit, unsafe ones first, then in their editorial order."""
    return sorted(
        (t for t in topics if fits(t, answers)), key=lambda t: (not t.unsafe_only, t.order, t.pk or 0)
    )
