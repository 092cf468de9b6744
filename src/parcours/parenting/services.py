"""Domain operations of parenting support: the only place that writes structures, slots,
bookings, their attendance and the orientation after the fifth session (decision 0016). One
transaction per operation; every change of a session's state through core/transitions.py; every
act on a family's session audited; the parents told after the commit (notifications)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.services import audit_record
from parcours.core.transitions import transition_apply
from parcours.core.workflow import SystemActor
from parcours.households.access import own_dossier_ids
from parcours.households.models import Dossier, Person
from parcours.notifications import events
from parcours.notifications.services import notify, site_link
from parcours.social.models import Partner
from parcours.social.services import parent_accounts

from . import lifecycle, selectors
from .fees import scale_on, session_fee_cents
from .models import Booking, BookingTransition, Orientation, Professional, Slot, Structure

REMINDERS = SystemActor("parentalite rappels")
SLOT_TAKEN = "Ce créneau vient d'être réservé par une autre famille : choisissez-en un autre."


def _audit(by: Any, action: str, booking: Booking, context: str) -> None:
    audit_record(
        actor=by,
        action=action,
        dossier=booking.dossier,
        object_type="seance_parentalite",
        object_id=booking.pk,
        context=context,
    )


# --- Structures and slots ----------------------------------------------------------------------


@transaction.atomic
def structure_create(
    *,
    departement: str,
    name: str,
    address: str,
    commune: str,
    labelled_on: date,
    label_until: date | None = None,
    phone: str = "",
    partner: Partner | None = None,
) -> Structure:
    """A labelled structure, found again by (département, name): idempotent."""
    if not name.strip() or not address.strip():
        raise ValidationError("Une structure a un nom et une adresse.")
    if label_until is not None and label_until < labelled_on:
        raise ValidationError({"label_until": "La fin du label précède sa date d'attribution."})
    if partner is not None and partner.departement != departement:
        raise ValidationError({"partner": "Choisissez un partenaire du même territoire."})
    structure, _ = Structure.objects.get_or_create(
        departement=departement,
        name=name.strip()[:150],
        defaults={
            "address": address.strip()[:200],
            "commune": commune.strip()[:100],
            "labelled_on": labelled_on,
            "label_until": label_until,
            "phone": phone,
            "partner": partner,
        },
    )
    return structure


@transaction.atomic
def member_add(*, structure: Structure, user: Any) -> None:
    """A partner account becomes one of the structure's."""
    if getattr(user, "role", "") != lifecycle.PARTNER:
        raise ValidationError("Seul un compte de structure partenaire peut être rattaché à une structure.")
    structure.members.add(user)


@transaction.atomic
def professional_add(
    *, structure: Structure, first_name: str, last_name: str, profession: str
) -> Professional:
    if not (first_name.strip() and last_name.strip() and profession.strip()):
        raise ValidationError("Indiquez le prénom, le nom et la profession du professionnel.")
    professional, _ = Professional.objects.get_or_create(
        structure=structure,
        first_name=first_name.strip()[:100],
        last_name=last_name.strip()[:100],
        defaults={"profession": profession.strip()[:100]},
    )
    return professional


@transaction.atomic
def slot_add(
    *, structure: Structure, professional: Professional, starts_at: datetime, mode: str, by: Any = None
) -> Slot:
    """A one-hour slot of one of the structure's professionals, to come. `by` (a member of the
    structure) when a person adds it; None for the demo's and the admin's set-up. The same slot
    twice is the same slot."""
    if by is not None and not selectors.is_member(by, structure):
        raise PermissionDenied("Réservé aux comptes de la structure.")
    errors: dict[str, str] = {}
    if professional.structure_id != structure.pk or not professional.active:
        errors["professional"] = "Choisissez un professionnel de la structure."
    if mode not in Slot.Mode.values:
        errors["mode"] = "Choisissez la modalité de la séance."
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if starts_at <= timezone.now():
        errors["starts_at"] = "Un créneau se propose à une date à venir."
    if errors:
        raise ValidationError(errors)
    existing = Slot.objects.filter(professional=professional, starts_at=starts_at).first()
    if existing is not None:
        return existing
    hour = timedelta(minutes=lifecycle.SESSION_MINUTES)
    overlapping = Slot.objects.filter(
        professional=professional, starts_at__gt=starts_at - hour, starts_at__lt=starts_at + hour
    )
    if overlapping.exists():
        raise ValidationError({"starts_at": "Ce professionnel a déjà un créneau dans cette heure."})
    return Slot.objects.create(structure=structure, professional=professional, starts_at=starts_at, mode=mode)


