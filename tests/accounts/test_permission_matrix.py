"""Who may open which page: one explicit table, every role (and the anonymous visitor) × every page.

Run as in production: two-factor authentication required, staff signed in past the second factor.
Dossier pages are read as: the staff member's territory (91), another territory (75), the parent's
own dossier, and another parent's dossier (both in 91).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from parcours.accounts.models import AuditEntry, Role
from parcours.accounts.rules import ROLE_HOME
from tests.accounts.helpers import LOGIN_URL, parent_of, sign_in_verified, user_with_role
from tests.factories import UserFactory, household

pytestmark = pytest.mark.django_db

OK = "200"  # the page itself, no redirect
DENIED = "403"  # the French "Accès refusé" page: a role that never reads such pages
HIDDEN = "404"  # what the role reads, but not of this territory: as if it did not exist
LOGIN = "login"  # sent to /compte/connexion/?next=<the page>
HOME = "home"  # sent to the role's own home page (a partner's: the referrals made to it), no 2FA asked


ROLES = (
    "anonymous",
    Role.PARENT,
    Role.AGENT_PRESTATIONS,
    Role.AGENT_ARIPA,
    Role.TRAVAILLEUR_SOCIAL,
    Role.MANAGER,
    Role.PARTNER,
    Role.ADMIN,
)

# fmt: off
MATRIX = {
    #                                          anonymous parent  agent   ARIPA   social  manager partner admin
    "/":                                       (OK,     OK,      OK,     OK,     OK,     OK,     HOME,   OK),
    "/mon-dossier/":                           (LOGIN,  OK,      DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
    "/agent/dossiers/":                        (LOGIN,  DENIED,  OK,     OK,     OK,     DENIED, DENIED, OK),
    "/agent/dossiers/<territory 91>/":         (LOGIN,  DENIED,  OK,     OK,     OK,     DENIED, DENIED, OK),
    "/agent/dossiers/<territory 75>/":         (LOGIN,  DENIED,  HIDDEN, HIDDEN, HIDDEN, DENIED, DENIED, OK),
    # A parent reads their own dossier at /mon-dossier/, never through the agents' pages.
    "/agent/dossiers/<the parent's own>/":     (LOGIN,  DENIED,  OK,     OK,     OK,     DENIED, DENIED, OK),
    "/agent/dossiers/<another parent's>/":     (LOGIN,  DENIED,  OK,     OK,     OK,     DENIED, DENIED, OK),
    "/compte/journal-audit/":                  (LOGIN,  DENIED,  DENIED, DENIED, DENIED, OK,     DENIED, OK),
    "/admin/":                                 (LOGIN,  DENIED,  DENIED, DENIED, DENIED, DENIED, DENIED, OK),
    "/administration/taches-en-echec/":        (LOGIN,  DENIED,  DENIED, DENIED, DENIED, DENIED, DENIED, OK),
    "/compte/double-authentification/activer/":
                                               (LOGIN,  DENIED,  OK,     OK,     OK,     OK,     DENIED, OK),
}
# fmt: on
DOSSIER_PAGES = {
    "/agent/dossiers/<territory 91>/": "territory",
    "/agent/dossiers/<territory 75>/": "elsewhere",
    "/agent/dossiers/<the parent's own>/": "own",
    "/agent/dossiers/<another parent's>/": "other_parent",
}


def test_the_table_covers_every_role():
    assert set(ROLES) - {"anonymous"} == set(Role.values)
    assert all(len(row) == len(ROLES) for row in MATRIX.values())


@pytest.fixture
def settings_production_2fa(settings):
    settings.PARCOURS_STAFF_2FA_REQUIRED = True
    return settings


@pytest.mark.parametrize(
    ("page", "role", "expected"),
    [
        pytest.param(page, role, row[index], id=f"{role}-{page}")
        for page, row in MATRIX.items()
        for index, role in enumerate(ROLES)
    ],
)
def test_permission_matrix(client, settings_production_2fa, page, role, expected):
    lean = {"couple": False, "children": 0}  # the composition plays no part here
    dossiers = {
        "own": household(departement="91", **lean),
        "other_parent": household(departement="91", **lean),
        "territory": household(departement="91", **lean),
        "elsewhere": household(departement="75", **lean),
    }
    if role == Role.PARENT:
        user = parent_of(dossiers["own"])
    elif role != "anonymous":
        user = user_with_role(role)
    if role != "anonymous":
        sign_in_verified(client, user)
    target = dossiers.get(DOSSIER_PAGES.get(page, ""))
    url = f"/agent/dossiers/{target.numero_allocataire}/" if target else page

    response = client.get(url, follow=True)
    chain = [hop for hop, _ in response.redirect_chain]
    html = response.content.decode()

    if expected == OK:
        assert (response.status_code, chain) == (200, [])
    elif expected == DENIED:
        assert response.status_code == 403
        assert "Accès refusé" in html
    elif expected == HIDDEN:
        assert response.status_code == 404
    elif expected == HOME:
        assert (response.status_code, chain) == (200, [reverse(ROLE_HOME[role])])
    else:
        assert expected == LOGIN
        assert response.status_code == 200
        last = urlsplit(chain[-1])
        assert last.path == LOGIN_URL
        assert parse_qs(last.query)["next"] == [url]

    # What the page shows: a dossier page shows its dossier only when allowed (the sign-in page
    # only carries the address asked for); the parent's page shows their own dossier, nobody else's.
    if target is not None and expected != LOGIN:
        assert (target.numero_allocataire in html) is (expected == OK)
    if page == "/mon-dossier/" and expected == OK:
        assert dossiers["own"].numero_allocataire in html
        assert all(d.numero_allocataire not in html for k, d in dossiers.items() if k != "own")

    # Every signed-in attempt on a dossier page leaves exactly one audit entry, allowed or not.
    if target is not None and role != "anonymous":
        entries = list(AuditEntry.objects.filter(dossier=target).values_list("actor", "allowed"))
        assert entries == [(user.pk, expected == OK)]


def test_an_agent_with_the_is_staff_flag_still_cannot_enter_the_admin(client):
    # The role decides, not Django's is_staff flag set by mistake.
    agent = UserFactory(agent=True, is_staff=True, is_superuser=True)
    sign_in_verified(client, agent)
    response = client.get("/admin/households/dossier/", follow=True)
    assert response.status_code == 403


def test_an_administrator_account_without_is_staff_is_kept_out(client):
    admin = UserFactory(role=Role.ADMIN, is_staff=False)
    sign_in_verified(client, admin)
    assert client.get("/admin/", follow=True).status_code == 403


def test_the_admin_has_no_sign_in_form_of_its_own(client):
    # One door, rate-limited and followed by the second factor: the admin's form sends to it.
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next=/admin/accounts/user/"
    foreign = client.get("/admin/login/?next=https://exemple.invalid/")
    assert foreign.url == f"{LOGIN_URL}?next=/admin/"


def test_an_administrator_reaches_the_admin_page_they_asked_for(client):
    admin = user_with_role(Role.ADMIN)
    sign_in_verified(client, admin)
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert (response.status_code, response.url) == (302, "/admin/accounts/user/")
