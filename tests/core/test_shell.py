"""The French shell: formats, navigation per role, the dossier pages' contents."""

from decimal import Decimal

import pytest

from parcours.core.templatetags.parcours_format import date_fr, euros, iban_masked
from tests.factories import UserFactory, household

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.5"), f"1{NNBSP}234,50{NBSP}€"),
        (Decimal("0"), f"0,00{NBSP}€"),
        (Decimal("-75.125"), f"-75,13{NBSP}€"),
        (Decimal("1234567.89"), f"1{NNBSP}234{NNBSP}567,89{NBSP}€"),
        ("650.00", f"650,00{NBSP}€"),
        (None, "—"),
        ("pas un nombre", "—"),
    ],
)
def test_euros(value, expected):
    assert euros(value) == expected


def test_dates_and_ibans():
    from datetime import date

    assert date_fr(date(2026, 3, 1)) == "1er mars 2026"
    assert date_fr(date(2026, 8, 15)) == "15 août 2026"
    assert date_fr(None) == "—"
    assert iban_masked("FR7630006000011234567890189") == "FR76 •••• •••• 0189"


NAV = {
    "parent": ({"Mon dossier"}, {"Rechercher un dossier", "Journal d'audit"}),
    "agent_prestations": ({"Mes tâches", "Rechercher un dossier"}, {"Mon dossier", "Tableau de bord"}),
    "manager": ({"Tableau de bord", "Journal d'audit"}, {"Rechercher un dossier", "Mon dossier"}),
    "partenaire": ({"Orientations reçues"}, {"Rechercher un dossier", "Mon dossier"}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(NAV))
def test_navigation_per_role(client, role):
    dossier = household()
    person = dossier.memberships.get(role="allocataire").person if role == "parent" else None
    client.force_login(UserFactory(role=role, departement="91", person=person))
    url = "/mon-dossier/" if role == "parent" else "/"
    html = client.get(url).content.decode()
    assert 'lang="fr"' in html and "fr-header" in html
    shown, hidden = NAV[role]
    for label in shown:
        assert f">{label}</a>" in html.replace("&#x27;", "'"), label
    for label in hidden:
        assert f">{label}</a>" not in html.replace("&#x27;", "'"), label


@pytest.mark.django_db
def test_staff_see_the_confidential_badge_and_the_search_never_reveals_another_territory(client):
    confidential = household(confidential=True)
    elsewhere = household(departement="75")
    client.force_login(UserFactory(agent=True))
    page = client.get(f"/agent/dossiers/{confidential.numero_allocataire}/").content.decode()
    assert "Adresse confidentielle" in page
    bad = client.get("/agent/dossiers/", {"q": "12ab"}).content.decode()
    assert "Le numéro allocataire comporte 7 chiffres." in bad
    hidden = client.get("/agent/dossiers/", {"q": elsewhere.numero_allocataire})
    assert hidden.status_code == 200 and "Aucun dossier de votre territoire" in hidden.content.decode()
    found = client.get("/agent/dossiers/", {"q": confidential.numero_allocataire})
    assert found.status_code == 302


@pytest.mark.django_db
def test_a_parent_sees_their_household_in_french(client):
    dossier = household(salary=Decimal("1500.00"), rent=Decimal("700.00"))
    client.force_login(UserFactory(person=dossier.memberships.get(role="allocataire").person))
    html = client.get("/mon-dossier/").content.decode()
    assert dossier.numero_allocataire in html
    assert f"1{NNBSP}500,00{NBSP}€" in html and "Locataire" in html
    assert "FR76 •••• •••• 0189" in html and "0112 3456" not in html
