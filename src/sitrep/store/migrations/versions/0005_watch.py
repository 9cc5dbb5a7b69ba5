"""live monitoring

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

What `sitrep watch` keeps between rounds and restarts: each feed's polling state (its current URL,
ETag and Last-Modified, next due time, failures in a row, retired or not, counts), the entries
already seen with their re-fetch schedule, the alerts watch rules fired (one per rule and event,
updated in place) with the mentions that tie each to its event, and the outbox of deliveries
(webhook, email) with their delivered state, so nothing is sent twice after a restart. Also an
index on `articles.stored_at`, to find what changed since a time without reading every article.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "feeds",
        sa.Column("feed_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("config_url", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("interval_s", sa.Integer(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("next_due_at", Timestamp, nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("status", sa.Text(), server_default="active", nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_polled_at", Timestamp, nullable=True),
        sa.Column("polls", sa.Integer(), server_default="0", nullable=False),
        sa.Column("not_modified", sa.Integer(), server_default="0", nullable=False),
        sa.Column("articles", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("feed_id", name=op.f("pk_feeds")),
    )
    op.create_index(op.f("ix_feeds_next_due_at"), "feeds", ["next_due_at"])
    op.create_table(
        "feed_entries",
        sa.Column("feed_id", sa.Text(), nullable=False),
        sa.Column("entry_key", sa.Text(), nullable=False),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("article_id", sa.Text(), nullable=True),
        sa.Column("first_seen_at", Timestamp, nullable=False),
        sa.Column("refetches", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_refetch_at", Timestamp, nullable=True),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.feed_id"], name=op.f("fk_feed_entries_feed_id_feeds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("feed_id", "entry_key", name=op.f("pk_feed_entries")),
    )
    op.create_index(op.f("ix_feed_entries_next_refetch_at"), "feed_entries", ["next_refetch_at"])
    op.create_table(
        "alerts",
        sa.Column("alert_id", sa.Text(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("alert_key", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=True),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("tier", sa.Text(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("killed", sa.Integer(), nullable=True),
        sa.Column("fields", sa.Text(), server_default="[]", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("held", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.Column("alerted_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("alert_id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("rule", "alert_key", name=op.f("uq_alerts_rule_alert_key")),
    )
    op.create_index(op.f("ix_alerts_event_id"), "alerts", ["event_id"])
    op.create_index(op.f("ix_alerts_rule"), "alerts", ["rule"])
    op.create_index(op.f("ix_alerts_updated_at"), "alerts", ["updated_at"])
    op.create_table(
        "alert_mentions",
        sa.Column("alert_id", sa.Text(), nullable=False),
        sa.Column("mention_id", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.alert_id"],
            name=op.f("fk_alert_mentions_alert_id_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("alert_id", "mention_id", name=op.f("pk_alert_mentions")),
    )
    op.create_index(op.f("ix_alert_mentions_mention_id"), "alert_mentions", ["mention_id"])
    op.create_table(
        "deliveries",
        sa.Column("delivery_id", sa.Text(), nullable=False),
        sa.Column("alert_id", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", Timestamp, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("delivered_at", Timestamp, nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.alert_id"], name=op.f("fk_deliveries_alert_id_alerts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("delivery_id", name=op.f("pk_deliveries")),
    )
    op.create_index(op.f("ix_deliveries_alert_id"), "deliveries", ["alert_id"])
    op.create_index("ix_deliveries_state_next", "deliveries", ["state", "next_attempt_at"])
    # What changed since a time (the dashboard's "changed since" control): articles by stored_at.
    op.create_index(op.f("ix_articles_stored_at"), "articles", ["stored_at"])


def downgrade() -> None:
    """Undo this revision."""
    op.drop_index(op.f("ix_articles_stored_at"), table_name="articles")
    op.drop_table("deliveries")
    op.drop_table("alert_mentions")
    op.drop_table("alerts")
    op.drop_table("feed_entries")
    op.drop_table("feeds")
