"""Rights revisions and monthly recomputation runs, written by the rights services' own paths."""

from __future__ import annotations

from decimal import Decimal

import factory

from parcours.rights import batch
from parcours.rights.models import RecomputeChunk, RecomputeRun, RightsRevision
from parcours.rights.services import registry_versions, revisions_write

from .households import DossierFactory


class RightsRevisionFactory(factory.django.DjangoModelFactory):
    """The amount due for a benefit and a month, stored by `revisions_write` (append-only);
    `rappel` / `indu`: a second computation raised / lowered what was first due."""

    class Meta:
        model = RightsRevision

    dossier = factory.SubFactory(DossierFactory)
    month = "2026-01"
    benefit = "af"
    amount = Decimal("148.52")
    previous_amount = None  # what the month's latest revision held, if any
    source = "test"

    class Params:
        rappel = factory.Trait(previous_amount=Decimal("100.00"))
        indu = factory.Trait(previous_amount=Decimal("200.00"))

    @classmethod
    def _create(cls, model_class, *, dossier, month, benefit, amount, previous_amount, source):
        versions = registry_versions([dossier.pk])
        if previous_amount is not None:
            revisions_write({dossier.pk: {benefit: previous_amount}}, month, source=source, versions=versions)
        revisions_write({dossier.pk: {benefit: amount}}, month, source=source, versions=versions)
        return RightsRevision.objects.filter(dossier=dossier, benefit=benefit).latest("id")


class RecomputeRunFactory(factory.django.DjangoModelFactory):
    """A monthly recomputation started by `batch.run_for` (nothing computed yet)."""

    class Meta:
        model = RecomputeRun

    month = "2026-01"
    chunk_size = 100

    @classmethod
    def _create(cls, model_class, *, month, chunk_size):
        return batch.run_for(month, chunk_size)


class RecomputeChunkFactory(factory.django.DjangoModelFactory):
    """A finished chunk of a run over one household, written as a run writes it (revisions and the
    chunk row in one transaction): its amounts are given, openfisca is not called."""

    class Meta:
        model = RecomputeChunk

    run = factory.SubFactory(RecomputeRunFactory)
    dossier = factory.SubFactory(DossierFactory)
    amounts = factory.LazyFunction(lambda: {"af": Decimal("148.52"), "asf": Decimal("0.00")})

    @classmethod
    def _create(cls, model_class, *, run, dossier, amounts):
        month = f"{run.month:%Y-%m}"
        batch._write(run, month, [dossier.pk], [dossier.pk], [amounts])
        return run.chunks.get(first_dossier_id=dossier.pk)
