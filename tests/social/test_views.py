"""Social support's pages: the walls (a benefits agent, a partner, another territory), the audit of
every read, the forms' French refusals that change nothing, and the parent's answer."""

from __future__ import annotations

import pytest
from django.utils import timezone

from parcours.accounts.models import AuditEntry
from parcours.social import lifecycle, services
from parcours.social.models import Accompaniment, Referral, Signalement
from tests.accounts.helpers import sign_in_verified
from tests.factories import (
    PartnerFactory,
    SignalementFactory,
    UserFactory,
    accepted,
    allocataire,
    household,
    social_worker,
)

pytestmark = pytest.mark.django_db


def referral_to(partner, accompaniment) -> Referral:  # type: ignore[no-untyped-def]
    return services.referral_create(
        accompaniment=accompaniment,
        partner=partner,
        purpose="Médiation familiale",
        contact="06 11 22 33 44",
        consent_on=timezone.localdate(),
        by=accompaniment.worker,
    )


def test_a_benefits_agent_reading_the_notes_gets_403_and_the_attempt_is_audited(client):
    accompaniment = accepted()
    services.note_add(accompaniment=accompaniment, text="Très confidentiel.", by=accompaniment.worker)
    for user in (UserFactory(agent=True), UserFactory(aripa=True)):
        sign_in_verified(client, user)
        response = client.get(f"/social/accompagnements/{accompaniment.pk}/")
        assert response.status_code == 403 and "Très confidentiel" not in response.content.decode()
        entry = AuditEntry.objects.filter(actor=user).latest("id")
        assert (entry.action, entry.allowed, entry.dossier) == (
            "social.notes_lues",
            False,
            accompaniment.dossier,
        )


def test_a_social_worker_reads_the_accompaniment_audited_and_another_territory_gets_404(client):
    accompaniment = accepted()
    services.note_add(accompaniment=accompaniment, text="Note du premier entretien.", by=accompaniment.worker)
    sign_in_verified(client, social_worker())
    page = client.get(f"/social/accompagnements/{accompaniment.pk}/")
    assert page.status_code == 200 and "Note du premier entretien." in page.content.decode()
    actions = set(AuditEntry.objects.filter(dossier=accompaniment.dossier).values_list("action", "allowed"))
    assert {("dossier.read", True), ("social.notes_lues", True)} <= actions
    sign_in_verified(client, UserFactory(social=True, departement="33"))
    assert client.get(f"/social/accompagnements/{accompaniment.pk}/").status_code == 404


def test_a_partner_sees_the_minimum_of_its_referrals_and_404_for_another(client):
    accompaniment = accepted()
    ours, theirs = PartnerFactory(with_account=True), PartnerFactory(with_account=True)
    mine, other = referral_to(ours, accompaniment), referral_to(theirs, accepted())
    services.note_add(accompaniment=accompaniment, text="Jamais chez le partenaire.", by=accompaniment.worker)
    sign_in_verified(client, ours.members.get())
    listing = client.get("/social/orientations/").content.decode()
    assert f"Orientation n° {mine.pk}" in listing and f"Orientation n° {other.pk}" not in listing
    assert client.get(f"/social/orientations/{other.pk}/").status_code == 404
    assert client.post(f"/social/orientations/{other.pk}/action/", {"action": "accepter"}).status_code == 404
    page = client.get(f"/social/orientations/{mine.pk}/").content.decode()
    assert "06 11 22 33 44" in page and "Médiation familiale" in page
    assert accompaniment.dossier.numero_allocataire not in page and "Jamais chez le partenaire" not in page
    assert client.get(f"/social/accompagnements/{accompaniment.pk}/").status_code == 403
    client.post(f"/social/orientations/{mine.pk}/action/", {"action": "accepter"})
    client.post(
        f"/social/orientations/{mine.pk}/action/", {"action": "tenue", "reason": "Premier rendez-vous tenu"}
    )
    mine.refresh_from_db()
    assert (mine.state, mine.feedback) == (lifecycle.TENUE, "Premier rendez-vous tenu")
    other.refresh_from_db()
    assert other.state == lifecycle.ORIENTEE


