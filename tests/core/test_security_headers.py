"""Content-Security-Policy and Permissions-Policy on every page and answer, and templates that need
no exception to them (no inline script, style or event handler)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import parcours

pytestmark = pytest.mark.django_db

SRC = Path(parcours.__file__).resolve().parent
# The letters are rendered to PDF by WeasyPrint, never served as pages: their inline style is theirs.
PDF_ONLY_TEMPLATES = {"separation/letter.html", "core/letters/_style.html"}


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize(
    "path", ["/", "/compte/connexion/", "/pension-alimentaire/simuler/", "/api/v1/health"]
)
def test_every_answer_has_a_strict_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]  # the DSFR's icons
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


@pytest.mark.parametrize("path", ["/", "/api/v1/health", "/nulle-part", "/api/v1/nulle-part"])
def test_every_answer_turns_off_the_browser_features_parcours_never_uses(client, path):
    header = client.get(path)["Permissions-Policy"]
    features = dict(item.strip().split("=") for item in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


def test_the_other_security_headers_stay(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_api_documentation_loads_its_files_from_this_site(client):
    # ninja's documentation page takes its scripts from a CDN unless the app is installed.
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in html and "/static/ninja/swagger-ui-bundle.js" in html


def _name(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return "/".join(parts[parts.index("templates") + 1 :])


def test_no_page_template_has_inline_script_style_or_event_handler():
    offenders = []
    for path in SRC.rglob("*.html"):
        if "templates" not in path.parts or _name(path) in PDF_ONLY_TEMPLATES:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text):
            offenders.append(f"{_name(path)}: <script> en ligne")
        if re.search(r"<style\b", text) or re.search(r"\sstyle=\"", text):
            offenders.append(f"{_name(path)}: style en ligne")
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{_name(path)}: gestionnaire d'événement en ligne")
    assert offenders == []
