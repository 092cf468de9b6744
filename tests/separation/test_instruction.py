"""The agent's side of a declaration: the list (names, search, filters), the instruction page (what
was declared beside the registry, the confidential address), each document's check, the call-backs."""

from __future__ import annotations

import html

import pytest

from parcours.accounts.models import AuditEntry
from parcours.notifications.models import Notification
from parcours.separation import services
from parcours.separation.models import CallbackRequest, Demande
from tests.factories import CallbackRequestFactory, DemandeFactory, DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    # Amounts are written with no-break spaces ("250,00 €"): read as plain spaces here.
    return html.unescape(response.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def agent(client):
    user = UserFactory(agent=True)
    client.force_login(user)
    return user


def test_the_list_shows_names_and_finds_by_name_birth_date_or_numero(client, agent):
    first = DemandeFactory(deposee=True)
    second = DemandeFactory(en_instruction=True)
    DemandeFactory(deposee=True, dossier__departement="75")  # another territory: never listed
    one, two = first.declarant.person, second.declarant.person
    listed = page(client, "/separation/instruction/")
    assert f"{one.last_name} {one.first_names}" in listed and f"{two.last_name} {two.first_names}" in listed
    assert "2 déclarations" in listed

    by_name = page(client, f"/separation/instruction/?q={one.last_name.lower()}")
    assert f"Déclaration n° {first.pk}<" in by_name and f"Déclaration n° {second.pk}<" not in by_name
    birth = page(client, f"/separation/instruction/?q={two.birth_date:%d/%m/%Y}")
    assert f"Déclaration n° {second.pk}<" in birth
    numero = page(client, f"/separation/instruction/?q={first.dossier.numero_allocataire}")
    assert f"Déclaration n° {first.pk}<" in numero and "1 déclaration<" in numero
    state = page(client, "/separation/instruction/?state=en_instruction")
    assert f"Déclaration n° {second.pk}<" in state and f"Déclaration n° {first.pk}<" not in state
    assert "Aucune déclaration" in page(client, "/separation/instruction/?q=Zzyzx")
    # A filter the form does not know changes nothing and breaks nothing.
    assert "2 déclarations" in page(client, "/separation/instruction/?state=inconnu&sort=%00")


def test_the_instruction_page_shows_what_was_declared_beside_the_registry(client, agent):
    demande = DemandeFactory(deposee=True)
    leaving = demande.leaving
    shown = page(client, f"/separation/demandes/{demande.pk}/")
    assert "Ce qui a été déclaré" in shown and "Dans le dossier" in shown
    assert f"{leaving.first_names} {leaving.last_name}, qui poursuit dans son propre dossier" in shown
    assert "3 rue des Acacias, 91300 Massy" in shown  # not confidential: shown as declared
    assert "Une pension est fixée mais n'est pas (ou mal) payée — 250,00 € par mois" in shown
    assert "Droit de visite classique" in shown
    assert f"/agent/dossiers/{demande.dossier.numero_allocataire}/" in shown
    assert "Votre parcours" not in shown and "Télécharger ma notification" not in shown


def test_a_confidential_address_is_masked_until_the_agent_asks_and_the_reading_is_audited(client, agent):
    demande = DemandeFactory(deposee=True, confidential_address=True)
    url = f"/separation/demandes/{demande.pk}/"
    masked = page(client, url)
    assert "Acacias" not in masked and "Adresse confidentielle (masquée)" in masked
    assert not AuditEntry.objects.filter(action="adresse_confidentielle.read").exists()
    revealed = page(client, url + "?adresse=afficher")
    assert "3 rue des Acacias, 91300 Massy" in revealed
    entry = AuditEntry.objects.get(action="adresse_confidentielle.read")
    assert (entry.actor, entry.dossier, entry.object_id) == (agent, demande.dossier, str(demande.pk))


def test_a_refused_document_goes_back_to_the_parent_as_a_correction_request(
    client, agent, settings, tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    from parcours.core.tasks import run_ready_tasks

    settings.PRIVATE_STORAGE_ROOT = tmp_path
    demande = DemandeFactory(en_instruction=True)
    demande.declarant.email = "parent@exemple.fr"
    demande.declarant.save()
    told = set(Notification.objects.values_list("pk", flat=True))  # reçue, à l'étude
    good = DocumentFactory(demande=demande, code="justificatif_adresse")
    bad = DocumentFactory(demande=demande, code="decision_pension")
    url = f"/separation/demandes/{demande.pk}/pieces/"

    client.post(f"{url}{good.pk}/verification/", {"decision": "accepter"})
    good.refresh_from_db()
    assert good.review == "acceptee"
    # A refusal without a reason is refused, and changes nothing.
    response = client.post(
        f"{url}{bad.pk}/verification/", {"decision": "refuser", "reason": " "}, follow=True
    )
    assert "Indiquez au parent pourquoi la pièce est refusée." in html.unescape(response.content.decode())
    bad.refresh_from_db()
    assert bad.review == "a_verifier" and Demande.objects.get(pk=demande.pk).state == "en_instruction"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}{bad.pk}/verification/", {"decision": "refuser", "reason": "La page 2 manque."})
    bad.refresh_from_db()
    demande.refresh_from_db()
    assert (bad.review, bad.review_reason, demande.state) == ("refusee", "La page 2 manque.", "a_completer")
    assert demande.transitions.latest("id").action == "demander_complement"
    # The parent is told once, of the document (not of a generic complement request).
    new = Notification.objects.exclude(pk__in=told)
    assert list(new.values_list("event", flat=True)) == ["piece_refusee"]
    Notification.objects.filter(pk__in=told).update(status="envoyee")  # sent long ago
    with django_capture_on_commit_callbacks(execute=True):
        run_ready_tasks()
    assert [m.subject for m in mailoutbox] == ["Une pièce justificative est à remplacer"]
    assert "décision fixant la pension" in mailoutbox[0].body and "La page 2" not in mailoutbox[0].body

    client.force_login(demande.declarant)
    mine = page(client, f"/separation/demandes/{demande.pk}/")
    assert "La Caf attend un complément de votre part" in mine
    assert "Pièce « décision fixant la pension » refusée : La page 2 manque." in mine
    assert "refusée" in mine and "Envoyez une nouvelle pièce." in mine
    # The parent cannot review; nor can the agent once the demande is decided.
    assert client.post(f"{url}{good.pk}/verification/", {"decision": "accepter"}).status_code == 403


def test_the_caf_letter_and_a_decided_demande_are_not_reviewed(settings, tmp_path):
    from django.core.exceptions import ValidationError

    settings.PRIVATE_STORAGE_ROOT = tmp_path
    document = DocumentFactory(demande=DemandeFactory(deposee=True), code="rib")
    with pytest.raises(ValidationError, match="pendant l'instruction"):
        services.document_review(document=document, accepted=True, reason="", by=UserFactory(agent=True))


def test_a_callback_is_taken_then_closed_with_an_outcome_and_each_move_is_logged(client, agent):
    callback = CallbackRequestFactory(phone="06 98 76 54 32")
    listed = page(client, "/separation/rappels/")
    assert "06 98 76 54 32" in listed and "Je prends ce rappel" in listed
    assert 'href="/separation/rappels/"' in listed  # in the agents' menu
    client.post(f"/separation/rappels/{callback.pk}/prendre/")
    callback.refresh_from_db()
    assert (callback.state, callback.assigned_to) == ("prise_en_charge", agent)

    refused = client.post(f"/separation/rappels/{callback.pk}/cloturer/", {"outcome": ""}, follow=True)
    assert "Indiquez le résultat de l'appel." in html.unescape(refused.content.decode())
    assert CallbackRequest.objects.get(pk=callback.pk).state == "prise_en_charge"

    client.post(f"/separation/rappels/{callback.pk}/cloturer/", {"outcome": "oriente", "note": "3919 donné."})
    callback.refresh_from_db()
    assert (callback.state, callback.outcome) == ("traitee", "oriente") and callback.handled_at
    assert [(t.action, t.by, t.reason) for t in callback.transitions.order_by("id")] == [
        ("prendre", agent, ""),
        ("cloturer", agent, "3919 donné."),
    ]
    done = page(client, "/separation/rappels/")
    assert "Aucun rappel à faire." in done and "Parent joint et orienté" in done


def test_a_parent_reaches_no_agent_page(client):
    callback = CallbackRequestFactory()
    client.force_login(UserFactory(parent=True))
    assert client.get("/separation/rappels/").status_code == 403
    assert client.post(f"/separation/rappels/{callback.pk}/prendre/").status_code == 403
    assert client.get("/separation/instruction/").status_code == 403
