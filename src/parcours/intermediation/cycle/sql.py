"""Set-based SQL for the IFPA cycle, portable between SQLite (the demo) and PostgreSQL (production).

Only SQL both engines run: INSERT ... SELECT, UPDATE ... FROM (SQLite ≥ 3.33), window functions,
CASE instead of LEAST/GREATEST, `||` for strings, temporary tables. Table names come from the
models. Bulk rows from Python (statement lines) go through COPY on PostgreSQL and executemany
elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import connection

from parcours.intermediation.models import (
    AsfAdvance,
    BankLine,
    BankStatement,
    Collection,
    Due,
    DueAllocation,
    ForcedRecovery,
    Intermediation,
    IntermediationEvent,
    LedgerEntry,
    LedgerTransaction,
    PaymentFile,
    Payout,
    Revaluation,
    UnpaidNotice,
)
from parcours.titres.models import Titre

TABLES = {
    "intermediation": Intermediation,
    "titre": Titre,
    "due": Due,
    "alloc": DueAllocation,
    "payout": Payout,
    "collection": Collection,
    "asf": AsfAdvance,
    "notice": UnpaidNotice,
    "forced": ForcedRecovery,
    "revaluation": Revaluation,
    "line": BankLine,
    "statement": BankStatement,
    "file": PaymentFile,
    "tx": LedgerTransaction,
    "entry": LedgerEntry,
    "event": IntermediationEvent,
}


def sql(template: str) -> str:
    """`{due}` etc. replaced by the quoted table names."""
    return template.format(**{k: connection.ops.quote_name(m._meta.db_table) for k, m in TABLES.items()})


def execute(template: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
    """Run one statement; the number of rows it touched."""
    with connection.cursor() as cursor:
        cursor.execute(sql(template), params)
        return max(cursor.rowcount, 0)


def fetch(template: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql(template), params)
        return cursor.fetchall()


def scalar(template: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
    rows = fetch(template, params)
    return rows[0][0] if rows else None


def temp_table(name: str, select: str, params: Sequence[Any] | dict[str, Any] = (), index: str = "") -> int:
    """(Re)create a temporary table from a SELECT; its row count."""
    execute(f"DROP TABLE IF EXISTS {name}")
    execute(f"CREATE TEMPORARY TABLE {name} AS {select}", params)
    if index:
        execute(f"CREATE INDEX {name}_idx ON {name} ({index})")
    if connection.vendor == "postgresql":
        execute(f"ANALYZE {name}")
    return int(scalar(f"SELECT COUNT(*) FROM {name}") or 0)


def insert_new(
    select: str, params: Sequence[Any] | dict[str, Any], insert: str, insert_params: Sequence[Any] = ()
) -> int:
    """An `INSERT INTO x ... SELECT ... WHERE NOT EXISTS (... x ...)` in two statements: `select`
    (the rows still to add, NOT EXISTS included) into the temporary table `tmp_new` first, then
    `insert` (reading `tmp_new`); the rows inserted, the same as the one statement's (whose SELECT
    sees the table as it was before it too).

    Why: planned on a table empty or small at that moment (the first dues, payouts, ledger rows
    of a month, of a database), PostgreSQL checks NOT EXISTS by a sequential scan of the table
    for every row, while the same statement keeps filling it: quadratic (hours for 1 000 000
    dues). Selected apart, the table does not grow under the check.
    """
    if not temp_table("tmp_new", select, params):
        drop("tmp_new")
        return 0
    inserted = execute(insert, insert_params)
    drop("tmp_new")
    return inserted


def drop(*names: str) -> None:
    for name in names:
        execute(f"DROP TABLE IF EXISTS {name}")


def refresh_statistics(table: str, changed: int) -> None:
    """PostgreSQL only: re-ANALYZE a table a statement has just changed by a large share (≥ 20 % of
    its estimated rows, and ≥ 1 000 rows), within the step's transaction, so that the step's next
    statements are planned on the table as it now is (autovacuum would see it only after the
    commit, a minute later: a month's dues or a day's statement, planned with the statistics of
    an empty table, turn index probes into scans). SQLite plans without statistics: nothing to do.
    """
    if connection.vendor != "postgresql" or changed < 1000:
        return
    name = TABLES[table]._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [name])
        found = cursor.fetchone()
        if found is None or changed >= 0.2 * max(float(found[0]), 0.0):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Append rows to a table (`table` is a key of TABLES or a temporary table's name)."""
    name = connection.ops.quote_name(TABLES[table]._meta.db_table) if table in TABLES else table
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {name} ({cols}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            batch: list[Sequence[Any]] = []
            for row in rows:
                batch.append(row)
                if len(batch) == 10_000:
                    cursor.executemany(f"INSERT INTO {name} ({cols}) VALUES ({marks})", batch)
                    batch = []
            if batch:
                cursor.executemany(f"INSERT INTO {name} ({cols}) VALUES ({marks})", batch)


def iso(day: date) -> str:
    return day.isoformat()


def text(expression: str) -> str:
    """An integer expression as text, for building keys in SQL (both engines know TEXT)."""
    return f"CAST({expression} AS TEXT)"


def min2(a: str, b: str) -> str:
    return f"(CASE WHEN ({a}) < ({b}) THEN ({a}) ELSE ({b}) END)"


def max2(a: str, b: str) -> str:
    return f"(CASE WHEN ({a}) > ({b}) THEN ({a}) ELSE ({b}) END)"


def ledger_from(temp: str, kind: str, key: str, day: date, legs: Sequence[tuple[str, str]]) -> int:
    """Post one balanced transaction per row of a temporary table, in two set-based statements.

    `key` is an SQL expression over the temp table's columns (alias `s`) giving the idempotency key;
    the table must have an `intermediation_id` column; `legs` are (account expression, amount
    expression) pairs whose amounts sum to zero on every row (checked by `ifpa check`). Rows whose
    key is already posted are skipped, so a step re-run after a crash posts nothing twice.
    """
    # The transactions posted here are those with an id above the highest one before: no entry
    # can point to them yet (checked in SQL before, by a NOT EXISTS on the entries: see insert_new).
    before = int(scalar("SELECT COALESCE(MAX(id), 0) FROM {tx}") or 0)
    posted = insert_new(
        f"SELECT {key} AS new_key, s.intermediation_id FROM {temp} s "
        f'WHERE NOT EXISTS (SELECT 1 FROM {{tx}} t WHERE t."key" = {key})',
        [],
        'INSERT INTO {tx} ("key", kind, intermediation_id, booked_on, created_at) '
        "SELECT new_key, %s, intermediation_id, %s, CURRENT_TIMESTAMP FROM tmp_new",
        [kind, iso(day)],
    )
    if not posted:
        return 0
    refresh_statistics("tx", posted)
    selects = " UNION ALL ".join(
        f'SELECT t.id, {account}, {amount} FROM {temp} s JOIN {{tx}} t ON t."key" = {key} '
        f"WHERE t.id > %s AND t.booked_on = %s AND t.kind = %s AND ({amount}) <> 0"
        for account, amount in legs
    )
    params: list[Any] = []
    for _ in legs:
        params += [before, iso(day), kind]
    refresh_statistics(
        "entry", execute(f"INSERT INTO {{entry}} (transaction_id, account, amount) {selects}", params)
    )
    return posted
