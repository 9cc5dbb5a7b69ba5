"""The store: sitrep's database (SQLite or PostgreSQL), the only package with SQL in it."""

from sitrep.store.articles import AddOutcome
from sitrep.store.events import EventQuery
from sitrep.store.repository import ArticleMeta, Store, migrate, open_store
from sitrep.store.revisions import head_revision

__all__ = ["AddOutcome", "ArticleMeta", "EventQuery", "Store", "head_revision", "migrate", "open_store"]
