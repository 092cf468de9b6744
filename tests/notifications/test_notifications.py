"""Every move of a declaration reaches the parent: one e-mail through a real SMTP server and one SMS
through the operator's stand-in per state change, on the channels the parent chose, sent once."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from parcours.core.tasks import run_ready_tasks
from parcours.notifications import services as notifications
from parcours.notifications.models import Notification, Status
from parcours.separation import services
from tests.factories import UserFactory, household
from tests.notifications.conftest import use_smtp
from tests.separation.test_services import filled

pytestmark = pytest.mark.django_db

STEPS = [  # action, by (parent/agent), reason, the e-mail's subject
    ("deposer", "parent", "", "Votre déclaration de séparation est bien reçue"),
    ("instruire", "agent", "", "Votre déclaration de séparation est en cours d'étude"),
    (
        "demander_complement",
        "agent",
        "Merci de joindre le jugement.",
        "La Caf a besoin d'un complément pour votre déclaration",
    ),
    ("repondre", "parent", "Voici le jugement.", "Vos compléments sont bien reçus"),
    ("valider", "agent", "", "Votre déclaration est validée : votre notification de droits est disponible"),
]


@pytest.fixture
def journey(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    dossier = household(children=2, salary=Decimal("1500.00"), opened_on=date(2018, 1, 1))
    person = dossier.memberships.get(role="allocataire").person
    parent = UserFactory(person=person, email="camille.martin@exemple.fr")
    demande = services.declaration_start(dossier=dossier, by=parent)
    services.declaration_save(demande=demande, data=filled(demande), by=parent)
    return demande, parent, person, UserFactory(agent=True)


def move(demande, action, who, reason, *, parent, agent):
    by = parent if who == "parent" else agent
    return services.demande_transition(demande=demande, action=action, by=by, actor=who, reason=reason)


def run_all(capture) -> None:
    while True:
        with capture(execute=True):
            if not run_ready_tasks():
                return


def test_each_state_change_sends_one_email_and_one_sms_without_private_data(
    journey, smtp_server, sms_outbox, django_capture_on_commit_callbacks
):
    demande, parent, person, agent = journey
    notifications.preference_set(user=parent, channels="email_sms", mobile_phone="06 12 34 56 78")
    for action, who, reason, _ in STEPS:
        with django_capture_on_commit_callbacks(execute=True):
            demande = move(demande, action, who, reason, parent=parent, agent=agent)
        run_all(django_capture_on_commit_callbacks)

    offer = "Un travailleur social de la Caf vous propose un rendez-vous"
    subjects = [m["Subject"] for m in smtp_server.messages if m["Subject"] != offer]
    # One per state change, in order, then the payment the validation scheduled; besides, once,
    # the social team's offer of support that the validated separation called for.
    assert subjects == [s for *_, s in STEPS] + ["Votre prochain paiement est programmé"]
    assert [m["Subject"] for m in smtp_server.messages].count(offer) == 1
    assert {m["To"] for m in smtp_server.messages} == {"camille.martin@exemple.fr"}
    link = f"/separation/demandes/{demande.pk}/"
    assert all(link in m.get_content() for m in smtp_server.messages if m["Subject"] != offer)
    payment = [m for m in smtp_server.messages if m["Subject"] != offer][-1].get_content()
    assert "€" in payment and " vers le " in payment

    sms = sms_outbox.sent()
    assert len(sms) == len(smtp_server.messages) and {s["to"] for s in sms} == {"+33612345678"}
    private = [person.last_name, person.first_names, "Acacias", "Massy", "jugement", "€"]
    assert not [s["text"] for s in sms if any(word in s["text"] for word in private)]

    rows = Notification.objects.filter(user=parent)
    assert rows.count() == 2 * len(sms) and set(rows.values_list("status", flat=True)) == {Status.ENVOYEE}
    assert set(rows.values_list("recipient_hint", flat=True)) == {"c…@exemple.fr", "+336 ** ** ** 78"}


def test_a_second_complement_request_is_told_again_but_a_retried_send_is_not(
    journey, smtp_server, django_capture_on_commit_callbacks
):
    demande, parent, _, agent = journey
    with django_capture_on_commit_callbacks(execute=True):
        for action, who, reason in [
            ("deposer", "parent", ""),
            ("instruire", "agent", ""),
            ("demander_complement", "agent", "Le jugement, s'il vous plaît."),
            ("repondre", "parent", "Le voici."),
            ("demander_complement", "agent", "Il manque la page 2."),
        ]:
            demande = move(demande, action, who, reason, parent=parent, agent=agent)
    run_all(django_capture_on_commit_callbacks)
    asked = [m for m in smtp_server.messages if "complément pour" in m["Subject"]]
    assert len(asked) == 2
    # The same send run again (a retried task) sends nothing more.
    first = Notification.objects.filter(event="complement_demande").first()
    assert notifications.notification_deliver(notification_id=first.pk) == Status.ENVOYEE
    assert len(smtp_server.messages) == 5


def test_a_change_rolled_back_tells_no_one(journey, smtp_server, django_capture_on_commit_callbacks):
    demande, parent, _, _ = journey
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.demande_transition(demande=demande, action="deposer", by=parent, actor="parent")
        raise RuntimeError("the request failed after the deposit")
    assert not Notification.objects.exists()
    run_all(django_capture_on_commit_callbacks)
    assert smtp_server.messages == []


def test_an_smtp_server_down_leaves_the_notification_waiting_for_the_retry(
    journey, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    demande, parent, _, _ = journey
    use_smtp(settings, "127.0.0.1", 9, timeout=2)  # nothing listens on port 9
    with django_capture_on_commit_callbacks(execute=True):
        services.demande_transition(demande=demande, action="deposer", by=parent, actor="parent")
    with django_capture_on_commit_callbacks(execute=True):
        run_ready_tasks()
    notification = Notification.objects.get()
    assert notification.status == Status.EN_ATTENTE and notification.sent_at is None
    task = DBTaskResult.objects.get(task_path="parcours.notifications.tasks.notification_send")
    assert task.status == "READY" and task.run_after is not None  # back in the queue, later


def test_without_an_address_nothing_is_sent_and_it_is_recorded(
    journey, mailoutbox, django_capture_on_commit_callbacks
):
    demande, parent, _, _ = journey
    parent.email = ""
    parent.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.demande_transition(demande=demande, action="deposer", by=parent, actor="parent")
    run_all(django_capture_on_commit_callbacks)
    assert mailoutbox == [] and Notification.objects.get().status == Status.SANS_ADRESSE


@pytest.mark.parametrize(
    ("channels", "phone", "field"),
    [
        ("sms", "", "mobile_phone"),
        ("email_sms", "01 23 45 67 89", "mobile_phone"),  # a landline gets no SMS
        ("email_sms", "06 12", "mobile_phone"),
        ("pigeon", "", "channels"),
    ],
)
def test_a_preference_the_caf_cannot_honour_is_refused_and_changes_nothing(channels, phone, field):
    user = UserFactory(email="a@exemple.fr")
    with pytest.raises(ValidationError) as refused:
        notifications.preference_set(user=user, channels=channels, mobile_phone=phone)
    assert field in refused.value.message_dict
    assert not hasattr(user, "contact") or user.contact is None


def test_the_page_records_the_choice_and_lists_what_was_sent(
    client, journey, mailoutbox, django_capture_on_commit_callbacks
):
    demande, parent, _, _ = journey
    client.force_login(parent)
    page = client.get("/mes-notifications/").content.decode()
    assert "Comment voulez-vous être prévenu" in page and "camille.martin@exemple.fr" in page
    refused = client.post("/mes-notifications/", {"channels": "sms", "mobile_phone": ""})
    assert refused.status_code == 200 and "numéro de portable" in refused.content.decode()
    response = client.post("/mes-notifications/", {"channels": "email_sms", "mobile_phone": "07 00 00 00 01"})
    assert response.status_code == 302 and parent.contact.mobile_phone == "+33700000001"
    with django_capture_on_commit_callbacks(execute=True):
        services.demande_transition(demande=demande, action="deposer", by=parent, actor="parent")
    page = html.unescape(client.get("/mes-notifications/").content.decode())
    assert page.count("Votre déclaration de séparation est bien reçue") == 2  # courriel et SMS
    assert "En attente d'envoi" in page
