"""The titre exécutoire issued by the Caf, as PDF (WeasyPrint, from an HTML template, as
separation/letters.py does).

The letter is a plain dataclass holding what it states, so it can be rendered (and tested) without
the database; the services fill it from the models. Money is Decimal euros.

Confidentiality (DESIGN.md invariant): the other parent never sees an address marked
confidential. The titre goes to both parents: with `creditor_address_confidential` it shows no
address for the creditor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from parcours.child_support.scales import Custody
from parcours.child_support.simulation import CUSTODY_HINTS, CUSTODY_LABELS
from parcours.core.letters import pdf_layout
from parcours.core.templatetags.parcours_format import MONTHS
from parcours.intermediation.rules.revaluation import DEFAULT_SERIES, publication_lag_months, series_title
from parcours.titres.rules import ParentIdentity

if TYPE_CHECKING:
    from weasyprint import Document

ZERO = Decimal("0.00")


# --- The titre exécutoire (CSS L582-2, R582-3; DOMAIN.md §6) ----------------------------------


@dataclass(frozen=True)
class TitreChild:
    first_names: str
    last_name: str
    birth_date: date
    custody: Custody
    monthly_amount: Decimal
    arrangement: str = ""  # the visiting and accommodation arrangement agreed, in the parents' words

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_name}".strip()

    @property
    def custody_label(self) -> str:
        return CUSTODY_LABELS[self.custody]

    @property
    def arrangement_text(self) -> str:
        return self.arrangement or CUSTODY_HINTS[self.custody]


@dataclass(frozen=True)
class TitreCafLetter:
    """What the titre states (DOMAIN.md §6), and who issues it."""

    reference: str
    caf_name: str
    issued_on: date
    starts_on: date  # the pension is due from this day; its anniversary is the revaluation day
    creditor: ParentIdentity
    debtor: ParentIdentity
    children: tuple[TitreChild, ...]
    debtor_monthly_resources: Decimal
    children_dependent_on_debtor: int
    revaluation_series: str = DEFAULT_SERIES
    intermediation: bool = True  # False only when both parents refused it (written in the titre)
    creditor_address_confidential: bool = False

    @property
    def total_monthly(self) -> Decimal:
        return sum((child.monthly_amount for child in self.children), ZERO)


def titre_caf_context(letter: TitreCafLetter) -> dict[str, Any]:
    return {
        "letter": letter,
        "index_label": series_title(letter.revaluation_series),
        "index_lag_months": publication_lag_months(),
        "anniversary": f"{letter.starts_on.day if letter.starts_on.day != 1 else '1er'} "
        f"{MONTHS[letter.starts_on.month - 1]}",
        "show_creditor_address": bool(letter.creditor.address) and not letter.creditor_address_confidential,
    }


def titre_caf_html(letter: TitreCafLetter) -> str:
    return render_to_string("titres/letters/titre_caf.html", titre_caf_context(letter))


def titre_caf_document(letter: TitreCafLetter) -> Document:
    """The laid-out titre (its pages and boxes), before it is written as PDF."""
    return pdf_layout(titre_caf_html(letter))


def titre_caf_pdf(letter: TitreCafLetter) -> bytes:
    return titre_caf_document(letter).write_pdf()
