"""Reads of parenting support, each limited to who may see it: a parent's own sessions and the
structures of their territory, a structure's agenda for its accounts, a social worker's territory;
the household's income the fee is computed from; the figures (sessions held, excused, no-shows per
month and structure, families supported)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from parcours.accounts.rules import Perm, has_permission
from parcours.core.dates import MONTHS, date_fr
from parcours.households.access import own_dossier_ids, staff_covers
from parcours.households.models import Dossier, Person, ResourceKind
from parcours.households.selectors import bears_name, household_on
from parcours.social.models import Partner

from . import lifecycle
from .models import Booking, Orientation, Slot, Structure

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
# The mediation scale leaves child support out of the income, received or paid, in a separation
# (Cnaf, barème national, modalités d'application).
NOT_INCOME = frozenset({ResourceKind.PENSION_ALIMENTAIRE_RECUE, ResourceKind.PENSION_ALIMENTAIRE_VERSEE})


def when_fr(moment: datetime) -> str:
    """A session's start as a person reads it: "lundi 14 décembre 2026 à 10 h 00" (in France)."""
    local = timezone.localtime(moment)
    return f"{WEEKDAYS[local.weekday()]} {date_fr(local.date())} à {local:%H} h {local:%M}"


def session_day(slot: Slot) -> date:
    return timezone.localtime(slot.starts_at).date()


# --- The family --------------------------------------------------------------------------------


def household_income_cents(dossier: Dossier, day: date) -> int:
    """The household's monthly income on `day`, in cents: the monthly resources the registry holds
    for its adults, child support received or paid left out (the mediation scale's rule)."""
    state = household_on(dossier, day)
    adults = {m.person.pk for m in state.adults}
    total = sum(
        (
            amount
            for (person_id, kind), amount in state.resources.items()
            if person_id in adults and kind not in NOT_INCOME
        ),
        start=0,
    )
    return round(total * 100)


def family_named(*, numero: str, last_name: str, departement: str, day: date) -> Dossier | None:
    """The dossier of the territory with this numéro allocataire, if one of its adults bears this
    usage or birth name (accents, case and spaces aside): what a structure must both know, the parent in
    front of it, to book for a family — a numéro alone opens nothing."""
    dossier = Dossier.objects.filter(numero_allocataire=numero, departement=departement).first()
    if dossier is None:
        return None
    adults = household_on(dossier, day).adults
    return dossier if any(bears_name(m.person, last_name) for m in adults) else None


def children_of(dossier: Dossier, day: date) -> list[Person]:
    """The children of the household on `day` (the registry's dependants), eldest first."""
    return [m.person for m in household_on(dossier, day).children]


def counted_sessions(dossier: Dossier) -> int:
    """The sessions that use one of the family's five (lifecycle.COUNTED)."""
    return Booking.objects.filter(dossier=dossier, state__in=lifecycle.COUNTED).count()


def seen_sessions(dossier: Dossier) -> int:
    return Booking.objects.filter(dossier=dossier, state=lifecycle.VUE).count()


def parent_dossier(user: Any) -> Dossier | None:
    """The parent's current dossier (the first one, if they are in several)."""
    if getattr(user, "role", "") != lifecycle.PARENT or not getattr(user, "person_id", None):
        return None
    return Dossier.objects.filter(pk__in=own_dossier_ids(user)).order_by("pk").first()


def parent_bookings(user: Any) -> QuerySet[Booking]:
    """The sessions of this parent's own dossiers, and nothing else."""
    if getattr(user, "role", "") != lifecycle.PARENT or not getattr(user, "person_id", None):
        return Booking.objects.none()
    return Booking.objects.filter(dossier_id__in=own_dossier_ids(user))


def structures_of(departement: str, day: date | None = None) -> QuerySet[Structure]:
    """The structures labelled on `day` (today) on a territory."""
    day = day or timezone.localdate()
    return Structure.objects.filter(departement=departement, active=True, labelled_on__lte=day).filter(
        Q(label_until__isnull=True) | Q(label_until__gte=day)
    )


def free_slots(structures: QuerySet[Structure] | list[Structure]) -> QuerySet[Slot]:
    """The slots still to come of these structures that no family holds."""
    return (
        Slot.objects.filter(structure__in=structures, starts_at__gt=timezone.now())
        .exclude(bookings__state__in=lifecycle.HOLDS_SLOT)
        .select_related("structure", "professional")
        .order_by("starts_at", "id")
    )


