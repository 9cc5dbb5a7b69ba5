"""Insert-or-update by primary key for SQLite and PostgreSQL (`INSERT ... ON CONFLICT DO UPDATE`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite


def upsert_rows(connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]], key: str) -> None:
    """Insert `rows` into `table`, updating every other column of rows whose `key` already exists."""
    if not rows:
        return
    module: Any = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = module.insert(table)
    updates = {name: statement.excluded[name] for name in rows[0] if name != key}
    connection.execute(statement.on_conflict_do_update(index_elements=[key], set_=updates), rows)
