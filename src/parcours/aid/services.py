"""Domain operations of the individual financial aid: the only place that writes budgets, requests,
decisions, payment batches and loan schedules. One transaction per operation; every change of a
request's state through core/transitions.py; every write on a dossier audited (decision 0017)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from parcours.accounts.services import audit_record
from parcours.core.money import format_cents
from parcours.core.transitions import transition_apply
from parcours.core.workflow import SystemActor
from parcours.households.access import staff_covers
from parcours.households.models import Dossier
from parcours.intermediation.bank import (
    Account,
    BankFileError,
    Transfer,
    credit_transfers_xml,
    validate_pain,
)
from parcours.notifications import events
from parcours.notifications.services import notify, site_link
from parcours.social.models import Accompaniment, SocialTeam
from parcours.social.services import parent_accounts

from . import lifecycle, rules, selectors
from .models import AidBudget, AidRequest, AidTransition, LoanRepayment, PaymentBatch

PAY_ACTOR = SystemActor("aides versement")
MOTIVE_MAX = 2000
REASON_MAX = 500
MAX_BUDGET_CENTS = 10**12  # an input bound: 10 000 000 000 € is no theme's budget


def _iban(value: str) -> str:
    try:
        return str(IBAN(value))
    except SchwiftyException:
        raise ValidationError({"payee_iban": "Cet IBAN n'est pas valide : vérifiez-le sur le RIB."}) from None


def aid_account() -> Account:
    """The Caf's action-sociale account, debtor of the aids' transfers: PARCOURS_AID_ACCOUNT
    (name, IBAN, BIC) when set, else the Caf's account of the intermediation under the name of
    its action sociale."""
    configured = getattr(settings, "PARCOURS_AID_ACCOUNT", None)
    if configured:
        name, iban, bic = configured
    else:
        caf_name, iban, bic = settings.PARCOURS_CAF_ACCOUNT
        name = caf_name.split(" - ")[0] + " - ACTION SOCIALE"
    return Account(name=name, iban=iban, bic=bic)


# --- Budgets ------------------------------------------------------------------------------------


def budget_validate(*, departement: str, theme: str, year: int, amount_cents: int) -> None:
    """What budget_set refuses, in French (the administration's form asks it before saving)."""
    if theme not in rules.THEMES:
        raise ValidationError({"theme": "Choisissez un thème d'aide."})
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents < 0:
        raise ValidationError({"amount_cents": "Le budget est un montant positif."})
    if amount_cents > MAX_BUDGET_CENTS:
        raise ValidationError({"amount_cents": "Ce budget est hors de toute mesure."})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "Indiquez une année entre 2000 et 2100."})
    used = selectors.granted_cents(departement=departement, theme=theme, year=year)
    if amount_cents < used:
        raise ValidationError(
            {
                "amount_cents": f"Le budget ne peut pas être inférieur à ce qui est déjà accordé "
                f"({format_cents(used)})."
            }
        )


@transaction.atomic
def budget_set(*, departement: str, theme: str, year: int, amount_cents: int, by: Any) -> AidBudget:
    """Set the year's budget of a theme (the board's vote), audited. It may not fall below what is
    already granted on it (checked once the budget row is locked)."""
    budget = (
        AidBudget.objects.select_for_update().filter(departement=departement, theme=theme, year=year).first()
    )
    budget_validate(departement=departement, theme=theme, year=year, amount_cents=amount_cents)
    before = budget.amount_cents if budget else None
    if budget is None:
        try:
            with transaction.atomic():
                budget = AidBudget.objects.create(
                    departement=departement, theme=theme, year=year, amount_cents=amount_cents
                )
        except IntegrityError:  # opened at the same moment by another: that one stands
            raise ValidationError(
                {"amount_cents": "Ce budget vient d'être ouvert par ailleurs : rechargez la page."}
            ) from None
    elif before != amount_cents:
        budget.amount_cents = amount_cents
        budget.save(update_fields=["amount_cents"])
    if before != amount_cents:
        audit_record(
            actor=by,
            action="aide.budget",
            object_type="budget_aides",
            object_id=budget.pk,
            context=f"{rules.THEMES[theme]} {year} : "
            f"{format_cents(before) if before is not None else '—'} → {format_cents(amount_cents)}",
            departement=departement,
        )
    return budget


# --- Requests -----------------------------------------------------------------------------------


