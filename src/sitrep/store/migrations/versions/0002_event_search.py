"""event search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

One search document per event (`event_search`, deleted with its event), indexed for full-text
search: an external-content FTS5 table kept in step by triggers on SQLite; on PostgreSQL a stored
`document` column, `to_tsvector('simple', body)`, with a GIN index (stored, so a query matching
most events compares ready vectors instead of parsing every body again). Filled here from the
events already stored.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sitrep.store.search import SEARCH_COLUMNS, search_body

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BACKFILL_BATCH = 5000  # events read and documents written per round: bounded memory at any size

# SQLite: the FTS5 index reads its text from event_search (content=) by search_id (content_rowid=),
# so it stores no second copy; the triggers keep it in step, a cascaded delete included.
SQLITE_FTS = (
    "CREATE VIRTUAL TABLE event_search_fts USING fts5("
    "body, content='event_search', content_rowid='search_id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER event_search_ai AFTER INSERT ON event_search BEGIN "
    "INSERT INTO event_search_fts(rowid, body) VALUES (new.search_id, new.body); END",
    "CREATE TRIGGER event_search_ad AFTER DELETE ON event_search BEGIN "
    "INSERT INTO event_search_fts(event_search_fts, rowid, body) VALUES ('delete', old.search_id, old.body); "
    "END",
    "CREATE TRIGGER event_search_au AFTER UPDATE ON event_search BEGIN "
    "INSERT INTO event_search_fts(event_search_fts, rowid, body) VALUES ('delete', old.search_id, old.body); "
    "INSERT INTO event_search_fts(rowid, body) VALUES (new.search_id, new.body); END",
)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "event_search",
        sa.Column("search_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.event_id"],
            name=op.f("fk_event_search_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("search_id", name=op.f("pk_event_search")),
        sa.UniqueConstraint("event_id", name=op.f("uq_event_search_event_id")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute(
            "ALTER TABLE event_search ADD COLUMN document tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED"
        )
    _backfill(bind)
    if bind.dialect.name == "postgresql":
        # Built after the backfill: one index build is much faster than 100k index inserts.
        op.execute("CREATE INDEX ix_event_search_document ON event_search USING gin (document)")
        op.execute("ANALYZE event_search")


def _backfill(bind: sa.Connection) -> None:
    """Write the search document of every stored event, in batches by event_id."""
    events = sa.table("events", sa.column("event_id"), *(sa.column(name) for name in SEARCH_COLUMNS))
    links = sa.table("event_mentions", sa.column("event_id"), sa.column("position"), sa.column("mention_id"))
    mentions = sa.table("mentions", sa.column("mention_id"), sa.column("quote"))
    search = sa.table("event_search", sa.column("event_id"), sa.column("body"))
    after: str | None = None
    while True:
        page = sa.select(events).order_by(events.c.event_id).limit(BACKFILL_BATCH)
        if after is not None:
            page = page.where(events.c.event_id > after)
        rows = bind.execute(page).mappings().all()
        if not rows:
            return
        first, after = rows[0]["event_id"], rows[-1]["event_id"]
        quotes: dict[str, list[str]] = {row["event_id"]: [] for row in rows}
        linked = (
            sa.select(links.c.event_id, mentions.c.quote)
            .join(mentions, mentions.c.mention_id == links.c.mention_id)
            .where(links.c.event_id.between(first, after))
            .order_by(links.c.event_id, links.c.position)
        )
        for event_id, quote in bind.execute(linked):
            quotes[event_id].append(quote)
        bind.execute(
            sa.insert(search),
            [
                {"event_id": row["event_id"], "body": search_body(row, quotes[row["event_id"]])}
                for row in rows
            ],
        )


def downgrade() -> None:
    """Undo this revision."""
    if op.get_bind().dialect.name == "sqlite":
        for name in ("event_search_ai", "event_search_ad", "event_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS event_search_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_event_search_document")
    op.drop_table("event_search")
