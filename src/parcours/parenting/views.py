"""Parenting support's pages. A parent: the structures of their territory and their free slots,
the booking form with the fee before confirming, their sessions (cancel, .ics). A structure's
account: its agenda, new slots, attendance, the orientation after the fifth session, a booking on
a parent's behalf. A social worker: a booking for a family of their territory. Thin: forms in,
services out; every read of a family's session by a structure or the Caf audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from parcours.accounts.services import audit_record
from parcours.core.money import format_cents
from parcours.households.models import Dossier
from parcours.households.selectors import allocataire_names

from . import lifecycle, selectors, services
from .fees import scale_on
from .forms import AttendanceForm, BookingForm, CancelForm, OnBehalfForm, OrientationForm, SlotForm
from .ics import event_calendar
from .models import Booking, Slot, Structure

AGENDA_DAYS_BEFORE = 14
AGENDA_DAYS_AFTER = 60
SLOTS_SHOWN = 30


def _errors(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _form_errors(request: HttpRequest, form: Any) -> None:
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))


def _parent(request: HttpRequest) -> Dossier:
    dossier = selectors.parent_dossier(request.user)
    if dossier is None:
        raise PermissionDenied("Cette page est réservée aux parents allocataires.")
    return dossier


def _where(slot: Slot) -> str:
    if slot.mode == Slot.Mode.ON_SITE:
        return f"{slot.structure.name}, {slot.structure.address}, {slot.structure.commune}"
    return f"{slot.get_mode_display()} — {slot.structure.name}"


# --- The parent --------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A parent: the labelled structures of their territory with their free slots, and their own
    sessions. A structure's account goes to its agenda, a social worker to the booking for a family."""
    role = request.user.role
    if role == lifecycle.PARTNER:
        return redirect("parenting:agenda")
    if role == lifecycle.WORKER:
        return redirect("parenting:on_behalf")
    dossier = _parent(request)
    structures = list(selectors.structures_of(dossier.departement).prefetch_related("professionals"))
    slots = list(selectors.free_slots(structures)[: SLOTS_SHOWN * max(1, len(structures))])
    for structure in structures:
        structure.free = [s for s in slots if s.structure_id == structure.pk][:SLOTS_SHOWN]
    bookings = list(
        selectors.parent_bookings(request.user)
        .select_related("slot__structure", "slot__professional")
        .order_by("-slot__starts_at")
    )
    counted = selectors.counted_sessions(dossier)
    return render(
        request,
        "parenting/home.html",
        {
            "structures": structures,
            "bookings": bookings,
            "counted": counted,
            "left": max(0, lifecycle.MAX_SESSIONS - counted),
            "max_sessions": lifecycle.MAX_SESSIONS,
            "page_title": "Soutien à la parentalité",
        },
    )


def _bookable_slot(request: HttpRequest, pk: int, dossier: Dossier) -> Slot:
    slot = (
        Slot.objects.filter(pk=pk, structure__in=selectors.structures_of(dossier.departement))
        .select_related("structure", "professional")
        .first()
    )
    if slot is None:
        raise Http404("Créneau introuvable.")
    return slot


@login_required
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """The slot, the children to choose and the fee, before the parent confirms."""
    dossier = _parent(request)
    slot = _bookable_slot(request, pk, dossier)
    children = selectors.children_of(dossier, timezone.localdate())
    form = BookingForm(request.POST if request.method == "POST" else None, children=children)
    if request.method == "POST":
        if form.is_valid():
            chosen = [p for p in children if str(p.pk) in form.cleaned_data["children"]]
            try:
                booking = services.booking_create(
                    slot=slot, dossier=dossier, by=request.user, children=chosen
                )
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, "Votre séance est réservée. Vous recevrez un rappel la veille.")
                return redirect("parenting:booking", pk=booking.pk)
        else:
            _form_errors(request, form)
    free = selectors.slot_is_free(slot) and slot.starts_at > timezone.now()
    quote = services.quote(slot=slot, dossier=dossier)
    return render(
        request,
        "parenting/book.html",
        {
            "slot": slot,
            "when": selectors.when_fr(slot.starts_at),
            "where": _where(slot),
            "form": form,
            "free": free,
            "fee_cents": quote["fee_cents"],
            "income_cents": quote["income_cents"],
            "scale": quote["scale"],
            "left": max(0, lifecycle.MAX_SESSIONS - selectors.counted_sessions(dossier)),
            "page_title": "Réserver une séance",
        },
    )


def _booking_for(request: HttpRequest, pk: int) -> tuple[Booking, str]:
    """The session if this user may see it, with the role they see it in; else 404 (never a 403
    that would tell a session exists). A structure's or the Caf's read is audited."""
    user = request.user
    rows = Booking.objects.filter(pk=pk).select_related("slot__structure", "slot__professional", "dossier")
    role = user.role
    if role == lifecycle.PARENT:
        found = rows.filter(pk__in=selectors.parent_bookings(user).values("pk")).first()
    elif role == lifecycle.PARTNER:
        found = rows.filter(pk__in=selectors.structure_bookings(user).values("pk")).first()
    elif role == lifecycle.WORKER:
        found = rows.filter(pk__in=selectors.worker_bookings(user).values("pk")).first()
    else:
        found = None
    if found is None:
        raise Http404("Séance introuvable.")
    if role != lifecycle.PARENT:
        audit_record(
            actor=user,
            action="dossier.read",
            dossier=found.dossier,
            object_type="seance_parentalite",
            object_id=found.pk,
            context=f"séance de soutien à la parentalité n° {found.pk}",
        )
    return found, role


