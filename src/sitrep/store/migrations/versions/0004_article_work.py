"""article work state

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

`articles.work` records what is left to do for each article: extract (stored, not extracted),
merge (mentions stored, their blocks not merged), done, or failed (extraction crashed on it; its
rejection says why). An interrupted `sitrep ingest` leaves articles at extract or merge, and the
next `sitrep ingest` or `sitrep resume` finishes them. Articles stored before this revision are
taken as done.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column("articles", sa.Column("work", sa.Text(), server_default="done", nullable=False))
    op.create_index(op.f("ix_articles_work"), "articles", ["work"])


def downgrade() -> None:
    """Undo this revision."""
    op.drop_index(op.f("ix_articles_work"), table_name="articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("work")
