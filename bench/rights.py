"""Rights engine benchmark: parcours vs the plain OpenFisca path, side by side, on the same facts.

- single household, warm: p50/p95 of `engine.compute([facts])` vs the plain path — one
  `SimulationBuilder().build_from_entities` + `calculate` of the same variables per household, on
  the same situation (mapping.plain_situation) — interleaved so both see the same machine load;
- batch: households/s of parcours's chunks vs plain vectorised OpenFisca (one dict situation per
  chunk) on the same facts; then 1 vs 2 Dask workers on the same chunks; then the whole command
  (`rights recompute`: registry reads, computation, revision writes) in-process and on Dask;
- every amount compared to the cent (gross and paid); the profile of what bounds each path.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"
REFERENCE_MONTH = "2026-11"  # the demo's reference month: its histories run up to it
MONTH = "2026-10"
E2E_MONTHS = {"local": "2026-07", "dask_1": "2026-06", "dask_2": "2026-05"}
ORDER = ("asf", "af", "cf", "ars", "rsa", "ppa", "aide_logement", "aah", "aeeh")


def ensure_population(households: int) -> list[int]:
    from django.core.management import call_command

    from parcours.households.models import Dossier

    call_command("migrate", verbosity=0)
    if Dossier.objects.count() < households:
        call_command(
            "demo",
            households=households,
            seed=2026,
            reference_month=REFERENCE_MONTH,
            no_accounts=True,
            verbosity=0,
        )
    return list(Dossier.objects.order_by("id").values_list("id", flat=True))[:households]


def read_facts(ids: list[int], month: str, chunk: int) -> list:
    from parcours.rights.registry import facts_for_dossiers

    facts = []
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        found = facts_for_dossiers(part, month)
        facts += [found[i] for i in part if i in found]
    return facts


def plain(facts: list, situation: Callable | None = None) -> list[dict[str, dict[str, Decimal]]]:
    """The plain OpenFisca path: build the simulation from a dict situation, calculate each benefit
    (openfisca-france's variable, and the variable of the amount paid) in parcours's order."""
    from openfisca_core.simulation_builder import SimulationBuilder

    from parcours.rights.mapping import plain_situation
    from parcours.rights.money import cents_list
    from parcours.rights.results import BENEFITS
    from parcours.rights.simulation import tax_benefit_system

    month = facts[0].month
    simulation = SimulationBuilder().build_from_entities(
        tax_benefit_system(), (situation or plain_situation)(facts)
    )
    zero = np.zeros(len(facts))
    august = month.endswith("-08")
    gross, paid = {}, {}
    for name in ORDER:
        variable, net = BENEFITS[name]
        if name == "ars":
            gross[name] = simulation.calculate(variable, month[:4]) if august else zero
            paid[name] = simulation.calculate(net, month[:4]) if august else zero
        elif name == "aah":
            gross[name] = paid[name] = simulation.populations["famille"].sum(
                simulation.calculate(variable, month)
            )
        else:
            gross[name] = simulation.calculate(variable, month)
    for name in ORDER:
        variable, net = BENEFITS[name]
        if name not in paid:
            paid[name] = gross[name] if net == variable else simulation.calculate(net, month)
    as_cents = {name: (cents_list(gross[name]), cents_list(paid[name])) for name in ORDER}
    return [
        {"gross": {n: as_cents[n][0][i] for n in ORDER}, "paid": {n: as_cents[n][1][i] for n in ORDER}}
        for i in range(len(facts))
    ]


def baseline_situation(facts: list) -> dict:
    """The issue's baseline facts: net resources only, housing in the month only (amounts differ:
    timing only, to compare with the ~1.9 s per household the issue measured)."""
    from parcours.rights.mapping import plain_situation

    situation = plain_situation(facts)
    for person in situation["individus"].values():
        for taxable in ("salaire_imposable", "chomage_imposable", "retraite_imposable"):
            person.pop(taxable, None)
    month = facts[0].month
    for menage in situation["menages"].values():
        for variable in ("statut_occupation_logement", "loyer", "depcom"):
            if variable in menage:
                menage[variable] = {month: menage[variable][month]}
    return situation


def mismatches(results: list, reference: list) -> int:
    """Amounts (benefit x household, gross and paid) that differ by a cent or more."""
    count = 0
    for ours, theirs in zip(results, reference, strict=True):
        paid = dict(theirs["paid"])
        if all(child.kind == "aucune" for child in ours.asf_children):
            paid["asf"] = Decimal("0.00")  # parcours's ASF rules: not paid
        count += sum(ours.benefits_gross[n] != theirs["gross"][n] for n in ORDER)
        count += sum(ours.benefits[n] != paid[n] for n in ORDER)
    return count


def timed(function: Callable, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def profile_of(function: Callable, *args, lines: int = 22) -> tuple[str, int]:
    profile = cProfile.Profile()
    profile.enable()
    function(*args)
    profile.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profile, stream=stream)
    calls = sum(
        entry[1] for key, entry in stats.stats.items() if key[2] == "calculate" and "simulation.py" in key[0]
    )
    stats.sort_stats("tottime").print_stats(lines)
    return stream.getvalue().strip(), calls


def forget_month(month: str) -> None:
    """Benchmark database only: drop a month's revisions and runs so that every end-to-end run
    writes the same amount (revisions are append-only everywhere else)."""
    from django.db import connection

    from parcours.rights.models import RecomputeRun, RightsRevision

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {RightsRevision._meta.db_table} WHERE month = %s", [f"{month}-01"])
    RecomputeRun.objects.filter(month=f"{month}-01").delete()


def run(*, households: int, single: int, chunk: int) -> dict:
    from parcours.rights.batch import dask_client, on_dask, recompute
    from parcours.rights.engine import compute
    from parcours.rights.mapping import profile_of as household_profile
    from parcours.rights.simulation import tax_benefit_system

    started = time.perf_counter()
    ids = ensure_population(households)
    read_seconds, facts = timed(read_facts, ids, MONTH, chunk)
    tax_benefit_system()
    sample = facts[:: max(1, len(facts) // single)][:single]
    for one in sample[:3]:  # warm both paths (parameters at each instant are cached on first use)
        compute([one]), plain([one])

    # Single household, warm, interleaved.
    ours, theirs, single_mismatches = [], [], 0
    for one in sample:
        t1, result = timed(compute, [one])
        t2, reference = timed(plain, [one])
        ours.append(t1)
        theirs.append(t2)
        single_mismatches += mismatches(result, reference)
    baseline = [timed(plain, sample[i : i + 1], baseline_situation)[0] for i in range(min(5, len(sample)))]

    # Batch, computation only: same chunks, parcours vs plain vectorised.
    chunks = [facts[i : i + chunk] for i in range(0, len(facts), chunk)]
    t_ours, t_plain, batch_mismatches = 0.0, 0.0, 0
    for part in chunks:
        t1, result = timed(lambda p: compute(p, explain=False), part)  # amounts only, like the plain path
        t2, reference = timed(plain, part)
        t_ours, t_plain = t_ours + t1, t_plain + t2
        batch_mismatches += mismatches(result, reference)

    def dask_seconds(workers: int) -> float:
        """The chunks on a warm cluster: its start and openfisca-france's loading excluded."""
        with dask_client(workers) as client:
            tasks = ((list(range(len(c))), list(range(len(c))), c) for c in chunks)
            start = time.perf_counter()
            for _ in on_dask(client, tasks):
                pass
            return time.perf_counter() - start

    t_dask = {workers: dask_seconds(workers) for workers in (1, 2)}

    # The whole command: registry reads, computation, revision writes.
    e2e = {}
    for label, month in E2E_MONTHS.items():
        forget_month(month)
        engine, workers = ("local", 1) if label == "local" else ("dask", int(label[-1]))
        summary = recompute(month, engine=engine, workers=workers, chunk_size=chunk, restart=True)
        e2e[label] = summary.as_dict()

    typical = next(
        (f for f in sample if f.housing_status == "locataire" and household_profile(f).children), sample[0]
    )
    single_profile, single_calls = profile_of(compute, [typical])
    batch_profile, _ = profile_of(compute, chunks[0], lines=16)

    n = len(facts)
    profiles: dict[str, int] = {}
    for one in facts:
        key = str(household_profile(one)).removeprefix("Profile")
        profiles[key] = profiles.get(key, 0) + 1
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "month": MONTH,
        "households": n,
        "chunk": chunk,
        "registry_read_households_per_second": round(n / read_seconds, 1),
        "single": {
            "households": len(sample),
            "parcours_p50_ms": round(statistics.median(ours) * 1000, 1),
            "parcours_p95_ms": round(percentile(ours, 0.95) * 1000, 1),
            "plain_p50_ms": round(statistics.median(theirs) * 1000, 1),
            "plain_p95_ms": round(percentile(theirs, 0.95) * 1000, 1),
            "speedup_p50": round(statistics.median(theirs) / statistics.median(ours), 2),
            "issue_baseline_p50_ms": round(statistics.median(baseline) * 1000, 1),
            "openfisca_calls_typical_household": single_calls,
            "amount_mismatches": single_mismatches,
        },
        "batch": {
            "parcours_households_per_second": round(n / t_ours, 1),
            "plain_households_per_second": round(n / t_plain, 1),
            "speedup": round(t_plain / t_ours, 2),
            "dask_1_worker_households_per_second": round(n / t_dask[1], 1),
            "dask_2_workers_households_per_second": round(n / t_dask[2], 1),
            "dask_scaling_2_vs_1": round(t_dask[1] / t_dask[2], 2),
            "amount_mismatches": batch_mismatches,
        },
        "command": e2e,
        "profiles": dict(sorted(profiles.items(), key=lambda item: -item[1])),
        "targets": {"single_p50_ms": 100, "batch_households_per_second": 2000},
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    write(report, single_profile, batch_profile)
    print(json.dumps(report))
    return report


