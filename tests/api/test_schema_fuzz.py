"""Every operation of the OpenAPI schema, fuzzed by schemathesis from the schema itself.

The schema is read where a client reads it (/api/v1/openapi.json) and every operation is called
in-process (WSGI) with the cases schemathesis derives from it: the schema's examples, its coverage
cases (boundaries, missing and wrong values, unexpected methods) and generated ones, valid and not.
Each answer must be:

- no server error (`not_a_server_error`);
- what the schema says: a documented status, its content type and its body schema
  (`status_code_conformance`, `content_type_conformance`, `response_schema_conformance`);
- every refusal (4xx) in French, in the one error format (tests/core/test_api_fuzz.py's check).

The authenticated operation is fuzzed twice: anonymously (401) and by a signed-in agent of the
dossier's territory, on the numéro schemathesis draws (mostly unknown: 404) and on a dossier that
exists (200, with a revision to show). tests/core/test_api_fuzz.py, beside, mutates valid payloads
by hand; this one is driven by the schema, so a new endpoint is fuzzed the day it is declared.
Runs are derandomized (the same cases on every run) and bounded (about 200 cases an operation).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from parcours.accounts.models import Role
from parcours.wsgi import application
from tests.accounts.helpers import sign_in_verified, user_with_role
from tests.core.test_api_fuzz import french_error
from tests.factories import household
from tests.factories.rights import RightsRevisionFactory

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/v1/openapi.json"
HOUSEHOLD_RIGHTS = "/api/v1/households/{numero}/rights"
NUMERO = "9100001"

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


def french_refusal(ctx, response, case) -> bool | None:  # type: ignore[no-untyped-def]
    """A refusal (4xx) answers JSON in the one format, every message in French."""
    if not 400 <= response.status_code < 500:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/json"), (
        f"HTTP {response.status_code} en {content_type!r} : {response.content[:200]!r}"
    )
    reason = french_error(json.loads(response.content))
    assert reason is None, f"HTTP {response.status_code} : {reason} ({response.content[:300]!r})"
    return True


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    french_refusal,
]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # The anonymous simulations are rate-limited (settings.PARCOURS_RATE_LIMITS, core/rate_limits.py):
    # after 30 calls every case would get the same 429. The endpoints are what is fuzzed here.
    settings.PARCOURS_RATE_LIMITS = {}


@pytest.fixture
def api_schema() -> Iterator[schemathesis.BaseSchema]:
    # The WSGI handler closes the database connection after each request (request_started and
    # request_finished), which would end the test's transaction; Django's test client disconnects
    # the same handler around its requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(SCHEMA_URL, application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@FUZZ
def test_every_operation_anonymously(case):
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def agent_session() -> str:
    """The session key of a signed-in agent (past the second factor) of the dossier's territory."""
    dossier = household(numero_allocataire=NUMERO, departement="91")
    RightsRevisionFactory(dossier=dossier, month="2026-01", benefit="af", rappel=True)
    client = Client()
    sign_in_verified(client, user_with_role(Role.AGENT_PRESTATIONS, departement="91"))
    return client.cookies["sessionid"].value


@schema.include(path=HOUSEHOLD_RIGHTS).parametrize()
@FUZZ
def test_household_rights_signed_in(case, agent_session):
    # Whatever cookie the case carries, the agent's session; the numéro drawn (unknown: 404), then
    # a dossier the agent may read with the same query (200, or the query's 422).
    case.cookies = {"sessionid": agent_session}
    case.call_and_validate(checks=CHECKS)
    if case.path_parameters is not None and "numero" in case.path_parameters:
        case.path_parameters["numero"] = NUMERO
        case.call_and_validate(checks=CHECKS)


@pytest.mark.parametrize(
    "numero",
    [
        "91%0000",  # NUL: PostgreSQL refuses it in a query (was a 500 there only)
        "%00",
        "%D9%A9%D9%A1%D9%A0%D9%A0%D9%A0%D9%A0%D9%A1",  # 7 Arabic-Indic digits: \d, not [0-9]
        "1" * 300,
        "910000",
    ],
)
def test_a_numero_that_cannot_be_one_is_refused_before_the_database(client, numero):
    sign_in_verified(client, user_with_role(Role.AGENT_PRESTATIONS, departement="91"))
    response = client.get(f"/api/v1/households/{numero}/rights", {"from": "2026-01", "to": "2026-01"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"field": "numero", "message": "Le numéro allocataire comporte 7 chiffres."}]
    }


def test_a_method_the_path_does_not_have_is_refused_in_french(client):
    # django-ninja's own 405 was the plain text "Method not allowed" (found by this fuzz).
    response = client.delete("/api/v1/health")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json() == {
        "detail": [{"field": "requête", "message": "Cette méthode n'est pas autorisée ici."}]
    }
