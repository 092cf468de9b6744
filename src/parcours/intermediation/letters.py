"""The notice to a debtor who has not paid (CSS R582-8), as PDF (WeasyPrint, from an HTML
template, as separation/letters.py does).

The letter is a plain dataclass holding what it states, so it can be rendered (and tested) without
the database. Money is Decimal euros.

Confidentiality (DESIGN.md invariant): the notice goes to the debtor only; it has no field for the
creditor's address at all, so no template can show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from parcours.core.letters import pdf_layout
from parcours.core.templatetags.parcours_format import month_fr
from parcours.intermediation.rules import ifpa_value
from parcours.titres.rules import ParentIdentity

if TYPE_CHECKING:
    from weasyprint import Document

    from parcours.titres.letters import TitreCafLetter

ZERO = Decimal("0.00")


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
    return render_to_string("intermediation/letters/unpaid_notice.html", unpaid_notice_context(notice))


def unpaid_notice_document(notice: UnpaidNotice) -> Document:
    return pdf_layout(unpaid_notice_html(notice))


def unpaid_notice_pdf(notice: UnpaidNotice) -> bytes:
    return unpaid_notice_document(notice).write_pdf()
