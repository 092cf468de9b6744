"""Social support's pages: the team's signalements, a signalement and its offer (and its letter),
a social worker's caseload, an accompaniment (steps, interviews, objectives, confidential notes,
referrals), the team leader's caseloads, the partners' directory; a partner's referrals; a
parent's answer to an offer. Thin: forms in, services out; every read of a dossier audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from parcours.accounts.rules import Perm, has_permission
from parcours.accounts.services import audit_record
from parcours.core.letters import pdf_layout
from parcours.core.pages import page_of
from parcours.households.models import Dossier
from parcours.households.selectors import allocataire_names

from . import lifecycle, selectors, services
from .forms import (
    ActionForm,
    AnswerForm,
    InterviewForm,
    InterviewRecordForm,
    NoteForm,
    ObjectiveForm,
    ReferralActionForm,
    ReferralForm,
    SignalementFilter,
    SignalementForm,
)
from .models import Accompaniment, Interview, Objective, Partner, Referral, Signalement
from .offers import OFFERS, ORIGIN_LABELS, Channel, Origin, SignalementKind


def _worker(request: HttpRequest) -> None:
    if not has_permission(request.user.role, Perm.SOCIAL):
        raise PermissionDenied


def _errors(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _read(request: HttpRequest, dossier: Dossier, object_type: str, pk: int) -> None:
    audit_record(
        actor=request.user,
        action="dossier.read",
        dossier=dossier,
        object_type=object_type,
        object_id=pk,
        context=f"{object_type} n° {pk}",
    )


def _signalement(request: HttpRequest, pk: int) -> Signalement:
    signalement = (
        selectors.territory_signalements(request.user).filter(pk=pk).select_related("dossier").first()
    )
    if signalement is None:
        raise Http404("Signalement introuvable.")
    return signalement


def _accompaniment(request: HttpRequest, pk: int) -> Accompaniment:
    found = (
        selectors.territory_accompaniments(request.user)
        .filter(pk=pk)
        .select_related("dossier", "worker", "team", "signalement")
        .first()
    )
    if found is None:
        raise Http404("Accompagnement introuvable.")
    return found


def _decorate(rows: list[Any]) -> list[Any]:
    names = allocataire_names([r.dossier_id for r in rows])
    for row in rows:
        row.name = names.get(row.dossier_id, "")
    return rows


# --- Signalements --------------------------------------------------------------------------------


@login_required
def signalements(request: HttpRequest) -> HttpResponse:
    """The social team's signalements of the territory, the ones to work first."""
    _worker(request)
    form = SignalementFilter(request.GET or None)
    rows = selectors.territory_signalements(request.user).select_related("dossier")
    criteria = form.cleaned_data if form.is_valid() else {}
    if criteria.get("kind"):
        rows = rows.filter(kind=criteria["kind"])
    state = criteria.get("state", "")
    if state and state != "tous":
        rows = rows.filter(state=state)
    elif not state:
        rows = rows.filter(state__in=lifecycle.SIGNALEMENT_OPEN)
    page = page_of(rows.order_by("answer_by", "-created_at", "-id"), request.GET.get("page"))
    page.object_list = _decorate(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "social/signalements.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "states": lifecycle.SIGNALEMENT.states,
            "new_form": SignalementForm(),
            "page_title": "Signalements",
        },
    )


@login_required
@require_POST
def signalement_new(request: HttpRequest) -> HttpResponse:
    _worker(request)
    form = SignalementForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("social:signalements")
    dossier = Dossier.objects.filter(
        numero_allocataire=form.cleaned_data["numero_allocataire"], departement=request.user.departement
    ).first()
    if dossier is None:
        messages.error(request, "Aucun dossier de votre territoire ne porte ce numéro allocataire.")
        return redirect("social:signalements")
    try:
        signalement = services.signalement_create(
            dossier=dossier,
            kind=form.cleaned_data["kind"],
            source=form.cleaned_data["source"],
            origin=form.cleaned_data["origin"],
            by=request.user,
        )
    except ValidationError as error:
        _errors(request, error)
        return redirect("social:signalements")
    messages.success(request, "Signalement enregistré.")
    return redirect("social:signalement", pk=signalement.pk)


