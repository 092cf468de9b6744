"""Batch recompute: vectorised chunks, resumable, the same results locally and on 2 Dask workers."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from parcours.rights.batch import recompute
from parcours.rights.models import RecomputeChunk, RightsRevision
from parcours.rights.services import latest_amounts, rights_for_household
from tests.factories import household

pytestmark = pytest.mark.django_db


@pytest.fixture
def population():
    from decimal import Decimal

    return [
        household(couple=False, children=2, salary=Decimal("900.00")),
        household(couple=True, children=3, salary=Decimal("1400.00")),
        household(couple=False, children=1, salary=Decimal("1800.00")),
        household(couple=True, children=0, salary=Decimal("700.00")),
        household(couple=False, children=0, salary=Decimal("0.00")),
    ]


def stored(dossiers, month):
    latest = latest_amounts([d.pk for d in dossiers], month)
    return {(d.pk, b): v for (d_id, b), v in latest.items() for d in dossiers if d.pk == d_id}


def expected(dossiers, month):
    out = {}
    for dossier in dossiers:
        result = rights_for_household(dossier, month)
        out |= {(dossier.pk, b): v for b, v in result.benefits.items() if v != 0}
    return out


def test_an_interrupted_run_resumes_without_redoing_finished_chunks(population):
    first = recompute("2026-06", chunk_size=2, max_chunks=1)
    assert (first.chunks, first.households) == (1, 2)
    rows_after_first = RightsRevision.objects.count()
    rest = recompute("2026-06", chunk_size=2)
    assert (rest.chunks, rest.households) == (2, 3)
    assert RecomputeChunk.objects.count() == 3
    assert stored(population, "2026-06") == expected(population, "2026-06")
    assert RightsRevision.objects.count() > rows_after_first
    again = recompute("2026-06", chunk_size=2)
    assert (again.chunks, again.households) == (0, 0)


def test_dask_with_two_local_workers_gives_the_same_amounts(population):
    summary = recompute("2026-07", engine="dask", workers=2, chunk_size=2)
    assert summary.households == 5 and summary.chunks == 3
    assert stored(population, "2026-07") == expected(population, "2026-07")


def test_the_command_prints_a_json_summary_as_its_last_line(population):
    out = StringIO()
    call_command("rights", "recompute", "--month", "2026-05", "--chunk-size", "10", stdout=out, verbosity=0)
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert summary["households"] == 5
    assert set(summary) == {"households", "seconds", "households_per_second"}
