"""Who may open which page: one explicit table, every role × every page."""

import pytest

from parcours.accounts.access import visible_dossiers
from parcours.accounts.models import AuditEntry, Role
from parcours.accounts.rules import ROLE_PERMISSIONS, Perm, can_see_dossier, has_permission
from tests.factories import UserFactory, household

pytestmark = pytest.mark.django_db

LOGIN = "login"
ROLES = ["anonymous", *Role.values]

# page -> expected outcome per role, in the order of ROLES:
# anonymous, parent, agent_prestations, agent_aripa, travailleur_social, manager, partenaire, admin
MATRIX = {
    "/": [200, 302, 200, 200, 200, 200, 200, 200],
    "/mon-dossier/": [LOGIN, 200, 403, 403, 403, 403, 403, 403],
    "/agent/dossiers/": [LOGIN, 403, 200, 200, 200, 403, 403, 200],
    "own-territory-dossier": [LOGIN, 403, 200, 200, 200, 403, 403, 200],
    "other-territory-dossier": [LOGIN, 403, 403, 403, 403, 403, 403, 200],
    # A parent reads their dossier at /mon-dossier/, never through the agents' pages.
    "own-dossier-of-parent": [LOGIN, 403, 200, 200, 200, 403, 403, 200],
    "/compte/journal-audit/": [LOGIN, 403, 403, 403, 403, 200, 403, 200],
    "/compte/double-authentification/activer/": [LOGIN, 403, 200, 200, 200, 200, 403, 200],
}
ADMIN_PAGE = {"anonymous": 302, "admin": 200}


def make_user(role: str, own_dossier):
    if role == "anonymous":
        return None
    if role == Role.PARENT:
        return UserFactory(role=role, person=own_dossier.memberships.get(role="allocataire").person)
    departement = "" if role in (Role.ADMIN, Role.PARTNER) else "91"
    return UserFactory(
        role=role, departement=departement, is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN
    )


@pytest.mark.parametrize("page", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, role, page):
    own = household(departement="91")
    other_territory = household(departement="75")
    user = make_user(role, own)
    if user is not None:
        client.force_login(user)
    url = {
        "own-territory-dossier": f"/agent/dossiers/{household(departement='91').numero_allocataire}/",
        "other-territory-dossier": f"/agent/dossiers/{other_territory.numero_allocataire}/",
        "own-dossier-of-parent": f"/agent/dossiers/{own.numero_allocataire}/",
    }.get(page, page)
    expected = MATRIX[page][ROLES.index(role)]
    response = client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302 and response.url.startswith("/compte/connexion/")
    else:
        assert response.status_code == expected, (role, page)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_admin_enters_the_django_admin(client, role):
    user = make_user(role, household())
    if user is not None:
        client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == (200 if role == Role.ADMIN else 302)


def test_every_role_has_a_row_in_the_permission_table():
    assert set(ROLE_PERMISSIONS) == set(Role.values)
    assert not has_permission("inconnu", Perm.OWN_DOSSIER)


@pytest.mark.parametrize(
    ("role", "user_dep", "dossier_dep", "own", "expected"),
    [
        ("parent", "", "91", {1}, True),
        ("parent", "", "91", {2}, False),
        ("agent_prestations", "91", "91", set(), True),
        ("agent_prestations", "91", "75", set(), False),
        ("agent_prestations", "", "91", set(), False),
        ("manager", "91", "91", set(), False),
        ("partenaire", "", "91", set(), False),
        ("admin", "", "75", set(), True),
        ("admin", "91", "75", set(), False),
    ],
)
def test_dossier_scope_rule(role, user_dep, dossier_dep, own, expected):
    allowed = can_see_dossier(
        role=role,
        user_departement=user_dep,
        dossier_departement=dossier_dep,
        dossier_id=1,
        own_dossier_ids=own,
    )
    assert allowed is expected


def test_visible_dossiers_never_lists_too_much():
    mine, same_territory, elsewhere = (
        household(departement="91"),
        household(departement="91"),
        household(departement="75"),
    )
    parent = UserFactory(person=mine.memberships.get(role="allocataire").person)
    agent = UserFactory(agent=True)
    manager = UserFactory(manager=True)
    assert set(visible_dossiers(parent)) == {mine}
    assert set(visible_dossiers(agent)) == {mine, same_territory}
    assert set(visible_dossiers(manager)) == set()
    assert elsewhere not in visible_dossiers(agent)


def test_a_parent_opening_another_dossier_is_refused_and_audited(client):
    mine, theirs = household(), household()
    parent = UserFactory(person=mine.memberships.get(role="allocataire").person)
    client.force_login(parent)
    assert client.get(f"/agent/dossiers/{theirs.numero_allocataire}/").status_code == 403
    assert AuditEntry.objects.filter(actor=parent).count() == 0  # the role check refuses before any read
    agent_elsewhere = UserFactory(agent=True, departement="75")
    client.force_login(agent_elsewhere)
    assert client.get(f"/agent/dossiers/{theirs.numero_allocataire}/").status_code == 403
    refusal = AuditEntry.objects.get(actor=agent_elsewhere)
    assert refusal.allowed is False and refusal.action == "dossier.read_refused" and refusal.dossier == theirs