@login_required
def signalement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _worker(request)
    signalement = _signalement(request, pk)
    _read(request, signalement.dossier, "signalement", signalement.pk)
    _decorate([signalement])
    return render(
        request,
        "social/signalement.html",
        {
            "s": signalement,
            "offer": OFFERS[SignalementKind(signalement.kind)],
            "origin": ORIGIN_LABELS.get(Origin(signalement.origin), signalement.origin),
            "state": lifecycle.SIGNALEMENT.label(signalement.state),
            "history": signalement.transitions.select_related("by"),
            "accompaniment": getattr(signalement, "accompaniment", None),
            "call_back": signalement.channel == Channel.CALL_BACK,
            "answer_form": AnswerForm(),
            "page_title": f"Signalement n° {signalement.pk}",
        },
    )


@login_required
@require_POST
def signalement_act(request: HttpRequest, pk: int) -> HttpResponse:
    _worker(request)
    signalement = _signalement(request, pk)
    try:
        if request.POST.get("action") == "proposer":
            services.signalement_propose(signalement=signalement, by=request.user)
            messages.success(request, "Offre proposée : la réponse de la famille est attendue.")
        else:
            form = AnswerForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Indiquez la réponse de la famille.")
            accompaniment = services.signalement_answer(
                signalement=signalement,
                accepted=form.cleaned_data["answer"] == "oui",
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
            if accompaniment is not None:
                messages.success(request, "Accompagnement ouvert : il est dans vos accompagnements.")
                return redirect("social:accompaniment", pk=accompaniment.pk)
            messages.success(request, "Refus enregistré.")
    except ValidationError as error:
        _errors(request, error)
    return redirect("social:signalement", pk=pk)


@login_required
def offer_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The offer's letter, as PDF, for the families without an online account."""
    _worker(request)
    signalement = _signalement(request, pk)
    if signalement.channel != Channel.WRITTEN:
        raise Http404("Aucun courrier pour une offre de rappel.")
    audit_record(
        actor=request.user,
        action="dossier.read",
        dossier=signalement.dossier,
        object_type="courrier_offre",
        object_id=signalement.pk,
        context="courrier de proposition d'accompagnement",
    )
    from parcours.households.selectors import household_on

    today = timezone.localdate()
    state = household_on(signalement.dossier, today)
    html = render_to_string(
        "social/offer_letter.html",
        {
            "s": signalement,
            "offer": OFFERS[SignalementKind(signalement.kind)],
            "name": allocataire_names([signalement.dossier_id]).get(signalement.dossier_id, ""),
            "address": state.address,
            "today": today,
        },
    )
    pdf = pdf_layout(html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="proposition-accompagnement-{signalement.pk}.pdf"'
    return response


# --- Accompaniments ------------------------------------------------------------------------------


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    _worker(request)
    rows = _decorate(
        list(selectors.caseload(request.user).select_related("signalement").order_by("opened_on"))
    )
    for row in rows:
        row.state_label = lifecycle.ACCOMPANIMENT.label(row.state)
    return render(
        request,
        "social/caseload.html",
        {"rows": rows, "leads": selectors.led_team(request.user), "page_title": "Mes accompagnements"},
    )


@login_required
def accompaniment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not has_permission(request.user.role, Perm.SOCIAL):
        # An accompaniment's page holds its confidential notes: anyone else's attempt is refused
        # and audited as refused, whether or not the accompaniment exists.
        found = Accompaniment.objects.filter(pk=pk).select_related("dossier").first()
        audit_record(
            actor=request.user,
            action="social.notes_lues",
            dossier=found.dossier if found else None,
            object_type="accompagnement",
            object_id=pk,
            context="notes sociales confidentielles",
            allowed=False,
        )
        raise PermissionDenied
    accompaniment = _accompaniment(request, pk)
    _read(request, accompaniment.dossier, "accompagnement", accompaniment.pk)
    notes = services.notes_read(accompaniment=accompaniment, user=request.user)
    _decorate([accompaniment])
    partners = Partner.objects.filter(departement=accompaniment.dossier.departement, active=True)
    referrals = list(accompaniment.referrals.select_related("partner"))
    for referral in referrals:
        referral.state_label = lifecycle.REFERRAL.label(referral.state)
    return render(
        request,
        "social/accompaniment.html",
        {
            "a": accompaniment,
            "state": lifecycle.ACCOMPANIMENT.label(accompaniment.state),
            "offer": OFFERS[SignalementKind(accompaniment.signalement.kind)],
            "actions": lifecycle.ACCOMPANIMENT.actions_for(accompaniment.state, lifecycle.WORKER),
            "history": accompaniment.transitions.select_related("by"),
            "interviews": list(accompaniment.interviews.all()),
            "objectives": list(accompaniment.objectives.all()),
            "notes": notes,
            "referrals": referrals,
            "outcome": lifecycle.CLOSING_OUTCOMES.get(accompaniment.outcome, ""),
            "action_form": ActionForm(),
            "interview_form": InterviewForm(),
            "record_form": InterviewRecordForm(),
            "objective_form": ObjectiveForm(),
            "note_form": NoteForm(),
            "referral_form": ReferralForm(partners=partners),
            "now": timezone.now(),
            "page_title": f"Accompagnement n° {accompaniment.pk}",
        },
    )


@login_required
@require_POST
def accompaniment_post(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Every form of the accompaniment's page: one service each, then back to the page."""
    _worker(request)
    accompaniment = _accompaniment(request, pk)
    done = {
        "act": _act,
        "interview": _interview,
        "record": _record,
        "objective": _objective,
        "reach": _reach,
        "note": _note,
        "referral": _referral,
        "cancel": _cancel,
    }.get(what)
    if done is None:
        raise Http404
    try:
        message = done(request, accompaniment)
        messages.success(request, message)
    except ValidationError as error:
        _errors(request, error)
    return redirect("social:accompaniment", pk=pk)


def _invalid(form: Any) -> ValidationError:
    return ValidationError([e for errors in form.errors.values() for e in errors])


def _act(request: HttpRequest, accompaniment: Accompaniment) -> str:
    form = ActionForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    action = form.cleaned_data["action"]
    services.accompaniment_act(
        accompaniment=accompaniment,
        action=action,
        by=request.user,
        reason=form.cleaned_data["reason"],
        outcome=form.cleaned_data["outcome"],
    )
    return f"« {lifecycle.ACCOMPANIMENT.transitions[action].label} » : c'est fait."


def _interview(request: HttpRequest, accompaniment: Accompaniment) -> str:
    form = InterviewForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    services.interview_plan(accompaniment=accompaniment, by=request.user, **form.cleaned_data)
    return "Entretien planifié."


def _posted_id(request: HttpRequest, name: str) -> int:
    """A posted identifier as an int; anything else (empty, "abc", "²") is 0, which no row has."""
    raw = request.POST.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else 0


def _record(request: HttpRequest, accompaniment: Accompaniment) -> str:
    interview = Interview.objects.filter(
        accompaniment=accompaniment, pk=_posted_id(request, "interview")
    ).first()
    form = InterviewRecordForm(request.POST)
    if interview is None or not form.is_valid():
        raise ValidationError("Choisissez l'entretien et indiquez s'il a eu lieu.")
    held = form.cleaned_data["held"] == "oui"
    services.interview_record(interview=interview, held=held, note=form.cleaned_data["note"], by=request.user)
    return "Entretien enregistré." if held else "Absence enregistrée."


def _objective(request: HttpRequest, accompaniment: Accompaniment) -> str:
    form = ObjectiveForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    services.objective_add(accompaniment=accompaniment, text=form.cleaned_data["text"], by=request.user)
    return "Objectif ajouté au plan."


def _reach(request: HttpRequest, accompaniment: Accompaniment) -> str:
    objective = Objective.objects.filter(
        accompaniment=accompaniment, pk=_posted_id(request, "objective")
    ).first()
    if objective is None:
        raise ValidationError("Objectif introuvable.")
    services.objective_reach(objective=objective, by=request.user)
    return "Objectif atteint."


def _note(request: HttpRequest, accompaniment: Accompaniment) -> str:
    form = NoteForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    services.note_add(accompaniment=accompaniment, text=form.cleaned_data["text"], by=request.user)
    return "Note enregistrée."


def _referral(request: HttpRequest, accompaniment: Accompaniment) -> str:
    partners = Partner.objects.filter(departement=accompaniment.dossier.departement, active=True)
    form = ReferralForm(request.POST, partners=partners)
    if not form.is_valid():
        raise _invalid(form)
    referral = services.referral_create(accompaniment=accompaniment, by=request.user, **form.cleaned_data)
    return f"Orientation envoyée à {referral.partner}."


def _cancel(request: HttpRequest, accompaniment: Accompaniment) -> str:
    referral = Referral.objects.filter(
        accompaniment=accompaniment, pk=_posted_id(request, "referral")
    ).first()
    if referral is None:
        raise ValidationError("Orientation introuvable.")
    services.referral_act(
        referral=referral, action="annuler", by=request.user, reason=request.POST.get("reason", "")
    )
    return "Orientation annulée."


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """The team leader's view: each social worker's caseload, the accompaniments to assign."""
    _worker(request)
    led = selectors.led_team(request.user)
    if led is None:
        raise PermissionDenied
    waiting = _decorate(
        list(
            led.accompaniments.filter(state__in=lifecycle.ACCOMPANIMENT_OPEN).select_related(
                "worker", "signalement"
            )
        )
    )
    return render(
        request,
        "social/team.html",
        {
            "team": led,
            "caseloads": selectors.team_caseloads(led),
            "figures": selectors.yearly_figures(led.departement, timezone.localdate().year),
            "open": waiting,
            "members": led.members.order_by("last_name", "username"),
            "signalements_open": led.signalements.filter(state__in=lifecycle.SIGNALEMENT_OPEN).count(),
            "page_title": "Charge de l'équipe",
        },
    )


@login_required
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    _worker(request)
    accompaniment = _accompaniment(request, pk)
    to = get_user_model().objects.filter(pk=_posted_id(request, "worker")).first()
    try:
        services.accompaniment_reassign(accompaniment=accompaniment, to=to, by=request.user)
        messages.success(request, f"Accompagnement n° {accompaniment.pk} confié à {to}.")
    except ValidationError as error:
        _errors(request, error)
    return redirect("social:team")


@login_required
def partners(request: HttpRequest) -> HttpResponse:
    _worker(request)
    rows = Partner.objects.filter(departement=request.user.departement, active=True)
    return render(request, "social/partners.html", {"rows": rows, "page_title": "Partenaires du territoire"})


# --- A partner's referrals -----------------------------------------------------------------------


def _partner(request: HttpRequest) -> None:
    if not has_permission(request.user.role, Perm.REFERRALS):
        raise PermissionDenied


def _minimum(referral: Referral) -> dict[str, Any]:
    """What a partner may know of the family: a name, the commune, the purpose, the contact."""
    from parcours.households.selectors import household_on

    state = household_on(referral.accompaniment.dossier, timezone.localdate())
    address = state.address
    return {
        "name": allocataire_names([referral.accompaniment.dossier_id]).get(
            referral.accompaniment.dossier_id, ""
        ),
        "commune": "" if address is None or address.is_confidential else address.commune_name,
    }


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    _partner(request)
    rows = list(selectors.partner_referrals(request.user).select_related("partner"))
    for row in rows:
        row.state_label = lifecycle.REFERRAL.label(row.state)
    return render(request, "social/referrals.html", {"rows": rows, "page_title": "Orientations reçues"})


def _referral_of_partner(request: HttpRequest, pk: int) -> Referral:
    found = selectors.partner_referrals(request.user).filter(pk=pk).select_related("partner").first()
    if found is None:
        raise Http404("Orientation introuvable.")
    return found


@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _partner(request)
    referral = _referral_of_partner(request, pk)
    return render(
        request,
        "social/referral.html",
        {
            "r": referral,
            "family": _minimum(referral),
            "state": lifecycle.REFERRAL.label(referral.state),
            "actions": lifecycle.REFERRAL.actions_for(referral.state, lifecycle.PARTNER),
            "worker": referral.created_by,
            "page_title": f"Orientation n° {referral.pk}",
        },
    )


@login_required
@require_POST
def referral_act(request: HttpRequest, pk: int) -> HttpResponse:
    _partner(request)
    referral = _referral_of_partner(request, pk)
    form = ReferralActionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Action inconnue.")
        action = form.cleaned_data["action"]
        services.referral_act(
            referral=referral, action=action, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"« {lifecycle.REFERRAL.transitions[action].label} » : c'est fait.")
    except ValidationError as error:
        _errors(request, error)
    return redirect("social:referral", pk=pk)


# --- A parent's answer ---------------------------------------------------------------------------


@login_required
@require_POST
def offer_answer(request: HttpRequest, pk: int) -> HttpResponse:
    signalement = selectors.parent_offers(request.user).filter(pk=pk).first()
    if signalement is None:
        raise Http404("Proposition introuvable.")
    answer = request.POST.get("answer")
    if answer not in ("oui", "non"):
        messages.error(request, "Choisissez d'accepter ou de refuser la proposition.")
        return redirect("core:home")
    accepted = answer == "oui"
    try:
        services.signalement_answer(signalement=signalement, accepted=accepted, by=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect("core:home")
    if accepted:
        messages.success(
            request, "Merci. Un travailleur social de la Caf vous contactera pour fixer un rendez-vous."
        )
    else:
        messages.info(request, "C'est noté : vous pouvez revenir vers la Caf à tout moment.")
    return redirect("core:home")