# --- Booking -----------------------------------------------------------------------------------


def lookup_refused(*, by: Any, departement: str) -> None:
    """A numéro allocataire and a name that match no family, tried to book on its behalf: kept in
    the audit log (without what was typed), so that a structure trying numéros shows."""
    audit_record(
        actor=by,
        action="parentalite.reservation",
        object_type="recherche_famille",
        context="numéro allocataire et nom sans correspondance",
        allowed=False,
        departement=departement,
    )


def _booker_role(by: Any, slot: Slot, dossier: Dossier) -> str:
    """The role in which `by` books for this family, or PermissionDenied."""
    role = getattr(by, "role", "")
    if role == lifecycle.PARENT and dossier.pk in own_dossier_ids(by):
        return Booking.OnBehalf.PARENT
    if role == lifecycle.PARTNER and selectors.is_member(by, slot.structure):
        return Booking.OnBehalf.PARTNER
    if role == lifecycle.WORKER and selectors.worker_covers(by, dossier):
        return Booking.OnBehalf.WORKER
    raise PermissionDenied("Vous ne pouvez pas réserver une séance pour cette famille.")


@transaction.atomic
def booking_create(
    *,
    slot: Slot,
    dossier: Dossier,
    by: Any,
    children: list[Person] | None = None,
    consent_on: date | None = None,
) -> Booking:
    """Book `slot` for the family of `dossier`: by the parent, or on their behalf (with their
    consent) by a member of the structure or a social worker of the territory.

    Refused in French, writing nothing: a slot past or already held, a structure of another
    territory or no longer labelled, a sixth session, a child aged 22 or more on the session day
    (or not of the household), no consent for a booking on behalf. `children` None (on behalf):
    every child of the household aged 0–21 that day. The fee is frozen from the household's income
    today and the scale in force on the session day. The same family booking the same slot twice
    gets its booking back."""
    on_behalf = _booker_role(by, slot, dossier)
    locked_slot = Slot.objects.select_for_update().select_related("structure", "professional").get(pk=slot.pk)
    Dossier.objects.select_for_update().filter(pk=dossier.pk).first()  # one booking of a family at a time
    holding = locked_slot.bookings.filter(state__in=lifecycle.HOLDS_SLOT).first()
    if holding is not None:
        if holding.dossier_id == dossier.pk and holding.state == lifecycle.RESERVEE:
            return holding  # the same click twice
        raise ValidationError({"slot": SLOT_TAKEN})
    day = selectors.session_day(locked_slot)
    today = timezone.localdate()
    if locked_slot.starts_at <= timezone.now():
        raise ValidationError({"slot": "Ce créneau est passé : choisissez un créneau à venir."})
    structure = locked_slot.structure
    if structure.departement != dossier.departement:
        raise ValidationError({"slot": "Cette structure n'est pas sur le territoire de la famille."})
    if not structure.labelled_at(day):
        raise ValidationError({"slot": "Cette structure n'est pas labellisée à la date de la séance."})
    refusal = lifecycle.sessions_refusal(selectors.counted_sessions(dossier))
    if refusal:
        raise ValidationError({"slot": refusal})
    if on_behalf != Booking.OnBehalf.PARENT:
        if consent_on is None:
            raise ValidationError(
                {"consent": "Sans l'accord du parent, la séance ne peut pas être réservée pour lui."}
            )
        if consent_on > today:
            raise ValidationError({"consent": "La date de l'accord ne peut pas être dans le futur."})
    household = {p.pk: p for p in selectors.children_of(dossier, today)}
    if children is None:
        chosen = [
            p for p in household.values() if lifecycle.child_refusal(p.first_names, p.birth_date, day) is None
        ]
        if not chosen:
            raise ValidationError(
                {"children": "Aucun enfant de 0 à 21 ans dans le foyer à la date de la séance."}
            )
    else:
        if any(p.pk not in household for p in children):
            raise ValidationError({"children": "Choisissez des enfants de votre foyer."})
        chosen = [household[p.pk] for p in children]
    problems = lifecycle.children_refusals([(p.first_names, p.birth_date) for p in chosen], day)
    if problems:
        raise ValidationError({"children": problems})
    income = selectors.household_income_cents(dossier, today)
    scale = scale_on(day)
    try:
        with transaction.atomic():  # the table's constraint backs the lock (a slot booked once)
            booking = Booking.objects.create(
                dossier=dossier,
                slot=locked_slot,
                booked_by=by,
                on_behalf=on_behalf,
                consent_on=consent_on if on_behalf != Booking.OnBehalf.PARENT else None,
                income_cents=income,
                fee_cents=session_fee_cents(income, scale),
                scale_from=scale.in_force_from,
            )
    except IntegrityError:
        raise ValidationError({"slot": SLOT_TAKEN}) from None
    booking.children.set(chosen)
    _audit(
        by,
        "parentalite.reservation",
        booking,
        f"créneau n° {locked_slot.pk}, réservée par : {Booking.OnBehalf(on_behalf).label.lower()}",
    )
    for user in parent_accounts(dossier):
        notify(
            user=user,
            event=events.SEANCE_RESERVEE,
            ref=f"seance:{booking.pk}",
            fields={"date": selectors.when_fr(locked_slot.starts_at), "lien": _link(booking)},
        )
    return booking


