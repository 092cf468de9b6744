"""Reading a household costs the same number of SQL queries however long its history is."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parcours.households import services
from parcours.households.models import Dossier
from parcours.households.selectors import dossier_version, household_changes, household_on
from tests.factories import PersonFactory, household

pytestmark = pytest.mark.django_db
READ_ON = date(2024, 1, 1)


def with_history(changes: int) -> Dossier:
    """A household with `changes` changes of every kind: resources, address, housing, members..."""
    dossier = household(couple=True, children=1, opened_on=date(2015, 1, 1))
    parent = dossier.memberships.get(role="allocataire").person
    partner = dossier.memberships.get(role="conjoint").person
    for n in range(changes):
        day = date(2015, 2, 1) + timedelta(days=30 * n)
        kind = n % 6
        if kind == 0:
            services.resource_set(
                dossier=dossier,
                person=parent,
                kind="salaire_net",
                valid_from=day,
                monthly_amount=Decimal(1000 + n),
            )
        elif kind == 1:
            services.resource_set(
                dossier=dossier,
                person=partner,
                kind="chomage_net",
                valid_from=day,
                monthly_amount=Decimal(n % 2 * 700),
            )
        elif kind == 2:
            services.address_set(
                dossier=dossier,
                valid_from=day,
                street=f"{n} rue Haute",
                postcode="91000",
                commune_insee="91228",
                commune_name="Évry",
            )
        elif kind == 3:
            services.housing_set(
                dossier=dossier, valid_from=day, status="locataire", monthly_rent=Decimal(500 + n)
            )
        elif kind == 4:
            # A child who stays a few months: the composition grows with the history.
            services.member_add(
                dossier=dossier,
                person=PersonFactory(child=True, birth_date=date(2010, 1, 1)),
                role="enfant",
                valid_from=day,
                valid_until=day + timedelta(days=90),
            )
        else:
            services.child_support_set(
                dossier=dossier, valid_from=day, status="set_paid", monthly_amount_set=Decimal(100 + n)
            )
    return dossier


def queries(read) -> int:
    with CaptureQueriesContext(connection) as context:
        read()
    return len(context.captured_queries)


def test_reading_a_household_does_not_cost_more_with_a_longer_history(django_assert_max_num_queries):
    short, long = with_history(10), with_history(50)
    assert dossier_version(long) > dossier_version(short)
    day = date(2015, 1, 1) + timedelta(days=30 * 8)  # a day with a child staying in both
    assert len(household_on(long, day).children) == len(household_on(short, day).children) == 2

    for read in (
        lambda d: household_on(d, READ_ON),
        lambda d: household_on(d, day, version=dossier_version(d) - 3),
        lambda d: household_changes(d, date(2015, 1, 1), READ_ON),
    ):
        assert queries(lambda read=read: read(short)) == queries(lambda read=read: read(long))
    with django_assert_max_num_queries(9):
        household_on(long, READ_ON)
    with django_assert_max_num_queries(7):
        household_changes(long, date(2015, 1, 1), READ_ON)
    assert len(household_changes(long, date(2015, 1, 1), READ_ON)) > len(
        household_changes(short, date(2015, 1, 1), READ_ON)
    )
