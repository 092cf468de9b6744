"""One IFPA business day, step by step (python -m parcours ifpa daily)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from parcours.intermediation.cycle import events, files, steps
from parcours.intermediation.services.parents import parents_told


def run_day(
    day: date, statements: list[Path], out: Path, *, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Run the day; a JSON-able summary with each step's figures and seconds.

    Order: pay yesterday's money (next business day rule) before anything of today, then import
    and match today's statements, revalue and post the month's dues, apply money oldest due first,
    follow unpaid dues up, tell the creditors with an account what was paid or is unpaid, schedule
    debits, and write the files.
    """
    parsed = files.parse_files(statements, day=day)  # a bad file stops here: nothing written
    summary: dict[str, Any] = {"date": day.isoformat(), "seconds": {}}
    plan: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("payouts", lambda: steps.pay_creditors(day)),
        ("import", lambda: files.import_statements(day, parsed)),
        ("match", lambda: steps.match_lines(day)),
        ("revalue", lambda: steps.revalue(day)),
        ("dues", lambda: steps.post_dues(day)),
        ("allocate", lambda: steps.allocate(day)),
        ("notices", lambda: steps.send_notices(day)),
        ("escalate", lambda: steps.escalate(day)),
        ("lift", lambda: steps.lift(day)),
        ("end", lambda: events.end_finished(day)),
        ("titre_silence", lambda: _titre_silence(day)),
        ("parents", lambda: parents_told(day)),
        ("debits", lambda: steps.schedule_debits(day)),
        ("assign_files", lambda: files.assign_files(day) or {}),
        ("write_files", lambda: {"files": files.write_files(day, out)}),
    ]
    for name, step in plan:
        if progress:
            progress(name)
        started = time.perf_counter()
        summary.update(step())
        summary["seconds"][name] = round(time.perf_counter() - started, 3)
    summary["active_intermediations"] = steps.open_count()
    return summary


def _titre_silence(day: date) -> dict[str, int]:
    """R582-3: joint requests for a Caf titre left four months without an answer are accepted."""
    from parcours.titres.services.titre_caf import titre_requests_by_silence

    return {"titre_requests_accepted_by_silence": len(titre_requests_by_silence(on=day))}
