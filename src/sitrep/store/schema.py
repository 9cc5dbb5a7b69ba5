"""The store's tables as SQLAlchemy Core objects: the shape the migrations build and the queries use.

Column names equal the `sitrep.model` field names wherever a field is stored as is, so rows map
back to dataclasses by name (see `sitrep.store.codec`). The Alembic revisions in `migrations/`
build exactly this; `tests/test_store.py` compares the migrated database with this metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

# Named constraints, so migrations can refer to them on every backend (SQLite included).
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING)

Timestamp = sa.DateTime(timezone=True)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("article_id", sa.Text, primary_key=True),
    sa.Column("url", sa.Text, index=True),
    sa.Column("outlet", sa.Text),
    sa.Column("published", sa.Date, index=True),
    sa.Column("published_from", sa.Text, index=True),
    sa.Column("outlet_from", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("raw_text", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False, index=True),
    sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
    sa.Column("source", sa.Text),
    sa.Column("is_sample", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("copy_of", sa.Text, sa.ForeignKey("articles.article_id", ondelete="SET NULL"), index=True),
    sa.Column("stored_at", Timestamp, nullable=False, index=True),  # indexed in 0005: what changed since
    # The article's pending work (migration 0004), so an interrupted run is finished by the next:
    # extract (stored, not yet extracted) -> merge (mentions stored, their blocks not yet merged)
    # -> done; failed: extraction crashed on it (its rejection says why). See WORK_STATES.
    sa.Column("work", sa.Text, nullable=False, server_default="done", index=True),
    # ISO 639-1 language detected when cleaned (migration 0006); NULL: unknown, or stored before it.
    sa.Column("language", sa.Text, index=True),
)
WORK_STATES = ("extract", "merge", "done", "failed")

article_revisions = sa.Table(
    "article_revisions",
    metadata,
    sa.Column(
        "article_id", sa.Text, sa.ForeignKey("articles.article_id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("revision", sa.Integer, primary_key=True),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("raw_text", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False, index=True),
    sa.Column("stored_at", Timestamp, nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("run_id", sa.Text, primary_key=True),
    sa.Column("sources", sa.Text, nullable=False),  # JSON list of the paths and URLs given
    sa.Column("counts", sa.Text),  # JSON object, set by finish_run
    sa.Column("started_at", Timestamp, nullable=False),
    sa.Column("finished_at", Timestamp),
)

rejections = sa.Table(
    "rejections",
    metadata,
    sa.Column("rejection_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Text, sa.ForeignKey("runs.run_id", ondelete="CASCADE"), index=True),
    sa.Column("source", sa.Text),
    sa.Column("line", sa.Integer),
    sa.Column("item_id", sa.Text),
    sa.Column("stage", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("mention_id", sa.Text, primary_key=True),
    sa.Column(
        "article_id",
        sa.Text,
        sa.ForeignKey("articles.article_id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("event_type", sa.Text, nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("mode", sa.Text),
    sa.Column("acled_event_type", sa.Text),
    sa.Column("acled_sub_event_type", sa.Text),
    sa.Column("date", sa.Date),
    sa.Column("date_precision", sa.Text, nullable=False),
    sa.Column("date_end", sa.Date),
    sa.Column("date_text", sa.Text),
    sa.Column("country", sa.Text),
    sa.Column("admin1", sa.Text),
    sa.Column("admin2", sa.Text),
    sa.Column("location", sa.Text),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("place_text", sa.Text),
    sa.Column("actor1", sa.Text),
    sa.Column("actor1_country", sa.Text),
    sa.Column("actor2", sa.Text),
    sa.Column("actor2_country", sa.Text),
    sa.Column("killed", sa.Integer),
    sa.Column("injured", sa.Integer),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("extractor", sa.Text, nullable=False),
    sa.Column("block_key", sa.Text, index=True),
    sa.CheckConstraint('"start" >= 0 AND "end" >= "start"', name="offsets"),
)
# A merge reads the mentions near its new ones (`sitrep.resolve.reach`): those of a block within a
# date range, and the block's mentions without a day date (few), each through its own index.
VAGUE_DATE = sa.or_(mentions.c.date.is_(None), mentions.c.date_precision != "day")
sa.Index("ix_mentions_block_date", mentions.c.block_key, mentions.c.date)
sa.Index(
    "ix_mentions_block_vague", mentions.c.block_key, sqlite_where=VAGUE_DATE, postgresql_where=VAGUE_DATE
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("event_id", sa.Text, primary_key=True),
    sa.Column("event_type", sa.Text, nullable=False),
    sa.Column("mode", sa.Text),
    sa.Column("acled_event_type", sa.Text),
    sa.Column("acled_sub_event_type", sa.Text),
    sa.Column("date", sa.Date),
    sa.Column("date_precision", sa.Text, nullable=False),
    sa.Column("date_end", sa.Date),
    sa.Column("country", sa.Text),
    sa.Column("admin1", sa.Text),
    sa.Column("admin2", sa.Text),
    sa.Column("location", sa.Text),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("actor1", sa.Text),
    sa.Column("actor1_country", sa.Text),
    sa.Column("actor2", sa.Text),
    sa.Column("actor2_country", sa.Text),
    # Count | None: has_* tells None apart from Count(None, None, None).
    sa.Column("has_fatalities", sa.Boolean, nullable=False),
    sa.Column("fatalities_best", sa.Integer),
    sa.Column("fatalities_low", sa.Integer),
    sa.Column("fatalities_high", sa.Integer),
    sa.Column("has_injured", sa.Boolean, nullable=False),
    sa.Column("injured_best", sa.Integer),
    sa.Column("injured_low", sa.Integer),
    sa.Column("injured_high", sa.Integer),
    sa.Column("discrepancies", sa.Text, nullable=False),  # JSON, see codec.encode_discrepancies
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("block_key", sa.Text, index=True),
    sa.Column("merger", sa.Text, nullable=False),
    # The API filters and sorts: each index leads with the filtered column and ends with the
    # tie-breaker, so a page is an index range scan rather than a sort of the whole table.
    sa.Index("ix_events_date_id", "date", "event_id"),
    sa.Index("ix_events_country_date", "country", "date"),
    sa.Index("ix_events_type_date", "event_type", "date"),
    sa.Index("ix_events_admin1_date", "admin1", "date"),
    sa.Index("ix_events_killed_id", "fatalities_best", "event_id"),
    # bbox: a lat range, lon checked inside the index; date and id there too, so a page's order
    # is found in the index before any row is read (`events._page`)
    sa.Index("ix_events_lat_lon_date", "lat", "lon", "date", "event_id"),
    sa.Index(
        "ix_events_type_killed", "event_type", "fatalities_best"
    ),  # type + min_killed, counted in the index
)
# Newest first and most killed first, with undated or uncounted events last: SQLite reads its
# ascending indexes backwards in that order (NULL is its smallest value); PostgreSQL, where NULL
# is the largest, needs indexes built in that order.
sa.Index("ix_events_date_desc", events.c.date.desc().nulls_last(), events.c.event_id.desc()).ddl_if(
    dialect="postgresql"
)
sa.Index(
    "ix_events_killed_desc", events.c.fatalities_best.desc().nulls_last(), events.c.event_id.desc()
).ddl_if(dialect="postgresql")

event_mentions = sa.Table(
    "event_mentions",
    metadata,
    sa.Column("event_id", sa.Text, sa.ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),  # order of Event.mentions
    sa.Column(
        "mention_id",
        sa.Text,
        sa.ForeignKey("mentions.mention_id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
)

fact_claims = sa.Table(
    "fact_claims",
    metadata,
    sa.Column("fact_claim_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "article_id",
        sa.Text,
        sa.ForeignKey("articles.article_id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("subject", sa.Text, nullable=False, index=True),
    sa.Column("unit", sa.Text, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("stated", sa.Text, nullable=False),
)

# The full-text indexes over event_search.body differ by backend, so migration 0002 builds them with
# raw DDL, outside this metadata: on SQLite an FTS5 table (and its shadow tables event_search_fts_*),
# on PostgreSQL a stored tsvector column and its GIN index. Schema comparisons skip them.
FTS_TABLE = "event_search_fts"
# SQLite: the FTS5 index's terms (an fts5vocab table over FTS_TABLE, migration 0008), where a query's
# prefixes are looked up (`search.prefix_terms`).
VOCAB_TABLE = "event_search_fts_vocab"
PG_DOCUMENT = "document"  # event_search.document = to_tsvector('simple', body), stored
# PostgreSQL: a second GIN index, over PG_PREFIXES(body): the first letters of each word of the
# document, marked (migration 0009: the SQL function and the index PG_PREFIXES_INDEX).
PG_PREFIXES = "sitrep_search_prefixes"
PG_PREFIXES_INDEX = "ix_event_search_prefixes"
PG_DOCUMENT_INDEX = "ix_event_search_document"


def is_described(name: str | None, kind: str, parent: Mapping[Any, Any] | None = None) -> bool:
    """Return whether `name` is an object this metadata describes, not a backend's full-text index.

    For Alembic's `include_name`, so autogenerate and the schema test leave those objects alone.
    """
    if name is None:
        return True
    if kind == "table":
        return not name.startswith(FTS_TABLE)
    if kind == "column":
        return not (name == PG_DOCUMENT and (parent or {}).get("table_name") == "event_search")
    return not (kind == "index" and name in (PG_DOCUMENT_INDEX, PG_PREFIXES_INDEX))


# One search document per event (see sitrep.store.search), deleted with its event. Migration 0002
# also builds each backend's full-text index over `body`: an FTS5 table with triggers on SQLite
# and a stored tsvector column with a GIN index on PostgreSQL (see FTS_TABLE above).
event_search = sa.Table(
    "event_search",
    metadata,
    sa.Column("search_id", sa.Integer, primary_key=True, autoincrement=True),  # the FTS5 rowid
    sa.Column(
        "event_id",
        sa.Text,
        sa.ForeignKey("events.event_id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    sa.Column("body", sa.Text, nullable=False),  # words only: see search.search_words
)

# What later runs need to find an article's neighbours without reading the store (migration 0003):
# its most distinctive terms (resolve.dating: undated articles take the date of a dated neighbour)
# and its MinHash with the LSH band keys that find candidate copies (resolve.copies).
article_terms = sa.Table(
    "article_terms",
    metadata,
    sa.Column(
        "article_id", sa.Text, sa.ForeignKey("articles.article_id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("term", sa.Text, primary_key=True),
    sa.Column("weight", sa.Float, nullable=False),
    sa.Column("dated", sa.Boolean, nullable=False),  # the article's own date is known (not estimated)
    sa.Index("ix_article_terms_term_dated", "term", "dated", "weight", "article_id"),  # covering
)

article_sketches = sa.Table(
    "article_sketches",
    metadata,
    sa.Column(
        "article_id", sa.Text, sa.ForeignKey("articles.article_id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("minhash", sa.LargeBinary, nullable=False),  # NUM_PERM little-endian uint64 hash values
)

article_bands = sa.Table(
    "article_bands",
    metadata,
    sa.Column("band_key", sa.Text, primary_key=True),
    sa.Column(
        "article_id",
        sa.Text,
        sa.ForeignKey("articles.article_id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

# Live monitoring (`sitrep watch`, migration 0005): each configured feed's polling state, the
# entries already seen (with their re-fetch schedule), alerts fired by watch rules, the mentions
# that tie an alert to its event (an event's id follows its smallest mention id, which a new
# source can change), and the outbox of deliveries (webhook, email) with their delivered state.
feeds = sa.Table(
    "feeds",
    metadata,
    sa.Column("feed_id", sa.Text, primary_key=True),  # the name given, else "feed-" + hash of the URL
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("config_url", sa.Text, nullable=False),  # as in sitrep.toml
    sa.Column("url", sa.Text, nullable=False),  # polled: config_url, or where a 301/308 moved it
    sa.Column("interval_s", sa.Integer, nullable=False),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("next_due_at", Timestamp, nullable=False, index=True),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),  # in a row
    sa.Column("status", sa.Text, nullable=False, server_default="active"),  # active | retired
    sa.Column("last_status", sa.Integer),  # HTTP status of the last poll (None: no answer)
    sa.Column("last_error", sa.Text),
    sa.Column("last_polled_at", Timestamp),
    sa.Column("polls", sa.Integer, nullable=False, server_default="0"),
    sa.Column("not_modified", sa.Integer, nullable=False, server_default="0"),  # 304s
    sa.Column("articles", sa.Integer, nullable=False, server_default="0"),  # new entries stored
)

feed_entries = sa.Table(
    "feed_entries",
    metadata,
    sa.Column("feed_id", sa.Text, sa.ForeignKey("feeds.feed_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("entry_key", sa.Text, primary_key=True),  # the entry's id, else its link
    sa.Column("link", sa.Text),
    sa.Column("article_id", sa.Text),  # None: the entry gave no article (its rejection says why)
    sa.Column("first_seen_at", Timestamp, nullable=False),
    sa.Column("refetches", sa.Integer, nullable=False, server_default="0"),  # re-fetches done
    sa.Column("next_refetch_at", Timestamp, index=True),  # None: no re-fetch left
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("alert_id", sa.Text, primary_key=True),
    sa.Column("rule", sa.Text, nullable=False, index=True),
    sa.Column("alert_key", sa.Text, nullable=False),  # the event's first id, or "surge:DATE"
    sa.Column("event_id", sa.Text, index=True),  # the event's current id (None for a surge)
    sa.Column("trigger", sa.Text, nullable=False),  # new | toll_revised | disagreement | surge
    sa.Column("tier", sa.Text, nullable=False),
    sa.Column("why", sa.Text, nullable=False),  # one sentence: what made it fire
    sa.Column("detail", sa.Text, nullable=False),  # JSON: figures, fields, sources (outlet, url)
    sa.Column("killed", sa.Integer),  # the event's best toll when last evaluated
    sa.Column("fields", sa.Text, nullable=False, server_default="[]"),  # JSON: disagreeing fields seen
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),  # +1 at each re-alert
    sa.Column("held", sa.Boolean, nullable=False, server_default=sa.false()),  # in the rule's cooldown
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False, index=True),
    sa.Column("alerted_at", Timestamp, nullable=False),  # when this version fired
    sa.UniqueConstraint("rule", "alert_key"),
)

alert_mentions = sa.Table(
    "alert_mentions",
    metadata,
    sa.Column("alert_id", sa.Text, sa.ForeignKey("alerts.alert_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("mention_id", sa.Text, primary_key=True, index=True),
)

deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("delivery_id", sa.Text, primary_key=True),  # alert_id.version.channel: never queued twice
    sa.Column(
        "alert_id", sa.Text, sa.ForeignKey("alerts.alert_id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("channel", sa.Text, nullable=False),  # webhook:NAME | email:NAME
    sa.Column("state", sa.Text, nullable=False, server_default="pending"),  # pending|delivered|failed
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", Timestamp, nullable=False),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("delivered_at", Timestamp),
    sa.Index("ix_deliveries_state_next", "state", "next_attempt_at"),
)
