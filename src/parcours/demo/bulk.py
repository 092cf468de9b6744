"""Multi-row INSERTs for the demo loader: what `bulk_create` does, without its cost per object.

On the 5 000-household demo (about 90 000 rows) `bulk_create` spent most of the load building
model instances and compiling every value through the query compiler. Here a row is a dict of
field values; each value still goes through its field's `get_db_prep_save`, so it is stored
exactly as the ORM stores it.

Two paths (DESIGN: PostgreSQL-only SQL where volume demands it, with a portable path beside):
- portable (the SQLite demo): multi-row INSERTs; ids come back with RETURNING (SQLite >= 3.35) in
  insertion order, the same assumption `bulk_create` makes;
- PostgreSQL: COPY, with ids drawn from the table's sequence beforehand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections, models, router

ROWS_PER_STATEMENT = 500  # SQLite: larger statements gain nothing (measured)


class Row:
    """A row to insert: field values by name (another Row for a foreign key), then its id."""

    __slots__ = ("model", "pk", "values")

    def __init__(self, model: type[models.Model], values: dict[str, Any]):
        self.model, self.values, self.pk = model, values, None

    def __repr__(self) -> str:
        return f"Row({self.model.__name__}, {self.values!r}, pk={self.pk})"


@dataclass(frozen=True)
class _Column:
    field: models.Field
    adapt: bool  # dates and decimals go through the backend's own adaptation


@cache
def _columns(model: type[models.Model], vendor: str) -> tuple[_Column, ...]:
    # Django's PostgreSQL operations hand dates, datetimes and decimals to psycopg unchanged:
    # adapting them there would only cost time (a fifth of a million-household load).
    adapts = vendor != "postgresql"
    return tuple(
        # DateTimeField is a DateField.
        _Column(field, adapts and isinstance(field, models.DateField | models.DecimalField))
        for field in model._meta.concrete_fields
        if not field.primary_key
    )


def _row_params(row: Row, columns: tuple[_Column, ...], defaults: list[Any], connection: Any) -> list[Any]:
    params = []
    for column, default in zip(columns, defaults, strict=True):
        value = row.values.get(column.field.name, default)
        if isinstance(value, Row):
            if value.pk is None:
                raise ValueError(f"{value.model.__name__} pas encore inséré pour {row.model.__name__}.")
            value = value.pk
        elif column.adapt and value is not None:
            value = column.field.get_db_prep_save(value, connection)
        params.append(value)
    return params


def insert(model: type[models.Model], rows: list[Row], *, returning: bool) -> None:
    """Insert `rows` of `model`; with `returning`, set each row's pk."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    columns = _columns(model, connection.vendor)
    # Defaults are drawn once per call: one `timezone.now` per chunk and model.
    defaults = [column.field.get_default() for column in columns]
    with connection.cursor() as wrapper, connection.wrap_database_errors:
        # The driver's own cursor: in DEBUG, Django would keep every statement of a million-row
        # load in its query log (and format each one); errors are still Django's.
        cursor = wrapper.cursor
        if connection.vendor == "postgresql":
            _copy(cursor, connection, model, rows, columns, defaults, returning)
        else:
            _insert_values(cursor, connection, model, rows, columns, defaults, returning)


def _insert_values(
    cursor: Any,
    connection: Any,
    model: type[models.Model],
    rows: list[Row],
    columns: tuple[_Column, ...],
    defaults: list[Any],
    returning: bool,
) -> None:
    """The portable path (the SQLite demo): multi-row INSERT ... RETURNING id."""
    quote = connection.ops.quote_name
    max_params = connection.features.max_query_params or 65_535
    per_statement = max(1, min(ROWS_PER_STATEMENT, max_params // len(columns)))
    names = ", ".join(quote(column.field.column) for column in columns)
    # Identifiers come from the model's metadata, quoted; every value is a bound parameter.
    head = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES "  # noqa: S608
    placeholder = f"({', '.join(['%s'] * len(columns))})"
    tail = f" RETURNING {quote(model._meta.pk.column)}" if returning else ""
    for start in range(0, len(rows), per_statement):
        batch = rows[start : start + per_statement]
        params: list[Any] = []
        for row in batch:
            params += _row_params(row, columns, defaults, connection)
        cursor.execute(head + ", ".join([placeholder] * len(batch)) + tail, params)
        if returning:
            ids = cursor.fetchall()
            if len(ids) != len(batch):
                raise RuntimeError(f"{model.__name__} : {len(ids)} identifiants pour {len(batch)} lignes.")
            for row, (pk,) in zip(batch, ids, strict=True):
                row.pk = pk


def _copy(
    cursor: Any,
    connection: Any,
    model: type[models.Model],
    rows: list[Row],
    columns: tuple[_Column, ...],
    defaults: list[Any],
    returning: bool,
) -> None:
    """PostgreSQL, where the volume is (a million households): COPY, several times faster.

    The ids are drawn from the table's own sequence first, so rows pointing to these get them,
    and later inserts by the application continue after them.
    """
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    names = [quote(column.field.column) for column in columns]
    if returning:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, len(rows)],
        )
        for row, (value,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = value
        names.insert(0, quote(pk))
    with cursor.copy(f"COPY {quote(table)} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            params = _row_params(row, columns, defaults, connection)
            copy.write_row([row.pk, *params] if returning else params)


class Batch:
    """The rows of a chunk, by model, inserted in dependency order in one go."""

    def __init__(self) -> None:
        self.rows: dict[type[models.Model], list[Row]] = {}

    def add(self, model: type[models.Model], **values: Any) -> Row:
        row = Row(model, values)
        self.rows.setdefault(model, []).append(row)
        return row

    def extend(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self.rows.setdefault(row.model, []).append(row)

    def count(self, model: type[models.Model]) -> int:
        return len(self.rows.get(model, ()))

    def save(self, order: Iterable[type[models.Model]], returning: set[type[models.Model]]) -> None:
        for model in order:
            insert(model, self.rows.get(model, []), returning=model in returning)
