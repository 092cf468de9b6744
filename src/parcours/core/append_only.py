"""Append-only records (audit log, rights revisions, ledgers, transition logs): written once, never
changed nor deleted, by any path the ORM offers.

- `AppendOnlyModel.save()` inserts only (forced INSERT: an instance given an existing primary key
  cannot overwrite a row); on a row already stored it raises, and `delete()` always raises.
- Its queryset refuses `update()`, `delete()`, `bulk_update()`, and `bulk_create()` with
  `update_conflicts` (an upsert is an update); plain `bulk_create()` works.
- A deletion cascading from another table or a SET_NULL would change the rows behind the model's
  back: a system check (`core.E001`) refuses any foreign key of an append-only model whose
  `on_delete` is not PROTECT, RESTRICT or DO_NOTHING.

The one escape is raw SQL, as for every guarantee the ORM gives: only the set-based steps that
insert rows in bulk (`INSERT ... SELECT`) write these tables directly, and they never update them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core import checks
from django.db import models

APPEND_ONLY = "Ces enregistrements sont en ajout seul : ils ne se modifient ni ne se suppriment."
KEEPS_ROWS = (models.PROTECT, models.RESTRICT, models.DO_NOTHING)


class AppendOnlyError(PermissionError):
    """A change or a deletion of an append-only record was refused; nothing was written."""


def _refusal(model: type[models.Model] | None) -> str:
    return getattr(model, "append_only_message", APPEND_ONLY)


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(_refusal(self.model))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_refusal(self.model))

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AppendOnlyError(_refusal(self.model))

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("update_conflicts"):
            raise AppendOnlyError(_refusal(self.model))
        return super().bulk_create(objs, *args, **kwargs)


class AppendOnlyModel(models.Model):
    """The base of every append-only model. A subclass may set `append_only_message` (French) to
    say what the record is and how it is corrected (a reversal entry, a new revision, ...)."""

    append_only_message: ClassVar[str] = APPEND_ONLY

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields") is not None:
            raise AppendOnlyError(self.append_only_message)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(self.append_only_message)

    @classmethod
    def check(cls, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        for field in cls._meta.get_fields(include_parents=True):
            if field.is_relation and field.concrete and field.many_to_one:
                on_delete = field.remote_field.on_delete  # type: ignore[union-attr]
                if on_delete not in KEEPS_ROWS:
                    errors.append(
                        checks.Error(
                            f"{cls.__name__}.{field.name}: an append-only row must not be deleted or "
                            "changed by its parent's deletion (use on_delete=PROTECT).",
                            obj=cls,
                            id="core.E001",
                        )
                    )
        return errors
