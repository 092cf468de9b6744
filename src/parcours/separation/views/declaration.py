"""The declaration of a separation, as a stepper: one question at a time, each step saved as the
draft (the parent can leave and come back), then a recap to check and certify before sending."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from parcours.households.models import Person

from .. import lifecycle, services
from ..forms import STEPS, DeclarationForm, Step, is_child_field, step_of_field
from ..models import ChildSupportSituation, Demande, Invitation, Residence, Visiting
from .access import parent_dossier_of

ATTESTATION_MISSING = "Cochez l'attestation sur l'honneur pour envoyer votre déclaration."


def _draft(request: HttpRequest) -> Demande | HttpResponse:
    """The parent's draft, or where they should go instead (an invitation to answer, the
    declaration already sent, a dossier without a couple)."""
    dossier = parent_dossier_of(request)
    invitation = Invitation.objects.filter(
        person_id=request.user.person_id, state=Invitation.State.PENDING
    ).first()
    if invitation is not None:
        return redirect("separation:invitation", pk=invitation.pk)
    open_demande = (
        dossier.demandes.exclude(state=lifecycle.BROUILLON).exclude(state__in=lifecycle.FINAL).first()
    )
    if open_demande is not None:
        if open_demande.declarant_id == request.user.pk:
            return redirect("separation:demande", pk=open_demande.pk)
        messages.info(request, "Une déclaration de séparation est déjà en cours pour votre foyer.")
        return redirect("core:home")
    try:
        return services.declaration_start(dossier=dossier, by=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("core:home")


def _form(request: HttpRequest, demande: Demande, data: Any = None) -> DeclarationForm:
    persons = Person.objects.in_bulk([int(pid) for pid in demande.children])
    children = [(persons[int(pid)], value) for pid, value in demande.children.items()]
    initial = {name: getattr(demande, name) for name in services.DRAFT_FIELDS if name != "children"}
    return DeclarationForm(
        data,
        initial=initial,
        children=children,
        declarant_leaves=demande.leaving_id == request.user.person_id,
    )


def _as_data(form: DeclarationForm, demande: Demande) -> dict[str, str]:
    """The draft as form data: what the other steps keep when one step is posted."""
    data: dict[str, str] = {}
    for name in form.fields:
        if is_child_field(name):
            data[name] = demande.children.get(name.removeprefix("child_"), Residence.CHEZ_MOI)
            continue
        value = getattr(demande, name, None)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None and name != "attestation":
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data


def _fields_of(step: Step, form: DeclarationForm) -> list[str]:
    names = []
    for name in step.fields:
        names += [f for f in form.fields if is_child_field(f)] if name == "child_*" else [name]
    return names


def _recap(demande: Demande, form: DeclarationForm) -> list[tuple[Step, list[tuple[str, str]]]]:
    """Every answer, by step, as the parent will read it before sending."""
    answers: dict[str, list[tuple[str, str]]] = {s.slug: [] for s in STEPS}
    for name in services.DRAFT_FIELDS:
        if name in ("children", "new_commune_insee"):
            continue
        value = getattr(demande, name)
        label = str(form.fields[name].label) if name in form.fields else name
        if name == "visiting":
            shown = Visiting(value).label
        elif name == "child_support":
            shown = ChildSupportSituation(value).label
        elif name == "new_address_confidential":
            shown = "Oui" if value else "Non"
        elif isinstance(value, Decimal):
            shown = f"{value:.2f} €".replace(".", ",")
        elif hasattr(value, "strftime"):
            shown = value.strftime("%d/%m/%Y")
        else:
            shown = str(value) if value else "Non renseigné"
        answers[step_of_field(name).slug].append((label, shown))
    for field in form.child_fields():
        residence = demande.children.get(field.name.removeprefix("child_"), Residence.CHEZ_MOI)
        answers["enfants"].insert(0, (str(field.label), Residence(residence).label))
    return [(s, answers[s.slug]) for s in STEPS if answers[s.slug]]


@login_required
def declare(request: HttpRequest) -> HttpResponse:
    """The declaration's entry: a draft resumes at the furthest step the parent reached."""
    demande = _draft(request)
    if isinstance(demande, HttpResponse):
        return demande
    slugs = [s.slug for s in STEPS]
    first = STEPS[slugs.index(demande.draft_step)] if demande.draft_step in slugs else STEPS[0]
    return redirect("separation:declare_step", step=first.slug)


@login_required
def declare_step(request: HttpRequest, step: str) -> HttpResponse:
    demande = _draft(request)
    if isinstance(demande, HttpResponse):
        return demande
    index = next((i for i, s in enumerate(STEPS) if s.slug == step), None)
    if index is None:
        raise Http404("Cette étape n'existe pas.")
    current = STEPS[index]
    form = _form(request, demande)
    names = _fields_of(current, form)
    errors: list[tuple[str, str, str]] = []  # (message, field id, step slug)
    if request.method == "POST":
        data = _as_data(form, demande)
        for name in names:
            data.pop(name, None)
            if name in request.POST:
                data[name] = request.POST[name]
        form = _form(request, demande, data)
        if form.is_valid():
            demande = services.declaration_save(demande=demande, data=form.draft_data(), by=request.user)
            if "quitter" in request.POST:
                messages.success(
                    request,
                    "Votre brouillon est enregistré : vous pourrez reprendre votre déclaration plus tard.",
                )
                return redirect("core:home")
            if current.slug == "recapitulatif":
                if not form.cleaned_data.get("attestation"):
                    form.add_error("attestation", ATTESTATION_MISSING)
                else:
                    try:
                        services.demande_transition(
                            demande=demande, action="deposer", by=request.user, actor=lifecycle.PARENT
                        )
                    except ValidationError as error:
                        for field, problems in error.message_dict.items():
                            errors += [(p, f"id_{field}", step_of_field(field).slug) for p in problems]
                    else:
                        messages.success(
                            request, "Votre déclaration est envoyée. Voici ce qui change pour vos droits."
                        )
                        return redirect("separation:demande", pk=demande.pk)
            else:
                problems = {f: m for f, m in services.draft_errors(demande).items() if f in names}
                for field, message in problems.items():
                    form.add_error(field if field in form.fields else None, message)
                if not problems:
                    following = STEPS[index + 1].slug
                    slugs = [s.slug for s in STEPS]
                    if demande.draft_step not in slugs or slugs.index(demande.draft_step) < index + 1:
                        services.declaration_save(
                            demande=demande, data={}, by=request.user, reached=following
                        )
                    return redirect("separation:declare_step", step=following)
        errors += [
            (str(message), f"id_{name}", current.slug)
            for name, messages_ in form.errors.items()
            for message in messages_
        ]
    return render(
        request,
        "separation/declare.html",
        {
            "form": form,
            "fields": [form[name] for name in names],
            "demande": demande,
            "step": current,
            "number": index + 1,
            "count": len(STEPS),
            "next_step": STEPS[index + 1] if index + 1 < len(STEPS) else None,
            "previous": reverse("separation:declare_step", args=[STEPS[index - 1].slug]) if index else None,
            "error_summary": errors,
            "recap": _recap(demande, form) if current.slug == "recapitulatif" else [],
            "leaving": demande.leaving,
            "declarant_leaves": demande.leaving_id == request.user.person_id,
            "page_title": f"Déclarer ma séparation — étape {index + 1} sur {len(STEPS)} : {current.title}",
        },
    )
