"""IFPA cycle benchmark: one month of `ifpa daily` on PostgreSQL, side by side with a raw `COPY`.

- a fresh PostgreSQL database (`parcours_bench_ifpa`, dropped at the end unless `--keep-db`),
  migrated, N intermediations seeded by the demo generator (`ifpa seed`);
- every TARGET2 business day of January 2026 run through `run_day` (what `ifpa daily` runs), each
  with the bank statements of the calendar days since the previous run: one camt.053 per calendar
  day, cut from the bank simulation of the whole month (see `daily_statements` for why);
- per step and per day seconds (the daily summary's), the whole month (the sum of the days, the
  parsing of the statements included), `ifpa check` apart;
- then, in the same database, a raw `COPY` of as many ledger rows as the month produced (its
  transactions and entries, dumped beforehand) into tables made `LIKE ... INCLUDING ALL` of the
  ledger's: same columns, indexes and constraints. Target: the month ≤ 3 × that COPY.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench-ifpa"
DATABASE = "parcours_bench_ifpa"
FIRST_MONTH = date(2026, 1, 1)
LAST_DAY = date(2026, 1, 31)
PAY_RATE = 0.7
COPY_REPEATS = 2


def log(message: str) -> None:
    print(f"[bench ifpa {datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --- The database, before Django is set up -----------------------------------------------------


def create_database(server_url: str) -> str:
    """A fresh benchmark database (a kept one from an earlier run is dropped first); its URL."""
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    return f"{server_url}/{DATABASE}"


def drop_database(server_url: str) -> None:
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


# --- The month ---------------------------------------------------------------------------------


def business_days(start: date, end: date) -> list[date]:
    from parcours.intermediation.rules.calendar import is_business_day

    days, day = [], start
    while day <= end:
        if is_business_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def daily_statements(seed: int, folder: Path) -> tuple[dict[date, Path], dict[str, int]]:
    """One camt.053 per calendar day of the month, cut from one simulation of the whole month.

    Why not `simulate-bank --from D --to D` per day: the simulated debtor pays late only within the
    period simulated (a due date and its late payment must fall in the same range), so daily
    ranges would lose every late payment and every duplicated payment booked the next day. The
    month is simulated once (after the dues are posted on the 2nd, with their revalued amounts),
    then its lines are split by booking date, as the bank's daily statements would carry them.
    """
    from django.utils import timezone

    from parcours.demo.bank_simulation import simulate_lines
    from parcours.intermediation.bank import statement_xml
    from parcours.intermediation.cycle.files import caf_account

    lines, counts = simulate_lines(start=FIRST_MONTH, end=LAST_DAY, pay_rate=PAY_RATE, seed=seed)
    by_day: dict[date, list] = defaultdict(list)
    for line in lines:
        by_day[line.booked_on].append(line)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    day = FIRST_MONTH
    while day <= LAST_DAY:
        path = folder / f"camt053-{day:%Y%m%d}.xml"
        path.write_bytes(
            statement_xml(
                message_id=f"SIM-{seed}-{day:%Y%m%d}",
                created_at=datetime.combine(
                    day + timedelta(days=1), datetime.min.time(), tzinfo=timezone.get_current_timezone()
                ),
                account=caf_account(),
                from_date=day,
                to_date=day,
                lines=by_day.get(day, []),
            )
        )
        paths[day] = path
        day += timedelta(days=1)
    return paths, {"lines": len(lines), **counts}


def ledger_counts() -> dict[str, Any]:
    from parcours.intermediation.cycle.sql import fetch, scalar

    return {
        "transactions": int(scalar("SELECT COUNT(*) FROM {tx}") or 0),
        "entries": int(scalar("SELECT COUNT(*) FROM {entry}") or 0),
        "transactions_by_kind": dict(
            (kind, int(n)) for kind, n in fetch("SELECT kind, COUNT(*) FROM {tx} GROUP BY kind ORDER BY kind")
        ),
    }


def raw_copy(repeats: int) -> list[dict[str, float]]:
    """COPY the ledger's own rows (dumped to memory first, untimed) into `LIKE ... INCLUDING ALL`
    tables, one transaction per repeat, committed; the tables emptied between repeats."""
    from django.db import connection

    tables = {
        "bench_copy_tx": "child_support_ledgertransaction",
        "bench_copy_entry": "child_support_ledgerentry",
    }
    raw = connection.cursor().cursor.connection  # the psycopg connection under Django's
    dumps: dict[str, list[bytes]] = {}
    with raw.cursor() as cur:
        for copy_table, source in tables.items():
            cur.execute(f"DROP TABLE IF EXISTS {copy_table}")
            cur.execute(f"CREATE TABLE {copy_table} (LIKE {source} INCLUDING ALL)")
            with cur.copy(f"COPY {source} TO STDOUT") as copy:
                dumps[copy_table] = [bytes(chunk) for chunk in copy]
    raw.commit()
    runs = []
    for _ in range(repeats):
        run: dict[str, float] = {}
        started = time.perf_counter()
        with raw.cursor() as cur:
            for copy_table, chunks in dumps.items():
                part = time.perf_counter()
                with cur.copy(f"COPY {copy_table} FROM STDIN") as copy:
                    for chunk in chunks:
                        copy.write(chunk)
                run[copy_table] = round(time.perf_counter() - part, 3)
        raw.commit()
        run["total"] = round(time.perf_counter() - started, 3)
        runs.append(run)
        log(f"raw COPY: {run}")
        with raw.cursor() as cur:
            cur.execute(f"TRUNCATE {', '.join(tables)}")
        raw.commit()
    with raw.cursor() as cur:
        cur.execute(f"DROP TABLE {', '.join(tables)}")
    raw.commit()
    return runs


class StatementTimes:
    """Django execute wrapper: seconds per SQL statement text (parameters apart), to say what bounds
    the month; its cost is two clock reads per statement."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds[sql] += time.perf_counter() - started
            self.calls[sql] += 1

    def top(self, n: int) -> list[dict[str, Any]]:
        ordered = sorted(self.seconds.items(), key=lambda item: -item[1])[:n]
        return [{"seconds": round(s, 3), "calls": self.calls[q], "sql": q[:600]} for q, s in ordered]


