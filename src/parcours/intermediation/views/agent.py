"""The ARIPA agents' intermediation pages: the territory's list, one intermediation (with its end by
consent, its re-activation and the arrears before it), and the suspense account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from parcours.accounts.rules import Perm, has_permission
from parcours.accounts.services import audit_record
from parcours.core.money import format_cents
from parcours.core.pages import LIST_PAGE_SIZE, page_of
from parcours.core.templatetags.parcours_format import month_fr
from parcours.households.access import caf_departement, dossier_for_user, staff_covers
from parcours.households.gates import require_aripa
from parcours.intermediation import services
from parcours.intermediation.forms import (
    ArrearsForm,
    IntermediationEndForm,
    IntermediationSearchForm,
    SuspenseAssignForm,
)
from parcours.intermediation.models import BankLine, BankLineStatus, Intermediation, IntermediationStatus
from parcours.intermediation.selectors import files as ifpa_selectors
from parcours.titres import selectors as titre_selectors

SUSPENSE_PAGE_SIZE = 50


def _audit(request: HttpRequest, inter, action: str, context: str) -> None:  # type: ignore[no-untyped-def]
    """An agent's action on an intermediation, in the audit log of the creditor's dossier."""
    audit_record(
        actor=request.user,
        action=action,
        dossier=inter.titre.creditor_dossier,
        object_type="intermediation",
        object_id=inter.pk,
        context=context,
    )


@login_required
def intermediation_list(request: HttpRequest) -> HttpResponse:
    """The territory's intermediations, searched and filtered, 25 a page."""
    require_aripa(request)
    form = IntermediationSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        rows = ifpa_selectors.intermediation_list(request.user).none()
    else:
        rows = ifpa_selectors.intermediation_list(request.user, **(form.filters() if form.is_bound else {}))
    page = page_of(rows, request.GET.get("page"), LIST_PAGE_SIZE)
    for inter in page:
        ifpa_selectors.with_euros(inter, "monthly_amount")
    return render(
        request,
        "intermediation/list.html",
        {"form": form, "page": page, "page_title": "Intermédiations financières"},
    )


def _agent_intermediation(request: HttpRequest, reference: str) -> Intermediation:
    """The intermediation, for an ARIPA agent of the creditor's territory. Every read, and every
    refusal, is written to the audit log against the creditor's dossier."""
    user = request.user
    context = f"intermédiation {reference} {request.path}"
    inter = ifpa_selectors.intermediation_by_reference(reference)
    if not has_permission(user.role, Perm.CHILD_SUPPORT):
        # Refused whether or not the reference exists, so the refusal reveals nothing.
        audit_record(
            actor=user,
            action="dossier.read_refused",
            dossier=inter.titre.creditor_dossier if inter else None,
            object_type="dossier" if inter else "intermediation",
            object_id=inter.titre.creditor_dossier_id if inter else reference,
            context=context,
            allowed=False,
        )
        raise PermissionDenied("Cette page est réservée aux agents ARIPA.")
    if inter is None:
        raise Http404("Intermédiation introuvable.")
    dossier_for_user(user, inter.titre.creditor_dossier.numero_allocataire, context=context)
    return inter


def _detail(
    request: HttpRequest,
    inter: Intermediation,
    *,
    end_form: IntermediationEndForm | None = None,
    arrears_form: ArrearsForm | None = None,
) -> HttpResponse:
    months = titre_selectors.arrears_months(inter, timezone.localdate())
    active = inter.status == IntermediationStatus.ACTIVE
    return render(
        request,
        "intermediation/detail.html",
        {
            "file": ifpa_selectors.intermediation_file(inter),
            "end_form": (end_form or IntermediationEndForm(prefix="fin")) if active else None,
            "arrears_form": arrears_form or ArrearsForm(prefix="arrieres", months=months),
            "arrears_months": months,
            "page_title": f"Intermédiation {inter.reference}",
        },
    )


@login_required
def intermediation_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _detail(request, _agent_intermediation(request, reference))


