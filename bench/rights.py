"""Rights engine benchmark: parcours vs the plain OpenFisca path, side by side, same facts.

- single household, warm: p50/p95 of `engine.compute([facts])` vs one plain
  `SimulationBuilder.build_from_entities` + `calculate` per household (same variables);
- batch: households/s of parcours's vectorised chunks vs plain vectorised OpenFisca on the same
  situations; then 1 vs 2 Dask workers on the same chunks;
- amounts compared to the cent; a profile of one single-household computation.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import statistics
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command

RESULTS = Path(__file__).resolve().parent / "results"
MONTH = "2026-10"
CHUNK = 1000
VARIABLES = ["asf", "af", "cf", "rsa", "ppa", "aide_logement", "aeeh"]


def ensure_population(households: int) -> list[int]:
    from parcours.households.models import Dossier

    call_command("migrate", verbosity=0)
    call_command(
        "demo", households=households, seed=2026, reference_month="2026-11", no_accounts=True, verbosity=0
    )
    return list(Dossier.objects.order_by("id").values_list("id", flat=True))


def load_facts(ids: list[int]) -> list:
    from parcours.rights.registry import facts_for_dossiers

    facts = []
    for start in range(0, len(ids), 2000):
        chunk = facts_for_dossiers(ids[start : start + 2000], MONTH)
        facts += [chunk[i] for i in ids[start : start + 2000] if i in chunk]
    return facts


def plain(facts: list) -> list[dict[str, Decimal]]:
    """The plain OpenFisca path: build the simulation, calculate each variable."""
    from openfisca_core.simulation_builder import SimulationBuilder

    from parcours.rights.engine import tax_benefit_system, to_cents
    from parcours.rights.facts import situation

    simulation = SimulationBuilder().build_from_entities(tax_benefit_system(), situation(facts))
    values = {v: simulation.calculate(v, MONTH) for v in VARIABLES}
    return [{v: to_cents(values[v][i]) for v in VARIABLES} for i in range(len(facts))]


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(*, households: int, single: int) -> dict:
    from parcours.rights.batch import _dask, _local
    from parcours.rights.engine import compute, tax_benefit_system

    started = time.perf_counter()
    ids = ensure_population(households)
    facts = load_facts(ids)[:households]
    tax_benefit_system()
    compute(facts[:1]), plain(facts[:1])  # warm both paths

    # Single household, warm, interleaved so that both paths see the same machine load.
    ours, theirs, mismatches = [], [], 0
    for one in facts[:single]:
        t1, result = timed(compute, [one])
        t2, reference = timed(plain, [one])
        ours.append(t1)
        theirs.append(t2)
        mismatches += sum(result[0].benefits_gross[v] != reference[0][v] for v in VARIABLES)

    # Batch: same chunks, parcours vs plain vectorised.
    chunks = [facts[i : i + CHUNK] for i in range(0, len(facts), CHUNK)]
    t_ours = sum(timed(compute, c)[0] for c in chunks)
    t_plain = sum(timed(plain, c)[0] for c in chunks)

    def on_engine(engine, workers: int) -> float:
        tasks = ((i, [], c) for i, c in enumerate(chunks))
        start = time.perf_counter()
        for _ in engine(tasks, workers, None):
            pass
        return time.perf_counter() - start

    t_dask1 = on_engine(_dask, 1)
    t_dask2 = on_engine(_dask, 2)
    t_local = on_engine(_local, 1)

    profile = cProfile.Profile()
    profile.enable()
    compute(facts[:1])
    profile.disable()
    stream = io.StringIO()
    pstats.Stats(profile, stream=stream).sort_stats("cumulative").print_stats(18)

    n = len(facts)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "month": MONTH,
        "households": n,
        "single": {
            "parcours_p50_ms": round(statistics.median(ours) * 1000, 1),
            "parcours_p95_ms": round(percentile(ours, 0.95) * 1000, 1),
            "plain_p50_ms": round(statistics.median(theirs) * 1000, 1),
            "plain_p95_ms": round(percentile(theirs, 0.95) * 1000, 1),
            "amount_mismatches": mismatches,
        },
        "batch": {
            "parcours_households_per_second": round(n / t_ours, 1),
            "plain_households_per_second": round(n / t_plain, 1),
            "local_engine_households_per_second": round(n / t_local, 1),
            "dask_1_worker_households_per_second": round(n / t_dask1, 1),
            "dask_2_workers_households_per_second": round(n / t_dask2, 1),
            "dask_scaling_2_vs_1": round(t_dask1 / t_dask2, 2),
        },
        "targets": {"single_p50_ms": 100, "batch_households_per_second": 2000},
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    (RESULTS / f"rights-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    markdown = [
        f"# Rights engine — {report['date']} — {n} households, month {MONTH}",
        "",
        "| measure | parcours | plain OpenFisca | target |",
        "| --- | --- | --- | --- |",
        f"| single household p50 (ms) | {report['single']['parcours_p50_ms']} | {report['single']['plain_p50_ms']} | ≤ 100 |",
        f"| single household p95 (ms) | {report['single']['parcours_p95_ms']} | {report['single']['plain_p95_ms']} | |",
        f"| batch (households/s) | {report['batch']['parcours_households_per_second']} | "
        f"{report['batch']['plain_households_per_second']} | ≥ 2000 |",
        f"| Dask 1 → 2 workers (households/s) | {report['batch']['dask_1_worker_households_per_second']} → "
        f"{report['batch']['dask_2_workers_households_per_second']} (×{report['batch']['dask_scaling_2_vs_1']}) | | near-linear |",
        "",
        f"Amounts differing from the plain path (benefit × household): {mismatches}.",
        "",
        "## Profile of one single-household computation (cumulative time)",
        "",
        "```",
        stream.getvalue().strip(),
        "```",
    ]
    (RESULTS / f"rights-{stamp}.md").write_text("\n".join(markdown) + "\n", encoding="utf-8")
    print(json.dumps(report))
    return report
