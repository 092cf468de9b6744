"""Every model has a factory, and every factory and each of its traits makes a valid saved object."""

from __future__ import annotations

import inspect

import factory
import pytest
from django.apps import apps

from parcours.intermediation.cycle.check import ledger_check
from tests import factories

FACTORIES = [
    value
    for _, value in inspect.getmembers(factories, inspect.isclass)
    if issubclass(value, factory.django.DjangoModelFactory) and not value._meta.abstract
]


def _traits(factory_class) -> list[str]:  # type: ignore[no-untyped-def]
    params = factory_class._meta.parameters
    return [name for name, value in params.items() if isinstance(value, factory.Trait)]


CASES = [
    pytest.param(f, trait, id=f"{f.__name__}-{trait or 'default'}")
    for f in FACTORIES
    for trait in [None, *_traits(f)]
]


def test_every_model_has_a_factory():
    models = {m for m in apps.get_models() if m.__module__.startswith("parcours.")}
    covered = {f._meta.model for f in FACTORIES}
    assert sorted(m._meta.label for m in models - covered) == []


@pytest.mark.django_db
@pytest.mark.parametrize(("factory_class", "trait"), CASES)
def test_the_factory_makes_a_valid_saved_object(factory_class, trait, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    made = factory_class(**({trait: True} if trait else {}))
    model = factory_class._meta.model
    assert isinstance(made, model) and made.pk is not None
    assert model.objects.filter(pk=made.pk).exists()
    # `blank` is a form concern: an empty value the database accepts (a null, an empty JSON list)
    # is what the services store for "not yet" (finished_at, previous_amount, reasons).
    empty = [
        f.name
        for f in model._meta.concrete_fields
        if getattr(made, f.attname) in (None, [], {}) and (f.null or f.get_internal_type() == "JSONField")
    ]
    made.full_clean(exclude=empty)
    check = ledger_check()  # what the cycle wrote agrees with the ledger, which balances
    assert check["ok"], check


APPEND_ONLY_CHANGES = {
    # model label -> a change of one of its fields that the model must refuse
    "accounts.AuditEntry": {"context": "modifié"},
    "rights.RightsRevision": {"source": "modifiée"},
    "intermediation.LedgerTransaction": {"kind": "write_off"},
    "intermediation.LedgerEntry": {"account": "suspense"},
    "separation.DemandeTransition": {"reason": "réécrit"},
    "separation.InvitationTransition": {"reason": "réécrit"},
    "separation.CallbackTransition": {"reason": "réécrit"},
    "titres.TitreRequestTransition": {"reason": "réécrit"},
    "intermediation.IntermediationTransition": {"reason": "réécrit"},
    "intermediation.RecoveryTransition": {"reason": "réécrit"},
    "casework.TaskTransition": {"reason": "réécrit"},
    "casework.TaskEvent": {"detail": "réécrit"},
    "social.SignalementTransition": {"reason": "réécrit"},
    "social.AccompanimentTransition": {"reason": "réécrit"},
    "social.ReferralTransition": {"reason": "réécrit"},
    "social.SocialNote": {"text": "réécrite"},
    "parenting.BookingTransition": {"reason": "réécrit"},
    "aid.AidTransition": {"reason": "réécrit"},
}


def test_every_append_only_model_is_listed_for_its_proof():
    from parcours.core.append_only import AppendOnlyModel

    append_only = {
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("parcours.") and issubclass(m, AppendOnlyModel)
    }
    assert append_only == set(APPEND_ONLY_CHANGES)


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(APPEND_ONLY_CHANGES))
def test_every_append_only_model_refuses_a_change_and_a_deletion_both_ways(label):
    from tests.core.append_only import assert_append_only

    model = apps.get_model(label)
    factory_class = next(f for f in FACTORIES if f._meta.model is model)
    assert_append_only(factory_class(), **APPEND_ONLY_CHANGES[label])
