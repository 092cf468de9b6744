"""The import of a large statement runs in flat memory (issue 16): its Python allocations at their
peak (tracemalloc) stay well below the file's size, and a file four times bigger does not raise
them more than half as much again.

The statements are written to disk as they are generated (a lazy sequence of lines given to
`iter_statement_xml`), so that neither the test nor the import ever holds one whole. tracemalloc
sees Python's allocations, not libxml2's own (its buffers and the entry being read, dropped as the
file is read: see camt.py); the process's peak resident memory, measured on a 211 MB statement, is
in the addendum of docs/decisions/0006-bank-files.md. Sizes: 12 500 and 50 000 entries (10 and 38
MB); under tracemalloc the import runs five times slower, so 200 000 entries (154 MB, the same
peak) would take a minute here.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from parcours.intermediation.bank import StatementLine, iter_statement_xml
from parcours.intermediation.cycle.files import caf_account, import_statements, parse_files
from parcours.intermediation.models import BankLine

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

ENTRIES = 50_000  # about 38 MB of camt.053; the small file has a quarter of them
MB = 1024 * 1024


class Lines(Sequence[StatementLine]):
    """`count` statement lines, made when asked for (never a list of them)."""

    def __init__(self, prefix: str, count: int) -> None:
        self.prefix, self.count = prefix, count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.count))]
        if not 0 <= index < self.count:
            raise IndexError(index)
        return StatementLine(
            line_key=f"{self.prefix}{index:09d}",
            booked_on=date(2026, 1, 5),
            value_on=date(2026, 1, 5),
            amount_cents=15_000 + index % 997,
            credit=index % 10 != 0,
            end_to_end_id=f"E2E-{self.prefix}-{index}" if index % 2 else "",
            remittance=f"PENSION ALIMENTAIRE IF{index % 1_000_000_000:09d}-202601 DOSSIER {index}",
            counterparty_name=f"M. DÉBITEUR N° {index}",
            counterparty_iban="FR7630004000031234567890143",
        )


def write_statement(path: Path, message_id: str, count: int) -> int:
    with path.open("wb") as file:
        for chunk in iter_statement_xml(
            message_id=message_id,
            created_at=datetime(2026, 1, 6, 5, 0, tzinfo=UTC),
            account=caf_account(),
            from_date=date(2026, 1, 5),
            to_date=date(2026, 1, 5),
            lines=Lines(message_id, count),
        ):
            file.write(chunk)
    return path.stat().st_size


def measured_import(path: Path, day: date) -> tuple[int, float, dict]:
    """Peak of Python allocations (bytes) and seconds of `parse_files` + `import_statements`."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        started = time.perf_counter()
        summary = import_statements(day, parse_files([path], day=day))
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, seconds, summary


def test_a_large_statement_is_imported_in_flat_memory(tmp_path):
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    small_size = write_statement(small, "MEM-S", ENTRIES // 4)
    large_size = write_statement(large, "MEM-L", ENTRIES)
    assert 30 * MB < large_size < 45 * MB and large_size > 3.9 * small_size

    small_peak, small_seconds, small_summary = measured_import(small, date(2026, 1, 6))
    large_peak, large_seconds, large_summary = measured_import(large, date(2026, 1, 7))
    figures = (
        f"{small_size / MB:.1f} MB: peak {small_peak / MB:.2f} MB in {small_seconds:.1f} s; "
        f"{large_size / MB:.1f} MB: peak {large_peak / MB:.2f} MB in {large_seconds:.1f} s"
    )
    print(figures)  # shown with -s

    assert small_summary["lines_imported"] == ENTRIES // 4 and large_summary["lines_imported"] == ENTRIES
    assert BankLine.objects.count() == ENTRIES // 4 + ENTRIES
    assert large_peak < large_size / 8, figures  # well below the file's size
    assert large_peak < 1.5 * small_peak, figures  # flat, not proportional to the file
