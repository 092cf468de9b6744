"""Record a titre that fixes a pension (a judgment, a divorce agreement, a notarial deed, a Caf
titre), and open the intermediation the law makes automatic for it (CSS L582-1). Typed,
keyword-only, one transaction; bad input raises a French ValidationError and writes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from parcours.intermediation import lifecycle
from parcours.intermediation.models import Intermediation
from parcours.intermediation.rules.calendar import add_months
from parcours.intermediation.services import BankDetails, ChildLine, intermediation_open
from parcours.titres.models import Titre, TitreChild


@transaction.atomic
def titre_record(
    *,
    kind: str,
    reference: str,
    issued_on: date,
    start_on: date,
    debtor: Any,
    creditor: Any,
    creditor_dossier: Any,
    children: list[ChildLine],
    debtor_bank: BankDetails,
    creditor_bank: BankDetails,
    mandate_signed_on: date | None = None,
    refused: bool = False,
    judge_excluded: bool = False,
    violence: bool = False,
    asf_eligible: bool | None = None,
    debtor_employer: str = "",
    end_on: date | None = None,
    by: Any = None,
) -> tuple[Titre, Intermediation | None]:
    """Record a titre; open its intermediation when the law makes it automatic (lifecycle.opening)."""
    errors: dict[str, str] = {}
    if not children:
        errors["children"] = "Le titre fixe une pension pour au moins un enfant."
    if any(line.monthly_amount <= 0 for line in children):
        errors["children"] = "La pension de chaque enfant est un montant positif."
    if start_on < issued_on.replace(day=1):
        errors["start_on"] = "La pension ne peut être due avant le mois du titre."
    if debtor.pk == creditor.pk:
        errors["creditor"] = "Le parent créancier et le parent débiteur sont deux personnes différentes."
    if errors:
        raise ValidationError(errors)
    titre = Titre.objects.create(
        reference=reference,
        kind=kind,
        issued_on=issued_on,
        start_on=start_on,
        end_on=end_on,
        debtor=debtor,
        creditor=creditor,
        creditor_dossier=creditor_dossier,
        revaluation_anniversary=add_months(start_on.replace(day=1), 12),
        intermediation_refused=refused,
        judge_excluded=judge_excluded,
        violence=violence,
        recorded_by=by,
    )
    TitreChild.objects.bulk_create(
        TitreChild(
            titre=titre, child=line.child, monthly_amount=line.monthly_amount, arrangement=line.arrangement
        )
        for line in children
    )
    decision = lifecycle.opening(
        kind=kind, issued_on=issued_on, refused=refused, judge_excluded=judge_excluded, violence=violence
    )
    if decision.how != lifecycle.AUTOMATIC:
        return titre, None
    opened = intermediation_open(
        titre=titre,
        on=issued_on,
        how=lifecycle.AUTOMATIC,
        debtor_bank=debtor_bank,
        creditor_bank=creditor_bank,
        mandate_signed_on=mandate_signed_on,
        asf_eligible=asf_eligible,
        debtor_employer=debtor_employer,
        by=by,
    )
    return titre, opened
