"""SIGKILL `ifpa daily` at random points, re-run it, and compare with an uninterrupted run.

Two databases of the same engine as the suite (a SQLite file, or a PostgreSQL database created for
the test): the same seed and the same simulated statement; one runs each day once, the other has
each day killed at random moments (at least 20 kills in all) before it is run to the end. After
every kill and at the end, `ifpa check` must be ok; at the end, both databases must hold the same
ledger, dues, payouts and payment files, byte for byte, and no creditor may be paid twice.

On PostgreSQL a killed transaction does not give back the ids it drew from the sequences, so the
two databases' row ids drift apart: nothing compared (keys, files) may depend on them. The crashed
database's ids are shifted on purpose before the first day, so this holds on every run and every
engine, not only when a kill happens to land inside an insert.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

DAYS = ["2026-01-02", "2026-01-06", "2026-01-07", "2026-01-12", "2026-01-27", "2026-02-02", "2026-02-06"]
KILLS_PER_DAY = 3  # 7 days × 3 = 21 kills
STEPS = [
    "payouts",
    "import",
    "match",
    "revalue",
    "dues",
    "allocate",
    "notices",
    "escalate",
    "lift",
    "end",
    "debits",
    "assign_files",
    "write_files",
]
# The tables the daily cycle inserts into (the crashed database's ids are shifted: see above).
ID_TABLES = [
    "child_support_due",
    "child_support_dueallocation",
    "child_support_asfadvance",
    "child_support_payout",
    "child_support_unpaidnotice",
    "child_support_forcedrecovery",
    "child_support_revaluation",
    "child_support_intermediationevent",
    "child_support_collection",
    "child_support_paymentfile",
    "child_support_ledgertransaction",
    "child_support_ledgerentry",
    "child_support_bankline",
]


class Database:
    def __init__(self, tmp_path: Path, name: str) -> None:
        default = settings.DATABASES["default"]
        self.vendor = "postgresql" if "postgresql" in default["ENGINE"] else "sqlite"
        if self.vendor == "sqlite":
            self.path = tmp_path / f"{name}.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            import psycopg

            self.name = f"parcours_crash_{name}_{os.getpid()}"
            self.admin = f"host={default['HOST']} port={default['PORT'] or 5432} user={default['USER']} dbname=postgres"
            with psycopg.connect(self.admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {self.name}")
                conn.execute(f"CREATE DATABASE {self.name}")
            self.url = f"postgres://{default['USER']}@{default['HOST']}:{default['PORT'] or 5432}/{self.name}"

    def query(self, sql: str) -> list[tuple]:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path) as conn:
                return conn.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.admin.replace("dbname=postgres", f"dbname={self.name}")) as conn:
            return conn.execute(sql).fetchall()

    def shift_ids(self, tables: list[str], by: int) -> None:
        """Make the next id of each table `by` higher than it would be (what killed inserts do)."""
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path) as conn:
                for table in tables:
                    high_sql = f"SELECT COALESCE(MAX(id), 0) FROM {table}"  # noqa: S608 (ID_TABLES)
                    (high,) = conn.execute(high_sql).fetchone()
                    conn.execute("DELETE FROM sqlite_sequence WHERE name = ?", [table])
                    conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", [table, high + by])
            return
        import psycopg

        with psycopg.connect(self.admin.replace("dbname=postgres", f"dbname={self.name}")) as conn:
            for table in tables:
                # The tables of ID_TABLES, not input.
                shift = (
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX(id), 0) FROM {table}) + {int(by)}, false)"
                )
                conn.execute(shift)

    def drop(self) -> None:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def command(db: Database, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": db.url,
        "DJANGO_SETTINGS_MODULE": "parcours.settings",
        "PYTHONUNBUFFERED": "1",  # each step's name reaches us as it starts, not at exit
    }
    return subprocess.Popen(
        [sys.executable, "-m", "parcours", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def run(db: Database, *args: str) -> dict:
    process = command(db, *args)
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err.decode()
    return json.loads(out.decode().strip().splitlines()[-1])


def state(db: Database, out: Path) -> dict:
    return {
        "ledger": db.query(
            'SELECT t."key", t.kind, e.account, e.amount FROM child_support_ledgertransaction t '
            'JOIN child_support_ledgerentry e ON e.transaction_id = t.id ORDER BY t."key", e.account, e.amount'
        ),
        "dues": db.query(
            "SELECT reference, amount_cents, paid_cents, asf_cents, notice_on FROM child_support_due ORDER BY reference"
        ),
        "payouts": db.query('SELECT "key", amount_cents, kind FROM child_support_payout ORDER BY "key"'),
        "lines": db.query(
            "SELECT line_key, status, matched_by FROM child_support_bankline ORDER BY line_key"
        ),
        "files": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.glob("*.xml"))},
    }


@pytest.mark.slow
@pytest.mark.django_db
def test_killed_runs_end_in_the_state_of_an_uninterrupted_run(tmp_path):
    reference, crashed = Database(tmp_path, "ref"), Database(tmp_path, "kill")
    try:
        for db in (reference, crashed):
            run_ok = command(db, "migrate", "-v", "0")
            assert run_ok.wait(timeout=600) == 0
            run(db, "ifpa", "seed", "--intermediations", "3000", "--seed", "11")
        crashed.shift_ids(ID_TABLES, by=1000)
        statement = tmp_path / "bank.xml"
        run(
            reference,
            "ifpa",
            "simulate-bank",
            "--from",
            "2026-01-02",
            "--to",
            "2026-02-06",
            "--seed",
            "11",
            "--out",
            str(statement),
        )
        draw = random.Random(2026)
        kills, durations, escaped = 0, {}, []
        for day in DAYS:
            args = ["ifpa", "daily", "--date", day, "--out", str(tmp_path / "out-ref")]
            if day == "2026-01-06":
                args += ["--statement", str(statement)]
            started = time.perf_counter()
            run(reference, *args)
            durations[day] = time.perf_counter() - started
            crash_args = [a.replace("out-ref", "out-kill") for a in args]
            killed = 0
            for _ in range(10 * KILLS_PER_DAY):
                if killed == KILLS_PER_DAY:
                    break
                # Kill inside a step drawn at random: wait for the command to announce it (-v 2
                # prints each step's name on stderr as it starts), then a few milliseconds more.
                step = draw.choice(STEPS)
                # Django's own options go before the subcommand: `ifpa -v 2 daily ...`.
                process = command(crashed, crash_args[0], "-v", "2", *crash_args[1:])
                assert process.stderr is not None
                seen = False
                for raw in process.stderr:
                    if raw.decode().strip().endswith(f": {step}"):
                        seen = True
                        time.sleep(draw.uniform(0, 0.01))
                        break
                if seen and process.poll() is None:
                    process.send_signal(signal.SIGKILL)
                    assert process.wait(timeout=60) == -signal.SIGKILL
                    killed += 1
                else:
                    # It finished before the kill: it must have finished well.
                    assert process.wait(timeout=60) == 0, (day, step, process.returncode)
                    escaped.append((day, step))
                check = run(crashed, "ifpa", "check")
                assert check["ok"], (day, step, check)
            kills += killed
            run(crashed, *crash_args)
        assert kills >= 20, f"only {kills} runs killed; finished first: {escaped}; {durations}"
        final = run(crashed, "ifpa", "check")
        assert final["ok"] and final["payouts_twice"] == 0
        assert state(crashed, tmp_path / "out-kill") == state(reference, tmp_path / "out-ref")
        paid_twice = crashed.query(
            "SELECT intermediation_id, \"on\" FROM child_support_payout WHERE kind = 'pension' "
            'GROUP BY intermediation_id, "on" HAVING COUNT(*) > 1'
        )
        assert paid_twice == []
    finally:
        reference.drop()
        crashed.drop()
