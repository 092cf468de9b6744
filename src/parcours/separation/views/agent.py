"""The agents' pages of the separation journey: the declarations to instruct (list and instruction
page, with each document's check), and the call-back requests."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from dsfr.forms import DsfrBaseForm

from parcours.accounts.rules import Perm, has_permission
from parcours.accounts.services import audit_record
from parcours.core.pages import page_of
from parcours.households.access import of_territory, visible_dossiers

from .. import lifecycle, services
from ..checklist import LABELS, required_documents
from ..letters import NOTIFICATION
from ..models import CallbackRequest, Demande, Document, DocumentReview
from ..selectors import (
    SORTS,
    declaration_compared,
    demandes_to_instruct,
    rights_before_after,
    rights_retained,
)
from .access import demande_for

STATE_CHOICES = [("", "En attente de la Caf")] + [
    (code, label) for code, label in lifecycle.STATES.items() if code != lifecycle.BROUILLON
]
SORT_LABELS = {
    "anciennes": "Les plus anciennes d'abord",
    "recentes": "Les plus récentes d'abord",
    "nom": "Par nom",
}


class InstructionFilter(DsfrBaseForm):
    q = forms.CharField(
        label="Rechercher",
        help_text="Nom, date de naissance (jj/mm/aaaa) ou numéro allocataire",
        required=False,
        max_length=100,
    )
    state = forms.ChoiceField(label="État", choices=STATE_CHOICES, required=False)
    sort = forms.ChoiceField(label="Trier", choices=list(SORT_LABELS.items()), required=False)


def _agent(request: HttpRequest) -> None:
    if not has_permission(request.user.role, Perm.TASKS):
        raise PermissionDenied


@login_required
def instruction_list(request: HttpRequest) -> HttpResponse:
    _agent(request)
    form = InstructionFilter(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    sort = criteria.get("sort") or "anciennes"
    rows = demandes_to_instruct(
        visible_dossiers(request.user),
        query=criteria.get("q", ""),
        state=criteria.get("state", ""),
        sort=sort if sort in SORTS else "anciennes",
    )
    page = page_of(rows, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "separation/instruction.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "page_title": "Déclarations à instruire",
        },
    )


def demande_instruction(request: HttpRequest, demande: Demande) -> HttpResponse:
    """The agent's page of a demande (the reader's access is already checked and audited): what was
    declared beside the registry, the documents to check, the messages, the decisions."""
    reveal = request.GET.get("adresse") == "afficher" and demande.new_address_confidential
    if reveal:
        audit_record(
            actor=request.user,
            action="adresse_confidentielle.read",
            dossier=demande.dossier,
            object_type="demande",
            object_id=demande.pk,
            context=request.path,
        )
    validated = demande.state == lifecycle.VALIDEE
    estimate = None
    if demande.state not in (lifecycle.BROUILLON, lifecycle.VALIDEE):
        estimate = rights_before_after(demande)[0]
    documents = [d for d in demande.documents.select_related("uploaded_by") if d.code != NOTIFICATION]
    wanted = required_documents(demande)
    missing = [
        item
        for item in wanted
        if not any(d.code == item.code and d.review != DocumentReview.REFUSEE for d in documents)
    ]
    declarant = demande.declarant.person
    return render(
        request,
        "separation/instruction_detail.html",
        {
            "demande": demande,
            "declarant": declarant,
            "compared": declaration_compared(demande, reveal_address=reveal),
            "revealed": reveal,
            "documents": [(d, LABELS.get(d.code, d.code)) for d in documents],
            "missing": missing,
            "can_review": demande.state in services.REVIEW_STATES,
            "estimate": estimate or (rights_retained(demande) if validated else None),
            "validated": validated,
            "invitations": demande.invitations.select_related("person"),
            "history": demande.transitions.select_related("by"),
            "messages_list": demande.messages.select_related("author"),
            "actions": lifecycle.actions_for(demande.state, lifecycle.AGENT),
            "letters": [d for d in demande.documents.all() if d.code == NOTIFICATION],
            "page_title": f"Instruction de la déclaration n° {demande.pk}",
        },
    )


@login_required
@require_POST
def document_review(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    demande, side = demande_for(request, pk)
    if side != lifecycle.AGENT:
        raise PermissionDenied("Seul un agent vérifie les pièces.")
    document = get_object_or_404(Document, pk=document_id, demande=demande)
    accepted = request.POST.get("decision") == "accepter"
    try:
        services.document_review(
            document=document, accepted=accepted, reason=request.POST.get("reason", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Pièce acceptée."
            if accepted
            else "Pièce refusée : le parent est prévenu et peut en envoyer une autre.",
        )
    return redirect("separation:demande", pk=demande.pk)


def _callbacks_of_territory(request: HttpRequest) -> QuerySet[CallbackRequest]:
    """The call-backs the agent's territory answers (a national administrator: all of them)."""
    return of_territory(request.user, CallbackRequest.objects.all())


@login_required
def callbacks(request: HttpRequest) -> HttpResponse:
    """Agents call back the parents who asked, oldest first (the numbers are shown to agents only)."""
    _agent(request)
    mine = _callbacks_of_territory(request)
    pending = mine.exclude(state=lifecycle.TRAITEE).select_related("assigned_to")
    done = mine.filter(state=lifecycle.TRAITEE).select_related("assigned_to")
    return render(
        request,
        "separation/callbacks.html",
        {
            "pending": pending.order_by("created_at"),
            "done": done.order_by("-handled_at")[:20],
            "outcomes": lifecycle.CALLBACK_OUTCOMES,
            "page_title": "Demandes de rappel",
        },
    )


@login_required
@require_POST
def callback_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _agent(request)
    callback = get_object_or_404(_callbacks_of_territory(request), pk=pk)
    try:
        if action == "prendre":
            services.callback_take(callback=callback, by=request.user)
        elif action == "cloturer":
            services.callback_close(
                callback=callback,
                outcome=request.POST.get("outcome", ""),
                note=request.POST.get("note", ""),
                by=request.user,
            )
        else:
            raise ValidationError({"action": "Cette action n'existe pas."})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Rappel pris en charge." if action == "prendre" else "Rappel clos.")
    return redirect("separation:callbacks")
