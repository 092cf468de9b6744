"""A separation recorded 3 months back: the months are recomputed and the differences with what was
due before are rappels and indus, per benefit and month."""

import json
from datetime import date
from decimal import Decimal

import pytest

from parcours.accounts.models import AuditEntry
from parcours.households import services as registry
from parcours.households.selectors import dossier_version
from parcours.rights.engine import compute
from parcours.rights.facts import HouseholdFacts, PersonFacts, resource_months
from parcours.rights.models import RightsRevision
from parcours.rights.selectors import rights_timeline
from parcours.rights.services import rights_after_change, rights_revise
from tests.core.append_only import assert_append_only
from tests.factories import UserFactory, household

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)
MONTHS = ["2026-08", "2026-09", "2026-10", "2026-11"]


def expected_after_separation(month: str, children) -> dict[str, Decimal]:
    """The single parent's household after the separation, written by hand for the comparison:
    her salary since 2020, the two children, the rented flat, an unpaid pension since August."""
    salary = dict.fromkeys(resource_months(month), Decimal("1500.00"))
    facts = HouseholdFacts(
        month=month,
        couple=False,
        persons=(
            PersonFacts("mere", "parent", date(1988, 5, 10), {"salaire_net": salary}),
            *[PersonFacts(f"e{i}", "child", c.birth_date) for i, c in enumerate(children)],
        ),
        housing_status="locataire",
        rent=Decimal("700.00"),
        commune_insee="91228",
        child_support_status="set_unpaid",
        months_without_pension_set=MONTHS.index(month),
    )
    return compute([facts])[0].benefits


def test_a_separation_recorded_three_months_back_gives_rappels_and_indus_per_month():
    dossier = household(children=2, salary=Decimal("1500.00"), rent=Decimal("700.00"))
    conjoint = dossier.memberships.get(role="conjoint").person
    children = [m.person for m in dossier.memberships.filter(role="enfant").order_by("person__birth_date")]
    rights_revise(dossier=dossier, from_month=MONTHS[0], to_month=MONTHS[-1], source="calcul initial")
    before = {
        (f"{r.month:%Y-%m}", r.benefit): r.amount for r in RightsRevision.objects.filter(dossier=dossier)
    }
    assert before and all(key != ("2026-08", "asf") for key in before)  # a couple gets no ASF

    on = date(2026, 8, 1)
    registry.separation_record(dossier=dossier, leaving=conjoint, on=on, new_numero_allocataire="7000001")
    registry.child_support_set(
        dossier=dossier,
        valid_from=on,
        status="set_unpaid",
        monthly_amount_set=Decimal("300.00"),
        debtor=conjoint,
    )
    lines = rights_after_change(dossier=dossier, effective=on, today=TODAY)

    assert {line.month for line in lines} == set(MONTHS)
    revised = RightsRevision.objects.filter(dossier=dossier, source="révision")
    assert {r.registry_version for r in revised} == {dossier_version(dossier)}
    for month in MONTHS:
        expected = expected_after_separation(month, children)
        differences = {line.benefit: line.difference for line in lines if line.month == month}
        for benefit, amount in expected.items():
            assert differences.get(benefit, Decimal("0")) == amount - before.get(
                (month, benefit), Decimal("0")
            )
        assert differences["asf"] == expected["asf"] > 0
    timeline = {entry.month: entry for entry in rights_timeline(dossier, MONTHS[0], MONTHS[-1])}
    for month in MONTHS:
        entry = timeline[month]
        assert entry.rappels["asf"] == expected_after_separation(month, children)["asf"]
        for benefit, amount in entry.indus.items():
            assert amount > 0 and before[(month, benefit)] > entry.due[benefit]

    # Recomputing the same months again changes nothing: revisions are written only on a change.
    count = RightsRevision.objects.count()
    assert rights_after_change(dossier=dossier, effective=on, today=TODAY) == []
    assert RightsRevision.objects.count() == count


def test_revisions_are_append_only():
    dossier = household()
    rights_revise(dossier=dossier, from_month="2026-01", to_month="2026-01")
    revision = RightsRevision.objects.order_by("id").first()
    assert revision is not None
    # Both paths: `revision.save()` after a change and `revision.delete()` are refused too.
    assert_append_only(revision, amount=Decimal("0.00"), source="modifiée")


def test_rights_api_returns_due_amounts_rappels_and_indus_and_audits_staff(client):
    dossier = household(children=2)
    rights_revise(dossier=dossier, from_month="2026-09", to_month="2026-10")
    agent = UserFactory(agent=True)
    client.force_login(agent)
    url = f"/api/v1/households/{dossier.numero_allocataire}/rights?from=2026-09&to=2026-10"
    body = client.get(url).json()
    assert [entry["month"] for entry in body] == ["2026-09", "2026-10"]
    assert all(set(entry) == {"month", "due", "rappels", "indus", "revisions"} for entry in body)
    assert AuditEntry.objects.filter(actor=agent, dossier=dossier, action="dossier.read").count() == 1
    bad = client.get(f"/api/v1/households/{dossier.numero_allocataire}/rights?from=2026-10&to=2026-09")
    assert bad.status_code == 422 and "fin" in json.dumps(bad.json(), ensure_ascii=False)
    client.force_login(UserFactory(agent=True, departement="75"))
    assert client.get(url).status_code == 404  # as an unknown numéro
    client.logout()
    assert client.get(url).status_code == 401
