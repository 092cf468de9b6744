"""The registry over random sequences of changes, against a naive day-by-day reference model.

The reference says, for each fact, "from day D the value is X until the next known change", with
days and boundaries only; the registry must agree on every day, report changes on exactly the days
the reference changes, and reproduce every earlier state "as known at version v".
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.households import history, services
from parcours.households.selectors import dossier_version, household_changes, household_facts, household_on

BASE = date(2024, 1, 1)
HORIZON = 50


class Reference:
    """day -> value per fact, and the days where some change starts or ends (the known changes)."""

    def __init__(self):
        self.values: dict[str, dict[date, object]] = {}
        self.bounds: dict[str, set[date]] = {}

    def _end(self, key: str, on: date) -> date:
        later = [b for b in self.bounds.get(key, set()) if b > on]
        return min(later) if later else BASE + timedelta(days=HORIZON + 10)

    def set(self, key: str, on: date, value: object | None) -> None:
        days = self.values.setdefault(key, {})
        covering = days.get(on)
        if value is None:
            if covering is None:
                return
            end = self._end(key, on)
            for n in range((end - on).days):
                days.pop(on + timedelta(days=n), None)
        else:
            end = self._end(key, on)
            for n in range((end - on).days):
                days[on + timedelta(days=n)] = value
        self.bounds.setdefault(key, set()).update({on, end})

    def on(self, day: date) -> dict[str, object]:
        return {key: days[day] for key, days in self.values.items() if day in days}


operations = st.lists(
    st.tuples(
        st.sampled_from(["address", "housing", "salary", "salary_end", "support"]),
        st.integers(0, 40),
        st.integers(1, 4),
    ),
    min_size=1,
    max_size=7,
)


def registry_on(dossier, day, person_id, version=None, facts=None):
    state = history.state_on(facts if facts is not None else household_facts(dossier, version=version), day)
    out = {}
    if "address" in state:
        out["address"] = state["address"]["address"].street
    if "housing" in state:
        out["housing"] = state["housing"]["housing"].monthly_rent
    if "child_support" in state:
        out["support"] = state["child_support"]["child_support"].status
    salary = state.get("resources", {}).get((person_id, "salaire_net"))
    if salary is not None:
        out["salary"] = salary
    return out


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_registry_agrees_with_the_reference_every_day_and_at_every_version(ops):
    with transaction.atomic():
        person = services.person_create(
            first_names="Léa", last_name="Martin", birth_date=date(1990, 1, 1), sex="F"
        )
        dossier = services.dossier_open(
            numero_allocataire="1234567", departement="91", opened_on=BASE, allocataire=person
        )
        reference = Reference()
        snapshots = []
        for kind, offset, value in ops:
            on = BASE + timedelta(days=offset)
            if kind == "address":
                services.address_set(
                    dossier=dossier,
                    valid_from=on,
                    street=f"{value} rue Haute",
                    postcode="91000",
                    commune_insee="91228",
                    commune_name="Évry",
                )
                reference.set("address", on, f"{value} rue Haute")
            elif kind == "housing":
                services.housing_set(
                    dossier=dossier, valid_from=on, status="locataire", monthly_rent=Decimal(value * 100)
                )
                reference.set("housing", on, Decimal(value * 100))
            elif kind == "support":
                status = ["none", "set_paid", "set_unpaid", "debtor_unable"][value - 1]
                amount = None if status == "none" else Decimal("150.00")
                services.child_support_set(
                    dossier=dossier, valid_from=on, status=status, monthly_amount_set=amount
                )
                reference.set("support", on, status)
            else:
                amount = Decimal(0) if kind == "salary_end" else Decimal(value * 500)
                services.resource_set(
                    dossier=dossier, person=person, kind="salaire_net", valid_from=on, monthly_amount=amount
                )
                reference.set("salary", on, None if kind == "salary_end" else amount)
            facts = household_facts(dossier)
            states = {
                n: registry_on(dossier, BASE + timedelta(days=n), person.pk, facts=facts)
                for n in range(HORIZON)
            }
            snapshots.append((dossier_version(dossier), states))

        for n in range(HORIZON):
            day = BASE + timedelta(days=n)
            assert snapshots[-1][1][n] == reference.on(day), day
        for n in range(0, HORIZON, 7):
            state = household_on(dossier, BASE + timedelta(days=n))
            assert (state.address.street if state.address else None) == reference.on(
                BASE + timedelta(days=n)
            ).get("address")
        changed_days = {
            BASE + timedelta(days=n)
            for n in range(1, HORIZON)
            if reference.on(BASE + timedelta(days=n - 1)) != reference.on(BASE + timedelta(days=n))
        }
        reported = {c.on for c in household_changes(dossier, BASE, BASE + timedelta(days=HORIZON - 1))}
        assert reported == changed_days
        for version, states in snapshots:
            facts = household_facts(dossier, version=version)
            for n in range(HORIZON):
                assert registry_on(dossier, BASE + timedelta(days=n), person.pk, facts=facts) == states[n]
        transaction.set_rollback(True)
