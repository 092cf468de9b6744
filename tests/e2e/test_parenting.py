"""Parenting support in a real browser: a parent opens "Soutien à la parentalité" from their
space, picks a free slot of a labelled structure, reads the fee before confirming, books for one
of their children, and finds the session and its fee in their space."""

from datetime import timedelta
from decimal import Decimal

import pytest

from parcours.parenting import lifecycle
from parcours.parenting.models import Booking
from tests.factories.accounts import UserFactory
from tests.factories.households import allocataire, household
from tests.factories.parenting import ProfessionalFactory, SlotFactory, StructureFactory, next_days

from .checks import assert_page_ok

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-de-test"


def sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/compte/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def text_of(page) -> str:
    return page.locator("main").inner_text().replace("\u202f", " ").replace("\xa0", " ")


def test_a_parent_books_a_parenting_session_and_sees_the_fee(page, shot):
    structure = StructureFactory(name="Maison des parents d'Évry", with_account=True)
    professional = ProfessionalFactory(structure=structure, first_name="Claire", last_name="Martin")
    slot = SlotFactory(professional=professional, starts_at=next_days(3, 10))
    SlotFactory(professional=professional, starts_at=next_days(3, 10) + timedelta(hours=2))
    # 2 200 € a month: 5 € + 0,8 % × 2 200 = 22,60 €, rounded to 23 €.
    dossier = household(salary=Decimal("2200.00"))
    UserFactory(username="parent", person=allocataire(dossier))

    sign_in(page, "parent")
    page.wait_for_url("**/")
    page.get_by_role("link", name="Prendre rendez-vous ou voir mes séances").click()
    page.wait_for_url("**/parentalite/")
    assert page.get_by_role("heading", name="Soutien à la parentalité", level=1).is_visible()
    assert "Maison des parents d'Évry" in text_of(page)
    shot(page, "structures")
    assert_page_ok(page, "soutien à la parentalité")

    page.locator(f"a[href='/parentalite/creneaux/{slot.pk}/']").click()
    page.wait_for_url(f"**/parentalite/creneaux/{slot.pk}/")
    assert "Participation pour cette séance : 23,00 €" in text_of(page)
    shot(page, "participation")
    assert_page_ok(page, "réservation")
    page.get_by_role("button", name="Confirmer la réservation").click()
    assert "Choisissez au moins un enfant" in text_of(page)  # nothing booked without a child
    assert not Booking.objects.exists()
    page.locator("input[name='children']").first.check(force=True)  # (the DSFR label covers the box)
    page.get_by_role("button", name="Confirmer la réservation").click()

    booking = Booking.objects.get(dossier=dossier)
    assert (booking.fee_cents, booking.state) == (2300, lifecycle.RESERVEE)
    page.wait_for_url(f"**/parentalite/seances/{booking.pk}/")
    assert "Votre séance est réservée" in text_of(page)
    assert page.locator("#participation").inner_text().replace("\xa0", " ") == "23,00 €"
    assert page.get_by_role("link", name="Ajouter à mon agenda (.ics)").is_visible()
    shot(page, "seance")
    assert_page_ok(page, "séance")

    page.goto("/")
    space = text_of(page)
    assert "Soutien à la parentalité" in space and "23,00 €" in space and "Maison des parents d'Évry" in space
    shot(page, "espace")
    page.goto("/parentalite/")
    assert "Vous pouvez encore réserver 4 séances." in text_of(page)
