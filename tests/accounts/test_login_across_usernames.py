"""One address trying passwords across many usernames is locked too (django-axes, accounts/lockout.py).

The figures: 5 failures for one username from one address (tests/accounts/test_login.py), 20
failures from one address whatever the usernames, 15 minutes either way.
"""

from __future__ import annotations

import pytest

from parcours import settings as project_settings
from tests.accounts.helpers import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_on_many_usernames(client, count: int, address: str = ADDRESS) -> list[int]:
    return [sign_in(client, f"inconnu{n}", "mauvais", REMOTE_ADDR=address).status_code for n in range(count)]


def test_the_production_figures():
    assert project_settings.AXES_FAILURE_LIMIT == 5
    assert project_settings.PARCOURS_LOGIN_IP_FAILURE_LIMIT == 20


def test_an_address_failing_on_many_usernames_is_locked_in_french(client, settings):
    UserFactory(username="claire")
    limit = settings.PARCOURS_LOGIN_IP_FAILURE_LIMIT
    # One failure per username: never the username's own limit, 5.
    statuses = fail_on_many_usernames(client, limit)
    assert statuses[:-1] == [200] * (limit - 1)
    assert statuses[-1] == 429  # the failure that reaches the limit gets the lockout page
    # The next attempt from that address is refused, the right password of a real account included.
    response = sign_in(client, "claire", REMOTE_ADDR=ADDRESS)
    assert response.status_code == 429 and not signed_in(client)
    html = response.content.decode()
    assert '<html lang="fr"' in html and "Trop de tentatives" in html and "depuis votre connexion" in html
    # The same account from another address signs in.
    assert sign_in(client, "claire", REMOTE_ADDR="198.51.100.20").status_code == 302


def test_one_failure_short_of_the_address_limit_still_signs_in(client, settings):
    UserFactory(username="claire")
    fail_on_many_usernames(client, settings.PARCOURS_LOGIN_IP_FAILURE_LIMIT - 1)
    assert sign_in(client, "claire", REMOTE_ADDR=ADDRESS).status_code == 302


def test_a_success_does_not_forgive_the_address_its_failures_on_other_accounts(client, settings):
    UserFactory(username="claire")
    limit = settings.PARCOURS_LOGIN_IP_FAILURE_LIMIT
    fail_on_many_usernames(client, limit - 2)
    # An attacker's own account signing in between two series would otherwise reset the count.
    assert sign_in(client, "claire", REMOTE_ADDR=ADDRESS).status_code == 302
    client.logout()
    assert fail_on_many_usernames(client, 2) == [200, 429]


def test_the_per_username_limit_is_unchanged(client, settings):
    UserFactory(username="claire")
    statuses = [
        sign_in(client, "claire", "mauvais", REMOTE_ADDR=ADDRESS).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    # The address itself is far from its own limit: another account signs in from it.
    UserFactory(username="bruno")
    assert sign_in(client, "bruno", REMOTE_ADDR=ADDRESS).status_code == 302


def test_a_forwarded_for_header_does_not_give_a_new_address(client, settings):
    # No reverse proxy declared: the header is the client's own writing, the connection's address counts.
    UserFactory(username="claire")
    for n in range(settings.PARCOURS_LOGIN_IP_FAILURE_LIMIT):
        sign_in(client, f"inconnu{n}", "mauvais", REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert (
        sign_in(client, "claire", REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429
    )
