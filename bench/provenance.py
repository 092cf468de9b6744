"""Which code a benchmark measured: the commit, and whether the measured folders had uncommitted
changes (read-only git)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def source(*folders: str) -> str:
    """`<commit>` or `<commit> (with uncommitted changes in src/ or bench/)`; "unknown" without git."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", *folders],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    where = " or ".join(f"{folder}/" for folder in folders)
    return f"{head}{f' (with uncommitted changes in {where})' if dirty else ''}"