@transaction.atomic
def aid_request_create(
    *,
    dossier: Dossier,
    by: Any,
    theme: str,
    kind: str,
    form: str,
    amount_requested_cents: int,
    motive: str,
    payee_kind: str,
    payee_name: str,
    payee_iban: str,
    loan_months: int | None = None,
    accompaniment: Accompaniment | None = None,
) -> AidRequest:
    """A social worker of the territory files a request for a family: the rules in force today
    (the kind's ceiling, its forms and loan length, its income condition on the family's quotient
    familial) refuse it in French, nothing written; else it is submitted to the committee."""
    if not selectors.is_social_worker(by) or not staff_covers(by, dossier.departement):
        raise PermissionDenied("Réservé aux travailleurs sociaux du territoire.")
    if accompaniment is not None and accompaniment.dossier_id != dossier.pk:
        raise ValidationError({"accompaniment": "Cet accompagnement n'est pas celui de cette famille."})
    today = timezone.localdate()
    quotient = selectors.family_quotient(dossier, today)
    errors = rules.request_refusals(
        theme=theme,
        kind=kind,
        form=form,
        amount_cents=amount_requested_cents,
        loan_months=loan_months,
        qf_cents=quotient.qf_cents,
        on=today,
    )
    motive = motive.strip()
    if not motive:
        errors["motive"] = "Indiquez le motif de la demande."
    elif len(motive) > MOTIVE_MAX:
        errors["motive"] = f"Le motif tient en {MOTIVE_MAX} caractères au plus."
    if payee_kind not in AidRequest.Payee.values:
        errors["payee_kind"] = "Indiquez à qui l'aide est versée."
    if not payee_name.strip():
        errors["payee_name"] = "Indiquez le titulaire du compte à créditer."
    if errors:
        raise ValidationError(errors)
    iban = _iban(payee_iban)
    request = AidRequest.objects.create(
        dossier=dossier,
        accompaniment=accompaniment,
        departement=dossier.departement,
        theme=theme,
        kind=kind,
        form=form,
        amount_requested_cents=amount_requested_cents,
        loan_months=loan_months if form == rules.LOAN else None,
        motive=motive,
        qf_cents=quotient.qf_cents,
        payee_kind=payee_kind,
        payee_name=payee_name.strip()[:140],
        payee_iban=iban,
        requested_by=by,
    )
    audit_record(
        actor=by,
        action="aide.demande",
        dossier=dossier,
        object_type="aide",
        object_id=request.pk,
        context=f"demande : {rules.kind_label(kind)}",
    )
    return request


def aid_request_withdraw(*, request: AidRequest, by: Any, reason: str) -> AidRequest:
    """The social worker who filed a request not yet decided withdraws it (the family no longer
    needs it), or a leader of the territory's social team does; audited, the refusal too."""
    if not selectors.is_social_worker(by) or not staff_covers(by, request.departement):
        raise PermissionDenied("Réservé aux travailleurs sociaux du territoire.")
    leader = SocialTeam.objects.filter(departement=request.departement, leaders=by).exists()
    if request.requested_by_id != by.pk and not leader:
        audit_record(
            actor=by,
            action="aide.retrait",
            dossier=request.dossier,
            object_type="aide",
            object_id=request.pk,
            allowed=False,
        )
        raise PermissionDenied(
            "Seul le travailleur social qui a fait la demande, ou un responsable de l'équipe, la retire."
        )
    return _withdraw(request=request, by=by, reason=reason)


@transaction.atomic
def _withdraw(*, request: AidRequest, by: Any, reason: str) -> AidRequest:
    applied = transition_apply(
        log=AidTransition,
        subject=request,
        action="retirer",
        by=by,
        role=lifecycle.WORKER,
        reason=reason.strip()[:REASON_MAX],
    )
    if applied.entry is not None:
        audit_record(
            actor=by, action="aide.retrait", dossier=request.dossier, object_type="aide", object_id=request.pk
        )
    return applied.subject


# --- Decisions ----------------------------------------------------------------------------------


def _action_label(action: str) -> str:
    """The French name of a decision, for the audit log ("Accorder l'aide")."""
    transition = lifecycle.REQUEST.transitions.get(action)
    return transition.label if transition is not None else "décision inconnue"


