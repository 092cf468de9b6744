"""The core append-only base: insert only, by every ORM path, and no cascade behind its back."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, models, transaction
from django.test.utils import isolate_apps

from parcours.accounts.models import AuditEntry
from parcours.core.append_only import AppendOnlyError, AppendOnlyModel

pytestmark = pytest.mark.django_db


def entry(**extra) -> AuditEntry:
    return AuditEntry.objects.create(actor_role="agent_prestations", action="dossier.read", **extra)


def test_an_instance_given_an_existing_key_cannot_overwrite_the_row():
    first = entry(context="avant")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry(pk=first.pk, actor_role="admin", action="dossier.read", context="après").save()
    assert AuditEntry.objects.get(pk=first.pk).context == "avant"


def test_bulk_create_inserts_but_an_upsert_is_refused():
    rows = [AuditEntry(actor_role="admin", action=f"a{i}") for i in range(3)]
    AuditEntry.objects.bulk_create(rows)
    assert AuditEntry.objects.count() == 3
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_create(
            [AuditEntry(pk=rows[0].pk or 1, actor_role="admin", action="x")],
            update_conflicts=True,
            update_fields=["action"],
            unique_fields=["id"],
        )
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == ["a0", "a1", "a2"]


def test_the_refusal_names_the_record():
    with pytest.raises(AppendOnlyError, match="journal d'audit"):
        entry().delete()
    assert issubclass(AppendOnlyError, PermissionError)


@isolate_apps("parcours.core")
def test_a_cascading_or_nulling_foreign_key_is_refused_by_a_system_check():
    class Parent(models.Model):
        class Meta:
            app_label = "core"

    class Kept(AppendOnlyModel):
        parent = models.ForeignKey(Parent, on_delete=models.PROTECT)

        class Meta:
            app_label = "core"

    class Cascaded(AppendOnlyModel):
        parent = models.ForeignKey(Parent, on_delete=models.CASCADE)
        other = models.ForeignKey(Parent, null=True, on_delete=models.SET_NULL, related_name="+")

        class Meta:
            app_label = "core"

    assert [e.id for e in Kept.check()] == []
    assert [e.id for e in Cascaded.check()] == ["core.E001", "core.E001"]


def test_every_append_only_model_of_the_project_passes_the_check():
    from django.apps import apps

    models_checked = [m for m in apps.get_models() if issubclass(m, AppendOnlyModel)]
    assert {m.__name__ for m in models_checked} >= {"AuditEntry", "RightsRevision", "DemandeTransition"}
    for model in models_checked:
        assert [e.id for e in model.check() if e.id.startswith("core.")] == []
