"""`make bench` = `python -m bench [--households N] [--single N]`: results in bench/results/.

The benchmark database is its own SQLite file (var/bench-rights.sqlite3, or DATABASE_URL when
given), filled with the demo département once and reused: `--fresh` rebuilds it.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description="parcours benchmarks")
    parser.add_argument("--households", type=int, default=20_000, help="households for the batch measures")
    parser.add_argument("--single", type=int, default=40, help="households for the single-household measures")
    parser.add_argument("--chunk", type=int, default=4000, help="households per vectorised simulation")
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark database")
    args = parser.parse_args()
    database = ROOT / "var" / "bench-rights.sqlite3"
    if args.fresh and "DATABASE_URL" not in os.environ:
        database.unlink(missing_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{database}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from bench import rights

    rights.run(households=args.households, single=args.single, chunk=args.chunk)


if __name__ == "__main__":
    main()