@login_required
@require_POST
def intermediation_end(request: HttpRequest, reference: str) -> HttpResponse:
    """End on one parent's request with the other's consent (the service refuses with violence)."""
    inter = _agent_intermediation(request, reference)
    form = IntermediationEndForm(request.POST, prefix="fin")
    if not form.is_valid():
        messages.error(
            request, "L'intermédiation n'a pas pris fin : corrigez le formulaire, rien n'a été modifié."
        )
        return _detail(request, inter, end_form=form)
    try:
        with transaction.atomic():
            services.intermediation_end(
                intermediation=inter,
                on=timezone.localdate(),
                other_parent_consents=form.cleaned_data["other_parent_consents"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            _audit(request, inter, "ifpa.end", f"fin de l'intermédiation {inter.reference}")
    except ValidationError as error:
        form.add_error(None, error.messages)
        messages.error(request, "L'intermédiation n'a pas pris fin : rien n'a été modifié.")
        return _detail(request, inter, end_form=form)
    messages.success(request, f"L'intermédiation {inter.reference} a pris fin. Un parent peut la reprendre.")
    return redirect("intermediation:ifpa_detail", reference=inter.reference)


@login_required
@require_POST
def intermediation_reactivate(request: HttpRequest, reference: str) -> HttpResponse:
    """A parent can re-activate an ended intermediation at any time (DOMAIN.md §5)."""
    inter = _agent_intermediation(request, reference)
    try:
        with transaction.atomic():
            services.intermediation_reactivate(intermediation=inter, on=timezone.localdate(), by=request.user)
            _audit(request, inter, "ifpa.reactivate", f"reprise de l'intermédiation {inter.reference}")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"L'intermédiation {inter.reference} a repris.")
    return redirect("intermediation:ifpa_detail", reference=inter.reference)


@login_required
@require_POST
def intermediation_arrears(request: HttpRequest, reference: str) -> HttpResponse:
    """Arrears before the intermediation, on the creditor's request, up to 24 months back."""
    inter = _agent_intermediation(request, reference)
    today = timezone.localdate()
    form = ArrearsForm(request.POST, prefix="arrieres", months=titre_selectors.arrears_months(inter, today))
    if not form.is_valid():
        messages.error(
            request, "Aucun arriéré n'a été ajouté : corrigez le formulaire, rien n'a été modifié."
        )
        return _detail(request, inter, arrears_form=form)
    months = form.cleaned_data["months"]
    try:
        with transaction.atomic():
            services.arrears_request(intermediation=inter, months=months, on=today, by=request.user)
            _audit(
                request,
                inter,
                "ifpa.arrears",
                f"arriérés {', '.join(f'{m:%m/%Y}' for m in months)} → {inter.reference}",
            )
    except ValidationError as error:
        form.add_error(None, error.messages)
        messages.error(request, "Aucun arriéré n'a été ajouté : rien n'a été modifié.")
        return _detail(request, inter, arrears_form=form)
    names = ", ".join(month_fr(m) for m in sorted(months))
    messages.success(
        request,
        f"Arriérés ajoutés ({names}) : ils sont recouvrés auprès du débiteur comme toute échéance impayée.",
    )
    return redirect("intermediation:ifpa_detail", reference=inter.reference)


# --- The suspense account ---------------------------------------------------------------------


def _suspense_render(
    request: HttpRequest, bound: dict[int, SuspenseAssignForm] | None = None
) -> HttpResponse:
    page = page_of(ifpa_selectors.suspense_lines(), request.GET.get("page"), SUSPENSE_PAGE_SIZE)
    bound = bound or {}
    rows = []
    for line in page:
        ifpa_selectors.with_euros(line, "amount")
        rows.append((line, bound.get(line.pk) or SuspenseAssignForm(prefix=f"ligne{line.pk}")))
    return render(
        request,
        "intermediation/suspense.html",
        {
            "page": page,
            "rows": rows,
            "total": ifpa_selectors.suspense_total(),
            "page_title": "Compte d'attente",
        },
    )


@login_required
def suspense_list(request: HttpRequest) -> HttpResponse:
    """The credits of the Caf's account that nobody could be matched to, oldest first."""
    _require_suspense(request)
    return _suspense_render(request)


def _require_suspense(request: HttpRequest) -> None:
    """The suspense account is the Caf's: only the ARIPA agents of its territory (or a national
    administrator) see or work it; anyone else is told it does not exist."""
    require_aripa(request)
    if not staff_covers(request.user, caf_departement()):
        raise Http404("Page introuvable.")


def _waiting_line(request: HttpRequest, pk: int) -> BankLine | None:
    _require_suspense(request)
    line = get_object_or_404(BankLine, pk=pk)
    if line.status != BankLineStatus.SUSPENSE:
        messages.error(request, "Cette ligne n'est plus en compte d'attente : rien n'a été modifié.")
        return None
    return line


@login_required
@require_POST
def suspense_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign a waiting credit to an intermediation of the agent's territory."""
    line = _waiting_line(request, pk)
    if line is None:
        return redirect("intermediation:suspense")
    form = SuspenseAssignForm(
        request.POST,
        prefix=f"ligne{line.pk}",
        intermediations=ifpa_selectors.intermediations_for_agent(request.user),
    )
    if not form.is_valid():
        messages.error(request, "Le versement n'a pas été affecté : corrigez la référence indiquée.")
        return _suspense_render(request, {line.pk: form})
    inter = form.intermediation
    try:
        with transaction.atomic():
            services.suspense_resolve(
                line=line, intermediation=inter, on=timezone.localdate(), by=request.user
            )
            audit_record(
                actor=request.user,
                action="ifpa.suspense_resolve",
                dossier=inter.titre.creditor_dossier,
                object_type="bank_line",
                object_id=line.pk,
                context=f"compte d'attente → {inter.reference}",
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Le versement de {format_cents(line.amount_cents)} est affecté à "
            f"l'intermédiation {inter.reference}. Il sera imputé sur les échéances les plus anciennes "
            "au prochain traitement quotidien.",
        )
    return redirect("intermediation:suspense")


@login_required
@require_POST
def suspense_refund(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a waiting credit nobody owes back to its sender."""
    line = _waiting_line(request, pk)
    if line is None:
        return redirect("intermediation:suspense")
    try:
        with transaction.atomic():
            services.suspense_refund(line=line, on=timezone.localdate(), by=request.user)
            audit_record(
                actor=request.user,
                action="ifpa.suspense_refund",
                departement=caf_departement(),  # the Caf's account: its managers see the refund
                object_type="bank_line",
                object_id=line.pk,
                context="compte d'attente → remboursement",
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Le versement de {format_cents(line.amount_cents)} sera remboursé à "
            f"son émetteur ({line.counterparty_name or 'émetteur inconnu'}).",
        )
    return redirect("intermediation:suspense")
