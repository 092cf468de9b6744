"""Thousands of wrong payloads on every JSON endpoint: never a 5xx, and every 4xx in French.

The payloads are mostly structured-but-wrong: a valid payload of the endpoint with one to three
mutations (a value replaced by a wrong type, a huge or odd number, an odd string, Unicode digits;
a field removed; an unexpected field added), and some bodies that are not even objects. The
hypothesis runs are derandomized (the same examples on every run: CI stays stable) and bounded
(about 60 s for the whole file on a busy machine).

"In French" is checked, not trusted: the body follows the one error format, every message has
French words and none of the English-only words of pydantic's, ninja's or Django's own messages
(what a user quoted back, between « », is left out of the check).
"""

from __future__ import annotations

import calendar
import copy
import json
import re
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from parcours.accounts.models import Role
from parcours.core.communes import known_communes
from parcours.core.money_input import MAX_MONTHLY
from parcours.rights import api as rights_api
from parcours.rights.engine import BENEFITS
from parcours.rights.results import RightsResult
from tests.accounts.helpers import user_with_role
from tests.factories import household
from tests.rights.cases import CASES

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=800,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)

# --- What a French error is ----------------------------------------------------------------------

ENGLISH_ONLY = re.compile(
    r"\b(the|is|are|should|must|field|required|input|value|error|invalid|expected|missing|not|found|"
    r"valid|please|extra|forbidden|permitted|type|exception|traceback|object|string|integer|number|"
    r"list|dictionary|parsing|unable|cannot|method|allowed|internal|server)\b",
    re.IGNORECASE,
)
# French: an accented letter, a function word, or one of the few plain words of the API's messages.
FRENCH_WORDS = re.compile(
    r"[àâçéèêëîïôûùüœ]|\b(le|la|les|l|ce|cette|un|une|de|du|des|d|doit|est|au|aux|en|pas|ne|n|s|"
    r"ressource|introuvable|invalide|mois|montant)\b",
    re.IGNORECASE,
)
QUOTED = re.compile(r"«[^»]*»")


def french_error(body: Any) -> str | None:
    """Why `body` is not a French error in the one format, or None when it is."""
    if not isinstance(body, dict) or set(body) != {"detail"}:
        return "not the one format"
    details = body["detail"]
    if not isinstance(details, list) or not details:
        return "no detail list"
    for detail in details:
        if not isinstance(detail, dict) or set(detail) != {"field", "message"}:
            return f"detail not {{field, message}}: {detail!r}"
        message = detail["message"]
        if not isinstance(message, str) or not isinstance(detail["field"], str):
            return f"not text: {detail!r}"
        checked = QUOTED.sub("", message)
        if not FRENCH_WORDS.search(checked) or ENGLISH_ONLY.search(checked):
            return f"not French: {message!r}"
    return None


def test_the_french_check_tells_french_from_english():
    def one(message: str) -> dict:
        return {"detail": [{"field": "requête", "message": message}]}

    assert french_error(one("Ce champ est obligatoire.")) is None
    assert french_error(one("Ressource introuvable.")) is None
    assert french_error(one("Nature de ressource inconnue « field required ».")) is None
    assert french_error(one("Field required")) is not None
    assert french_error(one("Input should be a valid decimal")) is not None
    assert french_error(one("Value error, Le montant est trop élevé.")) is not None
    assert french_error({"detail": "Not Found"}) is not None
    assert french_error({"detail": []}) is not None
    assert french_error([{"msg": "Field required"}]) is not None


def check_answer(response) -> None:
    event(f"HTTP {response.status_code}")
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json"), response.content[:300]
        reason = french_error(json.loads(response.content))
        assert reason is None, (reason, response.status_code, response.content[:300])


# --- Wrong values ----------------------------------------------------------------------------------

