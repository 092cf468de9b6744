"""One demo login per role; the parent's account opens the demo separation dossier, and only it."""

from datetime import timedelta

import pytest

from parcours.accounts.models import STAFF_ROLES, Role, User
from parcours.demo.accounts import DEMO_PASSWORD
from parcours.households.access import own_dossier_ids, visible_dossiers
from parcours.households.models import Dossier
from parcours.households.selectors import household_on

from .conftest import REFERENCE, counts, load

pytestmark = pytest.mark.django_db


def test_one_login_per_role_with_its_territory():
    output = load(5)
    users = {user.username: user for user in User.objects.all()}
    assert {user.role for user in users.values()} == set(Role.values)
    logins = {name: user for name, user in users.items() if user.has_usable_password()}
    # The social worker's colleagues are names on the pages and authors in the logs, not logins.
    assert {user.role for name, user in users.items() if name not in logins} <= {Role.TRAVAILLEUR_SOCIAL}
    assert {user.role for user in logins.values()} == set(Role.values)
    for user in logins.values():
        assert user.check_password(DEMO_PASSWORD)
        if user.role == Role.ADMIN:
            assert user.is_staff and user.is_superuser and user.departement == ""
        else:
            assert not user.is_staff and not user.is_superuser and user.departement == "91"
    assert {u.role for u in users.values() if u.role in STAFF_ROLES} == set(STAFF_ROLES)
    # The printed table names every login with its password and role, in French.
    for user in logins.values():
        line = next(line for line in output.splitlines() if line.startswith(user.username + " "))
        assert DEMO_PASSWORD in line and Role(user.role).label in line
    assert "Identifiant" in output and "Mot de passe" in output


def test_the_parent_sees_their_recent_separation_and_nothing_else():
    load(5)
    parent = User.objects.get(username="parent")
    dossier = Dossier.objects.get(numero_allocataire="1000000")
    assert own_dossier_ids(parent) == {dossier.pk}
    assert list(visible_dossiers(parent)) == [dossier]
    now = household_on(dossier, REFERENCE)
    assert [m.person for m in now.adults] == [parent.person]
    assert len(now.children) == 2 and not now.is_couple and dossier.departement == "91"
    assert now.child_support.status == "set_unpaid"
    separated_on = dossier.changes.get(kind="separation").effective_date
    assert REFERENCE - timedelta(days=90) < separated_on < REFERENCE
    before = household_on(dossier, separated_on - timedelta(days=1))
    assert before.is_couple and len(before.children) == 2
    # The other parent sees the new dossier they continue in, no more the one they left.
    other = User.objects.get(username="parent2")
    ex_dossier = Dossier.objects.get(numero_allocataire="5000000")
    assert own_dossier_ids(other) == {ex_dossier.pk}
    assert household_on(ex_dossier, REFERENCE).adults[0].person == other.person
    couple = User.objects.get(username="parent3")
    assert household_on(Dossier.objects.get(pk=own_dossier_ids(couple).pop()), REFERENCE).is_couple


def test_accounts_are_idempotent_and_repaired():
    load(5)
    before = counts()
    hashes = dict(User.objects.values_list("username", "password"))
    load(5)
    assert counts() == before
    assert dict(User.objects.values_list("username", "password")) == hashes
    # A demo account moved out of its demo state is put back.
    User.objects.filter(username="agent").update(role=Role.MANAGER, departement="75")
    load(5)
    agent = User.objects.get(username="agent")
    assert (agent.role, agent.departement) == (Role.AGENT_PRESTATIONS, "91")


def test_a_parent_account_is_linked_once_their_household_exists():
    load(1)  # household 1 (the couple) does not exist yet
    assert User.objects.get(username="parent3").person is None
    load(2)
    assert User.objects.get(username="parent3").person is not None
