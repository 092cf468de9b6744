"""The back office: teams, tasks opened through the announcement of work (core.work), their logs,
follows, segments and their conditions, the nightly indicators, scores and counts."""

from __future__ import annotations

from datetime import date

import factory
from django.utils import timezone

from parcours.casework import risk
from parcours.casework.models import (
    Condition,
    Follow,
    Profile,
    Risk,
    Segment,
    SegmentCount,
    Task,
    TaskEvent,
    TaskTransition,
    Team,
)
from parcours.casework.services import tasks as services
from parcours.casework.services.scoring import profiles_compute, rescore
from parcours.core.work import Kind, Work
from parcours.households import dtr
from parcours.households.models import IncidentKind
from parcours.households.services import incident_report

from .accounts import UserFactory
from .households import DossierFactory


def reported_on() -> date:
    """A day to report an incident on, so that its break (the next payment after it) falls within
    the score's horizon whatever today's date: today, unless the next payment is further than the
    horizon (the days just after a payment day), then the 1st of this month, whose next payment is
    this month's."""
    today = timezone.localdate()
    if dtr.next_payment(today) <= today + risk.horizon():
        return today
    return today.replace(day=1)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("departement", "code")

    code = "prestations"
    name = "Prestations"
    departement = "91"
    offer = "Instruction des droits, paiements, déclarations trimestrielles."

    class Params:
        aripa = factory.Trait(code="aripa", name="ARIPA", offer="Pensions alimentaires, intermédiation, ASF.")


class TaskFactory(factory.django.DjangoModelFactory):
    """A task opened as an app opens it: by announcing the work of an event (a returned letter by
    default, through households.services.incident_report)."""

    class Meta:
        model = Task

    dossier = factory.SubFactory(DossierFactory)
    kind = Kind.RETURNED_MAIL

    class Params:
        taken = factory.Trait(kind=Kind.RETURNED_PAYMENT)  # then taken by an agent of its team
        unpaid_pension = factory.Trait(kind=Kind.UNPAID_NO_ASF)

    @classmethod
    def _create(cls, model_class, *, dossier, kind):
        TeamFactory(departement=dossier.departement)
        if kind == Kind.UNPAID_NO_ASF:
            TeamFactory(departement=dossier.departement, aripa=True)
            services.tasks_open(
                sender="intermediation",
                items=[Work(Kind.UNPAID_NO_ASF, dossier.pk, f"impaye:test:{dossier.pk}", amount=150)],
            )
        else:
            incident_report(dossier=dossier, kind=IncidentKind(kind.value), on=reported_on())
        task = Task.objects.get(dossier=dossier, kind=kind)
        if kind == Kind.RETURNED_PAYMENT:
            agent = UserFactory(agent=True, departement=dossier.departement)
            task.team.members.add(agent)
            task = services.task_take_next(user=agent) or task
        return task


class TaskTransitionFactory(factory.django.DjangoModelFactory):
    """A task taken by an agent: its "prendre" move, logged."""

    class Meta:
        model = TaskTransition

    @classmethod
    def _create(cls, model_class, **kwargs):
        task = TaskFactory(taken=True)
        return TaskTransition.objects.filter(task=task).latest("id")


class TaskEventFactory(factory.django.DjangoModelFactory):
    """A task assigned by an agent of its team to a colleague."""

    class Meta:
        model = TaskEvent

    @classmethod
    def _create(cls, model_class, **kwargs):
        task = TaskFactory()
        agent, colleague = UserFactory(agent=True), UserFactory(agent=True)
        task.team.members.add(agent, colleague)
        services.task_assign(task=task, to=colleague, by=agent)
        return TaskEvent.objects.filter(task=task).latest("id")


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    @classmethod
    def _create(cls, model_class, **kwargs):
        task = TaskFactory()
        agent = UserFactory(agent=True)
        services.task_follow(task=task, user=agent)
        return Follow.objects.get(task=task, user=agent)


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"segment-{n}")
    name = factory.Sequence(lambda n: f"Segment {n}")
    rank = 200
    team_code = "prestations"


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    segment = factory.SubFactory(SegmentFactory)
    indicator = "parent_isole"
    operator = "="
    value = "oui"


class ProfileFactory(factory.django.DjangoModelFactory):
    """A dossier's indicators, as the nightly step computes them."""

    class Meta:
        model = Profile

    dossier = factory.SubFactory(DossierFactory)

    @classmethod
    def _create(cls, model_class, *, dossier):
        profiles_compute(dossier_ids=[dossier.pk])
        return Profile.objects.get(pk=dossier.pk)


class RiskFactory(factory.django.DjangoModelFactory):
    """The score of a dossier with an open task, as the rescoring writes it."""

    class Meta:
        model = Risk

    @classmethod
    def _create(cls, model_class, **kwargs):
        task = TaskFactory()
        rescore(dossier_ids=[task.dossier_id])
        return Risk.objects.get(pk=task.dossier_id)


class SegmentCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SegmentCount

    segment = factory.SubFactory(SegmentFactory)
    departement = "91"
    day = date(2026, 12, 1)
    dossiers = 12
