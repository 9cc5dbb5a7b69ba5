"""Schema versions: what revision a database is at, and upgrading it to this sitrep's head.

Alembic runs programmatically with `script_location` set to the package's `migrations/` folder,
so no alembic.ini is needed. The connection is handed to `migrations/env.py` through
`Config.attributes`, which keeps sitrep's engine settings (SQLite pragmas) during migrations.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from sitrep.errors import SchemaOutOfDate
from sitrep.store.connection import WRITE_OPTION, describe_url

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any constant works: it only has to be the same for every sitrep process migrating one database.
PG_MIGRATION_LOCK = 0x5175_7265


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """Return an Alembic Config for the packaged migrations, bound to `connection` if given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str:
    """Return the newest revision this sitrep's migrations reach."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # only if the versions folder is missing from the installed package
        raise RuntimeError(f"no Alembic revisions found in {MIGRATIONS_DIR}")
    return head


def current_revision(connection: sa.Connection) -> str | None:
    """Return the revision the connected database is at (None: no sitrep schema yet)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine) -> str:
    """Upgrade the database behind `engine` to head and return the revision (idempotent)."""
    with engine.connect() as probe:
        current = current_revision(probe)
    if current == head_revision():
        return current
    if current is not None and current not in _known_revisions():
        raise _unknown_revision(engine, current)
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            # Two processes opening a fresh database at once must not both create the tables.
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
        log.info("migrating %s from %s to %s", describe_url(engine.url), current, head_revision())
        command.upgrade(alembic_config(connection), "head")
        reached = current_revision(connection)
    return reached or head_revision()


def require_head(engine: Engine) -> None:
    """Raise SchemaOutOfDate unless the database behind `engine` is at this sitrep's head."""
    with engine.connect() as connection:
        current = current_revision(connection)
    head = head_revision()
    if current == head:
        return
    where = describe_url(engine.url)
    if current is None:
        message = f"the database {where} has no sitrep schema yet."
    elif current not in _known_revisions():
        raise _unknown_revision(engine, current)
    else:
        message = f"the database {where} is at revision {current}; this sitrep needs {head}."
    raise SchemaOutOfDate(message, hint=f"Run `sitrep db migrate --db {where}`.")


def _unknown_revision(engine: Engine, current: str) -> SchemaOutOfDate:
    """Return the error for a database at a revision this sitrep's migrations do not contain."""
    return SchemaOutOfDate(
        f"the database {describe_url(engine.url)} is at revision {current}, which this sitrep does not know"
        " (made by a newer sitrep?).",
        hint="Upgrade sitrep, or point --db at another database.",
    )


@functools.cache
def _known_revisions() -> frozenset[str]:
    """Return every revision id in the packaged migrations."""
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(rev.revision for rev in script.walk_revisions())