def write(report: dict, single_profile: str, batch_profile: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    (RESULTS / f"rights-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    s, b, c = report["single"], report["batch"], report["command"]
    lines = [
        f"# Rights engine — {report['date']} — {report['households']} demo households, month {report['month']}",
        "",
        "Side by side in one run, same facts; plain = `SimulationBuilder().build_from_entities` + `calculate`.",
        "",
        "| measure | parcours | plain OpenFisca | ratio | target |",
        "| --- | --- | --- | --- | --- |",
        f"| single household p50 (ms, {s['households']} households) | {s['parcours_p50_ms']} | {s['plain_p50_ms']} | ×{s['speedup_p50']} | ≤ 100 |",
        f"| single household p95 (ms) | {s['parcours_p95_ms']} | {s['plain_p95_ms']} | | |",
        f"| batch, computation only (households/s, 1 process) | {b['parcours_households_per_second']} | {b['plain_households_per_second']} | ×{b['speedup']} | |",
        f"| batch on Dask, 1 → 2 workers (households/s) | {b['dask_1_worker_households_per_second']} → {b['dask_2_workers_households_per_second']} (×{b['dask_scaling_2_vs_1']}) | | | near-linear |",
        f"| `rights recompute`, whole command, in-process (households/s) | {c['local']['households_per_second']} | | | |",
        f"| `rights recompute --engine dask --workers 1` | {c['dask_1']['households_per_second']} | | | |",
        f"| `rights recompute --engine dask --workers 2` | {c['dask_2']['households_per_second']} | | | ≥ 2000 |",
        "",
        f"Amounts differing from the plain path (benefit × household, gross and paid): single {s['amount_mismatches']}, "
        f"batch {b['amount_mismatches']}.",
        "",
        f"Registry reads (facts of {report['households']} households, set-based): {report['registry_read_households_per_second']} households/s.",
        f"The issue's baseline plain path (net resources only, housing in the month only — other facts, other "
        f"amounts): p50 {s['issue_baseline_p50_ms']} ms per household.",
        f"OpenFisca `calculate` calls for one typical household (tenant with children): {s['openfisca_calls_typical_household']}.",
        "",
        "Households by profile (simulated together, known defaults per profile): "
        + ", ".join(f"{k} {v}" for k, v in report["profiles"].items()),
        "",
        "## What bounds one household (cProfile, internal time)",
        "",
        "```",
        single_profile,
        "```",
        "",
        "## What bounds a chunk (cProfile, internal time)",
        "",
        "```",
        batch_profile,
        "```",
    ]
    (RESULTS / f"rights-{stamp}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
