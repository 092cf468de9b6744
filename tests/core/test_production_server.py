"""The production settings as `make serve` runs them: DEBUG off, the static files collected and
served by whitenoise, the application server granian on the loopback, over plain http
(PARCOURS_HTTPS=false), in processes of their own."""

from __future__ import annotations

import http.cookiejar
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.accounts.test_deploy import BASE_ENV, SRC, production_env, run_parcours

GRANIAN = Path(sys.executable).parent / "granian"


def serve_env(tmp_path: Path) -> dict[str, str]:
    return production_env(
        tmp_path,
        PARCOURS_HTTPS="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(tmp_path / "static"),
    )


def settings_values(env: dict[str, str], names: list[str]) -> dict:
    script = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: str(getattr(s, n)) for n in {names!r}}}))"
    )
    result = run_parcours(["shell", "--no-imports", "-c", script], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_serves_compressed_hashed_static_files_and_secure_cookies(tmp_path):
    values = settings_values(
        production_env(tmp_path),
        ["STORAGES", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "CACHES"],
    )
    assert "whitenoise.storage.CompressedManifestStaticFilesStorage" in values["STORAGES"]
    assert values["SESSION_COOKIE_SECURE"] == values["CSRF_COOKIE_SECURE"] == "True"
    assert values["SECURE_SSL_REDIRECT"] == "True"
    assert "DatabaseCache" in values["CACHES"]  # one counter for every worker


def test_plain_http_on_the_loopback_is_an_explicit_choice(tmp_path):
    values = settings_values(
        serve_env(tmp_path), ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"]
    )
    assert values == {
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_SSL_REDIRECT": "False",
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """collectstatic, migrate, createcachetable, then granian as `make serve` starts it."""
    tmp_path = tmp_path_factory.mktemp("serve")
    env = serve_env(tmp_path)
    for command in (
        ["collectstatic", "--noinput", "-v", "0"],
        ["migrate", "--noinput", "-v", "0"],
        ["createcachetable"],
    ):
        result = run_parcours(command, env)
        assert result.returncode == 0, result.stdout + result.stderr
    port = _free_port()
    process = subprocess.Popen(
        [
            str(GRANIAN),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--blocking-threads",
            "2",
            "--no-ws",
            "parcours.wsgi:application",
        ],
        env={**BASE_ENV, "PYTHONPATH": str(SRC), **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/v1/health", timeout=5)  # noqa: S310
                break
            except OSError:
                assert process.poll() is None, "granian s'est arrêté au démarrage"
                assert time.monotonic() < deadline, "granian ne répond pas"
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def fetch(url: str, opener=None, data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    try:
        return (opener or urllib.request.build_opener()).open(request, timeout=30)
    except urllib.error.HTTPError as error:
        return error


@pytest.mark.slow
def test_the_home_page_and_its_static_files_with_debug_off(server):
    response = fetch(f"{server}/")
    html = response.read().decode()
    assert response.status == 200 and response.headers["Server"] == "granian"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "camera=()" in response.headers["Permissions-Policy"]
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', html)
    hashed = next(url for url in stylesheets if "dsfr.min." in url)
    assert re.search(r"dsfr\.min\.[0-9a-f]{12}\.css$", hashed)
    css = fetch(f"{server}{hashed}", headers={"Accept-Encoding": "br, gzip"})
    assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
    assert "immutable" in css.headers["Cache-Control"] and css.headers["Content-Encoding"] in {"br", "gzip"}
    # The DSFR's script module, and the plain name the standalone error pages link.
    module = re.search(r'<script type="module"\s+src="(/static/[^"]+)"', html).group(1)
    assert fetch(f"{server}{module}").status == 200
    assert fetch(f"{server}/static/dsfr/dist/dsfr/dsfr.min.css").status == 200


@pytest.mark.slow
def test_forms_work_over_plain_http_on_the_loopback(server):
    # The CSRF cookie must come back over http: without PARCOURS_HTTPS=false it is Secure and it does not.
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = fetch(f"{server}/pension-alimentaire/simuler/", opener).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {
        "csrfmiddlewaretoken": token,
        "income": "2000",
        "children": "2",
        "custody": "classique",
        "on": "2026-01-15",
    }
    response = fetch(
        f"{server}/pension-alimentaire/simuler/",
        opener,
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": f"{server}/pension-alimentaire/simuler/", "Origin": server},
    )
    assert response.status == 200
    assert "Estimation" in response.read().decode()


@pytest.mark.slow
def test_errors_and_the_health_with_debug_off(server):
    health = fetch(f"{server}/api/v1/health")
    assert json.loads(health.read()) == {"status": "ok", "database": "sqlite"}
    unknown = fetch(f"{server}/api/v1/xxx")
    assert (
        unknown.status == 404
        and json.loads(unknown.read())["detail"][0]["message"] == "Ressource introuvable."
    )
    bad_host = fetch(f"{server}/", headers={"Host": "ailleurs.example"})
    assert bad_host.status == 400 and "<h1>Requête invalide</h1>" in bad_host.read().decode()
    page = fetch(f"{server}/nulle-part/")
    assert page.status == 404 and "Page non trouvée" in page.read().decode()
