"""The registry's two readings, written once: `valid_on(day)` and `known_at(version)` (decision 0002)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from parcours.households import history, services
from parcours.households.models import Housing, Membership
from tests.factories import household

pytestmark = pytest.mark.django_db
OPENED = date(2020, 1, 1)
MOVED = date(2022, 3, 1)


def test_valid_on_is_the_half_open_period_of_every_record():
    dossier = household(children=1, opened_on=OPENED)
    services.housing_set(dossier=dossier, valid_from=OPENED, status="locataire", monthly_rent=Decimal("500"))
    services.housing_set(dossier=dossier, valid_from=MOVED, status="proprietaire")
    rows = list(Housing.objects.filter(dossier=dossier).current())
    for day in (OPENED, MOVED - timedelta(days=1), MOVED, date(2030, 1, 1), OPENED - timedelta(days=1)):
        expected = {r.pk for r in rows if history.covers(r.valid_from, r.valid_until, day)}
        assert {r.pk for r in Housing.objects.filter(dossier=dossier).current().valid_on(day)} == expected
    statuses = (
        Housing.objects.filter(dossier=dossier).current().valid_on(MOVED).values_list("status", flat=True)
    )
    assert list(statuses) == ["proprietaire"]  # the old record ends at MOVED, excluded
    between = (
        Housing.objects.filter(dossier=dossier).current().valid_between(MOVED - timedelta(days=1), MOVED)
    )
    assert list(between.values_list("status", flat=True)) == ["locataire"]


def test_known_at_reads_the_knowledge_of_a_past_version():
    dossier = household(children=0, opened_on=OPENED)
    services.housing_set(dossier=dossier, valid_from=OPENED, status="locataire", monthly_rent=Decimal("500"))
    before = max(Housing.objects.filter(dossier=dossier).values_list("created_in_id", flat=True))
    services.housing_set(dossier=dossier, valid_from=OPENED, status="heberge")  # a correction from the start
    then = Housing.objects.filter(dossier=dossier).known_at(before).valid_on(MOVED)
    now = Housing.objects.filter(dossier=dossier).current().valid_on(MOVED)
    assert list(then.values_list("status", flat=True)) == ["locataire"]
    assert list(now.values_list("status", flat=True)) == ["heberge"]
    assert Membership.objects.filter(dossier=dossier).known_at(0).count() == 0
