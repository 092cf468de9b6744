"""Letters of the ARIPA as PDF (WeasyPrint, from HTML templates, as separation/letters.py does):
the titre exécutoire issued by the Caf, and the notice to a debtor who has not paid.

Each letter is a plain dataclass holding what it states, so it can be rendered (and tested)
without the database; the services fill it from the models. Money is Decimal euros.

Confidentiality (DESIGN.md invariant): the other parent never sees an address marked
confidential. The titre goes to both parents: with `creditor_address_confidential` it shows no
address for the creditor. The notice goes to the debtor only: it has no field for the creditor's
address at all, so no template can show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from parcours.core.templatetags.parcours_format import MONTHS

from .rules import ifpa_value
from .rules.revaluation import DEFAULT_SERIES, publication_lag_months, series_title
from .rules.titre_caf import ParentIdentity
from .scales import Custody
from .simulation import CUSTODY_HINTS, CUSTODY_LABELS

if TYPE_CHECKING:
    from weasyprint import Document

ZERO = Decimal("0.00")


def month_fr(day: date) -> str:
    """date(2026, 3, 1) → "mars 2026"."""
    return f"{MONTHS[day.month - 1]} {day.year}"


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
    return render_to_string("child_support/letters/titre_caf.html", titre_caf_context(letter))


def titre_caf_document(letter: TitreCafLetter) -> Document:
    """The laid-out titre (its pages and boxes), before it is written as PDF."""
    return _layout(titre_caf_html(letter))


def titre_caf_pdf(letter: TitreCafLetter) -> bytes:
    return titre_caf_document(letter).write_pdf()


# --- The notice to a debtor who has not paid (CSS R582-8) -------------------------------------


@dataclass(frozen=True)
class UnpaidMonth:
    month: date  # any day of the month the pension was due for
    due: Decimal
    paid: Decimal = ZERO

    @property
    def unpaid(self) -> Decimal:
        return self.due - self.paid

    @property
    def label(self) -> str:
        return month_fr(self.month)


@dataclass(frozen=True)
class UnpaidNotice:
    """The mise en demeure sent to the debtor. Addressed to the debtor: it holds nothing about the
    creditor but the titre's reference and the children's names."""

    reference: str
    caf_name: str
    issued_on: date
    debtor: ParentIdentity  # the addressee
    titre_reference: str
    children_names: tuple[str, ...]
    months: tuple[UnpaidMonth, ...]
    pay_by: date  # rules.recovery.notice_dates(...).pay_by
    payment_reference: str
    caf_iban: str = ""

    @property
    def amount_due(self) -> Decimal:
        return sum((month.unpaid for month in self.months), ZERO)

    @classmethod
    def from_titre(
        cls,
        titre: TitreCafLetter,
        *,
        reference: str,
        issued_on: date,
        months: tuple[UnpaidMonth, ...],
        pay_by: date,
        payment_reference: str,
        caf_iban: str = "",
    ) -> UnpaidNotice:
        """The notice for a titre's debtor: only the titre's debtor side is carried over."""
        return cls(
            reference=reference,
            caf_name=titre.caf_name,
            issued_on=issued_on,
            debtor=titre.debtor,
            titre_reference=titre.reference,
            children_names=tuple(child.first_names for child in titre.children),
            months=months,
            pay_by=pay_by,
            payment_reference=payment_reference,
            caf_iban=caf_iban,
        )


def french_list(items: tuple[str, ...]) -> str:
    """("Léa", "Hugo", "Inès") → "Léa, Hugo et Inès"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} et {items[-1]}"


def unpaid_notice_context(notice: UnpaidNotice) -> dict[str, Any]:
    iban = notice.caf_iban.replace(" ", "")
    return {
        "notice": notice,
        "children": french_list(notice.children_names),
        "caf_iban": " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)),
        "lift_after_paid_months": ifpa_value("lift_after_paid_months", notice.issued_on),
    }


def unpaid_notice_html(notice: UnpaidNotice) -> str:
    return render_to_string("child_support/letters/unpaid_notice.html", unpaid_notice_context(notice))


def unpaid_notice_document(notice: UnpaidNotice) -> Document:
    return _layout(unpaid_notice_html(notice))


def unpaid_notice_pdf(notice: UnpaidNotice) -> bytes:
    return unpaid_notice_document(notice).write_pdf()


def _layout(html: str) -> Document:
    from weasyprint import HTML  # heavy: imported when a letter is rendered, not with the module

    return HTML(string=html).render()
