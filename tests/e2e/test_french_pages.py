"""The pages of every role, on the demo's département, read in the browser: axe-core finds no
serious or critical violation and no English word or raw code is on screen (tests/e2e/checks.py).

Each demo account signs in and opens every link of its menu, then the first item of each list
(a declaration, an intermediation, a dossier), and its own pages (notifications)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from .checks import axe_problems, language_problems

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "parcours-demo-2026"
ROLES = ["parent", "parent2", "agent", "aripa", "social", "manager", "partenaire", "admin"]
# Detail pages: on each page opened, the first link to each of these is opened too.
DETAIL = r"^/(separation/demandes/\d+/$|pension-alimentaire/agent/intermediations/[^/]+/$|agent/dossiers/\d+/$|pension-alimentaire/(agent/)?titres?-executoires?/\d+/$|pension-alimentaire/ma-pension/)"
# Pages a role reaches other than by its menu.
EXTRA = {
    "parent": [
        "/mes-notifications/",
        "/pension-alimentaire/simuler/",
        "/pension-alimentaire/titre-executoire/demander/",
    ],
    "parent2": ["/mes-notifications/"],
    "agent": ["/separation/instruction/?state=validee", "/agent/dossiers/?q=1000000"],
    "aripa": ["/pension-alimentaire/agent/titres-executoires/"],
}
PUBLIC = [
    "/",
    "/separation/s-informer/",
    "/separation/etre-rappele/",
    "/donnees-personnelles/",
    "/accessibilite/",
    "/mentions-legales/",
    "/compte/connexion/",
    "/page-inconnue/",
]


def check(page, where: str, problems: list[str]) -> None:
    problems += [f"{where}: {p}" for p in axe_problems(page)]
    problems += [f"{where}: « {w} »" for w in sorted(set(language_problems(page.inner_text("body"))))]


def test_every_page_of_every_role_is_accessible_and_in_french(page, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    call_command("demo", households=40, seed=2026, verbosity=0)
    problems: list[str] = []
    seen: set[str] = set()

    def visit(who: str, url: str) -> None:
        if url in seen:
            return
        seen.add(url)
        page.goto(url)
        check(page, f"{who} {url}", problems)
        links = page.locator("main a[href^='/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        first_of_each: dict[str, str] = {}
        for href in links:
            found = re.match(DETAIL, href or "")
            if found:
                first_of_each.setdefault(found.group(1).split("/")[0] + str(href.count("/")), href)
        for href in first_of_each.values():
            if href not in seen:
                seen.add(href)
                page.goto(href)
                check(page, f"{who} {href}", problems)

    for url in PUBLIC:
        visit("public", url)
    for username in ROLES:
        seen.clear()
        page.goto("/compte/connexion/")
        page.get_by_label("Identifiant").fill(username)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()
        menu = page.locator("#fr-navigation a.fr-nav__link").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        for url in ["/", *menu, *EXTRA.get(username, [])]:
            if not url.startswith(("/admin", "http")):
                visit(username, url)
        page.context.clear_cookies()
    assert not problems, "\n".join(problems)
