"""The proof every append-only model gives: both paths (the instance, the queryset) refuse a change
and a deletion, with a French message, and the stored row is the same afterwards."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models

from parcours.core.append_only import AppendOnlyError


def assert_append_only(instance: models.Model, **change: Any) -> None:
    model = type(instance)
    rows = model._default_manager.filter(pk=instance.pk)
    stored, count = rows.values().get(), model._default_manager.count()
    for name, value in change.items():
        setattr(instance, name, value)
    refusals = [
        instance.save,
        lambda: instance.save(update_fields=list(change)),
        instance.delete,
        lambda: rows.update(**change),
        rows.delete,
        lambda: model._default_manager.all().delete(),
        lambda: model._default_manager.bulk_update([instance], list(change)),
    ]
    for refused in refusals:
        with pytest.raises(AppendOnlyError) as error:
            refused()
        assert "ajout seul" in str(error.value) or "ne se modifie" in str(error.value)
    assert rows.values().get() == stored and model._default_manager.count() == count
