"""The French error pages with DEBUG off, as production answers: 400, 403 (CSRF), 404, 500, and the
API's French JSON for the same statuses under /api/."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client

from parcours.core import views

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def french_page(response) -> str:
    html = response.content.decode()
    assert '<html lang="fr"' in html and "fr-header" in html
    assert "Bad Request" not in html and "Server Error" not in html and "Traceback" not in html
    return html


def test_a_host_this_site_does_not_serve_gets_the_french_400_page(production):
    response = production.get("/", HTTP_HOST="ailleurs.example")
    assert response.status_code == 400
    html = french_page(response)
    assert "<h1>Requête invalide</h1>" in html and "erreur 400" in html


def test_a_suspicious_request_gets_the_french_400_page(production, monkeypatch):
    def suspicious(*args, **kwargs):
        raise SuspiciousOperation("en-tête trafiqué")

    monkeypatch.setattr(views, "render", suspicious)
    response = production.get("/")
    assert response.status_code == 400
    assert "en-tête trafiqué" not in french_page(response)


def test_under_the_api_a_400_is_french_json(production):
    response = production.get("/api/v1/health", HTTP_HOST="ailleurs.example")
    assert (response.status_code, response.json()) == (
        400,
        {"detail": [{"field": "requête", "message": "La requête est invalide."}]},
    )


def test_the_400_and_500_pages_need_nothing_that_could_fail():
    # Rendered without a request: no context processor, no URL lookup, no manifest of static files.
    for name in ("400.html", "500.html"):
        html = views.loader.get_template(name).render({"reference": "0badf00d"})
        assert '<html lang="fr">' in html
        assert re.search(r'<link rel="stylesheet" href="/static/dsfr/dist/dsfr/dsfr\.min\.css">', html)
        assert "<style" not in html and "style=" not in html  # the Content-Security-Policy refuses them


def test_a_view_raising_gets_the_french_500_page(production, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("détail interne")

    monkeypatch.setattr(views, "render", boom)
    response = production.get("/")
    assert response.status_code == 500
    html = french_page(response)
    assert "<h1>Erreur inattendue</h1>" in html and "détail interne" not in html
    assert re.search(r"la référence <strong>[0-9a-f]{8}</strong>", html)


def test_an_unknown_api_address_is_french_json_and_a_wrong_method_too(production):
    unknown = production.get("/api/v1/xxx")
    assert unknown.status_code == 404 and unknown["Content-Type"].startswith("application/json")
    assert unknown.json() == {"detail": [{"field": "requête", "message": "Ressource introuvable."}]}
    wrong_method = production.delete("/api/v1/health")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["detail"][0]["message"] == "Cette méthode n'est pas autorisée ici."


def test_an_unknown_page_is_the_french_404(production):
    response = production.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page non trouvée" in french_page(response)


def test_a_form_without_its_csrf_token_gets_a_french_403(settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post("/compte/connexion/", {"username": "claire", "password": "x"})
    assert response.status_code == 403
    html = french_page(response)
    assert "<h1>Formulaire expiré</h1>" in html and "CSRF" not in html
