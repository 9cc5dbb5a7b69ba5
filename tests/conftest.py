"""Shared fixtures: a store on SQLite and on PostgreSQL, clean for every test.

PostgreSQL runs only when SITREP_TEST_POSTGRES_URL is set (`make test` starts a server with
scripts/pgtest.sh); each test gets its own database, copied from a template migrated once per session.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from sitrep.store import Store, open_store

POSTGRES_ENV = "SITREP_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


class PostgresDatabases:
    """Creates and drops throwaway databases on the server of SITREP_TEST_POSTGRES_URL."""

    def __init__(self, url: str) -> None:
        self.url = sa.make_url(url)
        self.admin = sa.create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
        self.template: str | None = None

    def create(self, *, migrated: bool) -> str:
        """Return the URL of a new database: empty, or at the schema head (copied from a template)."""
        if migrated and self.template is None:
            self.template = self._create("template0")
            open_store(self._url(self.template)).close()
        name = self._create(self.template if migrated and self.template else "template0")
        return self._url(name)

    def drop(self, url: str) -> None:
        """Drop the database of `url`, closing any connection a test left open."""
        name = sa.make_url(url).database
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        if self.template is not None:
            self.drop(self._url(self.template))
        self.admin.dispose()

    def _create(self, template: str) -> str:
        name = f"sitrep_t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def _url(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases]:
    """The PostgreSQL server for tests; skips the test unless SITREP_TEST_POSTGRES_URL is set."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set (scripts/pgtest.sh start DIR PORT prints one)")
    databases = PostgresDatabases(url)
    yield databases
    databases.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file at the schema head, copied for each test that needs a migrated store."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_store(f"sqlite:///{path}").close()  # closing checkpoints the WAL into the file
    return path


def _database_url(request: pytest.FixtureRequest, tmp_path: Path, *, migrated: bool) -> Iterator[str]:
    """Yield a fresh database URL for the backend of `request.param`, dropped afterwards."""
    if request.param == "sqlite":
        path = tmp_path / "sitrep.db"
        if migrated:
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    url = databases.create(migrated=migrated)
    yield url
    databases.drop(url)


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a new, empty database (no schema yet), on SQLite and on PostgreSQL."""
    yield from _database_url(request, tmp_path, migrated=False)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An open store at the schema head with nothing in it, on SQLite and on PostgreSQL."""
    for url in _database_url(request, tmp_path, migrated=True):
        opened = open_store(url)
        yield opened
        opened.close()


@pytest.fixture(params=BACKENDS)
def store_url_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """A function giving new, empty database URLs on one backend (for tests that need several)."""
    databases: PostgresDatabases | None = None
    if request.param == "postgres":
        databases = request.getfixturevalue("postgres_databases")
    made: list[str] = []

    def make(name: str) -> str:
        url = databases.create(migrated=False) if databases else f"sqlite:///{tmp_path / (name + '.db')}"
        made.append(url)
        return url

    yield make
    if databases is not None:
        for url in made:
            databases.drop(url)
