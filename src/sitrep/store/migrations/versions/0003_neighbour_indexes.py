"""neighbour indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

What a run needs to find the neighbours of its new articles without reading the whole store:
each article's most distinctive terms, indexed by term (stand-in dates for undated articles), and
its MinHash with its LSH band keys, indexed by key (copies). Also an index on
`articles.published_from`, to find the undated articles whose date was borrowed from a given one.
Articles stored before this revision get their rows on the next `sitrep ingest` or `sitrep resume`
(the pipeline backfills the articles that have none, a batch at a time).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "article_terms",
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("dated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.article_id"],
            name=op.f("fk_article_terms_article_id_articles"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "term", name=op.f("pk_article_terms")),
    )  # fmt: skip
    op.create_index("ix_article_terms_term_dated", "article_terms", ["term", "dated", "weight", "article_id"])
    op.create_table(
        "article_sketches",
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.article_id"],
            name=op.f("fk_article_sketches_article_id_articles"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_sketches")),
    )  # fmt: skip
    op.create_table(
        "article_bands",
        sa.Column("band_key", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.article_id"],
            name=op.f("fk_article_bands_article_id_articles"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("band_key", "article_id", name=op.f("pk_article_bands")),
    )  # fmt: skip
    op.create_index(op.f("ix_article_bands_article_id"), "article_bands", ["article_id"])
    op.create_index(op.f("ix_articles_published_from"), "articles", ["published_from"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_articles_published_from"), table_name="articles")
    op.drop_table("article_bands")
    op.drop_table("article_sketches")
    op.drop_index("ix_article_terms_term_dated", table_name="article_terms")
    op.drop_table("article_terms")