def _link(booking: Booking) -> str:
    return site_link(reverse("parenting:booking", args=[booking.pk]))


def quote(*, slot: Slot, dossier: Dossier) -> dict[str, Any]:
    """What the family would pay for this slot if booked today: the fee, the income used, the
    scale's date (shown before the parent confirms). A read: nothing is written."""
    income = selectors.household_income_cents(dossier, timezone.localdate())
    scale = scale_on(selectors.session_day(slot))
    return {"income_cents": income, "fee_cents": session_fee_cents(income, scale), "scale": scale}


def _canceller_role(by: Any, booking: Booking) -> str:
    role = getattr(by, "role", "")
    if role == lifecycle.PARENT and booking.dossier_id in own_dossier_ids(by):
        return lifecycle.PARENT
    if role == lifecycle.PARTNER and selectors.is_member(by, booking.slot.structure):
        return lifecycle.PARTNER
    if role == lifecycle.WORKER and selectors.worker_covers(by, booking.dossier):
        return lifecycle.WORKER
    raise PermissionDenied("Vous ne pouvez pas annuler cette séance.")


@transaction.atomic
def booking_cancel(*, booking: Booking, by: Any, reason: str = "") -> Booking:
    """Cancel a session not yet started (the parent, the structure or a social worker): the slot
    is free again and the session does not count among the family's five."""
    role = _canceller_role(by, booking)

    def not_started(locked: Booking) -> None:
        if locked.slot.starts_at <= timezone.now():
            raise ValidationError({"action": "Une séance commencée ou passée ne s'annule plus."})

    applied = transition_apply(
        log=BookingTransition,
        subject=booking,
        action="annuler",
        by=by,
        role=role,
        reason=reason.strip()[:500],
        prepare=not_started,
    )
    if applied.entry is not None:
        _audit(
            by,
            "parentalite.annulation",
            applied.subject,
            f"annulée par : {Booking.OnBehalf(role).label.lower()}",
        )
    return applied.subject


