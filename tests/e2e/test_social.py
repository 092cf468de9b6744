"""Social support in a real browser: a chargée d'intervention sociale works a separation signalement
from the family's acceptance to the closure, through an interview, a diagnosis, a plan and a referral
to a family-mediation service; the partner answers the referral from its own login, and the social
worker reads its feedback before closing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.social import lifecycle
from parcours.social.models import Accompaniment, Referral
from tests.factories import PartnerFactory, SignalementFactory, SocialTeamFactory, UserFactory, household

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


def test_a_social_worker_works_a_signalement_to_closure_with_a_referral_the_partner_answers(page, shot):
    worker = UserFactory(username="social", social=True, departement="91")
    SocialTeamFactory(departement="91").members.add(worker)
    partner = PartnerFactory(name="Médiation familiale d'Évry")
    partner.members.add(UserFactory(username="partenaire", partner=True))
    # Another partner of the territory: the referral must reach only the one chosen.
    other = PartnerFactory(name="Espace rencontre de Corbeil")
    other.members.add(UserFactory(username="autre", partner=True))
    dossier = household()
    signalement = SignalementFactory(dossier=dossier)

    sign_in(page, "social")
    page.get_by_role("link", name="Signalements").first.click()
    page.wait_for_url("**/social/signalements/")
    assert_page_ok(page, "signalements")
    page.get_by_role("link", name=f"Signalement n° {signalement.pk}").click()
    page.wait_for_url(f"**/social/signalements/{signalement.pk}/")
    assert "Séparation" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("button", name="La famille accepte : ouvrir l'accompagnement").click()
    accompaniment = Accompaniment.objects.get(signalement=signalement)
    page.wait_for_url(f"**/social/accompagnements/{accompaniment.pk}/")
    assert page.get_by_text("Accompagnement ouvert").is_visible()
    assert_page_ok(page, "accompagnement")

    # The first interview, yesterday at the Caf, then its confidential note.
    yesterday = timezone.localtime() - timedelta(days=1)
    page.get_by_label("Date et heure").fill(yesterday.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Modalité").select_option(label="À l'accueil de la Caf")
    page.get_by_label("Lieu", exact=True).fill("Caf d'Évry")
    page.get_by_role("button", name="Planifier l'entretien").click()
    page.get_by_label("L'entretien a-t-il eu lieu ?").select_option(index=0)
    page.get_by_label("Note confidentielle de l'entretien (facultatif)").fill(
        "Mère seule depuis deux mois, conflit sur la garde."
    )
    page.get_by_role("button", name="Enregistrer le compte rendu").click()
    page.get_by_role("button", name="Premier entretien tenu : diagnostic").click()
    page.get_by_label("Objectif convenu avec la famille").fill("Apaiser l'organisation de la garde")
    page.get_by_role("button", name="Ajouter l'objectif").click()
    page.get_by_role("button", name="Établir le plan d'accompagnement").click()
    accompaniment.refresh_from_db()
    assert accompaniment.state == lifecycle.PLAN
    assert "Mère seule depuis deux mois" in text_of(page)

    # The referral, with the family's consent.
    page.get_by_label("Partenaire", exact=True).select_option(label="Médiation familiale d'Évry")
    page.get_by_label("Objet de l'orientation").fill("Médiation familiale sur la garde")
    page.get_by_label("Coordonnées transmises au partenaire").fill("06 12 34 56 78")
    page.get_by_label("Accord de la famille recueilli le").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Envoyer l'orientation").click()
    referral = Referral.objects.get(accompaniment=accompaniment)
    assert referral.partner == partner
    shot(page, "plan-et-orientation")

    # The other partner sees nothing of it.
    sign_in(page, "autre")
    page.wait_for_url("**/social/orientations/")
    assert "Aucune orientation" in text_of(page)
    assert page.goto(f"/social/orientations/{referral.pk}/").status == 404

    # The partner chosen: its home is the referrals made to it; it sees the minimum, never the notes.
    sign_in(page, "partenaire")
    page.wait_for_url("**/social/orientations/")
    assert_page_ok(page, "orientations reçues")
    page.get_by_role("link", name=f"Orientation n° {referral.pk}").click()
    main = text_of(page)
    assert "Médiation familiale sur la garde" in main and "06 12 34 56 78" in main
    assert "Mère seule" not in main and dossier.numero_allocataire not in main
    page.get_by_role("button", name="Accepter l'orientation").click()
    page.get_by_label("Motif ou retour pour le travailleur social").fill("Deux séances de médiation tenues.")
    page.get_by_role("button", name="Prise en charge réalisée").click()
    referral.refresh_from_db()
    assert referral.state == lifecycle.TENUE
    shot(page, "retour-du-partenaire")

    # Back to the social worker: the feedback is on the accompaniment; she closes it.
    sign_in(page, "social")
    page.get_by_role("link", name="Mes accompagnements").first.click()
    page.get_by_role("link", name=f"Accompagnement n° {accompaniment.pk}").click()
    assert "Deux séances de médiation tenues." in text_of(page)
    page.get_by_label("Résultat").select_option(label="Objectifs atteints")
    page.get_by_label("Motif").first.fill("Garde organisée, la famille n'a plus besoin d'aide.")
    page.get_by_role("button", name="Clore l'accompagnement").click()
    accompaniment.refresh_from_db()
    assert accompaniment.state == lifecycle.CLOS and accompaniment.outcome == "objectifs_atteints"
    assert_page_ok(page, "accompagnement clos")
    shot(page, "clos")
