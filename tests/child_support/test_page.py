"""The page "Simuler une pension alimentaire": open to everyone, accessible, French errors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.core.html import dangling_describedby, unlabelled_inputs

pytestmark = pytest.mark.django_db

VALID = {"income": "1 600,00", "children": "2", "custody": "classique", "on": "2026-01-15"}


@pytest.fixture
def url():
    return reverse("child_support:simulate")


def test_the_page_is_open_without_signing_in(client, url):
    assert url == "/pension-alimentaire/simuler/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Simuler une pension alimentaire</h1>" in html
    assert unlabelled_inputs(html) == []
    assert 'name="on" value="' in html  # today, by default


def test_a_valid_simulation_shows_both_amounts_and_the_explanation(client, url):
    response = client.post(url, VALID)
    assert response.status_code == 200
    html = response.content.decode()
    # (1 600 − 646,52) × 11,5 % = 109,6502 → 109,65 € par enfant ; Caf : 1 600 × 11,8 % = 188,80 €.
    assert "Estimation indicative : 109,65\u00a0€ par enfant et par mois" in html
    assert "Soit 219,30\u00a0€ par mois pour 2 enfants." in html
    assert "Minimum exigé par la Caf : 188,80\u00a0€ par enfant et par mois" in html
    assert "table de référence du ministère de la Justice" in html
    assert "1\u202f600,00\u00a0€ − 646,52\u00a0€ = 953,48\u00a0€" in html
    assert "à confirmer" not in html
    assert 'value="1 600,00"' in html  # what was typed stays in the form


def test_the_two_amounts_are_explained_side_by_side(client, url):
    # The case a parent reported: 2 000 € and 2 children, where the Caf minimum exceeds the estimate.
    html = client.post(url, {**VALID, "income": "2000"}).content.decode()
    assert "Pourquoi deux montants différents ?" in html
    assert "<caption>Les deux montants côte à côte</caption>" in html
    assert "le minimum de la Caf (472,00\u00a0€) est plus élevé que l&#x27;estimation (311,30\u00a0€)" in html
    assert "atteint au moins 472,00\u00a0€ par mois" in html


def test_a_rate_to_confirm_is_said_on_the_page(client, url):
    html = client.post(url, {**VALID, "children": "4"}).content.decode()
    assert "Taux à confirmer" in html


def test_the_lowered_caf_threshold_is_explained(client, url):
    html = client.post(url, {**VALID, "income": "700", "custody": "reduit", "children": "1"}).content.decode()
    assert "le seuil est ramené à" in html
    assert "Minimum exigé par la Caf : 53,48\u00a0€" in html


def test_invalid_input_keeps_what_was_typed_and_shows_french_errors(client, url):
    response = client.post(url, {"income": "-12,50", "children": "0", "on": "2001-01-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le revenu ne peut pas être négatif." in html
    assert "Indiquez au moins 1 enfant." in html
    assert "Choisissez le mode de résidence des enfants." in html
    assert "La date doit être comprise entre le 27 juillet 2018" in html
    assert "Le formulaire contient 4 erreurs" in html
    assert 'value="-12,50"' in html and 'value="0"' in html and 'value="2001-01-01"' in html
    assert 'aria-invalid="true"' in html
    assert dangling_describedby(html) == []
    assert "Estimation indicative" not in html


@pytest.mark.parametrize(
    ("income", "message"),
    [("douze", "Saisissez un montant"), ("1600,555", "au plus deux décimales"), ("", "Indiquez le revenu")],
)
def test_income_errors(client, url, income, message):
    html = client.post(url, {**VALID, "income": income}).content.decode()
    assert message in html
