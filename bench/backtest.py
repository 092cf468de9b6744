"""The back-test of the casework risk score (`python -m bench backtest`): does the weekly priority
list hold the dossiers whose payments then stop?

Method. The demo département (`demo` command: generator + loader, `--households` households, the
current month as reference month, no demo accounts, no IFPA) in its own SQLite database,
var/bench-backtest.sqlite3, rebuilt at each run. Month M (by default two months before the current
month) and M+1 are played day by day through the services with src/parcours/demo/playback.py (its
docstring is the households' model: a hidden propensity per household drives late quarterly
declarations, returned letters and payments, rent arrears; nothing reads the score), from the 1st
of M-2 (so that every dossier's quarter has a declaration history by M) to the last day of M+1.
On each scoring day S (the 2nd and the 16th of M: the declarations of the quarters starting in M
are due on the 15th) the nightly steps run (`profiles_compute`, `segments_apply`, `rescore`, day S)
and the ranking is stored: the dossiers of `casework.selectors.weekly_priorities` (score > 0,
breaking within four weeks, ordered by score, break day, dossier), then the other scored dossiers
in the same order, then the dossiers without open work (score 0) by id. The dossiers scored are
every dossier of the registry opened on or before S; the priority list is the first ceil(10 %).

Outcome, once M+1 has played: a dossier's payments stopped when a monthly benefit
(`rights.services.PAID_BENEFITS`) due in M (its latest revision > 0) is not due in M+1 (no latest
revision > 0; the monthly run of M+1 is finished, so a benefit without revision is 0). Recall = the
share of those ruptures in the list, precision = the share of the list that ruptured, lift =
precision / base rate; at 5, 10 and 20 %. Side by side, on the same run: two naive rankings, the
dossiers with an open task at S by earliest due date, and a seeded random order.
"""

from __future__ import annotations

import json
import math
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.provenance import source

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent
DATABASE = ROOT / "var" / "bench-backtest.sqlite3"
SCORING_DAYS = (2, 16)
CUTS = (0.05, 0.10, 0.20)
RANKINGS = ("score", "open task by due date", "random")


