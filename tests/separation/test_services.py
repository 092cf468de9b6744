"""The declaration from draft to validation: it reaches the registry, the rights and the social team."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parcours.households.selectors import household_on
from parcours.rights.models import RightsRevision
from parcours.separation import services
from parcours.separation.models import Demande, DemandeTransition, Message
from parcours.separation.selectors import rights_before_after, timeline
from parcours.social.models import Signalement
from tests.factories import UserFactory, household

pytestmark = pytest.mark.django_db


@pytest.fixture
def couple():
    dossier = household(children=2, salary=Decimal("1500.00"), opened_on=date(2018, 1, 1))
    parent = UserFactory(person=dossier.memberships.get(role="allocataire").person)
    return dossier, parent


def filled(demande, **extra):
    children = list(demande.children)
    data = {
        "separation_date": timezone.localdate().replace(day=1) - timedelta(days=40),
        "children": {children[0]: "chez_moi", children[1]: "alternee"},
        "child_support": "impayee",
        "child_support_amount": Decimal("250.00"),
        "new_street": "3 rue des Acacias",
        "new_postcode": "91300",
        "new_commune_insee": "91377",
        "new_commune_name": "Massy",
        "new_address_confidential": True,
    } | extra
    return data


def test_one_draft_per_dossier_saved_as_typed(couple):
    dossier, parent = couple
    first = services.declaration_start(dossier=dossier, by=parent)
    assert services.declaration_start(dossier=dossier, by=parent) == first
    assert first.leaving == dossier.memberships.get(role="conjoint").person
    services.declaration_save(demande=first, data={"new_street": "3 rue B"}, by=parent)
    assert Demande.objects.get().new_street == "3 rue B"


def test_an_incomplete_or_impossible_declaration_cannot_be_submitted(couple):
    dossier, parent = couple
    demande = services.declaration_start(dossier=dossier, by=parent)
    with pytest.raises(ValidationError) as error:
        services.demande_transition(demande=demande, action="deposer", by=parent, actor="parent")
    assert "separation_date" in error.value.message_dict
    future = timezone.localdate() + timedelta(days=3)
    services.declaration_save(
        demande=demande, data=filled(demande, separation_date=future, child_support_amount=None), by=parent
    )
    with pytest.raises(ValidationError) as error:
        services.demande_transition(demande=demande, action="deposer", by=parent, actor="parent")
    assert "futur" in error.value.message_dict["separation_date"][0]
    assert "montant" in error.value.message_dict["child_support_amount"][0]
    assert Demande.objects.get().state == "brouillon" and not DemandeTransition.objects.exists()


def test_a_double_submit_creates_nothing_twice(couple):
    dossier, parent = couple
    demande = services.declaration_start(dossier=dossier, by=parent)
    services.declaration_save(demande=demande, data=filled(demande), by=parent)
    services.demande_transition(demande=demande, action="deposer", by=parent, actor="parent")
    services.demande_transition(demande=demande, action="deposer", by=parent, actor="parent")
    assert DemandeTransition.objects.filter(action="deposer").count() == 1
    with pytest.raises(ValidationError):
        services.declaration_save(demande=demande, data={"new_street": "ailleurs"}, by=parent)


def test_the_estimate_compares_rights_before_and_after(couple):
    dossier, parent = couple
    demande = services.declaration_start(dossier=dossier, by=parent)
    services.declaration_save(demande=demande, data=filled(demande), by=parent)
    lines, after = rights_before_after(Demande.objects.get())
    by_benefit = {line.benefit: line for line in lines}
    assert by_benefit["asf"].before == 0 and by_benefit["asf"].after > 0
    assert {c.kind for c in after.asf_children} == {"avance_recouvrable"}


def test_correction_loop_then_validation_reaches_registry_rights_and_social_team(couple):
    dossier, parent = couple
    agent = UserFactory(agent=True)
    demande = services.declaration_start(dossier=dossier, by=parent)
    services.declaration_save(demande=demande, data=filled(demande), by=parent)
    for action, by, actor, reason in [
        ("deposer", parent, "parent", ""),
        ("instruire", agent, "agent", ""),
        ("demander_complement", agent, "agent", "Merci de préciser la date exacte."),
        ("repondre", parent, "parent", "La date est la bonne."),
    ]:
        demande = services.demande_transition(
            demande=demande, action=action, by=by, actor=actor, reason=reason
        )
    assert demande.state == "en_instruction"
    assert Message.objects.filter(demande=demande).count() == 2
    with pytest.raises(ValidationError):
        services.demande_transition(demande=demande, action="valider", by=parent, actor="parent")

    demande = services.demande_transition(demande=demande, action="valider", by=agent, actor="agent")
    on = demande.separation_date
    old_after = household_on(dossier, on)
    new_after = household_on(demande.new_dossier, on)
    conjoint = demande.leaving
    assert conjoint.pk not in {m.person.pk for m in old_after.members}
    assert new_after.adults[0].person == conjoint and new_after.address.is_confidential
    assert {m.custody for m in new_after.children} == {"alternee"}
    assert old_after.child_support.status == "set_unpaid"
    assert RightsRevision.objects.filter(dossier=dossier, benefit="asf", amount__gt=0).exists()
    assert Signalement.objects.filter(dossier=dossier, kind="separation").count() == 1
    # Validated today: the first payment comes on the next 5th, and is "fait" only from that day.
    steps = timeline(demande)
    paid_on = steps[5].on
    assert steps[5].state == "prévu" and paid_on.day == 5 and paid_on > timezone.localdate()
    assert [s.state for i, s in enumerate(steps) if i != 5] == ["fait"] * 6
    assert [s.state for s in timeline(demande, today=paid_on)] == ["fait"] * 7


def validate(demande, parent, agent):
    for action, by, actor in [
        ("deposer", parent, "parent"),
        ("instruire", agent, "agent"),
        ("valider", agent, "agent"),
    ]:
        demande = services.demande_transition(demande=demande, action=action, by=by, actor=actor)
    return demande


def test_validation_queues_the_letter_then_the_worker_renders_it_and_emails_the_parent(
    couple, settings, tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from parcours.core.tasks import run_ready_tasks
    from parcours.separation.documents import document_bytes
    from parcours.separation.letters import notification_context

    settings.PRIVATE_STORAGE_ROOT = tmp_path
    dossier, parent = couple
    parent.email = "parent@exemple.fr"
    parent.save()
    agent = UserFactory(agent=True)
    demande = services.declaration_start(dossier=dossier, by=parent)
    services.declaration_save(demande=demande, data=filled(demande), by=parent)
    with django_capture_on_commit_callbacks(execute=True):
        demande = validate(demande, parent, agent)
    # Nothing is rendered nor sent in the request: tasks wait, with identifiers only.
    assert not demande.documents.filter(code="notification").exists() and mailoutbox == []
    letter_task = "parcours.separation.tasks.notification_letter_render"
    queued = DBTaskResult.objects.get(task_path=letter_task)
    assert queued.args_kwargs == {"args": [], "kwargs": {"demande_id": demande.pk, "by_id": agent.pk}}
    # The separation is signalled to the social team, whose offer is sent by its own task.
    offer_task = "parcours.social.tasks.offer_send_task"
    assert DBTaskResult.objects.filter(task_path=offer_task).count() == 1
    sends = DBTaskResult.objects.exclude(task_path__in=[letter_task, offer_task])
    assert {t.task_path for t in sends} == {"parcours.notifications.tasks.notification_send"}
    assert all(set(t.args_kwargs["kwargs"]) == {"notification_id"} for t in sends)

    with django_capture_on_commit_callbacks(execute=True):
        # the e-mails of the deposit and the instruction, the letter (which queues two more), the
        # offer (which queues its e-mail to the parent still in the dossier)
        assert run_ready_tasks() == 4
    assert run_ready_tasks() == 3  # the validation's e-mail, the payment's, the offer's
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert [m.to for m in mailoutbox] == [["parent@exemple.fr"]] * 5
    assert sorted(m.subject for m in mailoutbox[-3:]) == [
        "Un travailleur social de la Caf vous propose un rendez-vous",
        "Votre déclaration est validée : votre notification de droits est disponible",
        "Votre prochain paiement est programmé",
    ]
    letter = demande.documents.get(code="notification")
    assert letter.uploaded_by == agent
    pdf = document_bytes(letter)
    assert pdf.startswith(b"%PDF-") and letter.size == len(pdf)
    context = notification_context(demande)
    # A mid-month separation counts from the next month (facts are read on the 1st of each month).
    asf_next_month = dict(context["months"][1]["due"])
    assert asf_next_month["Allocation de soutien familial (ASF)"] > 0
    assert all(p.paid_on.day == 5 for p in context["schedule"])
    assert [p.month for p in context["schedule"]] == [m["month"] for m in context["months"]]


def test_a_second_run_of_the_letter_task_renders_nothing_and_sends_nothing(
    couple, settings, tmp_path, mailoutbox
):
    from parcours.separation.tasks import notification_letter_render

    settings.PRIVATE_STORAGE_ROOT = tmp_path
    dossier, parent = couple
    parent.email = "parent@exemple.fr"
    parent.save()
    agent = UserFactory(agent=True)
    demande = services.declaration_start(dossier=dossier, by=parent)
    services.declaration_save(demande=demande, data=filled(demande), by=parent)
    demande = validate(demande, parent, agent)
    first = notification_letter_render.call(demande_id=demande.pk, by_id=agent.pk)
    assert notification_letter_render.call(demande_id=demande.pk, by_id=agent.pk) is None
    assert list(demande.documents.filter(code="notification").values_list("pk", flat=True)) == [first]
    assert len(list(tmp_path.rglob("*.pdf"))) == 1


def test_a_validation_rolled_back_queues_no_letter(couple, django_capture_on_commit_callbacks):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    dossier, parent = couple
    agent = UserFactory(agent=True)
    demande = services.declaration_start(dossier=dossier, by=parent)
    services.declaration_save(demande=demande, data=filled(demande), by=parent)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        validate(demande, parent, agent)
        raise RuntimeError("the request fails after the validation")
    assert callbacks == [] and not DBTaskResult.objects.exists()
    assert Demande.objects.get().state == "brouillon"
