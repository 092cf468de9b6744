"""`make bench` = `python -m bench [rights|ifpa|drill|load|all] [options]`: results in bench/results/.

- rights: the rights engine (bench/rights.py). Its database is its own SQLite file
  (var/bench-rights.sqlite3, or DATABASE_URL when given), filled with the demo département once and
  reused: `--fresh` rebuilds it.
- drill: a backup and restore drill on PostgreSQL (bench/drill.py): fill, pg_dump, pg_restore,
  every table's count compared and `ifpa check` on the restored copy.
- ifpa: one month of the IFPA cycle on PostgreSQL (bench/ifpa.py), in a database of its own,
  `parcours_bench_ifpa` on `--postgres` (created fresh, dropped at the end unless `--keep-db`).
  `python -m bench ifpa --intermediations 1000000` runs only it; plain `make bench` runs it at
  100 000 intermediations (a few minutes), after the rights benchmark, in a process of its own.
- load: a bounded load test of the production server on 127.0.0.1 with locust (bench/load.py):
  granian as `make serve` runs it, DEBUG off (`--load-server gunicorn` or `both` for gunicorn); the
  public home page and a parent's space, 200 requests/s for 60 s each, on a fresh SQLite demo
  database (var/bench-load.sqlite3, `--load-households` households). Plain `make bench` runs it
  last, in a process of its own (locust patches the standard library with gevent).
- casework: the back office on PostgreSQL (bench/casework.py): rescoring, segmentation, "prendre la
  suivante" with 50 concurrent agents and the queue page, against the issue's targets, on
  `--dossiers` dossiers and as many open tasks (default 1 000 000), in `parcours_bench_casework`
  on `--postgres`, seeded set-based once and kept for the next run of the same size (`--fresh`
  reseeds). `python -m bench casework --dossiers 20000` for a quick run; not part of `all`
  (a 1 000 000 run takes about twenty minutes on two CPUs).
- backtest: the back-test of the casework risk score (bench/backtest.py): the demo département
  (`--backtest-households`, `--seed`) in its own SQLite file, var/bench-backtest.sqlite3, rebuilt at
  each run; month `--backtest-month` (two months before the current one by default) and the next
  played day by day through the services; the weekly priority list of the 2nd and of the 16th
  against the dossiers whose payments then stopped. Not part of `all`.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IFPA_DEFAULT = 100_000


def main() -> None:
    parser = argparse.ArgumentParser(description="parcours benchmarks")
    parser.add_argument(
        "which",
        nargs="?",
        choices=("all", "rights", "ifpa", "drill", "load", "casework", "backtest"),
        default="all",
    )
    parser.add_argument("--households", type=int, default=20_000, help="households for the batch measures")
    parser.add_argument("--single", type=int, default=40, help="households for the single-household measures")
    parser.add_argument("--chunk", type=int, default=4000, help="households per vectorised simulation")
    parser.add_argument(
        "--fresh", action="store_true", help="rebuild the rights (or casework) benchmark database"
    )
    parser.add_argument("--intermediations", type=int, default=IFPA_DEFAULT, help="IFPA: intermediations")
    parser.add_argument("--seed", type=int, default=2026, help="IFPA: seed of the demo generator and bank")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="IFPA: PostgreSQL server URL (without a database name)",
    )
    parser.add_argument(
        "--keep-db", action="store_true", help="IFPA: keep parcours_bench_ifpa at the end (to inspect it)"
    )
    parser.add_argument("--load-households", type=int, default=2000, help="load: demo households")
    parser.add_argument(
        "--load-seconds", type=float, default=60, help="load: seconds measured per scenario (at most 90)"
    )
    parser.add_argument(
        "--load-server",
        choices=("granian", "gunicorn", "both"),
        default="granian",
        help="load: the application server (granian: the one of `make serve`)",
    )
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="casework: dossiers (and open tasks)")
    parser.add_argument("--agents", type=int, default=50, help="casework: concurrent agents taking tasks")
    parser.add_argument("--takes", type=int, default=40, help="casework: tasks each agent takes back to back")
    parser.add_argument(
        "--think-ms", type=float, default=1000, help="casework: mean think time between two takes (paced run)"
    )
    parser.add_argument("--queue-requests", type=int, default=20, help="casework: timed queue page requests")
    parser.add_argument("--repeats", type=int, default=3, help="casework: runs of each batch step, at most")
    parser.add_argument(
        "--no-explain", action="store_true", help="casework: no EXPLAIN ANALYZE of slow steps"
    )
    parser.add_argument("--backtest-households", type=int, default=5000, help="backtest: demo households")
    parser.add_argument(
        "--backtest-month",
        default=None,
        help="backtest: the scoring month YYYY-MM (default: two months before the current one)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    sys.path.insert(0, str(ROOT / "src"))
    if args.which == "ifpa":
        ifpa(args)
        return
    if args.which == "load":
        from bench import load

        servers = ("granian", "gunicorn") if args.load_server == "both" else (args.load_server,)
        load.run(households=args.load_households, seed=args.seed, duration=args.load_seconds, servers=servers)
        return
    if args.which == "casework":
        casework(args)
        return
    if args.which == "backtest":
        backtest(args)
        return
    if args.which == "drill":
        from bench import drill

        drill.run(
            server_url=args.postgres,
            households=min(args.households, 5000),
            intermediations=min(args.intermediations, 20_000),
            seed=args.seed,
        )
        return
    rights(args)
    if args.which == "all":
        # Its own process: Django is set up on the rights database in this one.
        command = [sys.executable, "-m", "bench", "ifpa", "--intermediations", str(args.intermediations)]
        command += ["--seed", str(args.seed), "--postgres", args.postgres]
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        subprocess.run(command + (["--keep-db"] if args.keep_db else []), check=True, cwd=ROOT, env=env)
        load_command = [sys.executable, "-m", "bench", "load", "--seed", str(args.seed)]
        load_command += ["--load-households", str(args.load_households)]
        load_command += ["--load-seconds", str(args.load_seconds), "--load-server", args.load_server]
        subprocess.run(load_command, check=True, cwd=ROOT, env=env)


def rights(args: argparse.Namespace) -> None:
    database = ROOT / "var" / "bench-rights.sqlite3"
    if args.fresh and "DATABASE_URL" not in os.environ:
        database.unlink(missing_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{database}")
    import django

    django.setup()
    from bench import rights

    rights.run(households=args.households, single=args.single, chunk=args.chunk)


def backtest(args: argparse.Namespace) -> None:
    from datetime import date

    from bench.backtest import DATABASE

    # The playback changes the registry: every run starts from an empty database of its own.
    DATABASE.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    import django

    django.setup()
    from bench import backtest

    month = date.fromisoformat(f"{args.backtest_month}-01") if args.backtest_month else None
    backtest.run(households=args.backtest_households, seed=args.seed, month=month)


def ifpa(args: argparse.Namespace) -> None:
    from bench import ifpa

    url = ifpa.create_database(args.postgres)
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    try:
        ifpa.run(intermediations=args.intermediations, seed=args.seed)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            ifpa.drop_database(args.postgres)


def casework(args: argparse.Namespace) -> None:
    from bench import casework

    os.environ["DATABASE_URL"] = casework.ensure_database(
        args.postgres, dossiers=args.dossiers, fresh=args.fresh
    )
    import django

    django.setup()
    try:
        casework.run(
            dossiers=args.dossiers,
            agents=args.agents,
            takes=args.takes,
            think_ms=args.think_ms,
            queue_requests=args.queue_requests,
            repeats=args.repeats,
            explain_plans=not args.no_explain,
        )
    finally:
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    main()
