"""The app contract (docs/decisions/0010-app-contract.md), where import-linter cannot see it.

import-linter (`make lint`) enforces the layers, the pure rules and each app's internals. Two
parts are about what an import is used for, so they are checked here on the source:

- every module of an app is classified, public or internal, so that a new module is not public
  by default;
- an app reads another app's models but never writes them: it calls that app's services.
"""

from __future__ import annotations

import ast
import importlib
import tomllib
from pathlib import Path

import pytest
from django.db import models

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "parcours"

# What each app offers the others, besides `models` (read, and ForeignKey typing): the decision's list.
PUBLIC = {
    "core": {
        "api_errors",
        "api_inputs",
        "append_only",
        "communes",
        "dates",
        "forms",
        "letters",
        "models",
        "money",
        "money_input",
        "pages",
        "parameters",
        "rate_limits",
        "space",
        "tasks",
        "templatetags",
        "transitions",
        "uploads",
        "work",
        "workflow",
    },
    "accounts": {"models", "rules", "services"},
    "households": {"access", "dtr", "gates", "history", "models", "selectors", "services"},
    "rights": {"asf", "facts", "models", "parameters", "results", "selectors", "services"},
    "separation": {"checklist", "information", "lifecycle", "models", "selectors", "services"},
    "notifications": {"events", "models", "selectors", "services"},
    "social": {"lifecycle", "models", "offers", "selectors", "services"},
    "child_support": {"parameters", "scales", "simulation"},
    "titres": {"lifecycle", "models", "rules", "selectors", "services"},
    "intermediation": {
        "bank",
        "ledger",
        "lifecycle",
        "models",
        "rules",
        "selectors",
        "services",
        "workflows",
    },
    "casework": {"kinds", "lifecycle", "models", "risk", "segmentation", "selectors", "services"},
    "parenting": {"fees", "lifecycle", "models", "selectors", "services"},
    "aid": {"lifecycle", "models", "rules", "selectors", "services"},
    "outreach": {"control", "detection", "effect"},
    "demo": set(),
}
# The top layer is internal as a whole: the layers contract keeps every other app from importing it.
TOP = {"demo"}
# Django's plumbing in every app, never imported by another app.
PLUMBING = {"__init__", "apps", "migrations", "templates", "static", "data", "locale"}
# The demo seeds every table of a synthetic département: it writes other apps' models by design.
WRITERS_BY_DESIGN = {"demo"}
WRITE_METHODS = {
    "create",
    "bulk_create",
    "get_or_create",
    "update_or_create",
    "update",
    "bulk_update",
    "delete",
    "save",
}


def _contracts() -> list[dict]:
    with (ROOT / "pyproject.toml").open("rb") as stream:
        return tomllib.load(stream)["tool"]["importlinter"]["contracts"]


def _internal(app: str) -> set[str]:
    prefix = f"parcours.{app}."
    return {
        module.removeprefix(prefix)
        for contract in _contracts()
        if contract["type"] == "protected"
        for module in contract["protected_modules"]
        if module.startswith(prefix)
    }


def _apps() -> list[str]:
    return sorted(p.name for p in SRC.iterdir() if (p / "apps.py").exists())


def test_every_app_is_in_the_contract():
    assert set(_apps()) == set(PUBLIC)
    layers = next(c for c in _contracts() if c["id"] == "layers")["layers"]
    layered = {
        name.strip().removeprefix("parcours.")
        for layer in layers
        for name in layer.replace(":", "|").split("|")
    }
    assert layered == set(PUBLIC), "every app has its place in the layers contract"
    assert layers[0] == "parcours." + "|".join(sorted(TOP))


@pytest.mark.parametrize("app", _apps())
def test_every_module_of_an_app_is_public_or_internal(app):
    modules = {p.stem for p in (SRC / app).iterdir() if p.suffix == ".py" or p.is_dir()} - {"__pycache__"}
    internal = _internal(app)
    assert not PUBLIC[app] & internal, "a module is both public and internal"
    unclassified = set() if app in TOP else modules - PLUMBING - PUBLIC[app] - internal
    assert not unclassified, (
        f"{app}: classify {sorted(unclassified)} — public in PUBLIC here and in decision 0010, "
        "or internal in its `internals-…` contract in pyproject.toml"
    )


def _sources(app: str) -> list[Path]:
    return [p for p in (SRC / app).rglob("*.py") if "migrations" not in p.parts]


def _foreign_models(tree: ast.Module, app: str) -> dict[str, str]:
    """The names this module imports from another app's models, bound to model classes."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        parts = node.module.split(".")
        if len(parts) < 3 or parts[0] != "parcours" or parts[1] == app or parts[2] != "models":
            continue
        module = importlib.import_module(node.module)
        for alias in node.names:
            value = getattr(module, alias.name, None)
            if isinstance(value, type) and issubclass(value, models.Model):
                found[alias.asname or alias.name] = node.module
    return found


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _writes(tree: ast.Module, names: dict[str, str]) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in names:  # Model(...): an object made to be saved
            out.append(f"l.{node.lineno}: {func.id}(…)")
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in WRITE_METHODS
            and _root_name(func) in names
            and ".objects" in ast.unparse(func)
        ):
            out.append(f"l.{node.lineno}: {ast.unparse(func)}(…)")
    return out


@pytest.mark.parametrize("app", sorted(set(_apps()) - WRITERS_BY_DESIGN))
def test_an_app_never_writes_another_apps_models(app):
    offences = []
    for path in _sources(app):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _foreign_models(tree, app)
        offences += [f"{path.relative_to(SRC)} {w}" for w in _writes(tree, names)] if names else []
    assert not offences, f"write through the owner's services instead: {offences}"


@pytest.mark.parametrize("app", _apps())
def test_an_app_imports_no_private_name_of_another(app):
    offences = []
    for path in _sources(app):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("parcours."):
                other = node.module.split(".")[1]
                offences += [
                    f"{path.relative_to(SRC)} l.{node.lineno}: {node.module}.{alias.name}"
                    for alias in node.names
                    if other != app and alias.name.startswith("_")
                ]
    assert not offences, offences


def test_the_write_check_sees_a_write():
    tree = ast.parse(
        "from parcours.social.models import Signalement\n"
        "Signalement.objects.get_or_create(kind='separation')\n"
        "Signalement.objects.filter(kind='x').update(source='y')\n"
        "Signalement.objects.filter(kind='x').exists()\n"
    )
    names = _foreign_models(tree, "separation")
    assert _writes(tree, names) == [
        "l.2: Signalement.objects.get_or_create(…)",
        "l.3: Signalement.objects.filter(kind='x').update(…)",
    ]
