"""The pure rules (who may do what, which dossier), and the lists built from them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.accounts.models import Role
from parcours.accounts.rules import ROLE_PERMISSIONS, Perm, can_see_dossier, has_permission
from parcours.households.access import visible_dossiers
from tests.accounts.helpers import parent_of, user_with_role
from tests.factories import UserFactory, household

DOSSIER_PERMS = {Perm.OWN_DOSSIER, Perm.DOSSIER_READ, Perm.DOSSIER_SEARCH}

# role -> what it may do; the one place a change of the permission table must be written twice.
EXPECTED_PERMISSIONS = {
    "parent": {Perm.OWN_DOSSIER},
    "agent_prestations": {Perm.DOSSIER_READ, Perm.DOSSIER_SEARCH, Perm.TASKS},
    "agent_aripa": {Perm.DOSSIER_READ, Perm.DOSSIER_SEARCH, Perm.TASKS, Perm.CHILD_SUPPORT},
    "travailleur_social": {Perm.DOSSIER_READ, Perm.DOSSIER_SEARCH, Perm.TASKS, Perm.SOCIAL},
    "manager": {Perm.REPORTING, Perm.AUDIT_READ},
    "partenaire": {Perm.REFERRALS},
    "admin": {Perm.DOSSIER_READ, Perm.DOSSIER_SEARCH, Perm.AUDIT_READ, Perm.ADMIN, Perm.REPORTING},
}


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("perm", list(Perm))
def test_has_permission_follows_the_table(role, perm):
    assert has_permission(role, perm) is (perm in EXPECTED_PERMISSIONS[role])


def test_every_role_has_a_row_and_an_unknown_role_has_nothing():
    assert set(ROLE_PERMISSIONS) == set(Role.values)
    assert not any(has_permission(role, perm) for role in ("", "inconnu", "anonymous") for perm in Perm)


def test_managers_and_partners_never_open_a_dossier():
    for role in (Role.MANAGER, Role.PARTNER):
        assert not ROLE_PERMISSIONS[role] & DOSSIER_PERMS


def test_no_role_is_both_a_parent_and_staff():
    assert not any({Perm.OWN_DOSSIER, Perm.DOSSIER_READ} <= perms for perms in ROLE_PERMISSIONS.values())


# fmt: off
SCOPE = [
    # role                 user's territory  dossier's  own ids  expected
    ("parent",             "",               "91",      {1},     True),
    ("parent",             "91",             "91",      {2},     False),  # another parent's, same territory
    ("parent",             "",               "91",      set(),   False),
    ("agent_prestations",  "91",             "91",      set(),   True),
    ("agent_prestations",  "91",             "75",      set(),   False),
    ("agent_prestations",  "91",             "91",      {1},     True),
    ("agent_aripa",        "91",             "75",      set(),   False),
    ("travailleur_social", "75",             "75",      set(),   True),
    # A staff account without a territory is national only for an administrator.
    ("agent_prestations",  "",               "91",      set(),   False),
    ("agent_prestations",  "",               "",        set(),   False),
    ("manager",            "91",             "91",      set(),   False),
    ("manager",            "",               "91",      set(),   False),
    ("partenaire",         "",               "91",      set(),   False),
    ("admin",              "",               "75",      set(),   True),
    ("admin",              "91",             "91",      set(),   True),
    ("admin",              "91",             "75",      set(),   False),
    ("inconnu",            "91",             "91",      {1},     False),
]
# fmt: on


@pytest.mark.parametrize(("role", "user_dep", "dossier_dep", "own", "expected"), SCOPE)
def test_dossier_scope_rule(role, user_dep, dossier_dep, own, expected):
    allowed = can_see_dossier(
        role=role,
        user_departement=user_dep,
        dossier_departement=dossier_dep,
        dossier_id=1,
        own_dossier_ids=own,
    )
    assert allowed is expected


departements = st.sampled_from(["", "75", "91", "971"])


@given(
    role=st.sampled_from([*Role.values, "inconnu"]),
    user_dep=departements,
    dossier_dep=departements,
    dossier_id=st.integers(1, 5),
    own=st.sets(st.integers(1, 5), max_size=3),
)
def test_the_scope_rule_never_grants_more_than_the_policy(role, user_dep, dossier_dep, dossier_id, own):
    allowed = can_see_dossier(
        role=role,
        user_departement=user_dep,
        dossier_departement=dossier_dep,
        dossier_id=dossier_id,
        own_dossier_ids=own,
    )
    if role == Role.PARENT:
        assert allowed is (dossier_id in own)
    elif role in (Role.AGENT_PRESTATIONS, Role.AGENT_ARIPA, Role.TRAVAILLEUR_SOCIAL):
        assert allowed is (user_dep != "" and user_dep == dossier_dep)
    elif role == Role.ADMIN:
        assert allowed is (user_dep in ("", dossier_dep))
    else:
        assert allowed is False


@pytest.mark.django_db
def test_visible_dossiers_lists_exactly_what_the_door_would_open():
    mine = household(departement="91")
    neighbour = household(departement="91")
    elsewhere = household(departement="75")
    everyone = {mine, neighbour, elsewhere}
    accounts = {
        "parent": parent_of(mine),
        "parent without a person": UserFactory(role=Role.PARENT),
        "agent": user_with_role(Role.AGENT_PRESTATIONS),
        "ARIPA agent of 75": user_with_role(Role.AGENT_ARIPA, departement="75"),
        "social worker": user_with_role(Role.TRAVAILLEUR_SOCIAL),
        "agent without a territory": user_with_role(Role.AGENT_PRESTATIONS, departement=""),
        "manager": user_with_role(Role.MANAGER),
        "national manager": user_with_role(Role.MANAGER, departement=""),
        "partner": user_with_role(Role.PARTNER),
        "national admin": user_with_role(Role.ADMIN),
        "admin of 75": UserFactory(role=Role.ADMIN, departement="75", is_staff=True),
    }
    expected = {
        "parent": {mine},
        "parent without a person": set(),
        "agent": {mine, neighbour},
        "ARIPA agent of 75": {elsewhere},
        "social worker": {mine, neighbour},
        "agent without a territory": set(),
        "manager": set(),
        "national manager": set(),
        "partner": set(),
        "national admin": everyone,
        "admin of 75": {elsewhere},
    }
    for name, user in accounts.items():
        listed = set(visible_dossiers(user))
        assert listed == expected[name], name
        own = {mine.pk} if name == "parent" else set()
        opened = {
            d
            for d in everyone
            if can_see_dossier(
                role=user.role,
                user_departement=user.departement,
                dossier_departement=d.departement,
                dossier_id=d.pk,
                own_dossier_ids=own,
            )
        }
        assert listed == opened, name
