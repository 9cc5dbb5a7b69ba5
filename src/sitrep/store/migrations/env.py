"""Alembic environment for sitrep's store: runs on the connection sitrep hands over.

Called through `sitrep.store.revisions` (and so `sitrep db migrate`); when run by the `alembic`
command line instead, the URL comes from `-x url=...` or SITREP_DATABASE_URL.
"""

from __future__ import annotations

import os

from alembic import context

from sitrep.store.connection import create_store_engine
from sitrep.store.schema import is_described, metadata

config = context.config


def run_migrations(connection: object) -> None:
    """Run the pending migrations on `connection` inside one transaction."""
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        render_as_batch=True,  # SQLite alters tables by copying them; batch mode does that
        compare_type=True,
        include_name=is_described,  # SQLite's FTS5 tables are built by hand in 0002
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    run_migrations(given)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get(
        "SITREP_DATABASE_URL", "sqlite:///sitrep.db"
    )
    with create_store_engine(url).begin() as connection:
        run_migrations(connection)
