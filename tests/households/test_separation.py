"""A separation keeps one history: the old dossier goes on, the ex-partner continues in a new one."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from parcours.households import services
from parcours.households.describe import describe_changes
from parcours.households.models import ChangeKind, Dossier, Membership, Person
from parcours.households.selectors import (
    dossier_version,
    dossiers_of_person,
    household_changes,
    household_on,
)
from tests.factories import PersonFactory, household

from .helpers import assert_refused, plain_changes, plain_household

pytestmark = pytest.mark.django_db
OPENED = date(2018, 1, 1)
ON = date(2024, 6, 15)
EXCLUSIVE = ("enfant", "exclusive")
ALTERNATING = ("enfant", "alternee")


def couple_with_three_children() -> tuple[Dossier, Person, Person, list[Person]]:
    dossier = household(children=3, opened_on=OPENED, salary=Decimal("1500.00"))
    parent = dossier.memberships.get(role="allocataire").person
    partner = dossier.memberships.get(role="conjoint").person
    children = [m.person for m in dossier.memberships.filter(role="enfant").order_by("person__birth_date")]
    services.resource_set(
        dossier=dossier,
        person=partner,
        kind="salaire_net",
        valid_from=OPENED,
        monthly_amount=Decimal("2100.00"),
    )
    return dossier, parent, partner, children


def separate(dossier, partner, children, on=ON, **kwargs) -> Dossier:
    return services.separation_record(
        dossier=dossier,
        leaving=partner,
        on=on,
        new_numero_allocataire="7777777",
        children_leaving=[children[0]],
        children_alternating=[children[1]],
        new_address=services.NewAddress("2 rue B", "91300", "91377", "Massy", is_confidential=True),
        **kwargs,
    )


def test_one_history_continues_in_two_dossiers():
    dossier, parent, partner, children = couple_with_three_children()
    known_before = dossier_version(dossier)
    new = separate(dossier, partner, children)
    eve = ON - timedelta(days=1)

    # Before the date the old dossier has both adults, the union, the children and both salaries.
    before = plain_household(household_on(dossier, eve))
    assert before == plain_household(household_on(dossier, eve, version=known_before))
    assert {k: v for k, v in before.items() if k[0] == "members"} == {
        ("members", parent.pk): ("allocataire", "exclusive"),
        ("members", partner.pk): ("conjoint", "exclusive"),
        **{("members", c.pk): EXCLUSIVE for c in children},
    }
    assert before["union", "union"] == "pacs"
    assert before["resources", (partner.pk, "salaire_net")] == Decimal("2100.00")
    # Nothing of the new dossier existed before the date.
    assert plain_household(household_on(new, eve)) == {}

    # From the date: the allocataire stays with the staying child and the alternating one...
    old_after = household_on(dossier, ON)
    assert old_after.union is None and not old_after.is_couple
    assert {k: v for k, v in plain_household(old_after).items() if k[0] == "members"} == {
        ("members", parent.pk): ("allocataire", "exclusive"),
        ("members", children[1].pk): ALTERNATING,
        ("members", children[2].pk): EXCLUSIVE,
    }
    assert old_after.resources == {(parent.pk, "salaire_net"): Decimal("1500.00")}
    assert old_after.address.street == "12 rue des Lilas"  # the old household's facts go on
    # ... and the ex-partner is allocataire of the new dossier, with the leaving and alternating children.
    new_after = household_on(new, ON)
    assert {k: v for k, v in plain_household(new_after).items() if k[0] == "members"} == {
        ("members", partner.pk): ("allocataire", "exclusive"),
        ("members", children[0].pk): EXCLUSIVE,
        ("members", children[1].pk): ALTERNATING,
    }
    assert new_after.resources == {(partner.pk, "salaire_net"): Decimal("2100.00")}
    assert new_after.address.is_confidential and new_after.union is None
    assert (new.opened_on, new.departement) == (ON, dossier.departement)
    assert dossier.changes.get(kind=ChangeKind.SEPARATION).effective_date == ON
    assert new.changes.get().kind == ChangeKind.CREATION

    # The old dossier's changes over the whole period are exactly the separation's, on its date.
    changes = household_changes(dossier, OPENED, date(2026, 12, 31))
    assert sorted(plain_changes(changes), key=repr) == sorted(
        [
            (ON, "union", "union", "pacs", None),
            (ON, "members", partner.pk, ("conjoint", "exclusive"), None),
            (ON, "members", children[0].pk, EXCLUSIVE, None),
            (ON, "members", children[1].pk, EXCLUSIVE, ALTERNATING),
            (ON, "resources", (partner.pk, "salaire_net"), Decimal("2100.00"), None),
        ],
        key=repr,
    )
    lines = [line.text for line in describe_changes(changes)]
    assert {line.on for line in describe_changes(changes)} == {ON}
    assert "Fin de la vie de couple" in lines
    assert f"Départ du foyer : {partner.first_names} {partner.last_name}" in lines
    assert f"Départ du foyer : {children[0].first_names} {children[0].last_name}" in lines
    assert f"{children[1].first_names} {children[1].last_name} passe en résidence alternée" in lines
    assert f"Salaire net de {partner.first_names} {partner.last_name} : fin" in lines
    # The new dossier's changes: everything arrives on its first day.
    arrivals = plain_changes(household_changes(new, ON - timedelta(days=30), date(2026, 12, 31)))
    assert {c[0] for c in arrivals} == {ON} and all(c[3] is None for c in arrivals)
    assert {(c[1], c[2]) for c in arrivals if c[1] == "members"} == {
        ("members", partner.pk),
        ("members", children[0].pk),
        ("members", children[1].pk),
    }


def test_who_sees_which_dossier_around_the_separation():
    """Regression: the ex-partner kept access to the old dossier, now the other parent's."""
    dossier, parent, partner, children = couple_with_three_children()
    new = separate(dossier, partner, children)
    assert list(dossiers_of_person(partner, on=ON - timedelta(days=1))) == [dossier, new]  # new: coming
    assert list(dossiers_of_person(partner, on=ON)) == [new]
    assert list(dossiers_of_person(partner)) == [new]  # today, after the date
    assert list(dossiers_of_person(parent)) == [dossier]
    assert list(dossiers_of_person(children[0])) == []  # a child heads no dossier


