"""The Caf titre exécutoire for a parent (CSS L582-2): the joint request filled in and signed by the
parent with whom the children live, the other parent's signature, the status and the titre PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from parcours.accounts.models import User
from parcours.accounts.rules import Perm, has_permission
from parcours.accounts.services import audit_record
from parcours.households.access import dossier_for_user
from parcours.households.gates import parent_dossier, require_parent
from parcours.titres import selectors as titre_selectors
from parcours.titres.forms import OTHER_BY_NUMERO, TitreRequestForm, TitreSignForm
from parcours.titres.letters import titre_caf_pdf
from parcours.titres.models import TitreRequest, TitreRequestStatus
from parcours.titres.services.titre_caf import (
    RequestChild,
    titre_caf_letter,
    titre_request_create,
    titre_request_sign,
    titre_request_withdraw,
)

OPEN_STATES = (TitreRequestStatus.AWAITING_SIGNATURE, TitreRequestStatus.SUBMITTED)
NOT_FOUND = (
    "Aucun parent allocataire ne correspond à ce numéro, ce nom et cette date de naissance : "
    "vérifiez-les sur un courrier de la Caf de l'autre parent."
)


def _other_parent(form: TitreRequestForm, person, candidates, today):  # type: ignore[no-untyped-def]
    """The other parent chosen among the registry's partners, or found by numéro allocataire."""
    data = form.cleaned_data
    if data["other_choice"] != OTHER_BY_NUMERO:
        return next((p for p in candidates if str(p.pk) == data["other_choice"]), None)
    other = titre_selectors.other_parent_by_numero(
        numero_allocataire=data["other_numero"],
        last_name=data["other_last_name"],
        birth_date=data["other_birth_date"],
        on=today,
    )
    if other is None or other.pk == person.pk:
        form.add_error("other_numero", NOT_FOUND)
        return None
    return other


