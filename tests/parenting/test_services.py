"""Parenting support through its services: a parent books with the fee frozen from the registry's
income, the refusals (sixth session, child aged 22, slot taken, structure of another territory,
past slot, no consent) are French and write nothing, the attendance belongs to the structure,
the reminder goes once, the orientation follows the fifth session, and the .ics is RFC 5545."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from parcours.accounts.models import AuditEntry
from parcours.core.transitions import replayed_state
from parcours.households import services as registry
from parcours.notifications import events
from parcours.notifications.models import Notification
from parcours.parenting import lifecycle, selectors, services
from parcours.parenting.ics import event_calendar
from parcours.parenting.models import Booking, BookingTransition, Orientation
from tests.factories.accounts import UserFactory
from tests.factories.households import PersonFactory, household
from tests.factories.parenting import (
    ProfessionalFactory,
    SlotFactory,
    StructureFactory,
    book,
    clock_at,
    five_seen,
    held,
    next_days,
    parent_of,
)
from tests.factories.social import PartnerFactory

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_a_parent_books_a_session_with_the_fee_from_the_registry_s_income_and_is_told():
    slot = SlotFactory()
    dossier = household(salary=Decimal("1500.00"))
    parent = parent_of(dossier)
    child = selectors.children_of(dossier, timezone.localdate())[0]
    booking = services.booking_create(slot=slot, dossier=dossier, by=parent, children=[child])
    # 1 500 € a month: 5 € + 0,3 % × 1 500 = 9,50 €, rounded to 10 €.
    assert (booking.income_cents, booking.fee_cents, booking.state) == (150000, 1000, lifecycle.RESERVEE)
    assert booking.on_behalf == Booking.OnBehalf.PARENT and list(booking.children.all()) == [child]
    assert booking.scale_from == date(2010, 1, 1)
    notification = Notification.objects.get(user=parent)
    assert notification.event == events.SEANCE_RESERVEE and notification.key.startswith(
        f"seance_reservee:seance:{booking.pk}"
    )
    entry = AuditEntry.objects.get(action="parentalite.reservation")
    assert (entry.actor, entry.dossier, entry.object_id) == (parent, dossier, str(booking.pk))
    # The same click twice: the same booking, nothing more.
    assert services.booking_create(slot=slot, dossier=dossier, by=parent, children=[child]) == booking
    assert Booking.objects.count() == 1


def test_the_fee_stays_as_booked_when_the_income_changes_later():
    slot = SlotFactory()
    dossier = household(salary=Decimal("1500.00"))
    booking = book(slot, dossier)
    from tests.factories.households import allocataire

    registry.resource_set(
        dossier=dossier,
        person=allocataire(dossier),
        kind="salaire_net",
        valid_from=timezone.localdate(),
        monthly_amount=Decimal("6000.00"),
    )
    booking.refresh_from_db()
    assert booking.fee_cents == 1000
    assert book(SlotFactory(), dossier).fee_cents == 11300  # 5 + 1,8 % × 6 000 = 113 €


def test_a_household_at_or_below_the_rsa_de_base_pays_nothing():
    booking = book(SlotFactory(), household(salary=Decimal("500.00"), couple=False))
    assert (booking.income_cents, booking.fee_cents) == (50000, 0)


def test_child_support_is_left_out_of_the_income():
    dossier = household(salary=Decimal("1200.00"), couple=False)
    from tests.factories.households import allocataire

    registry.resource_set(
        dossier=dossier,
        person=allocataire(dossier),
        kind="pensions_alimentaires_percues",
        valid_from=date(2020, 1, 1),
        monthly_amount=Decimal("400.00"),
    )
    assert selectors.household_income_cents(dossier, timezone.localdate()) == 120000


def test_a_sixth_session_is_refused_in_french_and_nothing_is_written():
    professional = ProfessionalFactory()
    dossier = household()
    for day in range(1, 6):
        book(SlotFactory(professional=professional, starts_at=next_days(day)), dossier)
    sixth = SlotFactory(professional=professional, starts_at=next_days(6))
    before = (Booking.objects.count(), AuditEntry.objects.count(), Notification.objects.count())
    with pytest.raises(ValidationError) as refused:
        book(sixth, dossier)
    assert "une sixième séance n'est pas possible" in messages(refused.value)
    assert (Booking.objects.count(), AuditEntry.objects.count(), Notification.objects.count()) == before
    assert selectors.slot_is_free(sixth)


def test_a_cancelled_or_excused_session_frees_its_place_among_the_five_but_a_no_show_does_not():
    professional = ProfessionalFactory(structure=StructureFactory(with_account=True))
    dossier = household()
    bookings = [
        book(SlotFactory(professional=professional, starts_at=next_days(d)), dossier) for d in range(1, 6)
    ]
    services.booking_cancel(booking=bookings[0], by=parent_of(dossier))
    held(bookings[1], lifecycle.EXCUSEE)
    held(bookings[2], lifecycle.ABSENTE)
    assert selectors.counted_sessions(dossier) == 3
    book(SlotFactory(professional=professional, starts_at=next_days(10)), dossier)
    book(SlotFactory(professional=professional, starts_at=next_days(11)), dossier)
    with pytest.raises(ValidationError):
        book(SlotFactory(professional=professional, starts_at=next_days(12)), dossier)
    # The cancelled slot is free again for another family.
    assert book(bookings[0].slot).dossier != dossier


def test_a_child_aged_22_on_the_session_day_is_refused():
    dossier = household(children=0)
    elder = PersonFactory(first_names="Lucas", birth_date=date(2004, 1, 5))
    registry.member_add(dossier=dossier, person=elder, role="enfant", valid_from=date(2020, 1, 1))
    young = PersonFactory(first_names="Emma", birth_date=date(2015, 6, 1))
    registry.member_add(dossier=dossier, person=young, role="enfant", valid_from=date(2020, 1, 1))
    slot = SlotFactory()
    with pytest.raises(ValidationError) as refused:
        book(slot, dossier, children=[elder, young])
    assert "Lucas aura 22 ans le jour de la séance" in messages(refused.value)
    assert "de 0 à 21 ans" in messages(refused.value)
    assert not Booking.objects.exists()
    assert list(book(slot, dossier, children=[young]).children.all()) == [young]


def test_a_child_of_another_household_or_none_is_refused():
    slot, dossier = SlotFactory(), household()
    with pytest.raises(ValidationError) as refused:
        book(slot, dossier, children=[PersonFactory(child=True)])
    assert "enfants de votre foyer" in messages(refused.value)
    with pytest.raises(ValidationError) as refused:
        book(slot, dossier, children=[])
    assert "au moins un enfant" in messages(refused.value)


def test_a_slot_is_booked_once():
    slot = SlotFactory()
    book(slot)
    with pytest.raises(ValidationError) as refused:
        book(slot)
    assert "vient d'être réservé par une autre famille" in messages(refused.value)
    assert Booking.objects.filter(slot=slot).count() == 1


def test_a_past_slot_another_territory_or_an_expired_label_is_refused():
    slot = SlotFactory()
    with pytest.raises(ValidationError) as refused:
        book(slot, household(departement="33"))
    assert "pas sur le territoire" in messages(refused.value)
    with clock_at(slot.ends_at), pytest.raises(ValidationError) as refused:
        book(slot)
    assert "Ce créneau est passé" in messages(refused.value)
    expired = SlotFactory(professional=ProfessionalFactory(structure=StructureFactory(expired=True)))
    with pytest.raises(ValidationError) as refused:
        book(expired)
    assert "pas labellisée" in messages(refused.value)
    assert not Booking.objects.exists()


def test_a_parent_books_only_for_their_own_family():
    slot, dossier = SlotFactory(), household()
    with pytest.raises(PermissionDenied):
        book(slot, dossier, by=parent_of(household()))
    with pytest.raises(PermissionDenied):
        book(slot, dossier, by=UserFactory(agent=True))


def test_a_structure_books_on_the_parent_s_behalf_only_with_consent_and_in_its_own_slots():
    structure = StructureFactory(with_account=True)
    member = structure.members.get()
    slot = SlotFactory(professional=ProfessionalFactory(structure=structure))
    dossier = household()
    parent = parent_of(dossier)
    with pytest.raises(ValidationError) as refused:
        services.booking_create(slot=slot, dossier=dossier, by=member)
    assert "Sans l'accord du parent" in messages(refused.value)
    booking = services.booking_create(slot=slot, dossier=dossier, by=member, consent_on=timezone.localdate())
    assert booking.on_behalf == Booking.OnBehalf.PARTNER and booking.children.count() == 2
    assert Notification.objects.filter(user=parent, event=events.SEANCE_RESERVEE).exists()
    other = SlotFactory()
    with pytest.raises(PermissionDenied):
        services.booking_create(slot=other, dossier=household(), by=member, consent_on=timezone.localdate())


def test_a_social_worker_books_for_a_family_of_their_territory_only():
    worker = UserFactory(social=True, departement="91")
    booking = services.booking_create(
        slot=SlotFactory(), dossier=household(), by=worker, consent_on=timezone.localdate()
    )
    assert booking.on_behalf == Booking.OnBehalf.WORKER
    with pytest.raises(PermissionDenied):
        services.booking_create(
            slot=SlotFactory(),
            dossier=household(),
            by=UserFactory(social=True, departement="33"),
            consent_on=timezone.localdate(),
        )


def test_the_attendance_is_recorded_by_a_member_of_the_structure_once_the_session_started():
    structure = StructureFactory(with_account=True)
    member = structure.members.get()
    booking = book(SlotFactory(professional=ProfessionalFactory(structure=structure)))
    with pytest.raises(PermissionDenied):
        services.attendance_record(booking=booking, outcome=lifecycle.VUE, by=UserFactory(partner=True))
    with pytest.raises(PermissionDenied):
        services.attendance_record(booking=booking, outcome=lifecycle.VUE, by=UserFactory(social=True))
    with pytest.raises(ValidationError) as refused:
        services.attendance_record(booking=booking, outcome=lifecycle.VUE, by=member)
    assert "pas encore eu lieu" in messages(refused.value)
    with clock_at(booking.slot.ends_at):
        with pytest.raises(ValidationError):
            services.attendance_record(booking=booking, outcome="annulee", by=member)
        seen = services.attendance_record(booking=booking, outcome=lifecycle.VUE, by=member)
        again = services.attendance_record(booking=booking, outcome=lifecycle.VUE, by=member)
        with pytest.raises(ValidationError):
            services.attendance_record(booking=booking, outcome=lifecycle.ABSENTE, by=member)
    assert seen.state == again.state == lifecycle.VUE
    assert BookingTransition.objects.filter(booking=booking).count() == 1
    assert replayed_state(BookingTransition, booking) == lifecycle.VUE
    assert AuditEntry.objects.filter(action="parentalite.presence", actor=member).count() == 1


def test_a_session_is_cancelled_before_it_starts_only():
    booking = book(SlotFactory())
    parent = parent_of(booking.dossier)
    with clock_at(booking.slot.starts_at), pytest.raises(ValidationError) as refused:
        services.booking_cancel(booking=booking, by=parent)
    assert "ne s'annule plus" in messages(refused.value)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(booking=booking, by=parent_of(household()))
    cancelled = services.booking_cancel(booking=booking, by=parent, reason="Enfant malade")
    assert cancelled.state == lifecycle.ANNULEE
    assert AuditEntry.objects.filter(action="parentalite.annulation").count() == 1


def test_the_reminder_goes_the_day_before_once(django_capture_on_commit_callbacks):
    tomorrow = book(SlotFactory(starts_at=next_days(1, 9)))
    later = book(SlotFactory(starts_at=next_days(2, 9)))
    cancelled = book(SlotFactory(starts_at=next_days(1, 15)))
    services.booking_cancel(booking=cancelled, by=parent_of(cancelled.dossier))
    assert services.reminders_send(day=timezone.localdate()) == 1
    assert services.reminders_send(day=timezone.localdate()) == 0
    reminders = Notification.objects.filter(event=events.RAPPEL_SEANCE)
    assert [n.user for n in reminders] == [parent_of(tomorrow.dossier)]
    assert "demain" in reminders.get().subject
    out = StringIO()
    call_command(
        "parenting", "remind", "--date", (timezone.localdate() + timedelta(days=1)).isoformat(), stdout=out
    )
    assert out.getvalue().startswith("1 rappel(s)")
    assert Notification.objects.filter(event=events.RAPPEL_SEANCE, user=parent_of(later.dossier)).count() == 1


def test_the_orientation_follows_the_fifth_session_held():
    structure = StructureFactory(with_account=True)
    member = structure.members.get()
    dossier = household()
    first = book(SlotFactory(professional=ProfessionalFactory(structure=structure)), dossier)
    held(first)
    with pytest.raises(ValidationError) as refused:
        services.orientation_record(
            dossier=dossier, structure=structure, target=lifecycle.TO_CAF_SOCIAL, by=member
        )
    assert "après la 5e séance tenue" in messages(refused.value)

    dossier, _ = five_seen(structure)
    partner = PartnerFactory(departement="91")
    with pytest.raises(PermissionDenied):
        services.orientation_record(
            dossier=dossier, structure=structure, target=lifecycle.TO_PARTNER, by=UserFactory(partner=True)
        )
    with pytest.raises(ValidationError):
        services.orientation_record(
            dossier=dossier, structure=structure, target=lifecycle.TO_PARTNER, by=member
        )
    orientation = services.orientation_record(
        dossier=dossier, structure=structure, target=lifecycle.TO_PARTNER, partner=partner, by=member
    )
    assert orientation.partner == partner
    again = services.orientation_record(
        dossier=dossier, structure=structure, target=lifecycle.TO_NONE, by=member
    )
    assert again == orientation and Orientation.objects.count() == 1
    assert AuditEntry.objects.filter(action="parentalite.orientation").count() == 1


def test_the_ics_is_rfc_5545_with_the_session_s_times_in_utc():
    slot = SlotFactory(starts_at=next_days(3, 14))
    booking = book(slot)
    body = event_calendar(
        uid=f"seance-{booking.pk}@parcours.caf.fr",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary="Séance de soutien à la parentalité",
        location="Maison des parents, 3 place des Droits de l'Homme, 91000 Évry-Courcouronnes ; accès par la cour",
        stamp=booking.created_at,
    )
    text = body.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    unfolded = text.replace("\r\n ", "").split("\r\n")
    assert unfolded[0] == "BEGIN:VCALENDAR" and "END:VCALENDAR" in unfolded
    props = dict(line.split(":", 1) for line in unfolded if ":" in line)
    utc = slot.starts_at.astimezone(UTC)
    assert props["DTSTART"] == f"{utc:%Y%m%dT%H%M%S}Z"
    assert props["DTEND"] == f"{utc + timedelta(hours=1):%Y%m%dT%H%M%S}Z"
    assert props["SUMMARY"] == "Séance de soutien à la parentalité"
    assert "\\;" in props["LOCATION"] and "\\," in props["LOCATION"]
    assert props["UID"] == f"seance-{booking.pk}@parcours.caf.fr" and "DTSTAMP" in props
    # 14:00 in France is 13:00 UTC in winter, 12:00 in summer.
    local_hour = timezone.localtime(slot.starts_at).hour
    assert local_hour == 14 and utc.hour in (12, 13)


def test_the_figures_count_sessions_per_month_and_structure():
    structure = StructureFactory(with_account=True)
    professional = ProfessionalFactory(structure=structure)
    a, b = household(), household()
    held(book(SlotFactory(professional=professional, starts_at=next_days(1)), a))
    held(book(SlotFactory(professional=professional, starts_at=next_days(2)), b), lifecycle.ABSENTE)
    held(book(SlotFactory(professional=professional, starts_at=next_days(3)), a), lifecycle.EXCUSEE)
    year = (timezone.localdate() + timedelta(days=1)).year
    rows = selectors.monthly_figures("91", year) + selectors.monthly_figures("91", year + 1)
    assert sum(r["held"] for r in rows) == 1 and sum(r["no_show"] for r in rows) == 1
    assert sum(r["excused"] for r in rows) == 1 and all(r["structure"] == structure.name for r in rows)
    totals = selectors.yearly_figures("91", year)
    assert totals["families"] + selectors.yearly_figures("91", year + 1)["families"] == 1
