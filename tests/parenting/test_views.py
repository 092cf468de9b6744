"""Parenting support's pages: each renders for its role, a parent sees the fee before confirming
and only their own sessions (404 otherwise, .ics included), the forms' French refusals change
nothing, a structure records the attendance of its own sessions only, and no input gives a 500."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.accounts.models import AuditEntry
from parcours.parenting import lifecycle
from parcours.parenting.models import Booking, Slot
from tests.accounts.helpers import sign_in_verified
from tests.factories.accounts import UserFactory
from tests.factories.households import allocataire, household
from tests.factories.parenting import (
    ProfessionalFactory,
    SlotFactory,
    StructureFactory,
    book,
    clock_at,
    next_days,
    parent_of,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


def test_a_parent_sees_the_structures_and_free_slots_then_the_fee_before_confirming(client):
    slot = SlotFactory()
    taken = SlotFactory(professional=slot.professional, starts_at=slot.starts_at + timedelta(days=1))
    book(taken)
    dossier = household()
    parent = parent_of(dossier)
    sign_in_verified(client, parent)
    home = text(client.get("/parentalite/"))
    assert "Soutien à la parentalité" in home and slot.structure.name in home
    assert f"/parentalite/creneaux/{slot.pk}/" in home and f"/parentalite/creneaux/{taken.pk}/" not in home
    page = client.get(f"/parentalite/creneaux/{slot.pk}/")
    assert page.status_code == 200
    assert "Participation pour cette séance : <strong>10,00 €</strong>" in text(page)  # 1 500 € a month
    child = dossier.memberships.filter(role="enfant").first().person
    response = client.post(f"/parentalite/creneaux/{slot.pk}/", {"children": [str(child.pk)]})
    booking = Booking.objects.get(dossier=dossier)
    assert response.status_code == 302 and response["Location"] == f"/parentalite/seances/{booking.pk}/"
    detail = text(client.get(response["Location"]))
    assert "10,00 €" in detail and "Ajouter à mon agenda (.ics)" in detail and "Annuler la séance" in detail
    space = text(client.get("/"))
    assert "Soutien à la parentalité" in space and "10,00 €" in space


def test_the_booking_form_refuses_in_french_and_writes_nothing(client):
    slot = SlotFactory()
    dossier = household()
    sign_in_verified(client, parent_of(dossier))
    page = text(client.post(f"/parentalite/creneaux/{slot.pk}/", {}, follow=True))
    assert "Choisissez au moins un enfant concerné par la séance." in page
    page = text(client.post(f"/parentalite/creneaux/{slot.pk}/", {"children": ["999999"]}, follow=True))
    assert "Choisissez des enfants de votre foyer." in page
    assert not Booking.objects.exists()


def test_a_parent_gets_404_for_another_family_s_session_its_ics_and_its_cancellation(client):
    booking = book(SlotFactory())
    sign_in_verified(client, parent_of(household()))
    for url in (f"/parentalite/seances/{booking.pk}/", f"/parentalite/seances/{booking.pk}/rendez-vous.ics"):
        assert client.get(url).status_code == 404
    assert client.post(f"/parentalite/seances/{booking.pk}/annuler/").status_code == 404
    booking.refresh_from_db()
    assert booking.state == lifecycle.RESERVEE
    assert client.get("/parentalite/creneaux/99999999/").status_code == 404
    assert client.get("/parentalite/seances/99999999/").status_code == 404


def test_the_parent_downloads_the_ics_and_cancels(client):
    booking = book(SlotFactory())
    sign_in_verified(client, parent_of(booking.dossier))
    ics = client.get(f"/parentalite/seances/{booking.pk}/rendez-vous.ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and f"UID:seance-{booking.pk}@parcours.caf.fr" in body
    client.post(f"/parentalite/seances/{booking.pk}/annuler/", {"reason": "Empêchement"})
    booking.refresh_from_db()
    assert booking.state == lifecycle.ANNULEE


def test_a_structure_sees_its_agenda_records_the_attendance_and_404_for_another_structure(client):
    structure = StructureFactory(with_account=True)
    member = structure.members.get()
    professional = ProfessionalFactory(structure=structure)
    with clock_at(timezone.now() - timedelta(days=2)):  # booked two days ago for yesterday
        mine = book(SlotFactory(professional=professional, starts_at=next_days(1)))
    other = book(SlotFactory())
    sign_in_verified(client, member)
    assert client.get("/parentalite/").status_code == 302
    agenda = text(client.get("/parentalite/structure/"))
    assert "Agenda de la structure" in agenda and f"/parentalite/seances/{mine.pk}/" in agenda
    assert f"/parentalite/seances/{other.pk}/" not in agenda
    assert client.get(f"/parentalite/seances/{other.pk}/").status_code == 404
    assert client.post(f"/parentalite/seances/{other.pk}/presence/", {"outcome": "vue"}).status_code == 404
    assert client.get(f"/parentalite/seances/{mine.pk}/").status_code == 200
    assert AuditEntry.objects.filter(actor=member, action="dossier.read", dossier=mine.dossier).exists()
    page = text(client.post(f"/parentalite/seances/{mine.pk}/presence/", {"outcome": "rien"}, follow=True))
    assert "Choisissez : séance tenue" in page
    client.post(f"/parentalite/seances/{mine.pk}/presence/", {"outcome": "vue"})
    mine.refresh_from_db()
    assert mine.state == lifecycle.VUE


def test_a_structure_opens_a_slot_and_a_bad_date_is_refused_in_french(client):
    structure = StructureFactory(with_account=True)
    professional = ProfessionalFactory(structure=structure)
    sign_in_verified(client, structure.members.get())
    url = f"/parentalite/structure/{structure.pk}/creneaux/"
    prefix = f"s{structure.pk}"
    for bad in ("demain", "2026-13-45T10:00", "99999-01-01T10:00", ""):
        page = text(
            client.post(
                url,
                {
                    f"{prefix}-professional": professional.pk,
                    f"{prefix}-starts_at": bad,
                    f"{prefix}-mode": "sur_place",
                },
                follow=True,
            )
        )
        assert "Indiquez" in page
    page = text(
        client.post(
            url,
            {
                f"{prefix}-professional": "abc",
                f"{prefix}-starts_at": "2030-01-01T10:00",
                f"{prefix}-mode": "x",
            },
            follow=True,
        )
    )
    assert "Choisissez" in page
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page = text(
        client.post(
            url,
            {
                f"{prefix}-professional": professional.pk,
                f"{prefix}-starts_at": f"{yesterday}T10:00",
                f"{prefix}-mode": "sur_place",
            },
            follow=True,
        )
    )
    assert "date à venir" in page
    assert not Slot.objects.exists()
    when = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.post(
        url,
        {
            f"{prefix}-professional": professional.pk,
            f"{prefix}-starts_at": f"{when}T10:00",
            f"{prefix}-mode": "visio",
        },
    )
    assert Slot.objects.get().mode == Slot.Mode.VIDEO
    assert client.post("/parentalite/structure/99999/creneaux/", {}).status_code == 404


def test_a_social_worker_books_for_a_family_with_consent(client):
    slot = SlotFactory()
    dossier = household()
    name = allocataire(dossier).last_name
    worker = UserFactory(social=True)
    sign_in_verified(client, worker)
    assert client.get("/parentalite/pour-une-famille/").status_code == 200
    page = text(
        client.post(
            "/parentalite/pour-une-famille/",
            {"numero_allocataire": dossier.numero_allocataire, "slot": slot.pk},
            follow=True,
        )
    )
    assert "Sans l'accord du parent" in page
    page = text(
        client.post(
            "/parentalite/pour-une-famille/",
            {"numero_allocataire": "12", "slot": "x", "consent": "on"},
            follow=True,
        )
    )
    assert "7 chiffres" in page
    page = text(
        client.post(
            "/parentalite/pour-une-famille/",
            {"numero_allocataire": "9999999", "last_name": name, "slot": slot.pk, "consent": "on"},
            follow=True,
        )
    )
    assert "Aucune famille du territoire ne correspond" in page
    assert not Booking.objects.exists()
    response = client.post(
        "/parentalite/pour-une-famille/",
        {
            "numero_allocataire": dossier.numero_allocataire,
            "last_name": f"  {name.upper()} ",  # as typed: case and spaces aside
            "slot": slot.pk,
            "consent": "on",
        },
    )
    booking = Booking.objects.get()
    assert response["Location"] == f"/parentalite/seances/{booking.pk}/"
    assert booking.on_behalf == Booking.OnBehalf.WORKER and booking.booked_by == worker
    assert client.get(response["Location"]).status_code == 200


def test_a_structure_needs_the_parent_s_name_with_the_numero_and_a_miss_is_audited(client):
    structure = StructureFactory(with_account=True)
    slot = SlotFactory(professional=ProfessionalFactory(structure=structure))
    dossier = household()
    person = allocataire(dossier)
    # Names no factory draws, so that "not in the page" cannot be spoiled by a professional's name.
    person.last_name, person.first_names = "Quennehen", "Anatole Éloi"
    person.save(update_fields=["last_name", "first_names"])
    sign_in_verified(client, structure.members.get())
    for name in ("Dupont-Inconnu", ""):
        response = client.post(
            "/parentalite/pour-une-famille/",
            {
                "numero_allocataire": dossier.numero_allocataire,
                "last_name": name,
                "slot": slot.pk,
                "consent": "on",
            },
            follow=True,
        )
        body = text(response)
        assert person.last_name not in body and person.first_names not in body
    assert "Aucune famille du territoire ne correspond" in body or "Indiquez le nom" in body
    assert not Booking.objects.exists()
    misses = AuditEntry.objects.filter(object_type="recherche_famille", allowed=False)
    assert misses.count() == 1 and dossier.numero_allocataire not in misses.get().context

    client.post(
        "/parentalite/pour-une-famille/",
        {
            "numero_allocataire": dossier.numero_allocataire,
            "last_name": person.last_name,
            "slot": slot.pk,
            "consent": "on",
        },
    )
    assert Booking.objects.get().on_behalf == Booking.OnBehalf.PARTNER


@pytest.mark.parametrize("role", ["agent", "manager", "aripa"])
def test_other_roles_are_refused(client, role):
    booking = book(SlotFactory())
    sign_in_verified(client, UserFactory(**{role: True}))
    assert client.get("/parentalite/").status_code == 403
    assert client.get("/parentalite/structure/").status_code == 403
    assert client.get(f"/parentalite/seances/{booking.pk}/").status_code == 404


def test_the_scale_page_reads_the_bands_from_the_data(client):
    sign_in_verified(client, parent_of(household()))
    page = text(client.get("/parentalite/participation/"))
    assert "Gratuit" in page and "651,69 €" in page and "5,00 € + 0,3 % des revenus" in page
    assert "au plus 131,00 €" in page
