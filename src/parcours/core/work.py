"""The back office's work, as the apps that cause it announce it (decision 0014).

A declaration deposited, a document received, a quarterly resource declaration missing, a payment
returned by the bank: each is work for an agent. The app where it happens says so here, in the same
transaction as the event, with a stable reference of its cause ("demande:12"); the casework app
(the layer above every domain app) listens and turns it into a task in a team's queue. When the
cause is settled (the declaration decided, the declaration received, a new bank account), the same
app says so and the task closes. The domain apps never import casework: they announce, it listens
(Django signals, synchronous, inside the caller's transaction).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.dispatch import Signal


class Kind(StrEnum):
    """Every kind of work the back office receives (the casework app's catalogue gives each its
    team, its delay and what it puts at risk: casework/data/kinds.yaml)."""

    DECLARATION = "declaration"  # a declaration (of separation) to instruct
    DOCUMENTS = "pieces"  # documents received on a declaration under instruction
    CHANGE = "changement"  # a change of situation reported by a partner's flow, to process
    DTR_MISSING = "dtr_manquante"  # a quarterly resource declaration (RSA, prime d'activité) missing
    RIGHT_ENDING = "fin_de_droit"  # a benefit that stops next month
    RENT_ARREARS = "impaye_loyer"  # a landlord's notice of rent arrears
    RETURNED_PAYMENT = "paiement_retourne"  # a payment the bank returned (account closed)
    RETURNED_MAIL = "courrier_retourne"  # a letter back: "n'habite pas à l'adresse indiquée"
    UNPAID_NO_ASF = "impaye_sans_asf"  # an unpaid pension that no ASF advance covers
    INDU = "indu"  # an overpayment to notify


@dataclass(frozen=True)
class Work:
    """One piece of work: its kind, its dossier, the reference of its cause (unique per kind while
    open), when the family's payment breaks if nobody acts (None: no date known), the monthly
    amount the cause itself puts at risk when it knows it (a pension), and a short note for the
    agent (never personal data beyond what the dossier page shows)."""

    kind: Kind
    dossier_id: int
    cause: str
    breaks_on: date | None = None
    amount: Decimal | None = None
    note: str = ""


# Sent with `items` (a list of Work).
work_opened = Signal()
# Sent with `causes` (references), `outcome` (French, for the task's log) and `kind` (or None: any).
work_closed = Signal()
# Sent with `causes` and `waiting` (True: the agent waits for the family; False: back to work).
work_waiting = Signal()


def open_work(sender: str, items: Iterable[Work]) -> None:
    """Announce work (one task per kind and cause: announcing it again changes nothing)."""
    items = list(items)
    if items:
        work_opened.send(sender=sender, items=items)


def close_work(sender: str, causes: Iterable[str], outcome: str, kind: Kind | None = None) -> None:
    """The causes are settled: their open tasks close with `outcome` (French)."""
    causes = list(causes)
    if causes:
        work_closed.send(sender=sender, causes=causes, outcome=outcome, kind=kind)


def wait_work(sender: str, causes: Iterable[str], *, waiting: bool) -> None:
    """The agent now waits for the family's documents (True), or has them back (False)."""
    causes = list(causes)
    if causes:
        work_waiting.send(sender=sender, causes=causes, waiting=waiting)
