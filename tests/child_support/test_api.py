"""POST /api/v1/simulations/child-support: the contract, and French 422 errors per field."""

from __future__ import annotations

import json

import pytest

URL = "/api/v1/simulations/child-support"
VALID = {"debtor_monthly_income": "2000.00", "children": 2, "custody": "classique", "date": "2026-01-15"}

pytestmark = pytest.mark.django_db


def post(client, payload):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(URL, data=body, content_type="application/json")


def test_a_simulation_answers_both_scales_as_decimal_strings(client):
    response = post(client, VALID)
    assert response.status_code == 200
    # RSA on 2026-01-15: 646.52. Justice: (2000 − 646.52) × 11.5 % = 155.6502 → 155.65.
    # Caf: 2000 × 11.8 % = 236.00, and 2000 − 472 ≥ 646.52.
    assert response.json() == {
        "minimum_vital": "646.52",
        "per_child": "155.65",
        "total": "311.30",
        "caf_threshold_per_child": "236.00",
        "caf_threshold_total": "472.00",
    }


@pytest.mark.parametrize(
    ("custody", "per_child", "caf_per_child"),
    [
        ("reduit", "209.79", "314.00"),  # 1353.48 × 15.5 % ; 2000 × 15.7 % (taux majoré)
        ("alterne", "105.57", "158.00"),  # 1353.48 × 7.8 % ; 2000 × 7.9 % (taux minoré)
    ],
)
def test_the_custody_picks_the_column_of_each_scale(client, custody, per_child, caf_per_child):
    data = post(client, {**VALID, "custody": custody}).json()
    assert (data["per_child"], data["caf_threshold_per_child"]) == (per_child, caf_per_child)


def test_an_income_below_the_rsa_gives_zeros_with_two_decimals(client):
    data = post(client, {**VALID, "debtor_monthly_income": "500"}).json()
    assert data == {
        "minimum_vital": "646.52",
        "per_child": "0.00",
        "total": "0.00",
        "caf_threshold_per_child": "0.00",
        "caf_threshold_total": "0.00",
    }


def test_the_rsa_of_the_date_is_used(client):
    assert post(client, {**VALID, "date": "2026-04-01"}).json()["minimum_vital"] == "651.69"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"debtor_monthly_income": "-10.00"}, "debtor_monthly_income", "Le revenu ne peut pas être négatif."),
        ({"debtor_monthly_income": "1600.005"}, "debtor_monthly_income", "au plus deux décimales"),
        ({"debtor_monthly_income": "mille"}, "debtor_monthly_income", "point décimal"),
        ({"debtor_monthly_income": "1600,50"}, "debtor_monthly_income", "point décimal"),
        ({"debtor_monthly_income": "NaN"}, "debtor_monthly_income", "point décimal"),
        ({"debtor_monthly_income": 1600.5}, "debtor_monthly_income", "entre guillemets"),
        ({"debtor_monthly_income": "2000000"}, "debtor_monthly_income", "ne peut pas dépasser"),
        # Issue 9: bounded before any arithmetic (these were 500s), ASCII digits only.
        ({"debtor_monthly_income": "1e30"}, "debtor_monthly_income", "point décimal"),
        ({"debtor_monthly_income": "1" * 27}, "debtor_monthly_income", "ne peut pas dépasser"),
        ({"debtor_monthly_income": "1" * 40}, "debtor_monthly_income", "ne peut pas dépasser"),
        ({"debtor_monthly_income": 10**40}, "debtor_monthly_income", "ne peut pas dépasser"),
        ({"debtor_monthly_income": 1e308}, "debtor_monthly_income", "entre guillemets"),
        ({"debtor_monthly_income": "\uff12\uff10\uff10\uff10"}, "debtor_monthly_income", "chiffres 0 à 9"),
        ({"debtor_monthly_income": "\u0662\u0660\u0660\u0660"}, "debtor_monthly_income", "chiffres 0 à 9"),
        ({"custody": []}, "custody", "Le mode de résidence vaut"),
        ({"children": 0}, "children", "Indiquez au moins 1 enfant."),
        ({"children": 21}, "children", "Indiquez au plus 20 enfants."),
        ({"children": 2.5}, "children", "nombre entier"),
        ({"children": True}, "children", "nombre entier"),
        ({"custody": "garde"}, "custody", "Le mode de résidence vaut"),
        ({"custody": None}, "custody", "Le mode de résidence vaut"),
        (
            {"date": "2017-01-01"},
            "date",
            "La date doit être comprise entre le 27 juillet 2018 et le 31 mars 2027",
        ),
        ({"date": "2030-01-01"}, "date", "La date doit être comprise entre"),
        ({"date": "15/01/2026"}, "date", "Cette date doit être au format AAAA-MM-JJ."),
    ],
)
def test_bad_input_is_refused_in_french_per_field(client, change, field, message):
    response = post(client, {**VALID, **change})
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == [field]
    assert message in response.json()["detail"][0]["message"]


def test_every_bad_field_is_reported_at_once(client):
    response = post(
        client, {"debtor_monthly_income": "-1", "children": 0, "custody": "x", "date": "2000-01-01"}
    )
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == [
        "debtor_monthly_income",
        "children",
        "custody",
        "date",
    ]


def test_missing_fields_are_named(client):
    response = post(client, {})
    assert response.status_code == 422
    assert {d["field"]: d["message"] for d in response.json()["detail"]} == {
        name: "Ce champ est obligatoire." for name in VALID
    }


def test_the_operation_is_documented_in_french(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["post"]
    assert operation["summary"] == "Simuler une pension alimentaire"
    assert (
        "table de référence" in operation["description"]
        and "arrêté du 25 juin 2018" in operation["description"]
    )
    # 400: a body that is not JSON; 429: the rate limit per client address (core/rate_limits.py)
    assert set(operation["responses"]) == {"200", "400", "422", "429"}
    request = schema["components"]["schemas"]["ChildSupportSimulationIn"]
    assert request["properties"]["custody"]["enum"] == ["reduit", "classique", "alterne"]
    assert request["properties"]["debtor_monthly_income"]["type"] == "string"
    assert all(p["description"] for p in request["properties"].values())
    response = schema["components"]["schemas"]["ChildSupportSimulationOut"]
    assert set(response["properties"]) == {
        "minimum_vital",
        "per_child",
        "total",
        "caf_threshold_per_child",
        "caf_threshold_total",
    }
    assert "indicative" in response["properties"]["per_child"]["description"]