def _decision_refusal(request: AidRequest, by: Any) -> str | None:
    if not selectors.is_committee_member(by, request.departement):
        return "Seuls les membres de la commission des aides du territoire décident d'une aide."
    if request.requested_by_id == getattr(by, "pk", None):
        return (
            "Règle des quatre yeux : vous avez fait cette demande, un autre membre de la commission "
            "doit en décider."
        )
    return None


def aid_decide(
    *,
    request: AidRequest,
    action: str,
    by: Any,
    amount_granted_cents: int | None = None,
    reason: str = "",
) -> AidRequest:
    """The committee's decision: grant (with its amount, within the request, the kind's ceiling
    and what is left of the theme's budget for the year), refuse or adjourn (with a reason).

    A non-member, or the member who filed the request (four-eyes), is refused (PermissionDenied)
    and the attempt audited as refused. Any other refusal is a French ValidationError and writes
    nothing. The family is told of a grant or a refusal."""
    refusal = _decision_refusal(request, by)
    if refusal is not None:
        audit_record(
            actor=by,
            action="aide.decision",
            dossier=request.dossier,
            object_type="aide",
            object_id=request.pk,
            context=f"décision refusée : {_action_label(action)}"[:200],
            allowed=False,
        )
        raise PermissionDenied(refusal)
    return _decide(request=request, action=action, by=by, amount_cents=amount_granted_cents, reason=reason)


@transaction.atomic
def _decide(
    *, request: AidRequest, action: str, by: Any, amount_cents: int | None, reason: str
) -> AidRequest:
    if action not in lifecycle.DECISIONS:
        raise ValidationError({"action": "Choisissez d'accorder, de refuser ou d'ajourner."})
    today = timezone.localdate()
    reason = reason.strip()[:REASON_MAX]
    locked = AidRequest.objects.select_for_update().get(pk=request.pk)
    last = AidTransition.objects.filter(request=locked).order_by("-id").first()
    repeated = last is not None and last.action == action and locked.state == last.target
    if repeated and action == "accorder" and amount_cents != locked.amount_granted_cents:
        raise ValidationError(
            {
                "amount_granted": "Cette aide est déjà accordée, pour "
                f"{format_cents(locked.amount_granted_cents or 0)} : la décision ne change pas."
            }
        )
    if not repeated:
        refused = lifecycle.REQUEST.refusal(
            state=locked.state, action=action, role=lifecycle.COMMITTEE, reason=reason
        )
        if refused:
            raise ValidationError({"action": refused})
        if action == "accorder":
            _check_grant(locked, amount_cents, today)

    def record(locked: AidRequest) -> None:
        if action == "accorder":
            assert amount_cents is not None
            locked.amount_granted_cents = amount_cents
            locked.budget_year = today.year
        locked.decided_by, locked.decided_on, locked.decision_reason = by, today, reason

    applied = transition_apply(
        log=AidTransition,
        subject=locked,
        action=action,
        by=by,
        role=lifecycle.COMMITTEE,
        reason=reason,
        prepare=record,
    )
    if applied.entry is None:  # the same decision twice: already done
        return applied.subject
    audit_record(
        actor=by,
        action="aide.decision",
        dossier=request.dossier,
        object_type="aide",
        object_id=request.pk,
        context=_action_label(action)
        + (f" : {format_cents(amount_cents or 0)}" if action == "accorder" else ""),
    )
    if action in ("accorder", "refuser"):
        link = site_link(reverse("core:home"))
        for user in parent_accounts(request.dossier):
            notify(user=user, event=events.AIDE_DECIDEE, ref=f"aide:{request.pk}", fields={"lien": link})
    return applied.subject


def _check_grant(request: AidRequest, amount_cents: int | None, today: date) -> None:
    """The amount granted: a positive number of cents, within the request and the kind's ceiling,
    and within what is left of the theme's budget of the year, the budget row locked first so that
    two decisions at once cannot both take its last euros."""
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
        raise ValidationError({"amount_granted": "Indiquez le montant accordé, supérieur à zéro."})
    if amount_cents > request.amount_requested_cents:
        raise ValidationError(
            {"amount_granted": "Le montant accordé ne peut pas dépasser le montant demandé."}
        )
    try:
        rule = rules.kind_rule(request.kind, timezone.localdate(request.requested_at))
    except rules.AidRuleError as error:
        raise ValidationError({"amount_granted": str(error)}) from None
    if amount_cents > rule.ceiling_cents:
        raise ValidationError(
            {
                "amount_granted": f"Le montant accordé dépasse le plafond de l'aide « {request.kind_label} » : "
                f"{format_cents(rule.ceiling_cents)}."
            }
        )
    budget = (
        AidBudget.objects.select_for_update()
        .filter(departement=request.departement, theme=request.theme, year=today.year)
        .first()
    )
    if budget is None:
        raise ValidationError(
            {
                "amount_granted": f"Aucun budget {today.year} n'est ouvert pour le thème « {request.theme_label} »."
            }
        )
    used = selectors.granted_cents(departement=request.departement, theme=request.theme, year=today.year)
    over = rules.budget_refusal(
        theme=request.theme,
        year=today.year,
        budget_cents=budget.amount_cents,
        used_cents=used,
        amount_cents=amount_cents,
    )
    if over:
        raise ValidationError({"amount_granted": over})


