"""search prefixes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

PostgreSQL only: a second GIN index on the search documents, `ix_event_search_prefixes`, over
`sitrep_search_prefixes(body)`, a SQL function made here: for every word of
to_tsvector('simple', body) (the stored `document` column's words) its first 1 to
`PREFIX_LETTERS` letters, marked with a trailing `~` (a character no word holds:
`sitrep.store.search.search_words` keeps letters and digits only). A short query word is then one
exact key of that index ('42~') instead of a prefix spanning every stored word that begins with it
('42':*, 11,111 keys at a million bench events). The marked words live in that index only: the
table is not rewritten and its rows do not grow; the document's own index stays as 0002 built it,
for longer words. SQLite: nothing (its FTS5 index and the vocabulary of 0008 serve).
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# As sitrep.store.search.PREFIX_LETTERS and PREFIX_MARK, which form the queries (fixed here: a
# later change of those needs a migration of its own).
PREFIX_LETTERS = 3
PREFIX_MARK = "~"

# The first 1..PREFIX_LETTERS letters of each word of to_tsvector('simple', body), marked (no
# positions: only ever matched whole). IMMUTABLE, as an index expression requires.
CREATE_FUNCTION = f"""
CREATE FUNCTION sitrep_search_prefixes(body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
SELECT array_to_tsvector(ARRAY(
    SELECT DISTINCT left(word.lexeme, letters) || '{PREFIX_MARK}'
    FROM unnest(to_tsvector('simple', body)) AS word,
         generate_series(1, least({PREFIX_LETTERS}, length(word.lexeme))) AS letters))
$$
"""


def upgrade() -> None:
    """Apply this revision."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CREATE_FUNCTION)
        op.execute("SET LOCAL maintenance_work_mem = '256MB'")  # the GIN build sorts in memory
        op.execute(
            "CREATE INDEX ix_event_search_prefixes ON event_search USING gin (sitrep_search_prefixes(body))"
        )
        op.execute("ANALYZE event_search")  # the planner's statistics of the index's expression


def downgrade() -> None:
    """Undo this revision."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_event_search_prefixes")
        op.execute("DROP FUNCTION IF EXISTS sitrep_search_prefixes(text)")