def test_a_separation_dated_in_the_future_keeps_both_dossiers_visible_until_then():
    dossier, _parent, partner, children = couple_with_three_children()
    new = separate(dossier, partner, children, on=timezone.localdate() + timedelta(days=20))
    assert set(dossiers_of_person(partner)) == {dossier, new}


def test_an_alternating_child_keeps_a_known_end_of_stay_in_both_households():
    """Regression: the alternating stay used to be open-ended, past a departure already known."""
    dossier = household(children=0, opened_on=OPENED)
    partner = dossier.memberships.get(role="conjoint").person
    child = PersonFactory(child=True)
    departure = date(2026, 9, 1)
    services.member_add(
        dossier=dossier, person=child, role="enfant", valid_from=OPENED, valid_until=departure
    )
    new = services.separation_record(
        dossier=dossier,
        leaving=partner,
        on=ON,
        new_numero_allocataire="7777777",
        children_alternating=[child],
    )
    for household_dossier in (dossier, new):
        assert [
            m.custody for m in household_on(household_dossier, departure - timedelta(days=1)).children
        ] == ["alternee"]
        assert household_on(household_dossier, departure).children == []
    changes = plain_changes(household_changes(dossier, OPENED, date(2027, 1, 1)))
    assert sorted(changes, key=repr) == sorted(
        [
            (ON, "members", partner.pk, ("conjoint", "exclusive"), None),
            (ON, "members", child.pk, EXCLUSIVE, ALTERNATING),
            (ON, "union", "union", "pacs", None),
            (departure, "members", child.pk, ALTERNATING, None),
        ],
        key=repr,
    )


def test_a_back_dated_change_of_the_ex_partner_moves_the_new_dossiers_version():
    """Regression: a resource belongs to a person; a change recorded in the old dossier that shows in
    the new one must be in the new one's version, or "as known at version v" would miss it."""
    dossier, _parent, partner, children = couple_with_three_children()
    new = separate(dossier, partner, children)
    first = household_on(new, ON)
    services.resource_set(
        dossier=dossier,
        person=partner,
        kind="salaire_net",
        valid_from=ON - timedelta(days=45),
        monthly_amount=Decimal("2300.00"),
    )
    now = household_on(new, ON)
    assert now.resources == {(partner.pk, "salaire_net"): Decimal("2300.00")}  # the salary follows the person
    assert now.version > first.version
    assert now.version == dossier_version(new)
    assert plain_household(household_on(new, ON, version=now.version)) == plain_household(now)
    assert plain_household(household_on(new, ON, version=first.version)) == plain_household(first)


def test_after_the_separation_the_ex_partner_declares_in_the_new_dossier():
    dossier, _parent, partner, children = couple_with_three_children()
    new = separate(dossier, partner, children)
    later = ON + timedelta(days=60)
    salary = {
        "person": partner,
        "kind": "salaire_net",
        "valid_from": later,
        "monthly_amount": Decimal("1900.00"),
    }
    assert_refused("person", lambda: services.resource_set(dossier=dossier, **salary))
    services.resource_set(dossier=new, **salary)
    assert household_on(new, later).resources == {(partner.pk, "salaire_net"): Decimal("1900.00")}
    assert plain_changes(household_changes(dossier, ON, date(2026, 12, 31))) == []


def test_refused_separations_write_nothing():
    dossier, parent, partner, children = couple_with_three_children()
    stranger = PersonFactory()
    other = household(couple=False, children=1)
    other_child = other.memberships.get(role="enfant").person

    def attempt(**changes):
        values = {
            "dossier": dossier,
            "leaving": partner,
            "on": ON,
            "new_numero_allocataire": "7777778",
            "children_leaving": [],
            "children_alternating": [],
        }
        return lambda: services.separation_record(**(values | changes))

    assert_refused("leaving", attempt(leaving=parent), "allocataire reste titulaire")
    assert_refused("leaving", attempt(leaving=stranger), "couple")
    assert_refused("leaving", attempt(leaving=children[0]), "couple")
    assert_refused("leaving", attempt(on=date(2017, 12, 31)), "couple")  # before the couple's dossier
    assert_refused(
        "children",
        attempt(children_leaving=[children[0]], children_alternating=[children[0]]),
        "à la fois partir et être en résidence alternée",
    )
    assert_refused("children", attempt(children_leaving=[children[0], children[0]]), "deux fois")
    assert_refused("children", attempt(children_alternating=[other_child]), "enfant de ce foyer")
    assert_refused("children", attempt(children_leaving=[parent]), "enfant de ce foyer")
    # A refusal found after the first writes (the new number) still leaves nothing behind.
    assert_refused("numero_allocataire", attempt(new_numero_allocataire="77777"), "7 chiffres")
    assert_refused("numero_allocataire", attempt(new_numero_allocataire=other.numero_allocataire), "déjà")
    assert_refused(
        "postcode",
        attempt(new_address=services.NewAddress("2 rue B", "913", "91377", "Massy")),
        "code postal",
    )
    assert not Membership.objects.filter(dossier=dossier, retired_in__isnull=False).exists()
