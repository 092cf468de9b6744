"""A parent's own pension page: their intermediation(s), their Caf titre requests, and the titres
they may ask an intermediation for."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from parcours.households.gates import require_parent
from parcours.intermediation import lifecycle, services
from parcours.intermediation.forms import IntermediationRequestForm
from parcours.intermediation.selectors import files as ifpa_selectors
from parcours.intermediation.services import BankDetails
from parcours.titres import selectors as titre_selectors


def _request_form(row: titre_selectors.TitreWithoutIntermediation, data=None) -> IntermediationRequestForm:  # type: ignore[no-untyped-def]
    return IntermediationRequestForm(
        data,
        prefix=f"titre{row.pk}",
        ask_own=not row.own_bank_known,
        ask_other=not row.other_bank_known,
    )


def _my_pension(
    request: HttpRequest, bound: dict[int, IntermediationRequestForm] | None = None
) -> HttpResponse:
    person = require_parent(request)
    today = timezone.localdate()
    bound = bound or {}
    titres = titre_selectors.titres_without_intermediation(person, today) if person else []
    return render(
        request,
        "intermediation/my_pension.html",
        {
            "creditor": ifpa_selectors.creditor_sides(person.pk) if person else [],
            "debtor": ifpa_selectors.debtor_sides(person.pk) if person else [],
            "requests": titre_selectors.parent_requests(person.pk) if person else [],
            "titres_to_request": [(row, bound.get(row.pk) or _request_form(row)) for row in titres],
            "page_title": "Ma pension alimentaire",
        },
    )


@login_required
def my_pension(request: HttpRequest) -> HttpResponse:
    """A parent's own side of their intermediation(s): as creditor, as debtor, or both."""
    return _my_pension(request)


def _bank(form: IntermediationRequestForm, side: str, known: BankDetails | None) -> BankDetails:
    if known is not None:
        return known
    data = form.cleaned_data
    return BankDetails(data[f"{side}_name"], data[f"{side}_iban"], data.get(f"{side}_bic", ""))


@login_required
@require_POST
def intermediation_request(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Demander l'intermédiation" for a titre no intermediation serves (older than 2023, refused in
    the titre, or a Caf titre accepted by silence): the accounts come from the registry when known."""
    person = require_parent(request)
    today = timezone.localdate()
    titre = titre_selectors.titre_of_parent_without_intermediation(person, pk, today) if person else None
    if titre is None:
        raise Http404("Aucun titre de ce numéro ne vous concerne sans intermédiation.")
    row = next(r for r in titre_selectors.titres_without_intermediation(person, today) if r.pk == titre.pk)
    form = _request_form(row, request.POST)
    if not form.is_valid():
        messages.error(request, "L'intermédiation n'a pas été demandée : corrigez le formulaire.")
        return _my_pension(request, {titre.pk: form})
    creditor_known = titre_selectors.registry_bank(titre.creditor_dossier, today)
    debtor_known = titre_selectors.registry_bank(titre_selectors.debtor_dossier(titre, today), today)
    you_receive = titre.creditor_id == person.pk
    own, other = ("creditor", "debtor") if you_receive else ("debtor", "creditor")
    known = {"creditor": creditor_known, "debtor": debtor_known}
    banks = {own: _bank(form, "own", known[own]), other: _bank(form, "other", known[other])}
    try:
        inter = services.intermediation_open(
            titre=titre,
            on=today,
            how=lifecycle.ON_REQUEST,
            debtor_bank=banks["debtor"],
            creditor_bank=banks["creditor"],
            by=request.user,
        )
    except ValidationError as error:
        fields = {f"{own}_iban": "own_iban", f"{other}_iban": "other_iban"}
        for key, errors in error.message_dict.items():
            field = fields.get(key)
            form.add_error(field if field in form.fields else None, errors)
        messages.error(request, "L'intermédiation n'a pas été demandée : rien n'a été modifié.")
        return _my_pension(request, {titre.pk: form})
    messages.success(
        request,
        f"L'intermédiation {inter.reference} est ouverte : la Caf collecte désormais la pension auprès du "
        "parent qui la verse et la reverse à l'autre parent chaque mois.",
    )
    return redirect("intermediation:my_pension")
