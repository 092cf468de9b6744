"""The annual report's figures of social support, on a hand-made year: each count is the one a
reader would make by hand from the events below."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from parcours.social import lifecycle, selectors, services
from parcours.social.models import Accompaniment
from parcours.social.offers import SignalementKind
from tests.factories import PartnerFactory, SignalementFactory, accepted, household, social_worker

pytestmark = pytest.mark.django_db


def test_the_year_per_offer_per_worker_and_per_partner():
    year = timezone.localdate().year
    alice, bruno = social_worker(), social_worker()
    # Séparation: 4 received, 2 accepted (one by each worker), 1 refused, 1 still waiting.
    separations = [SignalementFactory() for _ in range(4)]
    first = accepted(separations[0], worker=alice)
    second = accepted(separations[1], worker=bruno)
    services.signalement_answer(signalement=separations[2], accepted=False, by=alice)
    # Décès d'un conjoint: 1 received, accepted by Alice, for a family she already follows.
    death = SignalementFactory(dossier=first.dossier, kind=SignalementKind.DECES_CONJOINT)
    accepted(death, worker=alice)
    # Another territory counts nowhere here.
    SignalementFactory(dossier=household(departement="75"))
    # An accompaniment closed last year is not followed this year.
    old = accepted(SignalementFactory(), worker=bruno)
    Accompaniment.objects.filter(pk=old.pk).update(
        state=lifecycle.CLOS, opened_on=date(year - 1, 3, 1), closed_on=date(year - 1, 6, 30)
    )
    partner = PartnerFactory(name="Médiation de l'Essonne")
    services.referral_create(
        accompaniment=second,
        partner=partner,
        purpose="Médiation familiale",
        contact="06 00 00 00 00",
        consent_on=timezone.localdate() - timedelta(days=1),
        by=bruno,
    )
    services.referral_create(
        accompaniment=first,
        partner=partner,
        purpose="Médiation familiale",
        contact="06 00 00 00 01",
        consent_on=timezone.localdate(),
        by=alice,
    )
    PartnerFactory(with_account=True)  # another partner, without a referral: no row

    figures = selectors.yearly_figures("91", year)

    offers = {o["kind"]: o for o in figures["offers"]}
    # 4 separations of this year + the old one (created this year too, its dates moved by hand).
    assert (offers["separation"]["received"], offers["separation"]["accepted"]) == (5, 3)
    assert (offers["separation"]["refused"], offers["separation"]["opened"]) == (1, 2)
    assert (offers["deces_conjoint"]["received"], offers["deces_conjoint"]["opened"]) == (1, 1)
    assert offers["handicap"] == {**offers["handicap"], "received": 0, "opened": 0}
    # Alice follows one family (two accompaniments), Bruno one this year (the other closed last year).
    assert figures["families"] == 2 and figures["workers"] == 2
    assert sorted(w["families"] for w in figures["per_worker"]) == [1, 1]
    assert figures["referrals"] == [
        {
            "partner__name": "Médiation de l'Essonne",
            "state": "orientee",
            "count": 2,
            "state_label": "Orientation envoyée",
        }
    ]
