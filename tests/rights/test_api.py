"""POST /api/v1/simulations/rights: the contract, and French errors per field."""

import json
from decimal import Decimal

import pytest

from .cases import CASES

URL = "/api/v1/simulations/rights"


def post(client, payload):
    return client.post(URL, data=json.dumps(payload), content_type="application/json")


@pytest.mark.django_db
def test_contract_shape_and_decimal_strings(client):
    payload = dict(CASES[0][1])
    response = post(client, payload)
    assert response.status_code == 200
    body = response.json()
    assert body["month"] == "2026-01"
    expected = {"asf", "af", "cf", "ars", "rsa", "ppa", "aide_logement", "aah", "aeeh"}
    assert set(body["benefits"]) == expected == set(body["benefits_gross"])
    for value in [*body["benefits"].values(), *body["benefits_gross"].values(), body["total"]]:
        assert isinstance(value, str) and value.count(".") == 1 and len(value.split(".")[1]) == 2
    assert body["benefits"]["cf"] == "0.00"
    total = sum(int(v.replace(".", "")) for v in body["benefits"].values())
    assert int(body["total"].replace(".", "")) == total
    assert body["asf_children"][0]["kind"] == "avance_recouvrable"
    assert any("Parent isolé" in line for line in body["explanations"]["asf"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda p: p.update(month="2026-13"), "month", "AAAA-MM"),
        (lambda p: p["housing"].update(rent="-5"), "housing.rent", "négatif"),
        (lambda p: p["housing"].update(rent="650.001"), "housing.rent", "deux décimales"),
        (lambda p: p["housing"].update(status="chateau"), "housing.status", "pas autorisée"),
        (lambda p: p["housing"].update(commune_insee="ABC"), "housing.commune_insee", "INSEE"),
        (lambda p: p["persons"][0].update(birth_date="10/05/1988"), "persons.0.birth_date", "AAAA-MM-JJ"),
        (
            lambda p: p["persons"][0]["resources"].update(loto={"2026-01": "5.00"}),
            "persons.0.resources",
            "inconnue",
        ),
        (lambda p: p.update(couple=True), "requête", "deux parents"),
        (lambda p: p.pop("housing"), "housing", "obligatoire"),
    ],
)
def test_invalid_payloads_get_422_with_a_french_message_per_field(client, change, field, words):
    payload = json.loads(json.dumps(CASES[0][1]))
    change(payload)
    response = post(client, payload)
    assert response.status_code == 422
    details = response.json()["detail"]
    assert any(d["field"] == field and words in d["message"] for d in details), details


@pytest.mark.django_db
def test_the_contract_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/simulations/rights" in schema["paths"]


@pytest.mark.django_db
def test_the_pension_received_is_the_first_parents_resource_whatever_the_order(client):
    payload = json.loads(json.dumps(CASES[0][1]))
    payload["persons"] = [*payload["persons"][1:], payload["persons"][0]]  # children first
    payload["child_support"] = {"status": "set_paid", "received_monthly": "100.00"}
    body = post(client, payload).json()
    unpaid = post(client, CASES[0][1]).json()
    gross = Decimal(body["benefits_gross"]["asf"])
    assert gross == Decimal(unpaid["benefits_gross"]["asf"]) - Decimal("100.00")
    assert {c["kind"] for c in body["asf_children"]} == {"differentielle"}
    assert body["benefits"]["aide_logement"] == body["benefits_gross"]["aide_logement"]  # already net
