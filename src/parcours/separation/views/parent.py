"""The parent's pages of the separation journey: the declaration, its follow-up, the invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from parcours.households.models import Dossier, Person
from parcours.rights.selectors import rights_timeline

from .. import lifecycle, services
from ..checklist import required_documents
from ..documents import document_bytes, document_upload
from ..forms import NoteForm
from ..letters import NOTIFICATION, payment_schedule
from ..models import Demande, Document, Invitation, Residence
from ..selectors import declarant_dossier_id, rights_before_after, rights_retained, timeline
from .access import demande_for

UPLOAD_STATES = {lifecycle.DEPOSEE, lifecycle.EN_INSTRUCTION, lifecycle.A_COMPLETER}


@login_required
def demande_detail(request: HttpRequest, pk: int) -> HttpResponse:
    demande, side = demande_for(request, pk)
    if side == lifecycle.AGENT:
        from .agent import demande_instruction

        return demande_instruction(request, demande)
    return demande_page(request, demande, side)


def demande_page(request: HttpRequest, demande: Demande, side: str) -> HttpResponse:
    validated = demande.state == lifecycle.VALIDEE
    # Before the validation, an estimate; after it, the registry's revised rights (the figures the
    # calendar and the notification letter read too).
    estimate = (
        rights_before_after(demande)
        if demande.state not in (lifecycle.BROUILLON, lifecycle.VALIDEE)
        else None
    )
    retained = rights_retained(demande) if validated else []
    names = {
        f"p{pk}": p.first_names
        for pk, p in Person.objects.in_bulk([int(i) for i in demande.children]).items()
    }
    letters = [d for d in demande.documents.all() if d.code == NOTIFICATION]
    shown = demande.messages.select_related("author")
    if side == lifecycle.PARENT:
        shown = shown.filter(private=False)
    return render(
        request,
        "separation/demande.html",
        {
            "demande": demande,
            "side": side,
            "estimate": estimate[0] if estimate else retained or None,
            "validated": validated,
            "asf_children": [(names.get(c.person_id, ""), c.explanation) for c in estimate[1].asf_children]
            if estimate
            else [],
            "steps": timeline(demande),
            "actions": lifecycle.actions_for(demande.state, side),
            "messages_list": shown,
            "checklist": [
                (item, [d for d in demande.documents.all() if d.code == item.code])
                for item in required_documents(demande)
            ],
            "can_upload": side == lifecycle.PARENT and demande.state in UPLOAD_STATES,
            "letters": letters,
            # Validated, but the worker has not rendered the letter yet (separation/tasks.py).
            "letter_pending": demande.state == lifecycle.VALIDEE and not letters,
            "note_form": NoteForm(),
            # What the Caf asked for last: its message when it moved the demande to "à compléter".
            "last_request": demande.messages.filter(private=False)
            .exclude(author=demande.declarant)
            .order_by("-id")
            .first()
            if demande.state == lifecycle.A_COMPLETER
            else None,
            "schedule": payment_schedule(
                rights_timeline(
                    Dossier.objects.get(pk=declarant_dossier_id(demande)),
                    f"{demande.separation_date:%Y-%m}",
                    f"{timezone.localdate():%Y-%m}",
                )
            )
            if validated
            else [],
            "page_title": f"Déclaration de séparation n° {demande.pk}",
        },
    )


@login_required
@require_POST
def demande_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    demande, side = demande_for(request, pk)
    try:
        services.demande_transition(
            demande=demande, action=action, by=request.user, actor=side, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Action enregistrée : {lifecycle.TRANSITIONS[action].label}.")
    return redirect("separation:demande", pk=demande.pk)


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    demande, side = demande_for(request, pk)
    if side != lifecycle.PARENT or demande.state not in UPLOAD_STATES:
        raise PermissionDenied("Vous ne pouvez pas ajouter de pièce à cette déclaration.")
    upload = request.FILES.get("file")
    codes = {item.code for item in required_documents(demande)}
    code = request.POST.get("code", "")
    try:
        if upload is None:
            raise ValidationError({"file": "Choisissez un fichier."})
        if code not in codes:
            raise ValidationError({"code": "Cette pièce n'est pas demandée."})
        content = upload.read(10 * 1024 * 1024 + 1)
        document_upload(demande=demande, code=code, name=upload.name, content=content, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Votre pièce est bien reçue.")
    return redirect("separation:demande", pk=demande.pk)


@login_required
def document_download(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """Served only to the declarant and to staff of the territory (audited), never from the web root."""
    demande, _ = demande_for(request, pk)
    document = get_object_or_404(Document, pk=document_id, demande=demande)
    response = HttpResponse(document_bytes(document), content_type=document.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="piece-{document.pk}.{document.stored_path.rsplit(".", 1)[-1]}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """The other parent confirms or contests the facts that concern them — never any address."""
    invitation = get_object_or_404(Invitation.objects.select_related("demande"), pk=pk)
    if request.user.person_id is None or invitation.person_id != request.user.person_id:
        raise Http404("Invitation introuvable.")  # as if it did not exist
    demande = invitation.demande
    if request.method == "POST":
        try:
            services.invitation_answer(
                invitation=invitation,
                confirm="confirmer" in request.POST,
                comment=request.POST.get("comment", ""),
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Votre réponse est transmise à la Caf.")
            return redirect("households:my_dossier")
    persons = Person.objects.in_bulk([int(i) for i in demande.children])
    children = [(persons[int(pid)], Residence(value)) for pid, value in demande.children.items()]
    return render(
        request,
        "separation/invitation.html",
        {
            "invitation": invitation,
            "demande": demande,
            "children": children,
            "page_title": "Confirmer la séparation",
        },
    )


@login_required
@require_POST
def message_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A message on the demande; only an agent can make it a private note."""
    demande, side = demande_for(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        private = side == lifecycle.AGENT and form.cleaned_data["private"]
        services.demande_message(
            demande=demande, by=request.user, body=form.cleaned_data["body"], private=private
        )
        messages.success(request, "Note enregistrée." if private else "Message envoyé.")
    else:
        messages.error(request, "Le message est vide.")
    return redirect("separation:demande", pk=demande.pk)
