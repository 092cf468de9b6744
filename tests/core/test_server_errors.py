"""A server error answers in French, never with a traceback: JSON under /api/, a page elsewhere."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client, RequestFactory

from parcours import api as product_api
from parcours.core import views

pytestmark = pytest.mark.django_db
SECRET = "détail interne à ne jamais montrer"


def boom(*args, **kwargs):
    raise RuntimeError(SECRET)


@pytest.fixture
def plain_client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("debug", [False, True])
def test_an_api_error_is_a_french_json_500_with_debug_on_or_off(
    plain_client, settings, monkeypatch, caplog, debug
):
    settings.DEBUG = debug  # ninja's own handler answers a plain-text traceback when DEBUG is on
    monkeypatch.setattr(product_api, "_is_signed_in_admin", boom)
    with caplog.at_level(logging.ERROR, logger="parcours.api"):
        response = plain_client.get("/api/v1/health")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    [detail] = response.json()["detail"]
    assert detail["field"] == "requête"
    assert detail["message"].startswith("Erreur interne : la demande n'a pas pu être traitée.")
    text = response.content.decode()
    assert SECRET not in json.loads(text)["detail"][0]["message"]
    assert "Traceback" not in text and "RuntimeError" not in text
    # The reference in the answer is the one the log gives beside the traceback.
    reference = detail["message"].rsplit(" ", 1)[1].rstrip(".")
    assert any(reference in r.getMessage() and r.exc_info for r in caplog.records)


def test_a_page_error_is_the_standalone_french_500_page(plain_client, monkeypatch):
    monkeypatch.setattr(views, "render", boom)
    response = plain_client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="fr">' in html and "Erreur interne" in html and "Réessayez" in html
    assert SECRET not in html and "Traceback" not in html and "Server Error" not in html


def test_django_s_handler500_answers_json_under_the_api():
    response = views.server_error(RequestFactory().get("/api/v1/quelque-chose"))
    assert response.status_code == 500
    assert json.loads(response.content)["detail"][0]["message"].startswith("Erreur interne : ")


def test_an_unknown_api_address_is_a_french_json_404(plain_client):
    response = plain_client.get("/api/v1/nulle-part")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": [{"field": "requête", "message": "Ressource introuvable."}]},
    )
    page = plain_client.get("/nulle-part")
    assert page.status_code == 404 and "Page introuvable" in page.content.decode()