@login_required
@require_http_methods(["GET", "POST"])
def titre_request_new(request: HttpRequest) -> HttpResponse:
    """ "Demander un titre exécutoire à la Caf": "Vérifier" shows the Caf threshold per child and
    what the rules would say, nothing stored; "Signer et envoyer" creates the signed request."""
    person, dossier = parent_dossier(request)
    today = timezone.localdate()
    candidates = titre_selectors.other_parent_candidates(person)
    children = titre_selectors.household_children(dossier, today)
    signing = "deposer" in request.POST
    form = TitreRequestForm(
        request.POST or None,
        request.FILES or None,
        candidates=candidates,
        children=children,
        signing=signing,
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lines = data["lines"]
        preview = titre_selectors.request_preview(
            union=data["union"],
            children=[
                titre_selectors.PreviewChild(p, amount, arr, existing) for p, amount, arr, existing in lines
            ],
            debtor_monthly_resources=data["debtor_resources"],
            children_dependent_on_debtor=data["children_dependent"],
            documents=data["documents"],
            on=today,
        )
        other = _other_parent(form, person, candidates, today)
        if (
            other is not None
            and TitreRequest.objects.filter(creditor=person, debtor=other, status__in=OPEN_STATES).exists()
        ):
            form.add_error(None, "Une demande de titre est déjà en cours avec cet autre parent.")
            other = None
        if other is not None and signing:
            try:
                created = titre_request_create(
                    creditor=person,
                    debtor=other,
                    creditor_dossier=dossier,
                    union=data["union"],
                    children=[RequestChild(p, amount, arr, existing) for p, amount, arr, existing in lines],
                    debtor_monthly_resources=data["debtor_resources"],
                    children_dependent_on_debtor=data["children_dependent"],
                    documents=data["pieces"],
                    signed_by=person,
                    uploaded_by=request.user,
                    on=today,
                    refuse_intermediation=data["refuse_intermediation"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                account = User.objects.filter(person=other).exists()
                messages.success(
                    request,
                    f"Votre demande est signée. Elle attend maintenant la signature de {other}"
                    + (
                        ", qui la trouvera dans son espace « Ma pension alimentaire »."
                        if account
                        else ", qui pourra la signer après avoir créé son compte parcours."
                    ),
                )
                return redirect("titres:titre_request", pk=created.pk)
    return render(
        request,
        "titres/new.html",
        {
            "form": form,
            "preview": preview,
            # A browser never keeps the chosen files when the page comes back: say so.
            "files_to_choose_again": request.method == "POST" and bool(request.FILES),
            "candidates": candidates,
            "page_title": "Demander un titre exécutoire à la Caf",
        },
    )


def _own_request(request: HttpRequest, pk: int) -> titre_selectors.ParentRequest:
    """The request if the signed-in parent is one of its two parents; every refusal audited."""
    person = require_parent(request)
    found = titre_selectors.parent_request(person.pk, pk) if person else None
    if found is None:
        other = TitreRequest.objects.filter(pk=pk).select_related("creditor_dossier").first()
        if other is None:
            raise Http404("Demande introuvable.")
        audit_record(
            actor=request.user,
            action="titre_request.read_refused",
            dossier=other.creditor_dossier,
            object_type="titre_request",
            object_id=other.pk,
            context=request.path,
            allowed=False,
        )
        raise Http404("Demande introuvable.")  # as if it did not exist
    return found


def _request_page(request: HttpRequest, found: titre_selectors.ParentRequest, form=None) -> HttpResponse:  # type: ignore[no-untyped-def]
    return render(
        request,
        "titres/request.html",
        {
            "req": found,
            # The files are the requesting parent's own (they may show their address): never the
            # other parent's to read.
            "pieces": titre_selectors.request_pieces(found.pk) if found.you_receive else [],
            "sign_form": (form or TitreSignForm()) if found.awaiting_your_signature else None,
            "page_title": "Ma demande de titre exécutoire",
        },
    )


@login_required
def titre_request_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, _own_request(request, pk))


@login_required
@require_POST
def titre_request_sign_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The other parent signs: the joint request is then submitted (its four months start)."""
    found = _own_request(request, pk)
    if not found.awaiting_your_signature:
        messages.info(request, "Cette demande n'attend pas votre signature : rien n'a été modifié.")
        return redirect("titres:titre_request", pk=pk)
    form = TitreSignForm(request.POST)
    if not form.is_valid():
        return _request_page(request, found, form)
    try:
        signed = titre_request_sign(
            request=TitreRequest.objects.get(pk=pk), person=request.user.person, on=timezone.localdate()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if signed.status == TitreRequestStatus.SUBMITTED:
            deemed = titre_selectors.parent_request(request.user.person_id, pk).deemed_accepted_on  # type: ignore[union-attr]
            messages.success(
                request,
                "Vous avez signé : la demande est déposée auprès de la Caf. Sans réponse de sa part au "
                f"{deemed:%d/%m/%Y}, elle sera acceptée.",
            )
    return redirect("titres:titre_request", pk=pk)


@login_required
@require_POST
def titre_request_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Either parent withdraws a request the Caf has not decided: the other parent's way to say no."""
    _own_request(request, pk)
    try:
        titre_request_withdraw(
            request=TitreRequest.objects.get(pk=pk), person=request.user.person, on=timezone.localdate()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "La demande est retirée : la Caf ne l'examinera pas.")
    return redirect("titres:titre_request", pk=pk)


@login_required
def titre_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The titre as PDF: for its two parents, and the ARIPA agents of the creditor's territory
    (audited). The creditor's address never appears on it (letters.py)."""
    user = request.user
    if has_permission(user.role, Perm.CHILD_SUPPORT):
        titre_request = TitreRequest.objects.select_related("creditor_dossier", "titre").filter(pk=pk).first()
        if titre_request is None:
            raise Http404("Demande introuvable.")
        dossier_for_user(
            user,
            titre_request.creditor_dossier.numero_allocataire,
            context=f"titre exécutoire {request.path}",
        )
    else:
        _own_request(request, pk)
        titre_request = TitreRequest.objects.select_related("titre").get(pk=pk)
    if titre_request.titre_id is None:
        raise Http404("Aucun titre n'a été délivré pour cette demande.")
    response = HttpResponse(titre_caf_pdf(titre_caf_letter(titre_request)), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="titre-executoire-{titre_request.titre.reference}.pdf"'
    )
    return response
