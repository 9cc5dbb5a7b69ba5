"""search vocabulary

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

SQLite only: an fts5vocab table over the events' FTS5 index (`event_search_fts_vocab`, one row per
stored term and document), so a text query's word can be looked up among the stored terms and
searched as the few terms it begins (`sitrep.store.search.prefix_terms`) instead of as a prefix,
which FTS5 reads in full before it can join it with anything. It stores nothing: it reads the FTS5
index. PostgreSQL: nothing.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE event_search_fts_vocab USING fts5vocab(event_search_fts, 'instance')"
        )


def downgrade() -> None:
    """Undo this revision."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS event_search_fts_vocab")
