"""The ARIPA agents' Caf titre requests: the territory's submitted requests (oldest first, with the
day silence becomes acceptance), one request examined on the rules, and its decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from parcours.accounts.rules import Perm, has_permission
from parcours.accounts.services import audit_record
from parcours.core.pages import LIST_PAGE_SIZE, page_of
from parcours.households.access import dossier_for_user, visible_dossiers
from parcours.households.gates import require_aripa
from parcours.titres import selectors as titre_selectors
from parcours.titres.forms import TitreDecisionForm
from parcours.titres.models import TitreRequest, TitreRequestStatus
from parcours.titres.services.titre_caf import titre_request_decide


@login_required
def titre_agent_list(request: HttpRequest) -> HttpResponse:
    """Requests signed by both parents and waiting for a decision, oldest first."""
    require_aripa(request)
    today = timezone.localdate()
    page = page_of(titre_selectors.submitted_requests(request.user), request.GET.get("page"), LIST_PAGE_SIZE)
    for row in page:
        titre_selectors.with_deadline(row, today)
    return render(
        request,
        "titres/agent_list.html",
        {"page": page, "today": today, "page_title": "Demandes de titre exécutoire"},
    )


def _agent_request(request: HttpRequest, pk: int) -> TitreRequest:
    """The request, for an ARIPA agent of the creditor's territory; every read and every refusal
    is written to the audit log against the creditor's dossier (as the intermediation page)."""
    user = request.user
    context = f"demande de titre exécutoire n° {pk} {request.path}"
    found = titre_selectors.request_for_agent(pk)
    if not has_permission(user.role, Perm.CHILD_SUPPORT):
        audit_record(
            actor=user,
            action="dossier.read_refused",
            dossier=found.creditor_dossier if found else None,
            object_type="dossier" if found else "titre_request",
            object_id=found.creditor_dossier_id if found else pk,
            context=context,
            allowed=False,
        )
        raise PermissionDenied("Cette page est réservée aux agents ARIPA.")
    if found is None:
        raise Http404("Demande introuvable.")
    dossier_for_user(user, found.creditor_dossier.numero_allocataire, context=context)
    return found


def _known_banks(request: HttpRequest, found: TitreRequest, today) -> dict:  # type: ignore[no-untyped-def]
    """The accounts the registry knows: the creditor's dossier (already opened, audited), and the
    debtor's dossier only if it is of the agent's territory (its read audited too)."""
    known = {"creditor": titre_selectors.registry_bank(found.creditor_dossier, today)}
    debtor_dossier = titre_selectors.person_dossier(found.debtor, today)
    if debtor_dossier is not None and visible_dossiers(request.user).filter(pk=debtor_dossier.pk).exists():
        dossier_for_user(
            request.user,
            debtor_dossier.numero_allocataire,
            context=f"compte du débiteur, demande de titre exécutoire n° {found.pk}",
        )
        known["debtor"] = titre_selectors.registry_bank(debtor_dossier, today)
    return known


def _detail(request: HttpRequest, found: TitreRequest, form: TitreDecisionForm | None = None) -> HttpResponse:
    today = timezone.localdate()
    examination = None
    if found.status == TitreRequestStatus.SUBMITTED:
        examination = titre_selectors.request_examination(found, today)
        if form is None:
            form = TitreDecisionForm(
                needs_bank=examination.accepted and not found.refuse_intermediation,
                known=_known_banks(request, found, today),
            )
    return render(
        request,
        "titres/agent_detail.html",
        {
            "req": titre_selectors.with_deadline(found, today),
            "parent": titre_selectors.as_parent_request(found, found.creditor_id),
            "pieces": titre_selectors.request_pieces(found.pk),
            "examination": examination,
            "form": form,
            "page_title": f"Demande de titre exécutoire n° {found.pk}",
        },
    )


@login_required
def titre_agent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _agent_request(request, pk))


@login_required
@require_POST
def titre_agent_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Decide: a refusal lists every reason; an acceptance issues the titre and, unless both
    parents refused it, opens the intermediation with the two accounts (IBANs checked by the
    service)."""
    found = _agent_request(request, pk)
    if found.status != TitreRequestStatus.SUBMITTED:
        messages.error(request, "Cette demande n'attend pas de décision : rien n'a été modifié.")
        return redirect("titres:titre_agent_detail", pk=pk)
    today = timezone.localdate()
    examination = titre_selectors.request_examination(found, today)
    form = TitreDecisionForm(
        request.POST,
        needs_bank=examination.accepted and not found.refuse_intermediation,
        known=_known_banks(request, found, today),
    )
    if not form.is_valid():
        messages.error(
            request, "La demande n'a pas été décidée : corrigez le formulaire, rien n'a été modifié."
        )
        return _detail(request, found, form)
    try:
        with transaction.atomic():
            decided = titre_request_decide(
                request=found,
                on=today,
                debtor_bank=form.cleaned_data["debtor_bank"],
                creditor_bank=form.cleaned_data["creditor_bank"],
                by=request.user,
            )
            audit_record(
                actor=request.user,
                action="titre.decide",
                dossier=found.creditor_dossier,
                object_type="titre_request",
                object_id=found.pk,
                context=f"demande de titre exécutoire n° {found.pk} : {decided.get_status_display()}",
            )
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        messages.error(request, "La demande n'a pas été décidée : rien n'a été modifié.")
        return _detail(request, TitreRequest.objects.get(pk=pk), form)
    if decided.titre_id:
        messages.success(
            request,
            f"Demande acceptée : le titre exécutoire {decided.titre.reference} est délivré aux deux parents.",
        )
    else:
        messages.success(request, "Demande refusée : les motifs sont communiqués aux deux parents.")
    return redirect("titres:titre_agent_detail", pk=pk)
