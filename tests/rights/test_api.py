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
        # Issue 9: amounts beyond 28 digits are bounded before any arithmetic (no more 500).
        (lambda p: p["housing"].update(rent="1e30"), "housing.rent", "chiffres 0 à 9"),
        (lambda p: p["housing"].update(rent=1e308), "housing.rent", "entre guillemets"),
        (lambda p: p["housing"].update(rent=10**40), "housing.rent", "ne peut pas dépasser"),
        (
            lambda p: p["persons"][0]["resources"]["salaire_net"].update({"2026-01": "1" * 29}),
            "persons.0.resources.salaire_net.2026-01",
            "ne peut pas dépasser",
        ),
        (
            lambda p: p["child_support"].update(received_monthly="1e40"),
            "child_support.received_monthly",
            "0 à 9",
        ),
        (lambda p: p["housing"].update(rent="\uff16\uff15\uff10"), "housing.rent", "chiffres 0 à 9"),
        (lambda p: p["housing"].update(rent="\u0666\u0665\u0660"), "housing.rent", "chiffres 0 à 9"),
        (lambda p: p["housing"].update(commune_insee="00000"), "housing.commune_insee", "aucune commune"),
        (lambda p: p["housing"].update(commune_insee="99999"), "housing.commune_insee", "aucune commune"),
        (lambda p: p["housing"].update(commune_insee="2A999"), "housing.commune_insee", "aucune commune"),
        (
            lambda p: p["housing"].update(commune_insee="\u0669\u0661\u0662\u0662\u0668"),
            "housing.commune_insee",
            "5 caractères",
        ),
        (
            lambda p: p["persons"][0]["resources"]["salaire_net"].update(
                {"\uff12\uff10\uff12\uff15-01": "1"}
            ),
            "persons.0.resources",
            "AAAA-MM",
        ),
        (lambda p: p["persons"][1].update(birth_date="1990-01-01"), "requête", "au plus 25 ans"),
        (lambda p: p["persons"][0].update(birth_date="0001-01-01"), "persons.0.birth_date", "1900"),
        (lambda p: p["persons"][0].update(birth_date="2999-01-01"), "persons.0.birth_date", "futur"),
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


@pytest.mark.django_db
def test_a_child_born_on_the_last_day_of_the_month_computed_is_counted(client):
    # The check used to stop at the 28th: "née après le mois du calcul" for a child born on the 30th.
    payload = json.loads(json.dumps(CASES[0][1]))
    payload["persons"].append({"id": "c9", "role": "child", "birth_date": "2026-01-31"})
    assert post(client, payload).status_code == 200
    payload["persons"][-1]["birth_date"] = "2026-02-01"
    details = post(client, payload).json()["detail"]
    assert any("née après le mois du calcul" in d["message"] for d in details), details
