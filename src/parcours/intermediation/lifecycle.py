"""When an intermediation opens and ends (CSS L582-1, CC 373-2-2; DOMAIN.md §5) — pure rules.

- 2022-03-01: automatic for divorces and court decisions; 2023-01-01: automatic for every titre
  exécutoire. Older titres: on the request of one parent.
- Not set up when both parents refused it in the titre, or the judge excluded it — but with
  violence recorded (complaint, conviction or court decision), neither refusal nor exclusion applies.
- Ends on one parent's request with the other's consent — never with violence recorded; a parent
  can re-activate it at any time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

AUTOMATIC_FOR_COURT_FROM = date(2022, 3, 1)
AUTOMATIC_FOR_ALL_FROM = date(2023, 1, 1)
COURT_KINDS = frozenset({"jugement", "divorce"})

AUTOMATIC, ON_REQUEST, EXCLUDED = "automatique", "demande", "exclue"


@dataclass(frozen=True)
class Opening:
    how: str  # AUTOMATIC | ON_REQUEST | EXCLUDED
    reason: str  # French, for the parents and the agent


def opening(*, kind: str, issued_on: date, refused: bool, judge_excluded: bool, violence: bool) -> Opening:
    if (refused or judge_excluded) and not violence:
        who = "les deux parents l'ont refusée dans le titre" if refused else "le juge l'a écartée"
        return Opening(
            EXCLUDED,
            f"L'intermédiation n'est pas mise en place : {who}. Un parent peut la demander à tout moment.",
        )
    automatic_from = AUTOMATIC_FOR_COURT_FROM if kind in COURT_KINDS else AUTOMATIC_FOR_ALL_FROM
    if issued_on >= automatic_from:
        because = " malgré le refus, des violences étant établies" if (refused or judge_excluded) else ""
        return Opening(AUTOMATIC, f"L'intermédiation est mise en place automatiquement{because}.")
    return Opening(
        ON_REQUEST,
        f"Titre antérieur au {automatic_from:%d/%m/%Y} : l'intermédiation est mise en place à la demande d'un parent.",
    )


def end_refusal(*, violence: bool, other_parent_consents: bool) -> str:
    """Why an end asked by one parent is refused ("" when it may end)."""
    if violence:
        return (
            "Des violences ont été établies (plainte, condamnation ou décision de justice) : "
            "l'intermédiation ne peut pas prendre fin à la demande d'un parent."
        )
    if not other_parent_consents:
        return "L'intermédiation ne prend fin qu'avec l'accord de l'autre parent."
    return ""
