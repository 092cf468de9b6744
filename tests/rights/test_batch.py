"""Batch recompute: vectorised chunks, resumable, the same amounts in-process and on 2 Dask workers."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from parcours.rights import batch
from parcours.rights.batch import recompute
from parcours.rights.models import RecomputeChunk, RightsRevision
from parcours.rights.services import latest_amounts, rights_for_household
from tests.factories import household

pytestmark = pytest.mark.django_db


@pytest.fixture
def population():
    return [
        household(couple=False, children=2, salary=Decimal("900.00")),
        household(couple=True, children=3, salary=Decimal("1400.00")),
        household(couple=False, children=1, salary=Decimal("1800.00")),
        household(couple=True, children=0, salary=Decimal("700.00")),
        household(couple=False, children=0, salary=Decimal("0.00")),
    ]


def stored(dossiers, month):
    latest = latest_amounts([d.pk for d in dossiers], month)
    return {key: amount for key, amount in latest.items() if amount != 0}


def expected(dossiers, month):
    out = {}
    for dossier in dossiers:
        result = rights_for_household(dossier, month)
        out |= {(dossier.pk, b): v for b, v in result.benefits.items() if v != 0}
    return out


def test_an_interrupted_run_resumes_without_redoing_finished_chunks(population, monkeypatch):
    first = recompute("2026-06", chunk_size=2, max_chunks=1)
    assert (first.chunks, first.households) == (1, 2)
    rows_after_first = RightsRevision.objects.count()

    calls = []
    real = batch.compute_chunk

    def crash_on_second_chunk(facts):
        calls.append(len(facts))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(facts)

    monkeypatch.setattr(batch, "compute_chunk", crash_on_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        recompute("2026-06", chunk_size=2)
    assert RecomputeChunk.objects.count() == 2  # the finished one stays, the interrupted one left nothing
    monkeypatch.setattr(batch, "compute_chunk", real)

    late = household(couple=False, children=1, salary=Decimal("1000.00"))  # a dossier opened meanwhile
    rest = recompute("2026-06", chunk_size=2)
    assert (rest.chunks, rest.households) == (1, 2)
    assert stored([*population, late], "2026-06") == expected([*population, late], "2026-06")
    assert RightsRevision.objects.count() > rows_after_first
    assert recompute("2026-06", chunk_size=2).chunks == 0
    again = recompute("2026-06", chunk_size=3, restart=True)
    assert again.households == 6 and RightsRevision.objects.filter(source="recalcul mensuel").count() == len(
        stored([*population, late], "2026-06")
    )  # the same amounts again: nothing new written


def test_dask_with_two_local_workers_gives_the_same_amounts(population):
    summary = recompute("2026-07", engine="dask", workers=2, chunk_size=2)
    assert summary.households == 5 and summary.chunks == 3
    assert stored(population, "2026-07") == expected(population, "2026-07")


def test_the_command_prints_a_json_summary_as_its_last_line(population):
    out, err = StringIO(), StringIO()
    call_command("rights", "recompute", "--month", "2026-05", "--chunk-size", "10", stdout=out, stderr=err)
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert summary["households"] == 5
    assert set(summary) == {"households", "seconds", "households_per_second"}
