"""`sitrep db migrate`: bring a database schema up to this sitrep's version."""

from __future__ import annotations

import click

from sitrep.cli.options import db_option


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command()
@db_option
def migrate(db_url: str | None) -> None:
    """Create or upgrade the schema (Alembic) of the database.

    \b
    Example:
      sitrep db migrate --db postgresql+psycopg://user@127.0.0.1/sitrep
    """
    from sitrep.config import load_settings
    from sitrep.store import migrate as run_migrations

    settings = load_settings(database_url=db_url)
    revision = run_migrations(settings.database_url)
    click.echo(f"schema at revision {revision}", err=True)
