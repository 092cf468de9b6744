"""Rights of the whole population for a month: vectorised chunks, in-process or on a Dask cluster.

This process reads the registry (5 queries per chunk, registry.facts_for_dossiers) and writes the
revisions (bulk); a chunk's computation is a pure function of its facts (worker.compute_chunk),
so the same code runs in-process or on Dask workers. A chunk's revisions and its "done" row are
written in one transaction: an interrupted run resumes where it stopped and never redoes a
finished chunk. Chunks are ranges of dossier ids, so dossiers created meanwhile are not missed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from parcours.households.models import Dossier

from .facts import HouseholdFacts
from .models import RecomputeChunk, RecomputeRun
from .registry import facts_for_dossiers, first_day
from .services import registry_versions, revisions_write
from .worker import compute_chunk, warm_up

SOURCE = "recalcul mensuel"
Task = tuple[list[int], list[int], list[HouseholdFacts]]  # chunk's ids, ids with facts, facts
Done = tuple[list[int], list[int], list[dict[str, Decimal]]]


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


def run_for(month: str, chunk_size: int, *, restart: bool = False) -> RecomputeRun:
    """The unfinished run of the month to resume, or a new one."""
    run = RecomputeRun.objects.filter(month=first_day(month)).order_by("-id").first()
    if run is None or (restart and run.finished_at is not None):
        run = RecomputeRun.objects.create(month=first_day(month), chunk_size=chunk_size)
    return run


def pending_chunks(run: RecomputeRun) -> list[list[int]]:
    """The dossier ids not yet computed by the run, in chunks of its size."""
    done = sorted(run.chunks.values_list("first_dossier_id", "last_dossier_id"))
    pending, at = [], 0
    for dossier_id in Dossier.objects.order_by("id").values_list("id", flat=True).iterator(chunk_size=10_000):
        while at < len(done) and done[at][1] < dossier_id:
            at += 1
        if at == len(done) or dossier_id < done[at][0]:
            pending.append(dossier_id)
    return [pending[start : start + run.chunk_size] for start in range(0, len(pending), run.chunk_size)]


def _local(tasks: Iterator[Task], _workers: int, _scheduler: str | None) -> Iterator[Done]:
    for ids, present, facts in tasks:
        yield ids, present, compute_chunk(facts)


@contextmanager
def dask_client(workers: int, scheduler: str | None = None) -> Iterator[Any]:
    """A Dask client on the scheduler at `scheduler`, or on a LocalCluster of `workers` processes,
    with openfisca-france loaded in every worker."""
    from dask.distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.WARNING)  # stderr is the progress bar's
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.WARNING,
        )
        client = Client(cluster)
    try:
        client.run(warm_up)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def on_dask(client: Any, tasks: Iterator[Task]) -> Iterator[Done]:
    """The same chunk function on the cluster's workers. A bounded window of chunks keeps every
    worker busy while this process reads the next chunks and writes the finished ones."""
    from dask.distributed import as_completed

    window = 2 * max(1, len(client.scheduler_info()["workers"]))
    running = as_completed()
    meta = {}
    for ids, present, facts in tasks:
        future = client.submit(compute_chunk, facts, pure=False)
        meta[future.key] = (ids, present)
        running.add(future)
        while running.count() >= window:
            done = next(running)
            yield (*meta.pop(done.key), done.result())
    for done in running:
        yield (*meta.pop(done.key), done.result())


def _dask(tasks: Iterator[Task], workers: int, scheduler: str | None) -> Iterator[Done]:
    with dask_client(workers, scheduler) as client:
        yield from on_dask(client, tasks)


ENGINES: dict[str, Callable[[Iterator[Task], int, str | None], Iterator[Done]]] = {
    "local": _local,
    "dask": _dask,
}


def _write(run: RecomputeRun, month: str, ids: list[int], present: list[int], amounts: list[dict]) -> None:
    with transaction.atomic():
        revisions_write(
            dict(zip(present, amounts, strict=True)),
            month,
            source=SOURCE,
            versions=registry_versions(present),
        )
        RecomputeChunk.objects.create(
            run=run, first_dossier_id=ids[0], last_dossier_id=ids[-1], households=len(ids)
        )


def recompute(
    month: str,
    *,
    engine: str = "local",
    workers: int = 2,
    chunk_size: int = 4000,
    scheduler: str | None = None,
    max_chunks: int | None = None,
    restart: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Compute every household for `month`; the chunks an earlier run finished are not redone."""
    run = run_for(month, chunk_size, restart=restart)
    chunks = pending_chunks(run)[:max_chunks]
    started = time.perf_counter()
    households = count = 0

    def tasks() -> Iterator[Task]:
        for ids in chunks:
            facts = facts_for_dossiers(ids, month)
            present = [i for i in ids if i in facts]
            yield ids, present, [facts[i] for i in present]

    for ids, present, amounts in ENGINES[engine](tasks(), workers, scheduler):
        _write(run, month, ids, present, amounts)
        households += len(ids)
        count += 1
        if progress:
            progress(len(ids))
    if not pending_chunks(run):
        RecomputeRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    return Summary(households, time.perf_counter() - started, count)
