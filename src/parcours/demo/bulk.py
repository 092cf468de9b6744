"""Multi-row INSERTs for the demo loader: what `bulk_create` does, without its cost per object.

On the 5 000-household demo (about 90 000 rows) `bulk_create` spent most of the load building
model instances and compiling every value through the query compiler. Here a row is a dict of
field values; each value still goes through its field's `get_db_prep_save`, so it is stored
exactly as the ORM stores it. Ids come back with RETURNING (SQLite >= 3.35 and PostgreSQL) in
insertion order, the same assumption `bulk_create` makes. Portable SQL only: the same path runs
on the SQLite demo and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections, models, router

ROWS_PER_STATEMENT = 500  # measured: larger statements gain nothing on either database


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
def _columns(model: type[models.Model]) -> tuple[_Column, ...]:
    return tuple(
        # DateTimeField is a DateField.
        _Column(field, isinstance(field, models.DateField | models.DecimalField))
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
    """Insert `rows` of `model`; with `returning`, set each row's pk from the database."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    columns = _columns(model)
    # Defaults are drawn once per call: one `timezone.now` per chunk and model.
    defaults = [column.field.get_default() for column in columns]
    quote = connection.ops.quote_name
    max_params = connection.features.max_query_params or 65_535
    per_statement = max(1, min(ROWS_PER_STATEMENT, max_params // len(columns)))
    names = ", ".join(quote(column.field.column) for column in columns)
    # Identifiers come from the model's metadata, quoted; every value is a bound parameter.
    head = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES "  # noqa: S608
    placeholder = f"({', '.join(['%s'] * len(columns))})"
    tail = f" RETURNING {quote(model._meta.pk.column)}" if returning else ""
    with connection.cursor() as wrapper, connection.wrap_database_errors:
        # The driver's own cursor: in DEBUG, Django would keep every statement of a million-row
        # load in its query log (and format each one); errors are still Django's.
        cursor = wrapper.cursor
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            params: list[Any] = []
            for row in batch:
                params += _row_params(row, columns, defaults, connection)
            cursor.execute(head + ", ".join([placeholder] * len(batch)) + tail, params)
            if returning:
                ids = cursor.fetchall()
                if len(ids) != len(batch):
                    raise RuntimeError(
                        f"{model.__name__} : {len(ids)} identifiants pour {len(batch)} lignes."
                    )
                for row, (pk,) in zip(batch, ids, strict=True):
                    row.pk = pk


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
