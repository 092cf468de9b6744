"""The financial aid's pages: a social worker's requests and the request form; a request and its
decision; the committee's requests to decide with each theme's budget used and left; the budgets
per theme and year; the payment batches and their pain.001 file. Thin: forms in, services out;
every read of a dossier audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from parcours.accounts.rules import Perm, has_permission
from parcours.accounts.services import audit_record
from parcours.core.forms import apply_errors
from parcours.core.pages import page_of
from parcours.households.access import caf_departement
from parcours.households.models import Dossier
from parcours.households.selectors import allocataire_names
from parcours.social.models import Accompaniment

from . import lifecycle, rules, selectors, services
from .forms import AidRequestForm, DecisionForm, WithdrawForm, YearForm
from .models import AidRequest


def _worker(request: HttpRequest) -> None:
    if not selectors.is_social_worker(request.user):
        raise PermissionDenied


def _committee(request: HttpRequest) -> None:
    if selectors.committee_of(request.user) is None:
        raise PermissionDenied


def _departement(user: Any) -> str:
    return user.departement or caf_departement()


def _decorate(rows: list[AidRequest]) -> list[AidRequest]:
    names = allocataire_names([r.dossier_id for r in rows])
    for row in rows:
        row.name = names.get(row.dossier_id, "")  # type: ignore[attr-defined]
    return rows


def _request(request: HttpRequest, pk: int) -> AidRequest:
    found = (
        selectors.territory_requests(request.user)
        .filter(pk=pk)
        .select_related("dossier", "requested_by", "decided_by", "batch")
        .first()
    )
    if found is None:
        raise Http404("Demande d'aide introuvable.")
    return found


# --- A social worker's requests -----------------------------------------------------------------


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    """The social worker's own requests, newest first."""
    if not selectors.is_social_worker(request.user) and selectors.committee_of(request.user) is None:
        raise PermissionDenied
    rows = selectors.worker_requests(request.user).select_related("dossier")
    page = page_of(rows, request.GET.get("page"))
    page.object_list = _decorate(list(page.object_list))
    return render(
        request,
        "aid/requests.html",
        {
            "page": page,
            "is_worker": selectors.is_social_worker(request.user),
            "is_member": selectors.committee_of(request.user) is not None,
            "page_title": "Aides financières individuelles",
        },
    )


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    """The request form, for a family found by its numéro allocataire or by the accompaniment."""
    _worker(request)
    initial: dict[str, Any] = {}
    accompaniment = None
    raw = request.GET.get("accompagnement", "")
    if raw.isdigit() and len(raw) < 10:
        accompaniment = _accompaniment(request, int(raw))
        if accompaniment is not None:
            initial = {"numero_allocataire": accompaniment.dossier.numero_allocataire, "accompaniment": raw}
    form = AidRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dossier = Dossier.objects.filter(
            numero_allocataire=data["numero_allocataire"], departement=request.user.departement
        ).first()
        accompaniment = _accompaniment(request, data["accompaniment"]) if data.get("accompaniment") else None
        if dossier is None:
            form.add_error(
                "numero_allocataire", "Aucun dossier de votre territoire ne porte ce numéro allocataire."
            )
        elif data.get("accompaniment") and accompaniment is None:
            form.add_error(None, "Cet accompagnement est introuvable.")
        else:
            try:
                created = services.aid_request_create(
                    dossier=dossier,
                    by=request.user,
                    theme=data["theme"],
                    kind=data["kind"],
                    form=data["form"],
                    amount_requested_cents=data["amount_requested"],
                    loan_months=data.get("loan_months"),
                    motive=data["motive"],
                    payee_kind=data["payee_kind"],
                    payee_name=data["payee_name"],
                    payee_iban=data["payee_iban"],
                    accompaniment=accompaniment,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Demande enregistrée : elle est soumise à la commission des aides.")
                return redirect("aid:request", created.pk)
    return render(
        request,
        "aid/request_form.html",
        {
            "form": form,
            "accompaniment": accompaniment,
            "rules_table": _rules_table(),
            "page_title": "Demander une aide financière",
        },
        status=400 if request.method == "POST" else 200,
    )


def _accompaniment(request: HttpRequest, pk: int) -> Accompaniment | None:
    return (
        Accompaniment.objects.filter(pk=pk, dossier__departement=request.user.departement)
        .select_related("dossier")
        .first()
    )


def _rules_table() -> list[dict[str, Any]]:
    today = timezone.localdate()
    rows = []
    for theme, theme_name in rules.THEMES.items():
        for kind, label in rules.kinds_of(theme):
            try:
                rule = rules.kind_rule(kind, today)
            except rules.AidRuleError:
                continue
            rows.append({"theme": theme_name, "kind": label, "rule": rule})
    return rows


# --- A request and its decision -----------------------------------------------------------------


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    aid = _request(request, pk)
    audit_record(
        actor=request.user,
        action="dossier.read",
        dossier=aid.dossier,
        object_type="aide",
        object_id=aid.pk,
        context=f"aide n° {aid.pk}",
    )
    _decorate([aid])
    user = request.user
    can_decide = (
        aid.state in lifecycle.TO_DECIDE
        and selectors.is_committee_member(user, aid.departement)
        and aid.requested_by_id != user.pk
    )
    line = next(
        (
            b
            for b in selectors.budget_lines(departement=aid.departement, year=timezone.localdate().year)
            if b.theme == aid.theme
        ),
        None,
    )
    return render(
        request,
        "aid/request.html",
        {
            "aid": aid,
            "can_decide": can_decide,
            "own_request": aid.requested_by_id == user.pk,
            "is_open": aid.state in lifecycle.TO_DECIDE,
            "can_withdraw": aid.state in lifecycle.TO_DECIDE and selectors.is_social_worker(user),
            "decision_form": DecisionForm(),
            "withdraw_form": WithdrawForm(),
            "budget": line,
            "history": list(aid.transitions.select_related("by")),
            "repayments": list(aid.repayments.all()),
            "page_title": f"Demande d'aide n° {aid.pk}",
        },
    )


@login_required
@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    aid = _request(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("aid:request", aid.pk)
    data = form.cleaned_data
    try:
        services.aid_decide(
            request=aid,
            action=data["action"],
            by=request.user,
            amount_granted_cents=data.get("amount_granted_cents"),
            reason=data.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("aid:request", aid.pk)
    messages.success(request, "Décision enregistrée ; la famille en est informée dans son espace.")
    return redirect("aid:committee")


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    _worker(request)
    aid = _request(request, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("aid:request", aid.pk)
    try:
        services.aid_request_withdraw(request=aid, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Demande retirée.")
    return redirect("aid:request", aid.pk)


# --- The committee ------------------------------------------------------------------------------


@login_required
def committee(request: HttpRequest) -> HttpResponse:
    """The requests to decide, oldest first, with each theme's budget of the year used and left."""
    _committee(request)
    page = page_of(
        selectors.requests_to_decide(request.user).select_related("dossier", "requested_by"),
        request.GET.get("page"),
    )
    page.object_list = _decorate(list(page.object_list))
    year = timezone.localdate().year
    return render(
        request,
        "aid/committee.html",
        {
            "page": page,
            "year": year,
            "budgets": selectors.budget_lines(departement=request.user.departement, year=year),
            "page_title": "Commission des aides financières",
        },
    )


# --- Budgets and figures ------------------------------------------------------------------------


@login_required
def budgets(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (
        selectors.is_social_worker(user)
        or selectors.committee_of(user) is not None
        or has_permission(user.role, Perm.REPORTING)
    ):
        raise PermissionDenied
    form = YearForm(request.GET or None)
    year = timezone.localdate().year
    if form.is_valid() and form.cleaned_data.get("year"):
        year = form.cleaned_data["year"]
    departement = _departement(user)
    lines = selectors.budget_lines(departement=departement, year=year)
    months = selectors.granted_per_month(departement=departement, year=year)
    return render(
        request,
        "aid/budgets.html",
        {
            "form": form,
            "year": year,
            "lines": lines,
            "total": {
                "budget": sum(b.budget_cents for b in lines),
                "used": sum(b.used_cents for b in lines),
                "left": sum(b.left_cents for b in lines),
                "count": sum(b.count for b in lines),
            },
            "months": [{**m, "day": date(year, m["month"], 1)} for m in months],
            "page_title": f"Budgets des aides financières {year}",
        },
    )


# --- Payments -----------------------------------------------------------------------------------


def _payments_reader(request: HttpRequest) -> None:
    if selectors.committee_of(request.user) is None and request.user.role != "admin":
        raise PermissionDenied


@login_required
def payments(request: HttpRequest) -> HttpResponse:
    _payments_reader(request)
    page = page_of(selectors.territory_batches(request.user), request.GET.get("page"))
    return render(
        request, "aid/payments.html", {"page": page, "page_title": "Virements des aides financières"}
    )


@login_required
def batch_file(request: HttpRequest, pk: int) -> HttpResponse:
    _payments_reader(request)
    batch = selectors.territory_batches(request.user).filter(pk=pk).first()
    if batch is None:
        raise Http404("Lot de virements introuvable.")
    audit_record(
        actor=request.user,
        action="aide.versement",
        object_type="lot_aides",
        object_id=batch.pk,
        context=f"téléchargement {batch.message_id}",
        departement=batch.departement,
    )
    response = HttpResponse(batch.xml.encode("utf-8"), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{batch.message_id}.xml"'
    return response
