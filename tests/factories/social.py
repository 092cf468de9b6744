"""Social support: the team of a territory, partners, signalements (as separation.services and
the registry's events write them), and the accompaniments, interviews, objectives, notes and
referrals made through social.services."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from parcours.social import services
from parcours.social.models import (
    Accompaniment,
    AccompanimentTransition,
    Interview,
    Objective,
    Partner,
    Referral,
    ReferralTransition,
    Signalement,
    SignalementTransition,
    SocialNote,
    SocialTeam,
)
from parcours.social.offers import SignalementKind

from .accounts import UserFactory
from .households import DossierFactory


class SocialTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialTeam
        django_get_or_create = ("departement",)

    name = "Intervention sociale"
    departement = "91"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Médiation familiale de l'Essonne {n}")
    kind = Partner.Kind.MEDIATION
    departement = "91"
    services = "Médiation familiale, entretiens d'information gratuits."
    phone = "01 60 00 00 00"

    class Params:
        with_account = factory.Trait(
            members=factory.PostGeneration(
                lambda obj, create, extracted, **kw: (
                    obj.members.add(UserFactory(partner=True)) if create else None
                )
            )
        )


class SignalementFactory(factory.django.DjangoModelFactory):
    """A signalement as an event writes it (idempotent on dossier, kind, source)."""

    class Meta:
        model = Signalement

    dossier = factory.SubFactory(DossierFactory)
    kind = SignalementKind.SEPARATION
    source = factory.Sequence(lambda n: f"déclaration n° {n}")

    class Params:
        violences = factory.Trait(kind=SignalementKind.VIOLENCES)

    @classmethod
    def _create(cls, model_class, *, dossier, kind, source):
        SocialTeamFactory(departement=dossier.departement)
        return services.signalement_create(dossier=dossier, kind=kind, source=source)


def social_worker(departement: str = "91", *, leader: bool = False):  # type: ignore[no-untyped-def]
    """A social worker, member (and leader, if told) of the team of the territory."""
    worker = UserFactory(social=True, departement=departement)
    team = SocialTeamFactory(departement=departement)
    team.members.add(worker)
    if leader:
        team.leaders.add(worker)
    return worker


def accepted(signalement: Signalement | None = None, worker=None) -> Accompaniment:  # type: ignore[no-untyped-def]
    """The family accepted the offer, recorded by a social worker: the accompaniment opens."""
    signalement = signalement or SignalementFactory()
    worker = worker or social_worker(signalement.dossier.departement)
    accompaniment = services.signalement_answer(signalement=signalement, accepted=True, by=worker)
    assert accompaniment is not None
    return accompaniment


def held_interview(accompaniment: Accompaniment, note: str = "") -> Interview:
    """A first interview planned an hour ago, then recorded as held."""
    worker = accompaniment.worker
    interview = services.interview_plan(
        accompaniment=accompaniment,
        on=timezone.now() - timedelta(hours=1),
        mode=Interview.Mode.ON_SITE,
        place="Caf d'Évry",
        by=worker,
    )
    return services.interview_record(interview=interview, held=True, note=note, by=worker)


class SignalementTransitionFactory(factory.django.DjangoModelFactory):
    """A signalement whose family refused the offer: its "refuser" move."""

    class Meta:
        model = SignalementTransition

    @classmethod
    def _create(cls, model_class, **kwargs):
        signalement = SignalementFactory()
        worker = social_worker(signalement.dossier.departement)
        services.signalement_answer(signalement=signalement, accepted=False, by=worker)
        return SignalementTransition.objects.filter(signalement=signalement).latest("id")


class AccompanimentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accompaniment

    @classmethod
    def _create(cls, model_class, **kwargs):
        return accepted()


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    @classmethod
    def _create(cls, model_class, **kwargs):
        return held_interview(accepted())


class AccompanimentTransitionFactory(factory.django.DjangoModelFactory):
    """An accompaniment whose first interview was held: its "diagnostiquer" move."""

    class Meta:
        model = AccompanimentTransition

    @classmethod
    def _create(cls, model_class, **kwargs):
        accompaniment = accepted()
        held_interview(accompaniment)
        services.accompaniment_act(
            accompaniment=accompaniment, action="diagnostiquer", by=accompaniment.worker
        )
        return AccompanimentTransition.objects.filter(accompaniment=accompaniment).latest("id")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    @classmethod
    def _create(cls, model_class, **kwargs):
        accompaniment = accepted()
        return services.objective_add(
            accompaniment=accompaniment,
            text="Obtenir une date de médiation familiale",
            by=accompaniment.worker,
        )


class SocialNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialNote

    @classmethod
    def _create(cls, model_class, **kwargs):
        accompaniment = accepted()
        return services.note_add(
            accompaniment=accompaniment,
            text="La famille souhaite rester dans le logement.",
            by=accompaniment.worker,
        )


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    @classmethod
    def _create(cls, model_class, **kwargs):
        accompaniment = accepted()
        partner = PartnerFactory(with_account=True, departement=accompaniment.dossier.departement)
        return services.referral_create(
            accompaniment=accompaniment,
            partner=partner,
            purpose="Médiation familiale : organisation de la résidence des enfants",
            contact="06 12 34 56 78",
            consent_on=timezone.localdate(),
            by=accompaniment.worker,
        )


class ReferralTransitionFactory(factory.django.DjangoModelFactory):
    """A referral the partner accepted."""

    class Meta:
        model = ReferralTransition

    @classmethod
    def _create(cls, model_class, **kwargs):
        referral = ReferralFactory()
        services.referral_act(referral=referral, action="accepter", by=referral.partner.members.get())
        return ReferralTransition.objects.filter(referral=referral).latest("id")
