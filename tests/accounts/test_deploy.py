"""Production settings: Django's deploy check passes, and the settings refuse an unsafe start."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
# Only what a process needs to run: no variable of the test session (DEBUG, DATABASE_URL, the
# browser tests' DJANGO_ALLOW_ASYNC_UNSAFE, ...) may leak into a production start.
BASE_ENV = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "parcours.caf.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "PARCOURS_VAR_DIR": str(tmp_path),
        **overrides,
    }


def run_parcours(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "parcours", *args],
        env={**BASE_ENV, "PYTHONPATH": str(SRC), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deploy_check_passes_with_production_variables(tmp_path):
    result = run_parcours(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_fails_on_a_weak_secret_key(tmp_path):
    # The check above can fail: a short key is a warning, and warnings fail the check.
    result = run_parcours(
        ["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path, SECRET_KEY="court")
    )
    assert result.returncode != 0 and "security.W009" in result.stderr


def test_production_defaults_are_the_safe_ones(tmp_path):
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'debug': s.DEBUG, '2fa': s.PARCOURS_STAFF_2FA_REQUIRED, 'ssl': s.SECURE_SSL_REDIRECT,"
        "'session': s.SESSION_COOKIE_SECURE, 'csrf': s.CSRF_COOKIE_SECURE, 'hsts': s.SECURE_HSTS_SECONDS,"
        "'hosts': s.ALLOWED_HOSTS, 'axes': s.AXES_FAILURE_LIMIT}))"
    )
    result = run_parcours(["shell", "--no-imports", "-c", script], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["debug"] is False
    assert values["2fa"] is True  # staff two-factor authentication is required in production
    assert values["ssl"] and values["session"] and values["csrf"]
    assert values["hsts"] >= 31_536_000
    assert values["hosts"] == ["parcours.caf.example"]
    assert values["axes"] == 5


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    for settings_env in (env, {**env, "SECRET_KEY": ""}):
        result = run_parcours(["check"], settings_env)
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY doit être défini" in result.stderr


def test_production_refuses_the_demo_secret_key(tmp_path):
    env = production_env(tmp_path, SECRET_KEY="demo-only-insecure-key-never-use-in-production")
    result = run_parcours(["check"], env)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