def run(*, intermediations: int, seed: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from parcours.demo.ifpa_seed import seed_intermediations
    from parcours.intermediation.cycle.check import ledger_check
    from parcours.intermediation.cycle.daily import run_day

    started = time.perf_counter()
    setup: dict[str, float] = {}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    setup["migrate"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    seeded = seed_intermediations(count=intermediations, seed=seed, first_month=FIRST_MONTH)
    setup["seed"] = round(time.perf_counter() - t, 1)
    with connection.cursor() as cursor:  # what autovacuum would have done long before the month
        cursor.execute("VACUUM ANALYZE")
    log(f"seeded {seeded} in {setup['seed']} s")

    out = WORK / "out"
    statements_folder = WORK / "statements"
    for folder in (out, statements_folder):
        if folder.exists():
            for path in folder.iterdir():
                path.unlink()
    days = business_days(FIRST_MONTH, LAST_DAY)
    statements: dict[date, Path] = {}
    simulated: dict[str, int] = {}
    imported_until = FIRST_MONTH - timedelta(days=1)
    per_day: list[dict[str, Any]] = []
    per_step: dict[str, float] = defaultdict(float)
    statement_times = StatementTimes()
    for day in days:
        files = [statements[d] for d in sorted(statements) if imported_until < d < day]
        if statements:
            imported_until = day - timedelta(days=1)
        t = time.perf_counter()
        with connection.execute_wrapper(statement_times):
            summary = run_day(day, files, out)
        seconds = round(time.perf_counter() - t, 3)
        summary["wall_seconds"] = seconds
        summary["parse_seconds"] = round(seconds - sum(summary["seconds"].values()), 3)
        per_day.append(summary)
        for step, value in summary["seconds"].items():
            per_step[step] += value
        per_step["parse_statements"] += summary["parse_seconds"]
        top = sorted(summary["seconds"].items(), key=lambda item: -item[1])[:3]
        log(f"{day}: {seconds} s ({len(files)} statements, top {top})")
        if not statements:
            t = time.perf_counter()
            statements, simulated = daily_statements(seed, statements_folder)
            setup["simulate_bank"] = round(time.perf_counter() - t, 1)
            log(f"bank simulated: {simulated} in {setup['simulate_bank']} s")
    month_seconds = round(sum(d["wall_seconds"] for d in per_day), 3)

    t = time.perf_counter()
    check = ledger_check()
    check_seconds = round(time.perf_counter() - t, 3)
    log(f"ifpa check ok={check['ok']} in {check_seconds} s")
    rows = ledger_counts()
    copies = raw_copy(COPY_REPEATS)
    copy_best = min(c["total"] for c in copies)
    copy_mean = sum(c["total"] for c in copies) / len(copies)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": f"PostgreSQL {connection.pg_version // 10000}",
        "intermediations": intermediations,
        "seed": seed,
        "pay_rate": PAY_RATE,
        "seeded": seeded,
        "bank_simulation": simulated,
        "days": [d.isoformat() for d in days],
        "month_seconds": month_seconds,
        "per_step_seconds": {k: round(v, 3) for k, v in sorted(per_step.items(), key=lambda kv: -kv[1])},
        "per_day": per_day,
        "ledger_rows": rows,
        "copy_seconds": copies,
        "copy_best_seconds": copy_best,
        "ratio_month_to_copy": round(month_seconds / copy_best, 2),
        "ratio_month_to_copy_mean": round(month_seconds / copy_mean, 2),
        "target_ratio": 3,
        "slowest_statements": statement_times.top(12),
        "check": check,
        "check_seconds": check_seconds,
        "setup_seconds": setup,
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    write(report)
    print(json.dumps({k: v for k, v in report.items() if k != "per_day"}))
    return report


# --- Results -----------------------------------------------------------------------------------

MAIN_FIGURES = (
    "dues_posted",
    "debits_scheduled",
    "lines_imported",
    "lines_matched",
    "lines_suspense",
    "allocations",
    "payouts",
    "notices",
    "asf_advances",
    "forced_recoveries",
)


def spaced(n: int) -> str:
    """1 000 000, the French way."""
    return f"{n:,}".replace(",", "\u202f")


def write(report: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    (RESULTS / f"ifpa-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    n, rows = report["intermediations"], report["ledger_rows"]
    total_rows = rows["transactions"] + rows["entries"]
    ok = "≤" if report["ratio_month_to_copy"] <= report["target_ratio"] else ">"
    lines = [
        f"# IFPA cycle — {report['date']} — {spaced(n)} intermediations, January 2026, {report['database']}",
        "",
        "One process, one run: the month first, then `ifpa check`, then the raw COPY, in the same database "
        "(the machine is shared: compare the ratio, not the seconds, across runs).",
        "",
        "| measure | seconds |",
        "| --- | --- |",
        f"| whole month ({len(report['days'])} business days, `run_day` wall time, statement parsing included) "
        f"| {report['month_seconds']} |",
        f"| raw `COPY` of the same {spaced(total_rows)} ledger rows ({spaced(rows['transactions'])} transactions + "
        f"{spaced(rows['entries'])} entries), best of {len(report['copy_seconds'])} | {report['copy_best_seconds']} |",
        f"| **ratio month / COPY** | **×{report['ratio_month_to_copy']}** {ok} ×{report['target_ratio']} "
        f"(×{report['ratio_month_to_copy_mean']} against the mean COPY) |",
        f"| `ifpa check` (apart) — ok: {report['check']['ok']} | {report['check_seconds']} |",
        f"| setup, not counted: {', '.join(f'{k} {v} s' for k, v in report['setup_seconds'].items())} | |",
        "",
        "## Why every business day",
        "",
        "All 21 TARGET2 business days of January 2026 are run, not only the days that do the volume "
        "(2nd: dues and debits; 6th: the 5th's statement; 7th: payouts; 12th: notices and ASF advances; "
        "28th: forced recovery, the first day after the notices' 15 days): late payments arrive on every "
        "day from the 8th to the 25th and each is imported, matched, allocated and paid out the next "
        "business day, and every quiet day still scans the month's rows — leaving those days out "
        "would hide that fixed cost. Each day imports one camt.053 per calendar day since the "
        "previous run (Monday: Friday's, Saturday's and Sunday's), cut from one simulation of the "
        "month (daily `simulate-bank` ranges would lose late payments: see bench/ifpa.py).",
        "",
        "## Per step, summed over the month (seconds)",
        "",
        "| step | seconds | share |",
        "| --- | --- | --- |",
    ]
    for step, seconds in report["per_step_seconds"].items():
        share = 100 * seconds / report["month_seconds"] if report["month_seconds"] else 0
        lines.append(f"| {step} | {seconds} | {share:.0f} % |")
    lines += [
        "",
        "## Per day",
        "",
        "| day | seconds | statements parsed (s) | slowest steps | " + " | ".join(MAIN_FIGURES) + " |",
        "| --- | --- | --- | --- | " + " | ".join("---" for _ in MAIN_FIGURES) + " |",
    ]
    for day in report["per_day"]:
        top = sorted(day["seconds"].items(), key=lambda item: -item[1])[:3]
        lines.append(
            f"| {day['date']} | {day['wall_seconds']} | {day['parse_seconds']} | "
            + ", ".join(f"{k} {v}" for k, v in top)
            + " | "
            + " | ".join(str(day.get(k, "")) for k in MAIN_FIGURES)
            + " |"
        )
    lines += [
        "",
        "## Ledger rows of the month",
        "",
        ", ".join(f"{k} {v}" for k, v in rows["transactions_by_kind"].items()),
        "",
        f"Bank simulation (pay rate {report['pay_rate']}): "
        + ", ".join(f"{k} {v}" for k, v in report["bank_simulation"].items()),
        "",
        "## The month's slowest SQL statements (total seconds over the month)",
        "",
    ]
    for item in report["slowest_statements"]:
        lines.append(f"- {item['seconds']} s, {item['calls']} calls: `{' '.join(item['sql'].split())[:300]}`")
    lines += [
        "",
        "## ifpa check",
        "",
        "```",
        json.dumps(report["check"], indent=1),
        "```",
    ]
    (RESULTS / f"ifpa-{stamp}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
