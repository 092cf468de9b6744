"""Querysets for append-only records (audit log, rights revisions, ledgers): no update, no delete."""

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    refusal = "Ces enregistrements sont en ajout seul : ils ne se modifient ni ne se suppriment."

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(self.refusal)

    def delete(self):  # type: ignore[no-untyped-def]
        raise PermissionError(self.refusal)
