"""Rights of the whole population for a month: vectorised chunks, local or on a Dask cluster.

The database is read and written by this process only; a chunk's computation is a pure function
of its facts (`compute_chunk`), so the same code runs in-process or on Dask workers. A chunk's
revisions and its "done" marker are written in one transaction: an interrupted run resumes where
it stopped and never redoes a finished chunk.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from parcours.households.models import Dossier

from .engine import RightsResult
from .facts import HouseholdFacts
from .models import RecomputeChunk, RecomputeRun
from .registry import facts_for_dossiers, first_day
from .services import registry_versions, revisions_write
from .worker import compute_chunk

SOURCE = "recalcul mensuel"


@dataclass
class Summary:
    households: int
    seconds: float
    chunks: int

    def as_dict(self) -> dict:
        rate = self.households / self.seconds if self.seconds else 0.0
        return {
            "households": self.households,
            "seconds": round(self.seconds, 3),
            "households_per_second": round(rate, 1),
        }


def _pending(run: RecomputeRun) -> list[tuple[int, list[int]]]:
    ids = list(Dossier.objects.order_by("id").values_list("id", flat=True))
    size = run.chunk_size
    done = set(run.chunks.values_list("index", flat=True))
    return [
        (i, ids[start : start + size]) for i, start in enumerate(range(0, len(ids), size)) if i not in done
    ]


def _write(run: RecomputeRun, index: int, month: str, ids: list[int], results: list[RightsResult]) -> None:
    with transaction.atomic():
        revisions_write(
            dict(zip(ids, results, strict=True)), month, source=SOURCE, versions=registry_versions(ids)
        )
        RecomputeChunk.objects.create(run=run, index=index, households=len(ids))


def _local(
    tasks: Iterator[tuple[int, list[int], list[HouseholdFacts]]], _workers: int, _scheduler: str | None
):
    for index, ids, facts in tasks:
        yield index, ids, compute_chunk(facts)


def _dask(tasks: Iterator[tuple[int, list[int], list[HouseholdFacts]]], workers: int, scheduler: str | None):
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        window = max(2, 2 * workers)  # keep every worker busy without loading the whole population
        running = as_completed()
        meta = {}
        for index, ids, facts in tasks:
            future = client.submit(compute_chunk, facts, pure=False)
            meta[future.key] = (index, ids)
            running.add(future)
            if running.count() >= window:
                done = next(running)
                yield (*meta.pop(done.key), done.result())
        for done in running:
            yield (*meta.pop(done.key), done.result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


ENGINES: dict[str, Callable] = {"local": _local, "dask": _dask}


def recompute(
    month: str,
    *,
    engine: str = "local",
    workers: int = 1,
    chunk_size: int = 1000,
    scheduler: str | None = None,
    max_chunks: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Compute every household for `month`; finished chunks of an earlier run are not redone."""
    run, _ = RecomputeRun.objects.get_or_create(month=first_day(month), defaults={"chunk_size": chunk_size})
    pending = _pending(run)[:max_chunks] if max_chunks is not None else _pending(run)
    started = time.perf_counter()
    households = chunks = 0

    def tasks() -> Iterator[tuple[int, list[int], list[HouseholdFacts]]]:
        for index, ids in pending:
            facts = facts_for_dossiers(ids, month)
            present = [i for i in ids if i in facts]
            yield index, present, [facts[i] for i in present]

    for index, ids, results in ENGINES[engine](tasks(), workers, scheduler):
        _write(run, index, month, ids, results)
        households += len(ids)
        chunks += 1
        if progress:
            progress(len(ids))
    if not _pending(run):
        RecomputeRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    return Summary(households, time.perf_counter() - started, chunks)
