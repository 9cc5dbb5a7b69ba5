"""Engines for the store's URLs, and the one place that turns driver errors into `StoreError`.

SQLite gets WAL (readers never block the writer), foreign keys, and explicit `BEGIN` so that a
transaction really starts where SQLAlchemy says it does (pysqlite's own handling starts it late,
after the first read, which breaks read-then-write atomicity). PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from sitrep.errors import ConfigError, StoreError

log = logging.getLogger(__name__)

# Execution option that makes a SQLite transaction take the write lock at BEGIN, so two writers
# queue on busy_timeout instead of one failing when it upgrades a read lock.
WRITE_OPTION = "sitrep_write"
SQLITE_BUSY_TIMEOUT_MS = 30_000  # a long ingest holds the write lock for one article at a time
PG_CONNECT_TIMEOUT_S = 10  # an unreachable host fails within this many seconds, not the TCP default
SQLITE_CACHE_KIB = 65_536  # page cache per connection: 100k events and their indexes stay in memory
POSTGRES_HINT = (
    "Check that the server is running and the URL is right, e.g. "
    "postgresql+psycopg://USER@HOST:PORT/DB (scripts/pgtest.sh start DIR PORT runs a local one)."
)


def parse_url(url: str) -> URL:
    """Return the SQLAlchemy URL for `url`, PostgreSQL spellings normalised to psycopg 3.

    Raises ConfigError for anything that is not a SQLite or PostgreSQL URL.
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise ConfigError(
            f"database URL {url!r} is not a URL ({exc}).",
            hint="Use sqlite:///PATH.db or postgresql+psycopg://USER@HOST:PORT/DB.",
        ) from exc
    backend, _, driver = parsed.drivername.partition("+")
    if backend in {"postgres", "postgresql"} and driver in {"", "psycopg"}:
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in {"", "pysqlite"}:
        return parsed
    raise ConfigError(
        f"database URL {describe_url(parsed)!r} uses {parsed.drivername!r}, which sitrep does not support.",
        hint="Use sqlite:///PATH.db or postgresql+psycopg://USER@HOST:PORT/DB.",
    )


def describe_url(url: URL | str) -> str:
    """Return `url` as text with any password hidden, for messages and logs."""
    parsed = url if isinstance(url, URL) else sa.make_url(url)
    return parsed.render_as_string(hide_password=True)


def is_sqlite(engine: Engine) -> bool:
    """Return whether `engine` talks to SQLite."""
    return engine.dialect.name == "sqlite"


def create_store_engine(url: str) -> Engine:
    """Return an engine for `url` with sitrep's connection settings; connects lazily."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    return sa.create_engine(
        parsed,
        pool_pre_ping=True,
        connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S},
    )


def _sqlite_engine(parsed: URL) -> Engine:
    """Return a SQLite engine; the file is created on first connect, its folder must exist."""
    database = parsed.database or ""
    in_memory = database in {"", ":memory:"} or database.startswith("file::memory:")
    if not in_memory:
        folder = Path(database).expanduser().resolve().parent
        if not folder.is_dir():
            raise ConfigError(
                f"database URL {describe_url(parsed)!r} points into {folder}, which does not exist.",
                hint="Create the folder first or choose another path.",
            )
    if in_memory:  # one shared connection, or every thread would see its own empty database
        engine = sa.create_engine(parsed, poolclass=sa.StaticPool, connect_args={"check_same_thread": False})
    else:
        engine = sa.create_engine(parsed)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, in _on_begin
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: only the last commit may be lost
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextmanager
def translate_errors(url: str, action: str) -> Iterator[None]:
    """Turn database driver errors raised inside the block into StoreError naming `action`."""
    try:
        yield
    except sa.exc.OperationalError as exc:
        raise _operational_error(url, action, exc) from exc
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"{action} failed on {describe_url(url)}: {_first_line(exc)}") from exc


def _operational_error(url: str, action: str, exc: sa.exc.OperationalError) -> StoreError:
    """Build the StoreError for a connection-level failure, with the likely fix."""
    reason = _first_line(exc)
    where = describe_url(url)
    if "does not exist" in reason and "database" in reason:
        return StoreError(
            f"{action} failed: {reason} on {where}.",
            hint="Create it first, e.g. `createdb NAME`, or point --db at an existing database.",
        )
    if "connect" in reason.lower() and where.startswith("postgres"):
        return StoreError(f"{action} failed: could not connect to {where} ({reason}).", hint=POSTGRES_HINT)
    if "unable to open database file" in reason:
        return StoreError(
            f"{action} failed: SQLite cannot open {where} ({reason}).",
            hint="Check that the path is writable and not a folder.",
        )
    return StoreError(f"{action} failed on {where}: {reason}")


def _first_line(exc: sa.exc.SQLAlchemyError) -> str:
    """Return the driver's own message (first line), without SQLAlchemy's SQL and parameter dump."""
    original = getattr(exc, "orig", None)
    text = str(original if original is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
