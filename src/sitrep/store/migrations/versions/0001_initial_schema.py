"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22

The tables of sitrep.store.schema as first released: articles and their revisions, runs and
rejections, mentions, events and their mentions, fact claims.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "articles",
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("published_from", sa.Text(), nullable=True),
        sa.Column("outlet_from", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("raw_text", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), server_default="1", nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("is_sample", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("copy_of", sa.Text(), nullable=True),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["copy_of"],
            ["articles.article_id"],
            name=op.f("fk_articles_copy_of_articles"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_articles")),
    )
    op.create_index(op.f("ix_articles_content_hash"), "articles", ["content_hash"])
    op.create_index(op.f("ix_articles_copy_of"), "articles", ["copy_of"])
    op.create_index(op.f("ix_articles_published"), "articles", ["published"])
    op.create_index(op.f("ix_articles_url"), "articles", ["url"])

    op.create_table(
        "events",
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("mode", sa.Text(), nullable=True),
        sa.Column("acled_event_type", sa.Text(), nullable=True),
        sa.Column("acled_sub_event_type", sa.Text(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.Text(), nullable=False),
        sa.Column("date_end", sa.Date(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("admin2", sa.Text(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("actor1", sa.Text(), nullable=True),
        sa.Column("actor1_country", sa.Text(), nullable=True),
        sa.Column("actor2", sa.Text(), nullable=True),
        sa.Column("actor2_country", sa.Text(), nullable=True),
        sa.Column("has_fatalities", sa.Boolean(), nullable=False),
        sa.Column("fatalities_best", sa.Integer(), nullable=True),
        sa.Column("fatalities_low", sa.Integer(), nullable=True),
        sa.Column("fatalities_high", sa.Integer(), nullable=True),
        sa.Column("has_injured", sa.Boolean(), nullable=False),
        sa.Column("injured_best", sa.Integer(), nullable=True),
        sa.Column("injured_low", sa.Integer(), nullable=True),
        sa.Column("injured_high", sa.Integer(), nullable=True),
        sa.Column("discrepancies", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("block_key", sa.Text(), nullable=True),
        sa.Column("merger", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_events")),
    )
    op.create_index("ix_events_admin1_date", "events", ["admin1", "date"])
    op.create_index(op.f("ix_events_block_key"), "events", ["block_key"])
    op.create_index("ix_events_country_date", "events", ["country", "date"])
    op.create_index("ix_events_date_id", "events", ["date", "event_id"])
    op.create_index("ix_events_killed_id", "events", ["fatalities_best", "event_id"])
    op.create_index("ix_events_lat_lon", "events", ["lat", "lon"])
    op.create_index("ix_events_type_date", "events", ["event_type", "date"])
    if op.get_bind().dialect.name == "postgresql":  # see schema.py: NULL sorts high there
        op.create_index(
            "ix_events_date_desc", "events", [sa.text("date DESC NULLS LAST"), sa.text("event_id DESC")]
        )
        op.create_index(
            "ix_events_killed_desc",
            "events",
            [sa.text("fatalities_best DESC NULLS LAST"), sa.text("event_id DESC")],
        )

    op.create_table(
        "runs",
        sa.Column("run_id", sa.Text(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_runs")),
    )
    op.create_table(
        "article_revisions",
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("raw_text", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.article_id"],
            name=op.f("fk_article_revisions_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "revision", name=op.f("pk_article_revisions")),
    )
    op.create_index(op.f("ix_article_revisions_content_hash"), "article_revisions", ["content_hash"])

    op.create_table(
        "fact_claims",
        sa.Column("fact_claim_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("stated", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.article_id"],
            name=op.f("fk_fact_claims_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("fact_claim_id", name=op.f("pk_fact_claims")),
    )
    op.create_index(op.f("ix_fact_claims_article_id"), "fact_claims", ["article_id"])
    op.create_index(op.f("ix_fact_claims_subject"), "fact_claims", ["subject"])

    op.create_table(
        "mentions",
        sa.Column("mention_id", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("mode", sa.Text(), nullable=True),
        sa.Column("acled_event_type", sa.Text(), nullable=True),
        sa.Column("acled_sub_event_type", sa.Text(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.Text(), nullable=False),
        sa.Column("date_end", sa.Date(), nullable=True),
        sa.Column("date_text", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("admin2", sa.Text(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("place_text", sa.Text(), nullable=True),
        sa.Column("actor1", sa.Text(), nullable=True),
        sa.Column("actor1_country", sa.Text(), nullable=True),
        sa.Column("actor2", sa.Text(), nullable=True),
        sa.Column("actor2_country", sa.Text(), nullable=True),
        sa.Column("killed", sa.Integer(), nullable=True),
        sa.Column("injured", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("extractor", sa.Text(), nullable=False),
        sa.Column("block_key", sa.Text(), nullable=True),
        sa.CheckConstraint('"start" >= 0 AND "end" >= "start"', name=op.f("ck_mentions_offsets")),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.article_id"],
            name=op.f("fk_mentions_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("mention_id", name=op.f("pk_mentions")),
    )
    op.create_index(op.f("ix_mentions_article_id"), "mentions", ["article_id"])
    op.create_index(op.f("ix_mentions_block_key"), "mentions", ["block_key"])

    op.create_table(
        "rejections",
        sa.Column("rejection_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Text(), nullable=True),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.run_id"], name=op.f("fk_rejections_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("rejection_id", name=op.f("pk_rejections")),
    )
    op.create_index(op.f("ix_rejections_run_id"), "rejections", ["run_id"])

    op.create_table(
        "event_mentions",
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("mention_id", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.event_id"],
            name=op.f("fk_event_mentions_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mention_id"],
            ["mentions.mention_id"],
            name=op.f("fk_event_mentions_mention_id_mentions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "position", name=op.f("pk_event_mentions")),
    )
    op.create_index(op.f("ix_event_mentions_mention_id"), "event_mentions", ["mention_id"])


def downgrade() -> None:
    """Undo this revision."""
    op.drop_index(op.f("ix_event_mentions_mention_id"), table_name="event_mentions")

    op.drop_table("event_mentions")
    op.drop_index(op.f("ix_rejections_run_id"), table_name="rejections")

    op.drop_table("rejections")
    op.drop_index(op.f("ix_mentions_block_key"), table_name="mentions")
    op.drop_index(op.f("ix_mentions_article_id"), table_name="mentions")

    op.drop_table("mentions")
    op.drop_index(op.f("ix_fact_claims_subject"), table_name="fact_claims")
    op.drop_index(op.f("ix_fact_claims_article_id"), table_name="fact_claims")

    op.drop_table("fact_claims")
    op.drop_index(op.f("ix_article_revisions_content_hash"), table_name="article_revisions")

    op.drop_table("article_revisions")
    op.drop_table("runs")
    op.drop_index("ix_events_type_date", table_name="events")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_events_date_desc", table_name="events")
        op.drop_index("ix_events_killed_desc", table_name="events")
    op.drop_index("ix_events_lat_lon", table_name="events")
    op.drop_index("ix_events_killed_id", table_name="events")
    op.drop_index("ix_events_date_id", table_name="events")
    op.drop_index("ix_events_country_date", table_name="events")
    op.drop_index(op.f("ix_events_block_key"), table_name="events")
    op.drop_index("ix_events_admin1_date", table_name="events")

    op.drop_table("events")
    op.drop_index(op.f("ix_articles_url"), table_name="articles")
    op.drop_index(op.f("ix_articles_published"), table_name="articles")
    op.drop_index(op.f("ix_articles_copy_of"), table_name="articles")
    op.drop_index(op.f("ix_articles_content_hash"), table_name="articles")

    op.drop_table("articles")
