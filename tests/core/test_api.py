"""The JSON API's shell: the health endpoint, the schema, and the one French error format."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth
from ninja.testing import TestClient
from pydantic import field_validator

from parcours.accounts.models import Role
from parcours.api import api, on_domain_error, on_validation_error
from parcours.core.api_errors import install_french_errors, on_http_error
from tests.accounts.helpers import user_with_role
from tests.factories import household


@pytest.mark.django_db
def test_health_reports_the_database_and_never_the_household_count_to_anyone(client):
    household()
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}
    client.force_login(user_with_role(Role.AGENT_PRESTATIONS))
    assert "households" not in client.get("/api/v1/health").json()


@pytest.mark.django_db
def test_health_gives_the_household_count_to_a_signed_in_administrator(client, settings):
    household()
    household(couple=False)
    settings.PARCOURS_STAFF_2FA_REQUIRED = False
    client.force_login(user_with_role(Role.ADMIN))
    assert client.get("/api/v1/health").json() == {
        "status": "ok",
        "database": connection.vendor,
        "households": 2,
    }
    # Where the second factor is required, the count waits for it.
    settings.PARCOURS_STAFF_2FA_REQUIRED = True
    assert "households" not in client.get("/api/v1/health").json()


@pytest.mark.django_db
def test_health_answers_staff_before_their_second_factor(client, settings):
    # A load balancer's probe and a half-signed-in agent alike get the health, never a redirect.
    settings.PARCOURS_STAFF_2FA_REQUIRED = True
    client.force_login(user_with_role(Role.AGENT_PRESTATIONS))
    assert client.get("/api/v1/health").status_code == 200


@pytest.mark.django_db
def test_the_openapi_schema_is_served_and_french(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/health" in schema["paths"]
    assert schema["paths"]["/api/v1/health"]["get"]["summary"] == "État du service"


def test_the_product_api_uses_the_french_error_handlers():
    assert api._exception_handlers[NinjaValidationError] is on_validation_error
    assert api._exception_handlers[DjangoValidationError] is on_domain_error


def test_the_product_api_answers_every_refusal_in_the_one_format():
    assert api._exception_handlers.get(HttpError) is on_http_error


# A test-only API, outside the product, wired with the product's handlers.
probe = NinjaAPI(urls_namespace="test-error-format")
probe.add_exception_handler(NinjaValidationError, on_validation_error)
probe.add_exception_handler(DjangoValidationError, on_domain_error)
install_french_errors(probe)


class ProbeIn(Schema):
    amount: Decimal
    children: int
    on: date
    iban: str

    @field_validator("iban")
    @classmethod
    def french_iban(cls, value: str) -> str:
        if not value.startswith("FR"):
            raise ValueError("Cet IBAN n'est pas un IBAN français.")
        return value


@probe.post("/probe")
def probe_post(request, payload: ProbeIn) -> dict[str, str]:
    if payload.children > 12:
        raise DjangoValidationError({"children": ["Ce nombre d'enfants semble erroné."]})
    if payload.amount < 0:
        raise DjangoValidationError("Le montant ne peut pas être négatif.")
    return {"status": "ok"}


@probe.get("/probe/{what}", auth=django_auth)
def probe_refusals(request, what: str) -> dict[str, str]:
    if what == "introuvable":
        raise Http404("Dossier introuvable.")
    if what == "interdit":
        raise PermissionDenied("Vous n'avez pas accès à ce dossier.")
    raise PermissionDenied


@pytest.fixture
def probe_client():
    return TestClient(probe)


VALID = {"amount": "1200.00", "children": 2, "on": "2026-03-01", "iban": "FR7630006000011234567890189"}


def test_a_valid_payload_passes(probe_client):
    response = probe_client.post("/probe", json=VALID)
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"amount": None}, [{"field": "amount", "message": "Ce champ est obligatoire."}]),
        (
            {"amount": "douze"},
            [{"field": "amount", "message": 'Ce champ doit être un montant décimal, par exemple "1200.00".'}],
        ),
        ({"children": "deux"}, [{"field": "children", "message": "Ce champ doit être un nombre entier."}]),
        ({"on": "01/03/2026"}, [{"field": "on", "message": "Cette date doit être au format AAAA-MM-JJ."}]),
        (
            {"iban": "DE89370400440532013000"},
            [{"field": "iban", "message": "Cet IBAN n'est pas un IBAN français."}],
        ),
        (
            {"amount": None, "children": None},
            [
                {"field": "amount", "message": "Ce champ est obligatoire."},
                {"field": "children", "message": "Ce champ est obligatoire."},
            ],
        ),
    ],
)
def test_bad_input_gets_422_with_french_messages_per_field(probe_client, change, expected):
    payload = {k: v for k, v in {**VALID, **change}.items() if v is not None}
    response = probe_client.post("/probe", json=payload)
    assert response.status_code == 422
    assert response.json() == {"detail": expected}


def test_an_unreadable_body_gets_the_same_format(probe_client):
    response = probe_client.post("/probe", body=b"{pas du json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": [{"field": "requête", "message": "Le corps de la requête n'est pas un JSON valide."}]
    }


def test_other_refusals_get_the_same_format_in_french(probe_client):
    anonymous = probe_client.get("/probe/interdit")
    assert (anonymous.status_code, anonymous.json()) == (
        401,
        {"detail": [{"field": "requête", "message": "Connectez-vous pour utiliser cette API."}]},
    )
    signed_in = SimpleNamespace(is_authenticated=True)
    missing = probe_client.get("/probe/introuvable", user=signed_in)
    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": [{"field": "requête", "message": "Ressource introuvable."}]},
    )
    refused = probe_client.get("/probe/interdit", user=signed_in)
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": [{"field": "requête", "message": "Vous n'avez pas accès à ce dossier."}]},
    )
    bare = probe_client.get("/probe/autre", user=signed_in)
    assert bare.json()["detail"][0]["message"] == "Vous n'avez pas accès à cette ressource."


def test_a_domain_refusal_gets_the_same_format(probe_client):
    field = probe_client.post("/probe", json={**VALID, "children": 13})
    assert (field.status_code, field.json()) == (
        422,
        {"detail": [{"field": "children", "message": "Ce nombre d'enfants semble erroné."}]},
    )
    general = probe_client.post("/probe", json={**VALID, "amount": "-1"})
    assert (general.status_code, general.json()) == (
        422,
        {"detail": [{"field": "requête", "message": "Le montant ne peut pas être négatif."}]},
    )
