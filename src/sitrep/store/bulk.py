"""Fast many-row writes: one prepared INSERT (or upsert) run by the driver's executemany.

SQLAlchemy Core's executemany builds a parameter dict per row, which costs more than the insert
itself at 100k rows; here each row is a tuple converted once. Only plain values occur in the
store's columns (str, int, float, bool, date, None), so the conversion is small and explicit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa


def insert_rows(connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) into `table`."""
    if rows:
        _execute_many(connection, table, rows, conflict_key=None)


def upsert_rows(connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]], key: str) -> None:
    """Insert `rows` into `table`, updating every other column of rows whose `key` already exists."""
    if rows:
        _execute_many(connection, table, rows, conflict_key=key)


def _execute_many(
    connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]], conflict_key: str | None
) -> None:
    """Run one INSERT (ON CONFLICT DO UPDATE when `conflict_key` is given) for all `rows`."""
    quote = connection.dialect.identifier_preparer.quote
    names = list(rows[0])
    placeholder = "?" if connection.dialect.name == "sqlite" else "%s"
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join(placeholder for _ in names)})"
    )
    if conflict_key is not None:
        updates = ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in names if n != conflict_key)
        sql += f" ON CONFLICT ({quote(conflict_key)}) DO UPDATE SET {updates}"
    converted = {n for n in names if isinstance(table.c[n].type, sa.Date | sa.DateTime | sa.Boolean)}
    if connection.dialect.name != "sqlite" or not converted:
        params = [tuple(row[n] for n in names) for row in rows]
    else:
        params = [tuple(_sqlite_value(row[n]) if n in converted else row[n] for n in names) for row in rows]
    connection.exec_driver_sql(sql, params)


def _sqlite_value(value: Any) -> Any:
    """Return `value` as SQLAlchemy's SQLite types store it (ISO dates, 0/1 booleans)."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value