# --- Payment ------------------------------------------------------------------------------------


def aid_pay(*, on: date | None = None) -> list[PaymentBatch]:
    """Pay every granted aid not yet paid: one pain.001 per territory, from the Caf's action-sociale
    account, executed on `on` (today by default), validated against the XSD, stored with its batch;
    each aid "versée", a loan with its repayment schedule. Run again, it pays nothing twice: an aid
    in a batch is no longer to pay."""
    today = timezone.localdate()
    execution = on or today
    if execution < today:
        raise ValidationError({"on": "La date d'exécution des virements ne peut pas être passée."})
    departements = (
        AidRequest.objects.filter(state=lifecycle.ACCORDEE, batch__isnull=True)
        .values_list("departement", flat=True)
        .distinct()
        .order_by("departement")
    )
    batches = []
    for departement in list(departements):
        batch = _pay_territory(departement, execution)
        if batch is not None:
            batches.append(batch)
    return batches


@transaction.atomic
def _pay_territory(departement: str, execution: date) -> PaymentBatch | None:
    rows = list(
        AidRequest.objects.select_for_update()
        .filter(departement=departement, state=lifecycle.ACCORDEE, batch__isnull=True)
        .order_by("pk")
    )
    if not rows:
        return None
    created_at = timezone.now().replace(microsecond=0)
    number = PaymentBatch.objects.filter(departement=departement, execution_date=execution).count() + 1
    message_id = f"AIDES-{departement}-{execution:%Y%m%d}-{number}"
    transfers = [
        Transfer(
            end_to_end_id=f"AIDE-{row.pk}",
            amount_cents=int(row.amount_granted_cents or 0),
            creditor=Account(name=row.payee_name[:70], iban=row.payee_iban),
            remittance=f"{'Pret' if row.is_loan else 'Aide'} de la Caf n {row.pk} {row.kind_label}"[:140],
        )
        for row in rows
    ]
    try:
        xml = credit_transfers_xml(
            message_id=message_id,
            created_at=created_at,
            initiator=aid_account(),
            execution_date=execution,
            transfers=transfers,
        )
        validate_pain(xml)
    except BankFileError as error:
        raise ValidationError(str(error)) from None
    batch = PaymentBatch.objects.create(
        departement=departement,
        message_id=message_id,
        created_at=created_at,
        execution_date=execution,
        total_cents=sum(t.amount_cents for t in transfers),
        count=len(transfers),
        xml=xml.decode("utf-8"),
        sha256=hashlib.sha256(xml).hexdigest(),
    )

    def paid(locked: AidRequest) -> None:
        locked.batch, locked.paid_on = batch, execution

    for row in rows:
        transition_apply(log=AidTransition, subject=row, action="verser", by=PAY_ACTOR, prepare=paid)
        if row.is_loan:
            schedule = rules.repayment_schedule(
                total_cents=int(row.amount_granted_cents or 0),
                months=int(row.loan_months or 1),
                paid_on=execution,
            )
            LoanRepayment.objects.bulk_create(
                LoanRepayment(request=row, number=n, due_on=due, amount_cents=cents)
                for n, (due, cents) in enumerate(schedule, start=1)
            )
    audit_record(
        actor=None,
        action="aide.versement",
        object_type="lot_aides",
        object_id=batch.pk,
        context=f"{message_id} : {batch.count} virement(s)",
        departement=departement,
    )
    return batch


def batch_total_matches(batch: PaymentBatch) -> bool:
    """The batch's total is the sum of its aids' amounts (a check for the payments page)."""
    total = batch.requests.aggregate(total=Sum("amount_granted_cents"))["total"] or 0
    return int(total) == batch.total_cents
