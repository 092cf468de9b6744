"""Rate limits per client address on the anonymous simulations: a French 429 with Retry-After.

Each test sets tiny limits and starts from an empty cache; the clock is the test's own where a
window has to close, so nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from parcours import settings as project_settings
from parcours.core import rate_limits

pytestmark = pytest.mark.django_db

CHILD_SUPPORT = "/api/v1/simulations/child-support"
RIGHTS = "/api/v1/simulations/rights"
PAGE = "/pension-alimentaire/simuler/"
CHILD_SUPPORT_PAYLOAD = {
    "debtor_monthly_income": "2000.00",
    "children": 2,
    "custody": "classique",
    "date": "2026-01-15",
}
PAGE_FORM = {"income": "2000", "children": "2", "custody": "classique", "on": "2026-01-15"}


@pytest.fixture
def limits(settings):
    """Two requests a minute per address, for each scope and page; an empty counter."""
    cache.clear()
    settings.PARCOURS_RATE_LIMITS = {
        "child-support-simulation": "2/min",
        "rights-simulation": "2/min",
        "child_support:simulate": "2/min",
    }
    yield settings.PARCOURS_RATE_LIMITS
    cache.clear()


def post_child_support(client, **extra):
    return client.post(CHILD_SUPPORT, CHILD_SUPPORT_PAYLOAD, content_type="application/json", **extra)


def test_the_production_figures():
    # The rights simulation costs about 120 ms of CPU a call: half the child support's allowance.
    assert project_settings.PARCOURS_RATE_LIMITS == {
        "rights-simulation": "30/min",
        "child-support-simulation": "60/min",
        "child_support:simulate": "60/min",
    }


def test_the_child_support_api_answers_a_french_429_with_retry_after_beyond_its_limit(client, limits):
    assert [post_child_support(client).status_code for _ in range(2)] == [200, 200]
    response = post_child_support(client)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    [detail] = response.json()["detail"]
    assert detail["field"] == "requête"
    assert detail["message"].startswith("Trop de demandes depuis votre adresse : réessayez dans ")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert f"{response['Retry-After']} s" in detail["message"]


def test_the_rights_api_is_limited_on_its_own_counter(client, limits):
    for _ in range(2):
        post_child_support(client)
    # A refused payload counts too: the limit protects the server, whatever the request is worth.
    statuses = [client.post(RIGHTS, {}, content_type="application/json").status_code for _ in range(3)]
    assert statuses == [422, 422, 429]
    assert "Retry-After" in client.post(RIGHTS, {}, content_type="application/json")


def test_another_address_keeps_its_own_allowance(client, limits):
    for _ in range(3):
        post_child_support(client, REMOTE_ADDR="203.0.113.7")
    assert post_child_support(client, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert post_child_support(client, REMOTE_ADDR="198.51.100.20").status_code == 200


def test_a_forwarded_for_header_written_by_the_client_changes_nothing(client, limits):
    # No reverse proxy is declared (PARCOURS_PROXY_COUNT=0): the header is the client's own writing.
    statuses = [post_child_support(client, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429]


def test_behind_one_proxy_the_address_it_saw_is_counted(client, limits, settings):
    settings.PARCOURS_PROXY_COUNT = 1
    for _ in range(2):
        post_child_support(client, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7")
    # The client may prepend anything: the proxy's own entry, the last one, is the address.
    refused = post_child_support(client, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7")
    assert refused.status_code == 429
    assert post_child_support(client, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200


def test_the_window_closes_after_its_period(client, limits, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(rate_limits.time, "time", lambda: now[0])
    for _ in range(2):
        post_child_support(client)
    now[0] += 30
    refused = post_child_support(client)
    assert (refused.status_code, refused["Retry-After"]) == (429, "30")
    now[0] += 30
    assert post_child_support(client).status_code == 200


def test_a_limit_set_to_nothing_is_off(client, limits):
    limits["child-support-simulation"] = ""
    assert {post_child_support(client).status_code for _ in range(5)} == {200}


def test_the_simulator_page_limits_its_posts_with_a_french_page(client, limits):
    for _ in range(2):
        assert client.post(PAGE, PAGE_FORM).status_code == 200
    response = client.post(PAGE, PAGE_FORM)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    html = response.content.decode()
    assert '<html lang="fr"' in html and "fr-header" in html
    assert "Trop de demandes" in html and f"Réessayez dans {response['Retry-After']}\u00a0s." in html
    assert f'href="{PAGE}"' in html
    # Reading the page is never limited, and the API keeps its own counter.
    assert client.get(PAGE).status_code == 200
    assert post_child_support(client).status_code == 200


def test_the_schema_documents_the_429_of_both_simulations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (CHILD_SUPPORT, RIGHTS):
        assert "429" in paths[path]["post"]["responses"], path


@override_settings(PARCOURS_PROXY_COUNT=2)
def test_the_client_address_behind_two_proxies():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2, 10.0.0.1"
    )
    assert rate_limits.client_address(request) == "2.2.2.2"
    # Not through both proxies: the connection's address.
    short = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert rate_limits.client_address(short) == "10.0.0.2"


@pytest.mark.parametrize(
    ("rate", "parsed"), [("30/min", (30, 60)), ("5/s", (5, 1)), ("100/h", (100, 3600)), ("1/day", (1, 86400))]
)
def test_rates_read_as_written(rate, parsed):
    assert rate_limits.parse_rate(rate) == parsed


def test_an_unreadable_rate_says_so_in_french():
    with pytest.raises(ValueError, match="Limite de débit illisible"):
        rate_limits.parse_rate("trente par minute")