@login_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking, role = _booking_for(request, pk)
    slot = booking.slot
    started = slot.starts_at <= timezone.now()
    context: dict[str, Any] = {
        "b": booking,
        "role": role,
        "when": selectors.when_fr(slot.starts_at),
        "where": _where(slot),
        "children": list(booking.children.order_by("birth_date")),
        "history": list(booking.transitions.select_related("by")),
        "can_cancel": booking.state == lifecycle.RESERVEE and not started,
        "cancel_form": CancelForm(),
        "is_partner": role == lifecycle.PARTNER,
        "page_title": f"Séance du {timezone.localtime(slot.starts_at):%d/%m/%Y}",
    }
    if role == lifecycle.PARTNER:
        seen = selectors.seen_sessions(booking.dossier)
        orientation = selectors.orientation_of(booking.dossier)
        context.update(
            {
                "family": allocataire_names([booking.dossier_id]).get(booking.dossier_id, ""),
                "can_record": booking.state == lifecycle.RESERVEE and started,
                "attendance_form": AttendanceForm(),
                "seen": seen,
                "orientation": orientation,
                "can_orient": orientation is None and seen >= lifecycle.MAX_SESSIONS,
                "orientation_form": OrientationForm(
                    partners=selectors.territory_partners(booking.dossier.departement)
                ),
            }
        )
    return render(request, "parenting/booking.html", context)


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking, _ = _booking_for(request, pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.booking_cancel(booking=booking, by=request.user, reason=reason)
        messages.success(request, "La séance est annulée : le créneau est libéré pour une autre famille.")
    except ValidationError as error:
        _errors(request, error)
    except PermissionDenied:
        raise Http404("Séance introuvable.") from None
    return redirect("parenting:booking", pk=pk)


@login_required
def booking_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The session as an .ics file, for the parent's own sessions (and the structure's)."""
    booking, role = _booking_for(request, pk)
    if role == lifecycle.WORKER:
        raise Http404("Séance introuvable.")
    slot = booking.slot
    body = event_calendar(
        uid=f"seance-{booking.pk}@parcours.caf.fr",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary="Séance de soutien à la parentalité",
        location=_where(slot),
        description=f"Avec {slot.professional}. Pour annuler, rendez-vous dans votre espace parcours.",
        stamp=booking.created_at,
        cancelled=booking.state == lifecycle.ANNULEE,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="seance-parentalite-{booking.pk}.ics"'
    return response


# --- The structure -----------------------------------------------------------------------------


def _partner(request: HttpRequest) -> list[Structure]:
    if not selectors.is_partner(request.user):
        raise PermissionDenied("Cette page est réservée aux structures partenaires.")
    return list(selectors.member_structures(request.user).prefetch_related("professionals"))


@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    """The structure's slots of the weeks around today, who booked them, the attendance to record,
    the form to open a slot, and the month's figures."""
    structures = _partner(request)
    now = timezone.now()
    slots = list(
        Slot.objects.filter(
            structure__in=structures,
            starts_at__gte=now - timedelta(days=AGENDA_DAYS_BEFORE),
            starts_at__lte=now + timedelta(days=AGENDA_DAYS_AFTER),
        )
        .select_related("structure", "professional")
        .order_by("starts_at", "id")
    )
    held = {
        b.slot_id: b
        for b in Booking.objects.filter(slot__in=slots, state__in=lifecycle.HOLDS_SLOT).select_related(
            "dossier"
        )
    }
    names = allocataire_names(list({b.dossier_id for b in held.values()}))
    for slot in slots:
        slot.booking = held.get(slot.pk)
        slot.family = names.get(slot.booking.dossier_id, "") if slot.booking else ""
        slot.when = selectors.when_fr(slot.starts_at)
        slot.to_record = (
            slot.booking is not None and slot.booking.state == lifecycle.RESERVEE and slot.starts_at <= now
        )
    year = timezone.localdate().year
    figures = []
    for structure in structures:
        figures += [
            row
            for row in selectors.monthly_figures(structure.departement, year)
            if row["structure_id"] == structure.pk
        ]
    forms = [
        (s, SlotForm(professionals=[p for p in s.professionals.all() if p.active], prefix=f"s{s.pk}"))
        for s in structures
    ]
    return render(
        request,
        "parenting/agenda.html",
        {
            "structures": structures,
            "slots": slots,
            "slot_forms": forms,
            "figures": figures,
            "page_title": "Agenda de la structure",
        },
    )


