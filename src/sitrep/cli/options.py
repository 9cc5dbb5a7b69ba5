"""Options shared by several verbs, so every verb spells them the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from sitrep.config import Settings
    from sitrep.store import Store

F = TypeVar("F", bound=Callable[..., Any])


def db_option(func: F) -> F:
    """`--db URL`, defaulting to $SITREP_DATABASE_URL, then sqlite:///sitrep.db."""
    return click.option(
        "--db",
        "db_url",
        envvar="SITREP_DATABASE_URL",
        default=None,
        metavar="URL",
        help="Database URL (default: $SITREP_DATABASE_URL or sqlite:///sitrep.db).",
    )(func)


def open_from_cli(db_url: str | None) -> tuple[Settings, Store]:
    """Build Settings from the CLI value and open the store it names."""
    from sitrep.config import load_settings
    from sitrep.store import open_store

    settings = load_settings(database_url=db_url)
    return settings, open_store(settings.database_url)