def log(message: str) -> None:
    print(f"[bench backtest {datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def spaced(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def build(*, households: int, seed: int, reference: date, migrate: bool = True) -> int:
    """The demo département, as `make demo` loads it (without its accounts and IFPA months)."""
    import io

    from django.core.management import call_command

    from parcours.households.models import Dossier

    if migrate:
        call_command("migrate", verbosity=0)
    call_command(
        "demo",
        households=households,
        seed=seed,
        reference_month=f"{reference:%Y-%m}",
        no_accounts=True,
        no_ifpa=True,
        no_social=True,
        verbosity=0,
        stdout=io.StringIO(),
    )
    return Dossier.objects.count()


# --- The rankings at S ------------------------------------------------------------------------


def population_on(day: date) -> list[int]:
    from parcours.households.models import Dossier

    return list(Dossier.objects.filter(opened_on__lte=day).order_by("pk").values_list("pk", flat=True))


def ranking_by_score(day: date, population: list[int]) -> tuple[list[int], int, dict[int, float]]:
    """The weekly priority list's order, then the other scored dossiers, then score 0 by id.
    Returns the ranking, how many come from weekly_priorities itself, and the scores."""
    from parcours.casework.models import Risk
    from parcours.casework.selectors import weekly_priorities
    from parcours.households.models import Dossier

    members = set(population)
    weekly: list[int] = []
    for departement in sorted(set(Dossier.objects.values_list("departement", flat=True))):
        agent = SimpleNamespace(departement=departement)
        weekly += [d for d in weekly_priorities(agent, day=day).values_list("dossier_id", flat=True)]
    weekly = [d for d in weekly if d in members]
    seen = set(weekly)
    scored = Risk.objects.filter(dossier_id__in=population).order_by("-score", "breaks_on", "dossier_id")
    scores = dict(scored.values_list("dossier_id", "score"))
    rest = [d for d in scored.values_list("dossier_id", flat=True) if d not in seen]
    seen |= set(rest)
    return weekly + rest + [d for d in population if d not in seen], len(weekly), scores


def ranking_by_open_task(population: list[int]) -> list[int]:
    """Naive: the dossiers with an open task, earliest due date first, then the others by id."""
    from django.db.models import Min

    from parcours.casework import lifecycle
    from parcours.casework.models import Task

    due = dict(
        Task.objects.filter(state__in=lifecycle.OPEN, dossier_id__in=population)
        .values("dossier_id")
        .annotate(first=Min("due_on"))
        .values_list("dossier_id", "first")
    )
    return sorted(due, key=lambda d: (due[d], d)) + [d for d in population if d not in due]


def ranking_random(population: list[int], seed: int, day: date) -> list[int]:
    ranking = list(population)
    random.Random(f"{seed}:backtest:{day}").shuffle(ranking)
    return ranking


def open_kinds(population: list[int]) -> dict[int, set[str]]:
    from parcours.casework import lifecycle
    from parcours.casework.models import Task

    out: dict[int, set[str]] = {}
    rows = Task.objects.filter(state__in=lifecycle.OPEN, dossier_id__in=population)
    for dossier_id, kind in rows.values_list("dossier_id", "kind"):
        out.setdefault(dossier_id, set()).add(kind)
    return out


# --- The outcome after M+1 --------------------------------------------------------------------


def stopped(month: str) -> dict[int, list[str]]:
    """Per dossier, the monthly benefits due in `month` and not in the next one (rights revisions)."""
    from parcours.rights.facts import month_add
    from parcours.rights.models import RecomputeRun
    from parcours.rights.registry import first_day
    from parcours.rights.selectors import latest_revisions
    from parcours.rights.services import PAID_BENEFITS

    following = month_add(month, 1)
    if not RecomputeRun.objects.filter(month=first_day(following), finished_at__isnull=False).exists():
        raise RuntimeError(f"the monthly run of {following} has not finished")

    def paid(m: str) -> set[tuple[int, str]]:
        rows = latest_revisions(m).filter(benefit__in=PAID_BENEFITS, amount__gt=0)
        return set(rows.values_list("dossier_id", "benefit"))

    after = paid(following)
    out: dict[int, list[str]] = {}
    for dossier_id, benefit in sorted(paid(month) - after):
        out.setdefault(dossier_id, []).append(benefit)
    return out


def measure(ranking: list[int], ruptures: set[int], base_rate: float) -> dict[str, dict[str, Any]]:
    out = {}
    for cut in CUTS:
        size = math.ceil(cut * len(ranking))
        hits = len(ruptures.intersection(ranking[:size]))
        precision = hits / size if size else 0.0
        out[f"{round(cut * 100)}%"] = {
            "list": size,
            "hits": hits,
            "recall": hits / len(ruptures) if ruptures else 0.0,
            "precision": precision,
            "lift": precision / base_rate if base_rate else 0.0,
        }
    return out


# --- The run ----------------------------------------------------------------------------------


def run(
    *,
    households: int,
    seed: int,
    month: date | None = None,
    write_results: bool = True,
    migrate: bool = True,
) -> dict[str, Any]:
    """Build, play, score and measure (module docstring); the report, written unless told not to."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from parcours.demo.generator import months_before
    from parcours.demo.playback import play

    started = time.perf_counter()
    today = timezone.localdate()
    reference = today.replace(day=1)
    month = (month or months_before(today, 2)).replace(day=1)
    following = months_before(month, -1)
    last = months_before(month, -2) - timedelta(days=1)  # the last day of M+1
    log(f"database {settings.DATABASES['default']['NAME']} ({connection.vendor}), seed {seed}")
    dossiers = build(households=households, seed=seed, reference=reference, migrate=migrate)
    built = time.perf_counter() - started
    log(f"demo: {spaced(households)} households, {spaced(dossiers)} dossiers in {built:.0f} s")

    snapshots: dict[date, dict[str, Any]] = {}

    def night(day: date) -> None:
        population = population_on(day)
        by_score, weekly, scores = ranking_by_score(day, population)
        snapshots[day] = {
            "population": population,
            "rankings": {
                "score": by_score,
                "open task by due date": ranking_by_open_task(population),
                "random": ranking_random(population, seed, day),
            },
            "weekly": weekly,
            "scores": scores,
            "kinds": open_kinds(population),
        }
        size = math.ceil(0.1 * len(population))
        log(f"scored {day}: {spaced(len(population))} dossiers, {len(scores)} with open work, list {size}")

    play_started = time.perf_counter()
    counts = play(
        seed=seed,
        first=months_before(month, 2),
        last=last,
        nights={month.replace(day=d): night for d in SCORING_DAYS},
        progress=log,
    )
    played = time.perf_counter() - play_started
    outcome = stopped(f"{month:%Y-%m}")
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": f"python -m bench backtest --backtest-households {households} --seed {seed}"
        f" --backtest-month {month:%Y-%m}",
        "seed": seed,
        "commit": source("src", "bench"),
        "database": connection.vendor,
        "households": households,
        "dossiers": dossiers,
        "reference_month": f"{reference:%Y-%m}",
        "month": f"{month:%Y-%m}",
        "following_month": f"{following:%Y-%m}",
        "played": [f"{months_before(month, 2)}", f"{last}"],
        "events": counts,
        "seconds": {"build": round(built, 1), "playback": round(played, 1)},
        "days": {},
    }
    for day, snap in snapshots.items():
        population = snap["population"]
        ruptures = {d for d in outcome if d in set(population)}
        base = len(ruptures) / len(population) if population else 0.0
        size = math.ceil(0.1 * len(population))
        priority = snap["rankings"]["score"][:size]
        by_benefit: dict[str, int] = {}
        for d in ruptures:
            for benefit in outcome[d]:
                by_benefit[benefit] = by_benefit.get(benefit, 0) + 1
        report["days"][f"{day}"] = {
            "scored": len(population),
            "with_open_work": len(snap["scores"]),
            "weekly_priorities": snap["weekly"],
            "priority_list": [
                {"dossier_id": d, "score": round(snap["scores"].get(d, 0.0), 2)} for d in priority
            ],
            "ruptures": len(ruptures),
            "rupture_ids": sorted(ruptures),
            "ruptures_by_benefit": dict(sorted(by_benefit.items())),
            "ruptures_with_open_task": sum(1 for d in ruptures if d in snap["kinds"]),
            "ruptures_with_dtr_task": sum(1 for d in ruptures if "dtr_manquante" in snap["kinds"].get(d, ())),
            "base_rate": base,
            "rankings": {name: measure(snap["rankings"][name], ruptures, base) for name in RANKINGS},
        }
    report["seconds"]["total"] = round(time.perf_counter() - started, 1)
    if write_results:
        write(report)
    return report


def percent(value: float) -> str:
    return f"{value * 100:.1f} %"


def write(report: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    (RESULTS / f"backtest-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    lines = [
        f"# Casework back-test — {report['date']} — {spaced(report['households'])} demo households, "
        f"scored in {report['month']}, ruptures in {report['following_month']}",
        "",
        f"`{report['command']}` — seed {report['seed']}, commit {report['commit']}, {report['database']}; "
        f"{report['seconds']['total']:.0f} s (demo {report['seconds']['build']:.0f} s, "
        f"playback {report['seconds']['playback']:.0f} s).",
        "",
        "| scored on | dossiers scored | with open work | ruptures | base rate | ranking | "
        "recall 5 % | recall 10 % | precision 10 % | lift 10 % | recall 20 % |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for day, d in report["days"].items():
        for name in RANKINGS:
            r = d["rankings"][name]
            lines.append(
                f"| {day} | {spaced(d['scored'])} | {spaced(d['with_open_work'])} | {d['ruptures']} | "
                f"{percent(d['base_rate'])} | {name} | {percent(r['5%']['recall'])} | "
                f"{percent(r['10%']['recall'])} | {percent(r['10%']['precision'])} | "
                f"×{r['10%']['lift']:.1f} | {percent(r['20%']['recall'])} |"
            )
    lines += ["", "Per scoring day:", ""]
    for day, d in report["days"].items():
        size = d["rankings"]["score"]["10%"]["list"]
        lines.append(
            f"- {day}: priority list {size} dossiers ({d['weekly_priorities']} in "
            f"`weekly_priorities` itself: score > 0, breaking within 4 weeks); of the {d['ruptures']} "
            f"ruptures, {d['ruptures_with_open_task']} had an open task that day, "
            f"{d['ruptures_with_dtr_task']} a missing DTR; benefits stopped: {d['ruptures_by_benefit']}."
        )
    lines += [
        "",
        f"Events played ({report['played'][0]} → {report['played'][1]}): {report['events']}.",
        "",
        "## Method",
        "",
        *(__doc__ or "").split("Method. ", 1)[1].strip().splitlines(),
        "",
        "The households' model is the docstring of src/parcours/demo/playback.py.",
    ]
    (RESULTS / f"backtest-{stamp}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    log(f"written bench/results/backtest-{stamp}.md and .json")
