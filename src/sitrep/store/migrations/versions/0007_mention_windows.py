"""mention windows

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

A merge reads only the stored mentions near its new ones (`sitrep.resolve.reach`): the mentions
of a block within a date range, through an index on (block_key, date), and the block's mentions
without a day date, through a partial index on block_key. And two indexes for `/api/events` at a
million events: (lat, lon, date, event_id) in place of (lat, lon), so a bounding box's page is
ordered inside the index, and (event_type, fatalities_best), so "type and at least N killed" is
counted inside the index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

VAGUE_DATE = sa.text("date IS NULL OR date_precision != 'day'")


def upgrade() -> None:
    """Apply this revision."""
    op.create_index("ix_mentions_block_date", "mentions", ["block_key", "date"])
    op.create_index(
        "ix_mentions_block_vague", "mentions", ["block_key"],
        sqlite_where=VAGUE_DATE, postgresql_where=VAGUE_DATE,
    )  # fmt: skip
    op.drop_index("ix_events_lat_lon", table_name="events")
    op.create_index("ix_events_lat_lon_date", "events", ["lat", "lon", "date", "event_id"])
    op.create_index("ix_events_type_killed", "events", ["event_type", "fatalities_best"])


def downgrade() -> None:
    """Undo this revision."""
    op.drop_index("ix_events_type_killed", table_name="events")
    op.drop_index("ix_events_lat_lon_date", table_name="events")
    op.create_index("ix_events_lat_lon", "events", ["lat", "lon"])
    op.drop_index("ix_mentions_block_vague", table_name="mentions")
    op.drop_index("ix_mentions_block_date", table_name="mentions")
