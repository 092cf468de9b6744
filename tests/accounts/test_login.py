"""Sign-in: French errors, rate limiting per account and address (django-axes), safe redirects."""

from __future__ import annotations

import re

import pytest

from parcours.accounts.models import Role
from tests.accounts.helpers import LOGIN_URL, sign_in
from tests.factories import UserFactory, household

pytestmark = pytest.mark.django_db


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_wrong_password_gets_a_french_error_tied_to_the_inputs(client):
    UserFactory(username="claire")
    response = sign_in(client, "claire", "mauvais")
    assert response.status_code == 200 and not signed_in(client)
    html = response.content.decode()
    assert "Identifiant ou mot de passe incorrect." in html
    # The message is announced, and both inputs point to it.
    assert re.search(r'<div [^>]*role="alert"[^>]*id="login-error"', html)
    for name in ("username", "password"):
        tag = re.search(rf'<input [^>]*name="{name}"[^>]*>', html).group(0)
        assert 'aria-describedby="login-error"' in tag and 'aria-invalid="true"' in tag
    # The password typed is never sent back.
    assert "mauvais" not in html


def test_an_unknown_account_gets_the_same_message(client):
    UserFactory(username="claire")
    known = sign_in(client, "claire", "mauvais").content.decode()
    unknown = sign_in(client, "personne", "mauvais").content.decode()
    assert "Identifiant ou mot de passe incorrect." in unknown
    assert known.count("incorrect") == unknown.count("incorrect")


def test_the_right_password_signs_in(client):
    UserFactory(username="claire")
    response = sign_in(client, "claire")
    assert (response.status_code, response.url) == (302, "/")
    assert signed_in(client)


def test_failures_lock_the_account_and_address_even_for_the_right_password(client, settings):
    UserFactory(username="claire")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "claire", "mauvais").status_code == 200
    # The failure that reaches the limit is already answered with the lockout page.
    assert sign_in(client, "claire", "mauvais").status_code == 429
    response = sign_in(client, "claire")
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="fr"' in html and "fr-header" in html
    assert "Compte temporairement bloqué" in html and "Trop de tentatives" in html
    assert not signed_in(client)


def test_one_failure_short_of_the_limit_still_signs_in(client, settings):
    UserFactory(username="claire")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "claire", "mauvais")
    assert sign_in(client, "claire").status_code == 302


def test_the_lock_is_for_this_account_from_this_address_only(client, settings):
    UserFactory(username="claire")
    UserFactory(username="bruno")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "claire", "mauvais", REMOTE_ADDR="203.0.113.7")
    assert sign_in(client, "claire", REMOTE_ADDR="203.0.113.7").status_code == 429
    # The same person from another address, and another person from the same address, still sign in.
    assert sign_in(client, "claire", REMOTE_ADDR="198.51.100.20").status_code == 302
    client.logout()
    assert sign_in(client, "bruno", REMOTE_ADDR="203.0.113.7").status_code == 302


def test_a_success_resets_the_failure_count(client, settings):
    UserFactory(username="claire")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "claire", "mauvais")
    assert sign_in(client, "claire").status_code == 302
    client.logout()
    # Without the reset, the first of these would reach the limit.
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "claire", "mauvais").status_code == 200
    assert sign_in(client, "claire").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "https://exemple.invalid/",
        "//exemple.invalid/",
        "http://exemple.invalid/mon-dossier/",
        "https:exemple.invalid",
        "/\\exemple.invalid/",
    ],
)
def test_next_never_leads_to_another_host(client, target):
    UserFactory(username="claire")
    response = client.post(
        f"{LOGIN_URL}?next={target}",
        {"username": "claire", "password": "mot-de-passe-de-test", "next": target},
    )
    assert (response.status_code, response.url) == (302, "/")


def test_next_within_the_site_is_followed(client):
    dossier = household()
    UserFactory(
        username="claire", role=Role.PARENT, person=dossier.memberships.get(role="allocataire").person
    )
    response = client.post(
        LOGIN_URL, {"username": "claire", "password": "mot-de-passe-de-test", "next": "/mon-dossier/"}
    )
    assert (response.status_code, response.url) == (302, "/mon-dossier/")


def test_the_login_page_is_french_and_labelled(client):
    html = client.get(LOGIN_URL).content.decode()
    assert '<html lang="fr"' in html and "Connexion à parcours" in html
    assert '<label for="id_username" class="fr-label">' in html
    assert '<label for="id_password" class="fr-label">' in html