def test_the_signalement_form_refuses_an_unknown_number_in_french_and_writes_nothing(client):
    worker = social_worker()
    sign_in_verified(client, worker)
    before = Signalement.objects.count()
    for numero, message in [("12", "7 chiffres"), ("9999999", "Aucun dossier de votre territoire")]:
        response = client.post(
            "/social/signalements/nouveau/",
            {"numero_allocataire": numero, "kind": "deces_conjoint", "origin": "agent", "source": "Accueil"},
            follow=True,
        )
        assert message in response.content.decode()
    elsewhere = household(departement="33")
    response = client.post(
        "/social/signalements/nouveau/",
        {
            "numero_allocataire": elsewhere.numero_allocataire,
            "kind": "handicap",
            "origin": "agent",
            "source": "Accueil",
        },
        follow=True,
    )
    assert "Aucun dossier de votre territoire" in response.content.decode()
    assert Signalement.objects.count() == before


def test_the_offer_letter_is_a_pdf_and_its_read_is_audited(client):
    signalement = SignalementFactory()
    worker = social_worker()
    sign_in_verified(client, worker)
    response = client.get(f"/social/signalements/{signalement.pk}/courrier.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert AuditEntry.objects.filter(
        actor=worker, object_type="courrier_offre", dossier=signalement.dossier
    ).exists()
    violence = SignalementFactory(violences=True)
    assert client.get(f"/social/signalements/{violence.pk}/courrier.pdf").status_code == 404


def test_a_parent_answers_the_offer_from_their_space(client):
    signalement = SignalementFactory()
    services.offer_send(signalement_id=signalement.pk)
    parent = UserFactory(person=allocataire(signalement.dossier))
    sign_in_verified(client, parent)
    home = client.get("/").content.decode()
    assert "Accompagnement des parents qui se séparent" in home
    stranger_offer = SignalementFactory()
    services.offer_send(signalement_id=stranger_offer.pk)
    assert client.post(f"/social/offres/{stranger_offer.pk}/reponse/", {"answer": "oui"}).status_code == 404
    client.post(f"/social/offres/{signalement.pk}/reponse/", {"answer": "oui"})
    signalement.refresh_from_db()
    assert signalement.state == lifecycle.ACCEPTE and signalement.accompaniment.worker is None
    assert "Accompagnement des parents qui se séparent" not in client.get("/").content.decode()


def test_every_page_of_the_social_worker_renders(client):
    accompaniment = accepted(worker=social_worker(leader=True))
    PartnerFactory()
    sign_in_verified(client, accompaniment.worker)
    for url in [
        "/social/signalements/",
        "/social/signalements/?state=tous&kind=separation",
        f"/social/signalements/{accompaniment.signalement_id}/",
        "/social/accompagnements/",
        f"/social/accompagnements/{accompaniment.pk}/",
        "/social/equipe/",
        "/social/partenaires/",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get("/social/signalements/?state=nimportequoi").status_code == 200


def test_posted_ids_that_are_not_numbers_and_an_empty_answer_change_nothing(client):
    accompaniment = accepted()
    sign_in_verified(client, accompaniment.worker)
    base = f"/social/accompagnements/{accompaniment.pk}"
    for what, field in (("record", "interview"), ("reach", "objective"), ("cancel", "referral")):
        for raw in ("abc", "²", "-1", "9" * 30):
            response = client.post(f"{base}/{what}/", {field: raw, "held": "oui"})
            assert response.status_code == 302, (what, raw)
    assert client.post(f"{base}/reattribuer/", {"worker": "²"}).status_code in (302, 403)
    assert Accompaniment.objects.get(pk=accompaniment.pk).state == lifecycle.PREMIER_ENTRETIEN
    # A parent's answer that is neither yes nor no is not a refusal.
    signalement = SignalementFactory()
    services.offer_send(signalement_id=signalement.pk)
    sign_in_verified(client, UserFactory(person=allocataire(signalement.dossier)))
    client.post(f"/social/offres/{signalement.pk}/reponse/", {})
    assert Signalement.objects.get(pk=signalement.pk).state == lifecycle.PROPOSE


def test_a_social_worker_outside_the_team_reads_no_note(client):
    accompaniment = accepted()
    services.note_add(accompaniment=accompaniment, text="Très confidentiel.", by=accompaniment.worker)
    outsider = UserFactory(social=True, departement="91")
    sign_in_verified(client, outsider)
    response = client.get(f"/social/accompagnements/{accompaniment.pk}/")
    assert response.status_code == 403 and "Très confidentiel" not in response.content.decode()
