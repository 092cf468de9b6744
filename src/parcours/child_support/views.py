"""Pages of this app: the simulation (everyone), the ARIPA agents' intermediations and suspense
account, and each parent's own side of their intermediation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from parcours.accounts.access import dossier_for_user
from parcours.accounts.rules import Perm, has_permission
from parcours.accounts.services import audit_record
from parcours.core.templatetags.parcours_format import format_euros

from . import ifpa_selectors, services
from .forms import IntermediationSearchForm, SimulationForm, SuspenseAssignForm
from .models import BankLine, BankLineStatus
from .parameters import simulation_period
from .simulation import explanation, simulate

LIST_PAGE_SIZE = 25
SUSPENSE_PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
def simulate_page(request: HttpRequest) -> HttpResponse:
    """Simuler une pension alimentaire: open to everyone, nothing is stored."""
    first, last = simulation_period()
    today = timezone.localdate()
    form = SimulationForm(request.POST or None, initial={"on": min(max(today, first), last)})
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = simulate(
            income=data["income"], children=data["children"], custody=data["custody"], on=data["on"]
        )
    return render(
        request,
        "child_support/simulate.html",
        {
            "form": form,
            "result": result,
            "steps": explanation(result) if result else None,
            "first_day": first,
            "last_day": last,
            "page_title": "Simuler une pension alimentaire",
        },
    )


# --- ARIPA agents -----------------------------------------------------------------------------


def _require_aripa(request: HttpRequest) -> None:
    if not has_permission(request.user.role, Perm.CHILD_SUPPORT):
        raise PermissionDenied("Cette page est réservée aux agents ARIPA.")


def _page(rows, number: str | None, size: int):  # type: ignore[no-untyped-def]
    page = Paginator(rows, size).get_page(number)
    page.pages_list = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page


@login_required
def intermediation_list(request: HttpRequest) -> HttpResponse:
    """The territory's intermediations, searched and filtered, 25 a page."""
    _require_aripa(request)
    form = IntermediationSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        rows = ifpa_selectors.intermediation_list(request.user).none()
    else:
        rows = ifpa_selectors.intermediation_list(request.user, **(form.filters() if form.is_bound else {}))
    page = _page(rows, request.GET.get("page"), LIST_PAGE_SIZE)
    for inter in page:
        ifpa_selectors.with_euros(inter, "monthly_amount")
    return render(
        request,
        "child_support/ifpa/list.html",
        {"form": form, "page": page, "page_title": "Intermédiations financières"},
    )


@login_required
def intermediation_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """One intermediation, for an ARIPA agent of the creditor's territory. Every read, and every
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
    return render(
        request,
        "child_support/ifpa/detail.html",
        {"file": ifpa_selectors.intermediation_file(inter), "page_title": f"Intermédiation {reference}"},
    )


def _suspense_render(
    request: HttpRequest, bound: dict[int, SuspenseAssignForm] | None = None
) -> HttpResponse:
    page = _page(ifpa_selectors.suspense_lines(), request.GET.get("page"), SUSPENSE_PAGE_SIZE)
    bound = bound or {}
    rows = []
    for line in page:
        ifpa_selectors.with_euros(line, "amount")
        rows.append((line, bound.get(line.pk) or SuspenseAssignForm(prefix=f"ligne{line.pk}")))
    return render(
        request,
        "child_support/ifpa/suspense.html",
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
    _require_aripa(request)
    return _suspense_render(request)


def _waiting_line(request: HttpRequest, pk: int) -> BankLine | None:
    line = get_object_or_404(BankLine, pk=pk)
    if line.status != BankLineStatus.SUSPENSE:
        messages.error(request, "Cette ligne n'est plus en compte d'attente : rien n'a été modifié.")
        return None
    return line


@login_required
@require_POST
def suspense_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign a waiting credit to an intermediation of the agent's territory."""
    _require_aripa(request)
    line = _waiting_line(request, pk)
    if line is None:
        return redirect("child_support:suspense")
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
            f"Le versement de {format_euros(ifpa_selectors.euros(line.amount_cents))} est affecté à "
            f"l'intermédiation {inter.reference}. Il sera imputé sur les échéances les plus anciennes "
            "au prochain traitement quotidien.",
        )
    return redirect("child_support:suspense")


@login_required
@require_POST
def suspense_refund(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a waiting credit nobody owes back to its sender."""
    _require_aripa(request)
    line = _waiting_line(request, pk)
    if line is None:
        return redirect("child_support:suspense")
    try:
        with transaction.atomic():
            services.suspense_refund(line=line, on=timezone.localdate(), by=request.user)
            audit_record(
                actor=request.user,
                action="ifpa.suspense_refund",
                object_type="bank_line",
                object_id=line.pk,
                context="compte d'attente → remboursement",
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Le versement de {format_euros(ifpa_selectors.euros(line.amount_cents))} sera remboursé à "
            f"son émetteur ({line.counterparty_name or 'émetteur inconnu'}).",
        )
    return redirect("child_support:suspense")


# --- Parents ----------------------------------------------------------------------------------


@login_required
def my_pension(request: HttpRequest) -> HttpResponse:
    """A parent's own side of their intermediation(s): as creditor, as debtor, or both."""
    if not has_permission(request.user.role, Perm.OWN_DOSSIER):
        raise PermissionDenied("Cette page est réservée aux parents allocataires.")
    person_id = request.user.person_id
    creditor = ifpa_selectors.creditor_sides(person_id) if person_id else []
    debtor = ifpa_selectors.debtor_sides(person_id) if person_id else []
    return render(
        request,
        "child_support/ifpa/my_pension.html",
        {"creditor": creditor, "debtor": debtor, "page_title": "Ma pension alimentaire"},
    )
