"""The Content-Security-Policy in a real browser: a refused script or style is silent on screen, so
each page listens for `securitypolicyviolation` from its first instant (an init script) and the test
fails on any. The DSFR's JavaScript must have started (it marks <html data-fr-js="true">)."""

import pytest

from parcours.accounts.models import Role
from tests.accounts.helpers import user_with_role
from tests.factories import UserFactory, household

from .test_shell import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def watched(page):
    page.add_init_script(LISTEN)
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def visit(page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("load")
    assert violations(page) == [], f"{path} : {violations(page)}"


def test_public_pages_break_no_rule_and_the_dsfr_runs(watched):
    for path in (
        "/",
        "/compte/connexion/",
        "/pension-alimentaire/simuler/",
        "/separation/s-informer/",
        "/nulle-part/",
    ):
        visit(watched, path)
        if path != "/nulle-part/":
            watched.wait_for_function("document.documentElement.dataset.frJs === 'true'")
    # The mobile menu is the DSFR's script at work: it opens.
    watched.set_viewport_size({"width": 390, "height": 700})
    visit(watched, "/")
    watched.get_by_role("button", name="Menu").click()
    assert watched.locator("#menu-mobile").is_visible()
    assert violations(watched) == []


def test_the_simulator_result_and_the_unsafe_path_break_no_rule(watched):
    visit(watched, "/pension-alimentaire/simuler/")
    watched.get_by_label("Revenu mensuel du parent qui verse la pension (en euros)").fill("2000")
    watched.get_by_label("Nombre d'enfants à sa charge").fill("2")
    watched.locator("label[for^=id_custody]").first.click()
    watched.get_by_role("button", name="Calculer").click()
    watched.get_by_text("Estimation indicative").first.wait_for()
    assert violations(watched) == []
    visit(watched, "/separation/s-informer/")
    watched.get_by_text("Marié(e)s").click()
    for question in ("Avez-vous des enfants ensemble ?", "Vous sentez-vous en danger ?"):
        watched.get_by_role("group", name=question).get_by_text("Oui", exact=True).click()
    watched.get_by_role("group", name="Un jugement ou un accord").get_by_text("Non", exact=True).click()
    watched.get_by_role("button", name="Voir mes démarches").click()
    watched.get_by_role("heading", name="Vous êtes en danger", exact=True).wait_for()
    # The quick exit's style and script are static files: sticky, and on the page.
    assert watched.locator(".parcours-quick-exit").evaluate("e => getComputedStyle(e).position") == "sticky"
    assert violations(watched) == []


def test_a_declaration_step_in_error_focuses_its_summary(watched):
    dossier = household(children=2)
    UserFactory(username="parent", person=dossier.memberships.get(role="allocataire").person)
    sign_in(watched, "parent")
    visit(watched, "/separation/declarer/")
    watched.get_by_role("button", name="Continuer").click()  # no date of separation
    watched.locator("#error-summary").wait_for()
    # The focus moves once the page's script has run, which may be after the summary is shown.
    watched.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    assert watched.evaluate("document.activeElement.id") == "error-summary"
    assert violations(watched) == []


def test_staff_pages_the_admin_and_the_api_documentation_break_no_rule(watched):
    agent = user_with_role(Role.AGENT_PRESTATIONS)
    sign_in(watched, agent.username)
    visit(watched, "/compte/double-authentification/activer/")
    assert watched.locator(".parcours-qr-code svg").is_visible()
    watched.context.clear_cookies()
    household()
    sign_in(watched, user_with_role(Role.ADMIN).username)
    for path in ("/admin/", "/admin/households/dossier/", "/api/v1/docs"):
        visit(watched, path)
    watched.locator(".swagger-ui .info").wait_for()
    assert violations(watched) == []
