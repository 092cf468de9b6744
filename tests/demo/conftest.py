from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import models

from parcours.accounts.models import User
from parcours.demo.models import DemoLoad
from parcours.households.models import (
    Address,
    BankAccount,
    ChildSupport,
    Dossier,
    Housing,
    Membership,
    Person,
    Resource,
    SituationChange,
    Union,
)

REFERENCE = date(2026, 11, 1)
REGISTRY = (
    Dossier,
    Person,
    SituationChange,
    Membership,
    Union,
    Address,
    Housing,
    Resource,
    BankAccount,
    ChildSupport,
)
NOT_CONTENT = {"id", "created_at", "recorded_at"}  # what may differ between two identical loads


def load(households: int, seed: int = 7, **options) -> str:
    """The command as `make demo` runs it, for the reference month of the tests unless told."""
    out = StringIO()
    options.setdefault("reference_month", "2026-11")
    options.setdefault("no_ifpa", True)  # the registry alone (tests/demo/test_ifpa_demo.py loads the rest)
    options.setdefault("no_social", True)  # (and tests/demo/test_social_demo.py, the social support)
    call_command("demo", households=households, seed=seed, stdout=out, verbosity=0, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (*REGISTRY, User)}


def _natural(field: models.Field) -> list[str]:
    """Lookups naming what a foreign key points to, never its id."""
    target = field.related_model
    if target is Dossier:
        return [f"{field.name}__numero_allocataire"]
    if target is Person:
        return [f"{field.name}__{name}" for name in ("first_names", "last_name", "birth_date")]
    if target is SituationChange:
        return [f"{field.name}__{name}" for name in ("dossier__numero_allocataire", "kind", "effective_date")]
    return [f"{field.name}__username"]


def digest() -> dict[str, list[str]]:
    """Every registry row without ids or timestamps, sorted: what must not depend on the run."""
    content = {}
    for model in REGISTRY:
        lookups = []
        for field in model._meta.concrete_fields:
            if field.name in NOT_CONTENT:
                continue
            lookups += _natural(field) if field.is_relation else [field.name]
        content[model.__name__] = sorted(map(repr, model.objects.values_list(*lookups)))
    return content


def wipe() -> None:
    User.objects.all().delete()
    DemoLoad.objects.all().delete()
    for model in reversed(REGISTRY[3:]):
        model.objects.all().delete()
    SituationChange.objects.all().delete()
    Person.objects.all().delete()
    Dossier.objects.all().delete()


@pytest.fixture
def loaded(db):
    """Five hundred households of seed 5, loaded once for the test."""
    load(500, seed=5, no_accounts=True)