@transaction.atomic
def attendance_record(*, booking: Booking, outcome: str, by: Any) -> Booking:
    """The structure records whether the family came (vue), warned (excusée) or did not come
    (absente), once the session has started. Only a member of the structure may."""
    if not selectors.is_member(by, booking.slot.structure):
        raise PermissionDenied("Seule la structure qui reçoit la famille enregistre sa présence.")
    action = lifecycle.ATTENDANCE.get(outcome)
    if action is None:
        raise ValidationError(
            {"outcome": "Choisissez : séance tenue, absence excusée ou absence non excusée."}
        )

    def started(locked: Booking) -> None:
        if locked.slot.starts_at > timezone.now():
            raise ValidationError({"outcome": "Cette séance n'a pas encore eu lieu."})

    applied = transition_apply(
        log=BookingTransition, subject=booking, action=action, by=by, role=lifecycle.PARTNER, prepare=started
    )
    if applied.entry is not None:
        _audit(by, "parentalite.presence", applied.subject, lifecycle.BOOKING.label(outcome))
    return applied.subject


# --- After the fifth session -------------------------------------------------------------------


@transaction.atomic
def orientation_record(
    *,
    dossier: Dossier,
    structure: Structure,
    target: str,
    by: Any,
    partner: Partner | None = None,
    note: str = "",
) -> Orientation:
    """The structure that held the family's sessions records where it goes next, once its fifth
    session was held: a partner of the territory's directory, the Caf's social service, or none.
    Recorded once per family: a second call gives the first orientation back."""
    if not selectors.is_member(by, structure):
        raise PermissionDenied("Seule la structure qui a reçu la famille enregistre l'orientation.")
    if not Booking.objects.filter(dossier=dossier, slot__structure=structure).exists():
        raise PermissionDenied("Cette famille n'a pas de séance dans votre structure.")
    Dossier.objects.select_for_update().filter(pk=dossier.pk).first()  # two posts at once: one orientation
    existing = Orientation.objects.filter(dossier=dossier).first()
    if existing is not None:
        return existing
    refusal = lifecycle.orientation_refusal(selectors.seen_sessions(dossier))
    if refusal:
        raise ValidationError({"target": refusal})
    if target not in lifecycle.ORIENTATIONS:
        raise ValidationError({"target": "Choisissez l'orientation de la famille."})
    if target == lifecycle.TO_PARTNER:
        if (
            partner is None
            or not selectors.territory_partners(dossier.departement).filter(pk=partner.pk).exists()
        ):
            raise ValidationError({"partner": "Choisissez un partenaire actif du territoire."})
    else:
        partner = None
    orientation = Orientation.objects.create(
        dossier=dossier, structure=structure, target=target, partner=partner, note=note.strip()[:300], by=by
    )
    audit_record(
        actor=by,
        action="parentalite.orientation",
        dossier=dossier,
        object_type="orientation_parentalite",
        object_id=orientation.pk,
        context=lifecycle.ORIENTATIONS[target],
    )
    return orientation


# --- Reminders ---------------------------------------------------------------------------------


@transaction.atomic
def reminders_send(*, day: date | None = None) -> int:
    """Remind the parents of each session booked for the day after `day` (today): one e-mail or
    SMS per parent account and session, by their choice, whatever the retries (notify's key). The
    number of notifications made by this run."""
    day = day or timezone.localdate()
    tomorrow = day + timedelta(days=1)
    after = tomorrow + timedelta(days=1)
    local = timezone.get_current_timezone()
    start = datetime.combine(tomorrow, time(), tzinfo=local)
    end = datetime.combine(after, time(), tzinfo=local)  # 23 or 25 h on a DST day
    bookings = (
        Booking.objects.filter(state=lifecycle.RESERVEE, slot__starts_at__gte=start, slot__starts_at__lt=end)
        .select_related("slot", "dossier")
        .order_by("slot__starts_at", "pk")
    )
    made = 0
    for booking in bookings:
        for user in parent_accounts(booking.dossier):
            made += len(
                notify(
                    user=user,
                    event=events.RAPPEL_SEANCE,
                    ref=f"seance:{booking.pk}",
                    fields={"date": selectors.when_fr(booking.slot.starts_at), "lien": _link(booking)},
                )
            )
    return made
