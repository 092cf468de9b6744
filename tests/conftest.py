"""Fixtures every test gets, and guards that turn silent bugs into failures.

Strict templates (after les-emplois's tests/conftest.py): an unknown variable in one of parcours's
own templates fails the test, where Django would print nothing. Django's own tolerance is kept
where it is meant: the `default` filter, an attribute missing on an object that exists
(`{% if titre.request %}`), a related object that does not exist. A name absent from the context
altogether fails even in `{% if %}` and `{% for %}`: that is a typo or a view that forgot it.
Third-party templates (django-dsfr, the admin) are not checked. `@pytest.mark.ignore_template_errors`
(pytest-django's marker) turns the check off for one test.
"""

from __future__ import annotations

import base64
import contextvars
import copy
import hashlib
from datetime import date
from pathlib import Path

import pytest
from django.template import base as template_base

import parcours
from parcours.child_support.parameters import Scales, scales_on

PROJECT_TEMPLATES = str(Path(parcours.__file__).resolve().parent)
# Names a template may test without the view giving them (context processors that may be absent).
OPTIONAL_NAMES = frozenset({"debug", "sql_queries"})
LENIENT_FILTERS = frozenset({"default", "default_if_none"})

# The template being rendered is the origin of the node being rendered: a block written in a child
# template is rendered while the context names the root of the `{% extends %}` chain.
_origin: contextvars.ContextVar[str] = contextvars.ContextVar("parcours_template_origin", default="")
_checked: contextvars.ContextVar[template_base.FilterExpression | None] = contextvars.ContextVar(
    "parcours_strict_expression", default=None
)


def _template_name(context) -> str:  # type: ignore[no-untyped-def]
    name = _origin.get()
    if not name:
        template = getattr(context, "render_context", None) and context.render_context.template
        name = str(getattr(getattr(template, "origin", None), "name", "") or "")
    return name


def _strict(expression: template_base.FilterExpression, context, ignore_failures: bool) -> bool:  # type: ignore[no-untyped-def]
    if not expression.is_var or expression.var.lookups is None:
        return False  # a literal
    if any(func.__name__ in LENIENT_FILTERS for func, _ in expression.filters):
        return False
    if not _template_name(context).startswith(PROJECT_TEMPLATES):
        return False
    if ignore_failures:  # {% if %}, {% for %}, {% firstof %}: only a name absent from the context
        name = expression.var.lookups[0]
        return name not in context and name not in OPTIONAL_NAMES
    return True


def pytest_collection_modifyitems(config, items):
    """Under `make test` (pytest-xdist, --dist loadgroup), the browser journeys and the slow tests
    (the SIGKILL crash test starts its own processes and databases) run on one worker, in turn: two
    Chromiums, or a browser beside the crash test, would not fit a two-core machine."""
    for item in items:
        if item.get_closest_marker("e2e") or item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.xdist_group("heavy"))


@pytest.fixture(autouse=True)
def _private_storage_in_tmp(settings, tmp_path):
    # Uploaded documents go to the test's own directory, never to var/ (nor to another worker's).
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _strict_templates(request, monkeypatch):
    if request.node.get_closest_marker("ignore_template_errors"):
        return
    render_annotated = template_base.Node.render_annotated
    resolve_expression = template_base.FilterExpression.resolve
    resolve_variable = template_base.Variable.resolve

    def strict_resolve(self, context, ignore_failures=False):  # type: ignore[no-untyped-def]
        if not _strict(self, context, ignore_failures):
            return resolve_expression(self, context, ignore_failures)
        token = _checked.set(self)
        try:
            # The variable is checked in Variable.resolve below; the filters then run as usual.
            return resolve_expression(self, context, ignore_failures=True)
        finally:
            _checked.reset(token)

    def checked_resolve(self, context):  # type: ignore[no-untyped-def]
        expression = _checked.get()
        if expression is None or expression.var is not self:
            return resolve_variable(self, context)
        _checked.set(None)  # a template rendered while resolving is checked on its own
        try:
            return resolve_variable(self, context)
        except template_base.VariableDoesNotExist:
            pytest.fail(f"Variable de gabarit inconnue « {self.var} » dans {_template_name(context)}")

    def annotated(self, context):  # type: ignore[no-untyped-def]
        origin = getattr(self, "origin", None)
        token = _origin.set(str(getattr(origin, "name", "") or ""))
        try:
            return render_annotated(self, context)
        finally:
            _origin.reset(token)

    monkeypatch.setattr(template_base.Node, "render_annotated", annotated)
    monkeypatch.setattr(template_base.FilterExpression, "resolve", strict_resolve)
    monkeypatch.setattr(template_base.Variable, "resolve", checked_resolve)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_axes_lockout_between_tests(settings):
    # Each test starts with a clean slate of failed logins (django-axes keeps them in the database).
    settings.AXES_ENABLED = True


@pytest.fixture(scope="session")
def scales() -> Scales:
    """The scales in force on 15 January 2026 (loads openfisca-france once per test process)."""
    return scales_on(date(2026, 1, 15))


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # The rate limits count per client address (core/rate_limits.py), and every test client is 127.0.0.1:
    # off unless a test sets its own (tests/core/test_rate_limits.py).
    settings.PARCOURS_RATE_LIMITS = {}


@pytest.fixture(autouse=True)
def _content_security_policy_lets_the_axe_check_in(request, settings):
    # The browser journeys inject axe-core as an inline script (tests/e2e/checks.py), which the policy
    # refuses: that one script, by its hash, and only in those tests. The rest of the policy stays on.
    if not request.node.get_closest_marker("e2e"):
        return
    from tests.e2e.checks import AXE

    if not AXE.exists():
        return
    digest = hashlib.sha256(AXE.read_text(encoding="utf-8").encode("utf-8")).digest()
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["script-src"] = [
        *policy["DIRECTIVES"]["script-src"],
        f"'sha256-{base64.b64encode(digest).decode()}'",
    ]
    settings.CONTENT_SECURITY_POLICY = policy
