"""`check --deploy` refuses a weak SECRET_KEY with a French error (accounts/checks.py), where
Django's own check (security.W009) only warns."""

from __future__ import annotations

import secrets

import pytest

from parcours.accounts.checks import check_secret_key, secret_key_weakness
from tests.accounts.test_deploy import production_env, run_parcours


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("x", "elle n'a que 1 caractère, il en faut au moins 50"),
        ("court", "elle n'a que 5 caractères"),
        ("abcd" * 20, "moins de 5 caractères différents"),
        ("django-insecure-" + "k7#Qz!p2" * 8, "elle commence par « django-insecure »"),
    ],
    ids=["x", "court", "peu-de-caracteres", "django-insecure"],
)
def test_weak_keys_and_why(key, reason):
    assert reason in secret_key_weakness(key)


def test_a_generated_key_is_strong():
    assert secret_key_weakness(secrets.token_urlsafe(64)) is None


def test_the_check_is_an_error_with_debug_off_only(settings):
    settings.SECRET_KEY = "x"
    settings.DEBUG = False
    [error] = check_secret_key()
    assert error.id == "accounts.E001" and error.is_serious()
    assert error.msg.startswith("SECRET_KEY est trop faible pour la production")
    settings.DEBUG = True
    assert check_secret_key() == []


def test_check_deploy_fails_on_secret_key_x(tmp_path):
    # Without --fail-level WARNING: the default level, errors only, fails on this one.
    result = run_parcours(["check", "--deploy"], production_env(tmp_path, SECRET_KEY="x"))
    assert result.returncode != 0
    assert "accounts.E001" in result.stderr and "SECRET_KEY est trop faible" in result.stderr


def test_check_deploy_passes_with_a_key_given_by_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(64) + "\n", encoding="utf-8")
    env = production_env(tmp_path, SECRET_KEY_FILE=str(key_file))
    del env["SECRET_KEY"]
    result = run_parcours(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