ODD_TEXT = st.sampled_from(
    [
        "", " ", "\n", "\t", "\x00", "null", "true", "{}", "[]", "NaN", "-NaN", "sNaN", "Infinity",
        "-Infinity", "inf", "1e30", "1E+40", "-1e-5", "0x10", "1_000", "+5", "-0", "-0.00", "-1",
        "0.001", "1.", ".5", "1,5", "1 000", "1\u00a0000,00", "1" * 27, "1" * 29, "1" * 40,
        "9" * 400, "0." + "0" * 60 + "1", "1000000.00", "1000000.01", "999999.99",
        "\uff16\uff15\uff10", "\u0666\u0665\u0660", "\u0661\u0662\u0663\u0664\u0665", "\u09e7\u09e8",
        "\U0001d7ce\U0001d7cf", "²", "½", "Ⅻ", "🙂", "\u202e1200", "e\u0301", "%s", "{0}",
        "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "x" * 5000,
        "00000", "99999", "2A999", "2a004", "2C004", "2A004", "97617", "97501", "75056", "75056\n",
        "\uff17\uff15\uff10\uff15\uff16", "0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01",
        "2026-01-30", "2026-01-31", "1899-12-31", "1900-01-01", "2026-01", "2026-1", "2026-00",
        "0000-01", "9999-12", "2026-01\n", "\uff12\uff10\uff12\uff16-01", "2026-01-15T10:00:00",
        "2026-01-15T00:00:00Z", "15/01/2026", "reduit", "REDUIT", "alterne ", "parent", "child",
        "enfant", "tenant", "salaire_net", "pensions_alimentaires_percues",
    ]
)  # fmt: skip
ODD_NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1, 20, 21, 100, 101, 10**18, 2**63, 10**400, 1e308, -1e308, 1e-320, 0.1, 2.5]),
)
ANY_JSON = st.recursive(
    st.none() | st.booleans() | ODD_NUMBERS | ODD_TEXT | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)
