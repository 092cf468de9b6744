"""The demo's year of parenting support: played through the services (at most five sessions a
family, the fee frozen from the registry's income, the attendance recorded by the structure), the
demo parent's sessions in their space, free slots to book, and a second run changing nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.accounts.models import User
from parcours.core.transitions import replayed_state
from parcours.demo.parenting import parenting_demo
from parcours.parenting import lifecycle, selectors
from parcours.parenting.fees import scale_on, session_fee_cents
from parcours.parenting.models import Booking, BookingTransition, Orientation, Slot, Structure

from .conftest import load

pytestmark = pytest.mark.django_db


def test_a_year_of_parenting_sessions_through_the_services():
    output = load(1500, seed=5, no_social=False)
    assert "soutien à la parentalité sur un an" in output

    assert Structure.objects.filter(departement="91").count() == 3
    partner = User.objects.get(username="partenaire")
    assert selectors.member_structures(partner).get().name == "Maison des familles d'Évry"

    bookings = Booking.objects.select_related("slot")
    families = bookings.values("dossier").distinct().count()
    assert families >= 4  # 3 per 1 000 households over the year, the demo parent among them
    for dossier_id in bookings.values_list("dossier", flat=True).distinct():
        assert bookings.filter(dossier_id=dossier_id, state__in=lifecycle.COUNTED).count() <= 5
    for booking in bookings:
        assert replayed_state(BookingTransition, booking) == booking.state
        assert booking.fee_cents == session_fee_cents(
            booking.income_cents, scale_on(booking.slot.starts_at.date())
        )
        if booking.slot.starts_at < timezone.now() - timedelta(days=2):
            assert booking.state != lifecycle.RESERVEE  # every past session has its attendance
    assert bookings.filter(state=lifecycle.VUE).count() > bookings.filter(state=lifecycle.ABSENTE).count()
    assert bookings.exclude(on_behalf=Booking.OnBehalf.PARENT).exists()
    for orientation in Orientation.objects.all():
        assert bookings.filter(dossier=orientation.dossier, state=lifecycle.VUE).count() == 5

    # The demo parent: a session held, one to come, booked by themselves; free slots to book.
    parent = User.objects.get(username="parent")
    own = selectors.parent_bookings(parent)
    assert {b.state for b in own} == {lifecycle.VUE, lifecycle.RESERVEE}
    assert {b.on_behalf for b in own} == {Booking.OnBehalf.PARENT}
    assert selectors.free_slots(Structure.objects.all()).count() > 50

    before = (Booking.objects.count(), Slot.objects.count(), Orientation.objects.count())
    assert parenting_demo(reference=None, seed=5) == {"familles": 0}  # type: ignore[arg-type]
    assert (Booking.objects.count(), Slot.objects.count(), Orientation.objects.count()) == before