@login_required
@require_POST
def slot_new(request: HttpRequest, structure: int) -> HttpResponse:
    structures = {s.pk: s for s in _partner(request)}
    found = structures.get(structure)
    if found is None:
        raise Http404("Structure introuvable.")
    professionals = [p for p in found.professionals.all() if p.active]
    form = SlotForm(request.POST, professionals=professionals, prefix=f"s{found.pk}")
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("parenting:agenda")
    professional = next(p for p in professionals if p.pk == form.cleaned_data["professional"])
    try:
        slot = services.slot_add(
            structure=found,
            professional=professional,
            starts_at=form.cleaned_data["starts_at"],
            mode=form.cleaned_data["mode"],
            by=request.user,
        )
        messages.success(request, f"Créneau ouvert : {selectors.when_fr(slot.starts_at)}.")
    except ValidationError as error:
        _errors(request, error)
    return redirect("parenting:agenda")


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    _partner(request)
    booking, _ = _booking_for(request, pk)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("parenting:booking", pk=pk)
    try:
        services.attendance_record(booking=booking, outcome=form.cleaned_data["outcome"], by=request.user)
        messages.success(
            request, f"Présence enregistrée : {lifecycle.BOOKING.label(form.cleaned_data['outcome'])}."
        )
    except ValidationError as error:
        _errors(request, error)
    return redirect("parenting:booking", pk=pk)


@login_required
@require_POST
def orientation(request: HttpRequest, pk: int) -> HttpResponse:
    _partner(request)
    booking, _ = _booking_for(request, pk)
    partners = list(selectors.territory_partners(booking.dossier.departement))
    form = OrientationForm(request.POST, partners=partners)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("parenting:booking", pk=pk)
    partner = next((p for p in partners if p.pk == form.cleaned_data["partner"]), None)
    try:
        services.orientation_record(
            dossier=booking.dossier,
            structure=booking.slot.structure,
            target=form.cleaned_data["target"],
            partner=partner,
            note=form.cleaned_data["note"],
            by=request.user,
        )
        messages.success(request, "Orientation enregistrée.")
    except ValidationError as error:
        _errors(request, error)
    return redirect("parenting:booking", pk=pk)


# --- On a parent's behalf: the structure or a social worker ------------------------------------


NO_SUCH_FAMILY = (
    "Aucune famille du territoire ne correspond à ce numéro allocataire et à ce nom : "
    "vérifiez-les avec le parent."
)


@login_required
def on_behalf(request: HttpRequest) -> HttpResponse:
    """Book for a family, with the parent's consent: a structure in its own slots, a social worker
    in the slots of the labelled structures of their territory."""
    user = request.user
    if selectors.is_partner(user):
        structures = list(selectors.member_structures(user))
    elif selectors.is_social_worker(user):
        structures = list(selectors.structures_of(user.departement)) if user.departement else []
    else:
        raise PermissionDenied("Cette page est réservée aux structures et aux travailleurs sociaux.")
    slots = list(selectors.free_slots(structures)[:200])
    form = OnBehalfForm(request.POST if request.method == "POST" else None, slots=slots)
    if request.method == "POST":
        if not form.is_valid():
            _form_errors(request, form)
        else:
            slot = next(s for s in slots if s.pk == form.cleaned_data["slot"])
            dossier = selectors.family_named(
                numero=form.cleaned_data["numero_allocataire"],
                last_name=form.cleaned_data["last_name"],
                departement=slot.structure.departement,
                day=timezone.localdate(),
            )
            if dossier is None:
                services.lookup_refused(by=user, departement=slot.structure.departement)
                messages.error(request, NO_SUCH_FAMILY)
            else:
                try:
                    booking = services.booking_create(
                        slot=slot, dossier=dossier, by=user, children=None, consent_on=timezone.localdate()
                    )
                except ValidationError as error:
                    _errors(request, error)
                except PermissionDenied:
                    messages.error(request, "Vous ne pouvez pas réserver une séance pour cette famille.")
                else:
                    messages.success(request, "Séance réservée pour la famille ; le parent est prévenu.")
                    return redirect("parenting:booking", pk=booking.pk)
    return render(
        request,
        "parenting/on_behalf.html",
        {"form": form, "slots": slots, "page_title": "Réserver pour une famille"},
    )


@login_required
def scale(request: HttpRequest) -> HttpResponse:
    """The fee scale in force today, as the families read it."""
    current = scale_on(timezone.localdate())
    rows, low = [], current.free_up_to_cents
    for band in current.bands:
        if band.up_to_cents is not None and band.up_to_cents <= low:
            continue
        rate = f"{band.rate * 100:f}".rstrip("0").rstrip(".").replace(".", ",")
        fee = format_cents(band.fixed_cents) + (f" + {rate} % des revenus" if band.rate else "")
        if band.up_to_cents is None:
            rows.append((f"Plus de {format_cents(low)}", f"{fee}, au plus {format_cents(current.cap_cents)}"))
        else:
            rows.append((f"De {format_cents(low)} à {format_cents(band.up_to_cents)}", fee))
            low = band.up_to_cents
    return render(
        request,
        "parenting/scale.html",
        {"scale": current, "rows": rows, "page_title": "Participation des familles"},
    )