def slot_is_free(slot: Slot) -> bool:
    return not slot.bookings.filter(state__in=lifecycle.HOLDS_SLOT).exists()


# --- The structure and the Caf -----------------------------------------------------------------


def is_partner(user: Any) -> bool:
    return has_permission(getattr(user, "role", ""), Perm.REFERRALS)


def is_social_worker(user: Any) -> bool:
    return has_permission(getattr(user, "role", ""), Perm.SOCIAL)


def member_structures(user: Any) -> QuerySet[Structure]:
    """The structures this partner account belongs to."""
    if not is_partner(user):
        return Structure.objects.none()
    return Structure.objects.filter(members=user, active=True)


def is_member(user: Any, structure: Structure) -> bool:
    return is_partner(user) and structure.members.filter(pk=user.pk).exists()


def structure_bookings(user: Any) -> QuerySet[Booking]:
    """The sessions held in this partner's structures."""
    return Booking.objects.filter(slot__structure__in=member_structures(user))


def worker_bookings(user: Any) -> QuerySet[Booking]:
    """The sessions of the families of this social worker's territory."""
    if not is_social_worker(user) or not getattr(user, "departement", ""):
        return Booking.objects.none()
    return Booking.objects.filter(dossier__departement=user.departement)


def worker_covers(user: Any, dossier: Dossier) -> bool:
    return is_social_worker(user) and staff_covers(user, dossier.departement)


def territory_partners(departement: str) -> QuerySet[Partner]:
    """The active partners of the territory's directory (social's), to orient a family to."""
    return Partner.objects.filter(departement=departement, active=True).order_by("name")


def orientation_of(dossier: Dossier) -> Orientation | None:
    return Orientation.objects.filter(dossier=dossier).select_related("partner", "structure").first()


# --- Figures -----------------------------------------------------------------------------------


def monthly_figures(departement: str, year: int) -> list[dict[str, Any]]:
    """Per month and structure of the territory: the sessions held, excused and no-shows (by the
    session's month), and the families seen at least once that month. Counts only, no person."""
    rows = (
        Booking.objects.filter(slot__structure__departement=departement, slot__starts_at__year=year)
        .annotate(month=TruncMonth("slot__starts_at"))
        .values("month", "slot__structure", "slot__structure__name")
        .annotate(
            held=Count("pk", filter=Q(state=lifecycle.VUE)),
            excused=Count("pk", filter=Q(state=lifecycle.EXCUSEE)),
            no_show=Count("pk", filter=Q(state=lifecycle.ABSENTE)),
            families=Count("dossier", filter=Q(state=lifecycle.VUE), distinct=True),
        )
        .order_by("month", "slot__structure__name")
    )
    out = []
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        out.append(
            {
                "month": month,
                "month_label": f"{MONTHS[month.month - 1]} {month.year}",
                "structure": row["slot__structure__name"],
                "structure_id": row["slot__structure"],
                "held": row["held"],
                "excused": row["excused"],
                "no_show": row["no_show"],
                "families": row["families"],
            }
        )
    return out


def yearly_figures(departement: str, year: int) -> dict[str, Any]:
    """The year's totals on a territory: sessions by outcome, families supported (at least one
    session held), families who used all five, orientations recorded."""
    bookings = Booking.objects.filter(slot__structure__departement=departement, slot__starts_at__year=year)
    totals = bookings.aggregate(
        held=Count("pk", filter=Q(state=lifecycle.VUE)),
        excused=Count("pk", filter=Q(state=lifecycle.EXCUSEE)),
        no_show=Count("pk", filter=Q(state=lifecycle.ABSENTE)),
        cancelled=Count("pk", filter=Q(state=lifecycle.ANNULEE)),
        booked=Count("pk", filter=Q(state=lifecycle.RESERVEE)),
    )
    families = bookings.filter(state=lifecycle.VUE).values("dossier").distinct().count()
    full = (
        bookings.filter(state=lifecycle.VUE)
        .values("dossier")
        .annotate(n=Count("pk"))
        .filter(n__gte=lifecycle.MAX_SESSIONS)
        .count()
    )
    orientations = Orientation.objects.filter(structure__departement=departement, at__year=year).count()
    return {"year": year, **totals, "families": families, "full": full, "orientations": orientations}
