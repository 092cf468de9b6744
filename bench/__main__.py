"""`make bench` = `python -m bench [--households N] [--single N]`: results in bench/results/."""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description="parcours benchmarks")
    parser.add_argument("--households", type=int, default=20_000, help="households for the batch measures")
    parser.add_argument("--single", type=int, default=30, help="households for the single-household measures")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from bench import rights

    rights.run(households=args.households, single=args.single)


if __name__ == "__main__":
    main()