ODD_VALUE = st.one_of(
    ODD_TEXT,
    ODD_NUMBERS,
    st.none(),
    st.booleans(),
    st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
    st.text(max_size=20),
    ANY_JSON,
)
ODD_KEY = st.one_of(ODD_TEXT, st.text(max_size=10))


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value: the keys or indexes from the root to it."""
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += paths(value, (*prefix, index))
    return out


def at(node: Any, path: tuple) -> Any:
    for step in path:
        node = node[step]
    return node


@st.composite
def mutated(draw, valid: dict) -> Any:
    """`valid` with one to three of: a value replaced, a field removed, an unexpected field added."""
    payload: Any = copy.deepcopy(valid)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(payload)))
        action = draw(st.sampled_from(["replace", "replace", "replace", "remove", "add"]))
        if not path:
            if action == "replace":
                payload = draw(ODD_VALUE)
            continue
        parent = at(payload, path[:-1])
        if action == "replace":
            parent[path[-1]] = draw(ODD_VALUE)
        elif action == "remove":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(ODD_KEY)] = draw(ODD_VALUE)
        else:
            parent.append(draw(ODD_VALUE))
    return payload


def to_json(value: Any) -> str:
    # Python's json writes NaN and Infinity, and reads them back: what a careless client sends.
    return json.dumps(value, default=str)


BODIES = st.one_of(
    st.binary(max_size=40),
    st.sampled_from([b"", b"{", b"[1,2", b"\xff\xfe", b'{"a": 1e999}', b"1" * 5000, b'"' + b"x" * 100]),
)

# --- The endpoints ---------------------------------------------------------------------------------

RIGHTS = "/api/v1/simulations/rights"
CHILD_SUPPORT = "/api/v1/simulations/child-support"
CHILD_SUPPORT_VALID = {
    "debtor_monthly_income": "2000.00",
    "children": 2,
    "custody": "classique",
    "date": "2026-01-15",
}
# A golden household with its 36 months of salary cut to 2: the mutations land on every field
# rather than mostly on salary months, and each example stays cheap.
RIGHTS_VALID = copy.deepcopy(CASES[0][1])
for _person in RIGHTS_VALID["persons"]:
    for _kind, _months in _person.get("resources", {}).items():
        _person["resources"][_kind] = dict(list(_months.items())[:2])


def post(client: Client, url: str, body: Any) -> Any:
    data = body if isinstance(body, bytes) else to_json(body)
    return client.post(url, data=data, content_type="application/json")


@pytest.fixture
def api_client():
    return Client(raise_request_exception=False)


@pytest.fixture
def checked_engine(monkeypatch):
    """The rights engine replaced by a check of what the API hands it: the fuzz tests the input,
    not openfisca (test_odd_but_valid_households_go_through_the_real_engine does, on fewer)."""

    def compute(households, **kwargs):
        for facts in households:
            amounts = [facts.rent, facts.child_support_received]
            for person in facts.persons:
                assert date(1900, 1, 1) <= person.birth_date
                for months in person.resources.values():
                    assert all(re.fullmatch(r"[0-9]{4}-[0-9]{2}", m) for m in months)
                    amounts += months.values()
            for amount in amounts:
                assert isinstance(amount, Decimal) and 0 <= amount <= MAX_MONTHLY
                assert amount == amount.quantize(Decimal("0.01"))
            assert facts.commune_insee in known_communes()
        zeros = {name: Decimal("0.00") for name in BENEFITS}
        return [RightsResult(month=h.month, benefits=zeros, benefits_gross=zeros) for h in households]

    monkeypatch.setattr(rights_api, "compute", compute)


@FUZZ
@given(payload=mutated(RIGHTS_VALID))
def test_the_rights_simulation_never_fails_on_a_wrong_payload(api_client, checked_engine, payload):
    check_answer(post(api_client, RIGHTS, payload))


@settings(FUZZ, max_examples=600)
@given(payload=mutated(CHILD_SUPPORT_VALID))
def test_the_child_support_simulation_never_fails_on_a_wrong_payload(api_client, payload):
    check_answer(post(api_client, CHILD_SUPPORT, payload))


@settings(FUZZ, max_examples=200)
@given(url=st.sampled_from([RIGHTS, CHILD_SUPPORT]), body=st.one_of(BODIES, ANY_JSON.map(to_json)))
def test_a_body_that_is_not_a_payload_is_refused_in_french(api_client, checked_engine, url, body):
    data = body if isinstance(body, bytes) else body.encode()
    check_answer(api_client.post(url, data=data, content_type="application/json"))


@pytest.fixture
def agent_client():
    client = Client(raise_request_exception=False)
    client.force_login(user_with_role(Role.AGENT_PRESTATIONS))
    return client


@settings(FUZZ, max_examples=300)
@given(
    numero=st.one_of(st.just("known"), ODD_TEXT, st.text(max_size=12)),
    query=st.dictionaries(
        st.sampled_from(["from", "to", "extra"]), st.one_of(ODD_TEXT, st.text(max_size=10)), max_size=3
    ),
)
def test_the_rights_of_a_household_never_fail_on_a_wrong_query(agent_client, known_numero, numero, query):
    numero = known_numero if numero == "known" else numero
    path = f"/api/v1/households/{quote(numero, safe='')}/rights"
    check_answer(agent_client.get(path, {k: v.replace("\x00", "") for k, v in query.items()}))


@pytest.fixture
def known_numero():
    return household().numero_allocataire


@settings(FUZZ, max_examples=100)
@given(query=st.dictionaries(ODD_KEY, ODD_TEXT, max_size=3))
def test_the_health_never_fails(api_client, query):
    response = api_client.get(
        "/api/v1/health", {k.replace("\x00", ""): v.replace("\x00", "") for k, v in query.items()}
    )
    check_answer(response)
    assert response.status_code == 200


# --- What passes the checks, the real engine computes --------------------------------------------

EDGE_AMOUNTS = st.sampled_from(["0", "0.00", "0.01", "1", "999999.99", "1000000.00", "1000000", 0, 1000000])
EDGE_COMMUNES = st.sampled_from(
    ["75056", "75101", "69381", "13201", "2A004", "2B033", "97411", "97617", "01001"]
)


@st.composite
def odd_but_valid_household(draw) -> dict:
    year = draw(st.integers(2019, 2030))
    month = draw(st.integers(1, 12))
    last_day = calendar.monthrange(year, month)[1]
    first = date(year, month, 1)
    child_births = st.sampled_from(
        [
            date(year, month, last_day),  # born on the last day of the month computed
            first.replace(year=year - 25),  # 25 on the first day: the oldest child
            date(year - 25, month, calendar.monthrange(year - 25, month)[1]),
            first.replace(year=year - 20),
        ]
    )
    couple = draw(st.booleans())
    persons = [
        {"id": "p1", "role": "parent", "birth_date": draw(st.sampled_from(["1900-01-01", "1988-05-10"]))},
        *([{"id": "p2", "role": "parent", "birth_date": "2000-02-29"}] if couple else []),
        *(
            {"id": f"c{n}", "role": "child", "birth_date": draw(child_births).isoformat()}
            for n in range(draw(st.integers(0, 2)))
        ),
    ]
    persons[0]["resources"] = {"salaire_net": {f"{year:04d}-{month:02d}": draw(EDGE_AMOUNTS)}}
    return {
        "month": f"{year:04d}-{month:02d}",
        "couple": couple,
        "persons": persons,
        "housing": {
            "status": draw(st.sampled_from(["tenant", "owner", "buyer", "hosted"])),
            "rent": draw(EDGE_AMOUNTS),
            "commune_insee": draw(EDGE_COMMUNES),
        },
        "child_support": {"status": "set_paid", "received_monthly": draw(EDGE_AMOUNTS)},
    }


@pytest.mark.slow
@settings(FUZZ, max_examples=8)
@given(payload=odd_but_valid_household())
def test_odd_but_valid_households_go_through_the_real_engine(api_client, payload):
    response = post(api_client, RIGHTS, payload)
    assert response.status_code == 200, response.content[:300]
    assert all(re.fullmatch(r"[0-9]+\.[0-9]{2}", v) for v in response.json()["benefits"].values())
