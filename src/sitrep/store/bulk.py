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

Rows = Sequence[dict[str, Any]]
# Upserts of at least this many rows go through a temporary table filled by COPY on PostgreSQL;
# below it, the temporary table costs more than it saves.
COPY_UPSERT_FROM = 1000


def insert_rows(connection: sa.Connection, table: sa.Table, rows: Rows) -> None:
    """Insert `rows` (dicts with the same keys) into `table`."""
    if rows:
        _execute_many(connection, table, rows, conflict_key=None)


def upsert_rows(connection: sa.Connection, table: sa.Table, rows: Rows, key: str) -> None:
    """Insert `rows` into `table`, updating every other column of rows whose `key` already exists."""
    if not rows:
        return
    unique = list({row[key]: row for row in rows}.values())  # the last row of a key wins
    if connection.dialect.name == "postgresql" and len(unique) >= COPY_UPSERT_FROM:
        _copy_upsert(connection, table, unique, key)
    else:
        _execute_many(connection, table, unique, conflict_key=key)


def _execute_many(connection: sa.Connection, table: sa.Table, rows: Rows, conflict_key: str | None) -> None:
    """Run one INSERT (ON CONFLICT DO UPDATE when `conflict_key` is given) for all `rows`."""
    quote = connection.dialect.identifier_preparer.quote
    names = list(rows[0])
    if connection.dialect.name == "postgresql" and conflict_key is None:
        _copy_rows(connection, table, names, rows)
        return
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


def _copy_rows(connection: sa.Connection, table: sa.Table | str, names: list[str], rows: Rows) -> None:
    """Insert `rows` with PostgreSQL's COPY, several times faster than one INSERT per row."""
    quote = connection.dialect.identifier_preparer.quote
    name = table if isinstance(table, str) else quote(table.name)
    sql = f"COPY {name} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    driver_connection: Any = connection.connection.driver_connection  # psycopg.Connection
    with driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([row[n] for n in names])


def _copy_upsert(connection: sa.Connection, table: sa.Table, rows: Rows, key: str) -> None:
    """Upsert `rows` on PostgreSQL: COPY into a temporary table, then one INSERT ... ON CONFLICT."""
    quote = connection.dialect.identifier_preparer.quote
    names = list(rows[0])
    columns = ", ".join(quote(n) for n in names)
    staging = f"sitrep_upsert_{table.name}"
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {staging}")
    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {staging} (LIKE {quote(table.name)} INCLUDING DEFAULTS) ON COMMIT DROP"
    )
    _copy_rows(connection, staging, names, rows)
    updates = ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in names if n != key)
    connection.exec_driver_sql(
        f"INSERT INTO {quote(table.name)} ({columns}) SELECT {columns} FROM {staging} "
        f"ON CONFLICT ({quote(key)}) DO UPDATE SET {updates}"
    )
