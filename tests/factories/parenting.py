"""Parenting support: labelled structures (with a partner account), professionals, one-hour slots,
sessions booked by a parent, their logged moves, and the orientation after the fifth session; all
through parenting.services. A session in the past is booked before it, under a moved clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import factory
from django.utils import timezone

from parcours.parenting import lifecycle, services
from parcours.parenting.models import Booking, BookingTransition, Orientation, Professional, Slot, Structure

from .accounts import UserFactory
from .households import allocataire, household


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Every service reads `moment` as now (timezone.localdate() goes through timezone.now())."""
    real = timezone.now
    timezone.now = lambda: moment  # type: ignore[assignment]
    try:
        yield
    finally:
        timezone.now = real  # type: ignore[assignment]


def local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """`day` at `hour` in France."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def next_days(days: int = 1, hour: int = 10) -> datetime:
    return local(timezone.localdate() + timedelta(days=days), hour)


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    departement = "91"
    name = factory.Sequence(lambda n: f"Maison des parents d'Évry {n}")
    address = "3 place des Droits de l'Homme"
    commune = "Évry-Courcouronnes"
    labelled_on = date(2024, 1, 1)

    class Params:
        with_account = factory.Trait(
            members=factory.PostGeneration(
                lambda obj, create, extracted, **kw: (
                    services.member_add(structure=obj, user=UserFactory(partner=True)) if create else None
                )
            )
        )
        expired = factory.Trait(labelled_on=date(2020, 1, 1), label_until=date(2021, 12, 31))

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.structure_create(**kwargs)


class ProfessionalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Professional

    structure = factory.SubFactory(StructureFactory)
    first_name = "Claire"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    profession = "Psychologue"

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.professional_add(**kwargs)


_hours = iter(range(10**6))


def _next_start(n: int) -> datetime:
    return next_days(1 + n % 300, 8 + n % 10)


class SlotFactory(factory.django.DjangoModelFactory):
    """A one-hour slot to come (each one a day later than the last, at 10:00 in France)."""

    class Meta:
        model = Slot

    professional = factory.SubFactory(ProfessionalFactory)
    structure = factory.LazyAttribute(lambda o: o.professional.structure)
    starts_at = factory.LazyFunction(lambda: _next_start(next(_hours)))
    mode = Slot.Mode.ON_SITE

    class Params:
        video = factory.Trait(mode=Slot.Mode.VIDEO)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.slot_add(**kwargs)


def parent_of(dossier):  # type: ignore[no-untyped-def]
    """The allocataire's account (made once)."""
    from parcours.accounts.models import User

    person = allocataire(dossier)
    return User.objects.filter(person=person).first() or UserFactory(person=person)


def book(slot: Slot, dossier=None, *, by=None, children=None) -> Booking:  # type: ignore[no-untyped-def]
    """The slot booked by the family's parent (a new household of the slot's territory by default)."""
    dossier = dossier or household(departement=slot.structure.departement)
    by = by or parent_of(dossier)
    if children is None:
        from parcours.parenting.selectors import children_of

        children = children_of(dossier, timezone.localdate())[:1]
    return services.booking_create(slot=slot, dossier=dossier, by=by, children=children)


def held(booking: Booking, outcome: str = lifecycle.VUE) -> Booking:
    """The session over, its attendance recorded by the structure (an hour after it ended)."""
    member = booking.slot.structure.members.order_by("pk").first() or UserFactory(partner=True)
    services.member_add(structure=booking.slot.structure, user=member)
    with clock_at(booking.slot.ends_at + timedelta(hours=1)):
        return services.attendance_record(booking=booking, outcome=outcome, by=member)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    slot = factory.SubFactory(SlotFactory)
    outcome = None  # the attendance recorded after the session, if any

    class Params:
        seen = factory.Trait(outcome=lifecycle.VUE)
        no_show = factory.Trait(outcome=lifecycle.ABSENTE)

    @classmethod
    def _create(cls, model_class, *, slot, outcome=None):
        booking = book(slot)
        return held(booking, outcome) if outcome else booking


class BookingTransitionFactory(factory.django.DjangoModelFactory):
    """A session the parent cancelled: its "annuler" move."""

    class Meta:
        model = BookingTransition

    @classmethod
    def _create(cls, model_class, **kwargs):
        booking = BookingFactory()
        services.booking_cancel(booking=booking, by=parent_of(booking.dossier), reason="Empêchement")
        return BookingTransition.objects.filter(booking=booking).latest("id")


def five_seen(structure: Structure | None = None, dossier=None):  # type: ignore[no-untyped-def]
    """A family whose five sessions at `structure` were held: (dossier, its last booking)."""
    structure = structure or StructureFactory(with_account=True)
    professional = ProfessionalFactory(structure=structure)
    dossier = dossier or household(departement=structure.departement)
    last = None
    for week in range(5):
        slot = SlotFactory(professional=professional, starts_at=next_days(7 * week + 1, 10))
        last = book(slot, dossier)
    bookings = Booking.objects.filter(dossier=dossier).order_by("slot__starts_at")
    for booking in bookings:
        held(booking)
    return dossier, last


class OrientationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Orientation

    @classmethod
    def _create(cls, model_class, **kwargs):
        dossier, last = five_seen()
        structure = last.slot.structure
        with clock_at(last.slot.ends_at + timedelta(days=1)):
            return services.orientation_record(
                dossier=dossier,
                structure=structure,
                target=lifecycle.TO_CAF_SOCIAL,
                by=structure.members.order_by("pk").first(),
                note="Accompagnement social proposé",
            )
