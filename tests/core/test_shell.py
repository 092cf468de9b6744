"""The French DSFR shell: pages, navigation per role, accessibility, the dossier pages' contents."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from parcours.accounts.models import Role
from tests.accounts.helpers import parent_of, sign_in_verified, user_with_role
from tests.core.html import dangling_describedby, nav_links, unlabelled_inputs
from tests.factories import household

pytestmark = pytest.mark.django_db
NNBSP, NBSP = "\u202f", "\u00a0"


def page_for(client, who: str, url: str, dossier=None):
    if who == "parent":
        client.force_login(parent_of(dossier or household()))
    elif who != "anonymous":
        sign_in_verified(client, user_with_role(who))
    return client.get(url)


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("anonymous", "/", 200),
        ("anonymous", "/compte/connexion/", 200),
        ("anonymous", "/donnees-personnelles/", 200),
        ("anonymous", "/cette-page-n-existe-pas/", 404),
        ("parent", "/mon-dossier/", 200),
        ("parent", "/agent/dossiers/", 403),
        (Role.AGENT_PRESTATIONS, "/", 200),
        (Role.AGENT_PRESTATIONS, "/agent/dossiers/", 200),
        (Role.AGENT_PRESTATIONS, "/agent/dossiers/?q=12ab", 200),
        (Role.AGENT_PRESTATIONS, "dossier", 200),
        (Role.AGENT_PRESTATIONS, "/compte/double-authentification/activer/", 200),
        (Role.TRAVAILLEUR_SOCIAL, "/", 200),
        (Role.MANAGER, "/", 200),
        (Role.MANAGER, "/compte/journal-audit/", 200),
        (Role.PARTNER, "/", 302),  # to the referrals made to its structure
        (Role.PARTNER, "/social/orientations/", 200),
        (Role.ADMIN, "/", 200),
    ],
)
def test_every_page_is_french_dsfr_and_accessible(client, who, url, status):
    dossier = household()
    if url == "dossier":
        url = f"/agent/dossiers/{dossier.numero_allocataire}/"
    response = page_for(client, who, url, dossier)
    assert response.status_code == status
    if status == 302:
        response = client.get(response.url)
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert '<header role="banner" class="fr-header">' in html and 'class="fr-footer"' in html
    assert re.search(r"<title>[^<]*parcours — Caf</title>", html)
    assert "dsfr" in html and 'id="content"' in html  # the DSFR styles, and the skip link's target
    assert unlabelled_inputs(html) == []
    assert dangling_describedby(html) == []
    assert html.count('aria-current="page"') <= 1


def test_the_error_pages_are_french(client):
    assert "Page introuvable" in client.get("/cette-page-n-existe-pas/").content.decode()
    client.force_login(user_with_role(Role.PARTNER))
    denied = client.get("/agent/dossiers/").content.decode().replace("&#x27;", "'")
    assert "Accès refusé" in denied and "Cette page n'est pas accessible avec votre rôle." in denied


# who -> the navigation's links, in order
NAVIGATION = {
    "anonymous": ["Accueil"],
    Role.PARENT: ["Mon espace", "Mon dossier", "Ma pension alimentaire", "Soutien à la parentalité"],
    Role.AGENT_PRESTATIONS: [
        "Accueil",
        "Mes tâches",
        "Liste de priorité",
        "Déclarations à instruire",
        "Demandes de rappel",
        "Rechercher un dossier",
    ],
    Role.AGENT_ARIPA: [
        "Accueil",
        "Mes tâches",
        "Liste de priorité",
        "Déclarations à instruire",
        "Demandes de rappel",
        "Intermédiations",
        "Compte d'attente",
        "Rechercher un dossier",
    ],
    Role.TRAVAILLEUR_SOCIAL: [
        "Accueil",
        "Mes tâches",
        "Liste de priorité",
        "Déclarations à instruire",
        "Demandes de rappel",
        "Signalements",
        "Mes accompagnements",
        "Aides financières",
        "Partenaires",
        "Rechercher un dossier",
    ],
    Role.MANAGER: ["Tableau de bord", "Budgets des aides", "Journal d'audit"],
    Role.PARTNER: ["Orientations reçues", "Séances de parentalité"],
    Role.ADMIN: [
        "Tableau de bord",
        "Rechercher un dossier",
        "Budgets des aides",
        "Journal d'audit",
        "Tâches en échec",
        "Administration",
    ],
}


@pytest.mark.parametrize("who", list(NAVIGATION))
def test_navigation_per_role(client, who):
    response = page_for(client, who, "/mon-dossier/" if who == Role.PARENT else "/")
    if response.status_code == 302:  # a partner's home is the referrals made to it
        response = client.get(response.url)
    html = response.content.decode()
    labels = [label.replace("&#x27;", "'") for label, _ in nav_links(html)]
    assert labels == NAVIGATION[who]
    # The home link of the role is the page shown (the parent's home is their dossier).
    current = [label for label, state in nav_links(html) if state == "page"]
    assert current == (["Mon dossier"] if who == Role.PARENT else [NAVIGATION[who][0]])


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/agent/dossiers/", [("Rechercher un dossier", "page")]),
        ("dossier", [("Rechercher un dossier", "true")]),  # a page of the search's section
        ("/", [("Accueil", "page")]),
        ("/taches/", [("Mes tâches", "page")]),
    ],
)
def test_aria_current_marks_the_page_and_its_section(client, url, expected):
    dossier = household()
    sign_in_verified(client, user_with_role(Role.AGENT_PRESTATIONS))
    if url == "dossier":
        url = f"/agent/dossiers/{dossier.numero_allocataire}/"
    links = nav_links(client.get(url).content.decode())
    assert [(label, state) for label, state in links if state] == expected


def test_a_manager_sees_figures_and_nothing_that_opens_a_dossier(client):
    here = [household(departement="91"), household(departement="91")]
    elsewhere = household(departement="75")
    sign_in_verified(client, user_with_role(Role.MANAGER, departement="91"))
    html = client.get("/").content.decode()
    assert "Tableau de bord" in html
    assert re.search(r'<h2 class="fr-tile__title">2</h2>', html)  # the territory's dossiers, counted
    assert "/agent/dossiers/" not in html and "/mon-dossier/" not in html and "/admin/" not in html
    assert 'role="search"' not in html and 'name="q"' not in html
    assert all(d.numero_allocataire not in html for d in [*here, elsewhere])


def test_an_agent_has_the_search_on_their_home(client):
    sign_in_verified(client, user_with_role(Role.AGENT_PRESTATIONS))
    html = client.get("/").content.decode()
    assert 'action="/agent/dossiers/"' in html and '<label class="fr-label" for="q">' in html


def test_staff_see_the_confidential_address_with_its_badge(client):
    confidential = household(confidential=True)
    ordinary = household()
    sign_in_verified(client, user_with_role(Role.TRAVAILLEUR_SOCIAL))
    page = client.get(f"/agent/dossiers/{confidential.numero_allocataire}/").content.decode()
    assert "Adresse confidentielle" in page and "12 rue des Lilas" in page
    assert (
        "Adresse confidentielle"
        not in client.get(f"/agent/dossiers/{ordinary.numero_allocataire}/").content.decode()
    )


@pytest.mark.parametrize("query", ["12ab", "123", "12345678", "123 4567", "１２３４５６７", "1234567x"])
def test_the_search_refuses_a_malformed_number_in_french(client, query):
    sign_in_verified(client, user_with_role(Role.AGENT_PRESTATIONS))
    response = client.get("/agent/dossiers/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<p class="fr-error-text" id="q-error">Le numéro allocataire comporte 7 chiffres.</p>' in html
    assert re.search(r'<input [^>]*aria-invalid="true" aria-describedby="q-error"', html)


def test_the_search_never_reveals_a_dossier_of_another_territory(client):
    here = household(departement="91")
    elsewhere = household(departement="75")
    sign_in_verified(client, user_with_role(Role.AGENT_PRESTATIONS, departement="91"))

    found = client.get("/agent/dossiers/", {"q": f" {here.numero_allocataire} "})
    assert (found.status_code, found.url) == (302, f"/agent/dossiers/{here.numero_allocataire}/")

    hidden = client.get("/agent/dossiers/", {"q": elsewhere.numero_allocataire})
    unknown = client.get("/agent/dossiers/", {"q": "9999999"})
    assert hidden.status_code == unknown.status_code == 200
    message = "Aucun dossier de votre territoire ne porte ce numéro."
    assert message in hidden.content.decode()
    # Word for word the answer for a number that exists nowhere.
    main = re.compile(r"<main.*</main>", re.DOTALL)
    hidden_main = main.search(hidden.content.decode()).group(0).replace(elsewhere.numero_allocataire, "N")
    unknown_main = main.search(unknown.content.decode()).group(0).replace("9999999", "N")
    assert re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", hidden_main) == re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]*"', "", unknown_main
    )


def test_a_national_administrator_finds_every_territory(client):
    elsewhere = household(departement="75")
    sign_in_verified(client, user_with_role(Role.ADMIN))
    found = client.get("/agent/dossiers/", {"q": elsewhere.numero_allocataire})
    assert found.status_code == 302


def test_a_parent_sees_their_household_in_french(client):
    dossier = household(salary=Decimal("1500.00"), rent=Decimal("700.00"))
    client.force_login(parent_of(dossier))
    html = client.get("/mon-dossier/").content.decode()
    assert dossier.numero_allocataire in html
    assert f"1{NNBSP}500,00{NBSP}€" in html and f"700,00{NBSP}€" in html and "Locataire" in html
    assert "10 mai 1988" in html  # the parent's birth date, in words
    assert (
        "FR76 •••• •••• 0189" in html
        and "0112 3456" not in html
        and "FR7630006000011234567890189" not in html
    )
