"""Backup and restore drill on PostgreSQL: `python -m bench drill`.

What an operator does the day the database is lost: a database is filled as production would be
(the demo département, its intermediations and three months of IFPA days, plus seeded
intermediations run over a month), dumped with `pg_dump --format=custom`, restored into a new
database with `pg_restore`, then the restored copy is checked: the same number of rows in every
table, and `ifpa check` (the ledger balanced, every running figure recomputed from it) ok.
Each step runs as its own process, as an operator would run it. Results in bench/results/drill-*.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE, RESTORED = "parcours_drill_source", "parcours_drill_restored"


def _psql(server_url: str, database: str, sql: str) -> list[list[str]]:
    out = subprocess.run(
        ["psql", f"{server_url}/{database}", "-At", "-F", "\t", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def _fresh(server_url: str, database: str) -> None:
    _psql(server_url, "postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    _psql(server_url, "postgres", f"CREATE DATABASE {database}")


def _manage(database_url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "parcours.settings"}
    return subprocess.run(
        [sys.executable, "-m", "parcours", *args],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    ).stdout


def _counts(server_url: str, database: str) -> dict[str, int]:
    tables = [
        t
        for (t,) in _psql(server_url, database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    ]
    union = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM \"{t}\"" for t in sorted(tables))
    return {name: int(count) for name, count in _psql(server_url, database, union)}


def run(*, server_url: str, households: int, intermediations: int, seed: int) -> dict:
    timings: dict[str, float] = {}

    def timed(name: str, action):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        result = action()
        timings[name] = round(time.perf_counter() - started, 2)
        return result

    source_url, restored_url = f"{server_url}/{SOURCE}", f"{server_url}/{RESTORED}"
    (ROOT / "var" / "drill").mkdir(parents=True, exist_ok=True)
    dump = ROOT / "var" / "drill" / "parcours.dump"
    _fresh(server_url, SOURCE)
    timed("migrate", lambda: _manage(source_url, "migrate", "--noinput", "-v", "0"))
    timed(
        "fill: demo",
        lambda: _manage(source_url, "demo", "--households", str(households), "--seed", str(seed)),
    )
    timed(
        "fill: seeded intermediations",
        lambda: _manage(
            source_url, "ifpa", "seed", "--intermediations", str(intermediations), "--seed", str(seed)
        ),
    )
    for day in ("2026-01-02", "2026-01-06", "2026-01-07", "2026-01-12"):
        timed(
            f"fill: ifpa daily {day}",
            lambda d=day: _manage(
                source_url, "ifpa", "daily", "--date", d, "--out", str(ROOT / "var" / "drill" / "out")
            ),
        )
    timed(
        "pg_dump",
        lambda: subprocess.run(["pg_dump", "--format=custom", "--file", str(dump), source_url], check=True),
    )
    _fresh(server_url, RESTORED)
    timed(
        "pg_restore",
        lambda: subprocess.run(
            ["pg_restore", "--no-owner", "--jobs", "2", "--dbname", restored_url, str(dump)], check=True
        ),
    )
    before, after = _counts(server_url, SOURCE), _counts(server_url, RESTORED)
    check = json.loads(
        timed("ifpa check (restored)", lambda: _manage(restored_url, "ifpa", "check"))
        .strip()
        .splitlines()[-1]
    )
    differing = {
        t: (before.get(t), after.get(t))
        for t in sorted(set(before) | set(after))
        if before.get(t) != after.get(t)
    }
    result = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "households": households,
        "intermediations_seeded": intermediations,
        "tables": len(before),
        "rows": sum(before.values()),
        "dump_bytes": dump.stat().st_size,
        "counts_equal": not differing,
        "differing_tables": differing,
        "ifpa_check_ok": bool(check.get("ok")),
        "seconds": timings,
        "largest_tables": dict(sorted(before.items(), key=lambda kv: -kv[1])[:8]),
    }
    for database in (SOURCE, RESTORED):
        _psql(server_url, "postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    dump.unlink(missing_ok=True)
    _write(result)
    if differing or not result["ifpa_check_ok"]:
        raise SystemExit(f"Exercice de restauration en échec : {differing or check}")
    return result


def _write(result: dict) -> None:
    out = ROOT / "bench" / "results"
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    (out / f"drill-{stamp}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    lines = [
        f"# Backup and restore drill — {result['at']} — PostgreSQL",
        "",
        f"{result['households']} demo households (with their intermediations and IFPA months) and "
        f"{result['intermediations_seeded']} seeded intermediations run over four IFPA days: "
        f"{result['rows']} rows in {result['tables']} tables; dump {result['dump_bytes'] / 1e6:.1f} MB "
        "(`pg_dump --format=custom`), restored with `pg_restore --jobs 2` into a new database.",
        "",
        f"- every table's row count equal after the restore: **{result['counts_equal']}**",
        f"- `ifpa check` on the restored database: **{'ok' if result['ifpa_check_ok'] else 'FAILED'}**",
        "",
        "| step | seconds |",
        "| --- | --- |",
        *(f"| {name} | {seconds} |" for name, seconds in result["seconds"].items()),
        "",
        "| largest tables | rows |",
        "| --- | --- |",
        *(f"| {name} | {rows} |" for name, rows in result["largest_tables"].items()),
        "",
    ]
    (out / f"drill-{stamp}.md").write_text("\n".join(lines))
    print("\n".join(lines))
