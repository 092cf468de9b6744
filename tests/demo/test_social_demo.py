"""The demo's year of social support: played through the services, at the seeds' orders of
magnitude, every log replaying to its state, and a second run changing nothing."""

import pytest

from parcours.core.transitions import replayed_state
from parcours.households.models import ChangeKind, SituationChange
from parcours.social import lifecycle
from parcours.social.models import (
    Accompaniment,
    AccompanimentTransition,
    Referral,
    ReferralTransition,
    Signalement,
    SignalementTransition,
    SocialNote,
    SocialTeam,
)
from parcours.social.offers import SignalementKind

from .conftest import load

pytestmark = pytest.mark.django_db


def social_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Signalement, Accompaniment, Referral, SocialNote, SignalementTransition)
    }


def test_a_year_of_social_support_through_the_services():
    output = load(1500, seed=5, no_social=False)
    assert "accompagnement social sur un an" in output

    team = SocialTeam.objects.get(departement="91")
    assert team.members.count() == 9  # the demo account and eight colleagues, as in the seeds' Caf
    assert team.leaders.filter(username="social").exists()

    # Every separation of the demo's last year long enough registered is signalled once.
    separations = Signalement.objects.filter(kind=SignalementKind.SEPARATION)
    assert separations.count() > 20
    assert separations.count() == separations.values("dossier").distinct().count()
    separated = SituationChange.objects.filter(
        kind=ChangeKind.SEPARATION, dossier__in=separations.values("dossier")
    )
    assert separated.values("dossier").distinct().count() == separations.count()

    # The shares of the seeds' Caf: 516 of 1 376 separations accompanied (37.5 %), a smaller share
    # refused, the rest left unanswered; at this size, within a wide band.
    decided = separations.exclude(state__in=lifecycle.SIGNALEMENT_OPEN)
    accepted = decided.filter(state=lifecycle.ACCEPTE).count() / decided.count()
    assert 0.2 < accepted < 0.55
    assert decided.filter(state=lifecycle.SANS_REPONSE).exists()

    # Every object's state is what its transition log replays to; its worker is of the team.
    for signalement in Signalement.objects.all():
        assert replayed_state(SignalementTransition, signalement) == signalement.state
    accompaniments = Accompaniment.objects.all()
    assert accompaniments.count() == Signalement.objects.filter(state=lifecycle.ACCEPTE).count()
    for accompaniment in accompaniments:
        assert replayed_state(AccompanimentTransition, accompaniment) == accompaniment.state
        assert team.members.filter(pk=accompaniment.worker_id).exists()
        if accompaniment.state == lifecycle.CLOS:
            assert accompaniment.outcome and accompaniment.closed_on
    for referral in Referral.objects.all():
        assert replayed_state(ReferralTransition, referral) == referral.state
    assert Referral.objects.exclude(state=lifecycle.ORIENTEE).exists()  # the partner answered some

    before = social_counts()
    load(1500, seed=5, no_social=False)
    assert social_counts() == before
