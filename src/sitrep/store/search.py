"""Text search over events: one search document per event, indexed by each backend's full-text engine.

An event's document holds its actors, places, country, types and its mentions' quotes, reduced to
words (see `search_words`). `event_search` keeps one row per event, deleted with the event by its
foreign key; SQLite indexes it with an FTS5 table (`event_search_fts`, kept in step by triggers),
PostgreSQL with a stored `to_tsvector('simple', body)` column and a GIN index on it. A query
matches events whose document has, for every word of the query, a word starting with it: "tajik
border" finds "Tajikistan's border guards". Migration 0002 builds both and fills them from the stored events.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from sitrep.model import Event
from sitrep.store.bulk import insert_rows
from sitrep.store.schema import FTS_TABLE, PG_DOCUMENT, event_mentions, event_search, events, mentions

# Runs of letters and digits: what both FTS5's unicode61 tokenizer and PostgreSQL's parser call a word.
WORD = re.compile(r"[^\W_]+")
MAX_QUERY_WORDS = 32  # more words than any analyst types; bounds the query's size
# Event columns whose text goes into the search document.
SEARCH_COLUMNS = (
    "actor1",
    "actor2",
    "admin1",
    "admin2",
    "location",
    "country",
    "event_type",
    "acled_event_type",
    "acled_sub_event_type",
)
CHUNK = 1000  # ids per IN (...) list, as in events.py


def search_words(text: str) -> list[str]:
    """Return the words of `text`: lowercased, accents removed, split at anything not a letter or digit.

    The same function reduces documents and queries, so both backends compare like with like.
    """
    folded = text.casefold()
    if not folded.isascii():  # most text is ASCII: skip the per-character pass there
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    return WORD.findall(folded)


def search_body(fields: Mapping[Any, Any], quotes: Iterable[str]) -> str:
    """Return the search document of an event: the words of its `SEARCH_COLUMNS` and of `quotes`."""
    parts = [str(fields[name]) for name in SEARCH_COLUMNS if fields.get(name)]
    parts.extend(quotes)
    return " ".join(search_words(" ".join(parts)))


def event_body(event: Event) -> str:
    """Return the search document of `event`."""
    return search_body(
        {name: getattr(event, name) for name in SEARCH_COLUMNS}, (m.quote for m in event.mentions)
    )


def write_search(connection: sa.Connection, new: Sequence[Event]) -> None:
    """Insert the search documents of `new`, whose old documents went with their events."""
    insert_rows(connection, event_search, [{"event_id": e.event_id, "body": event_body(e)} for e in new])


def refresh_search(connection: sa.Connection, event_ids: Iterable[str]) -> None:
    """Rebuild the search documents of `event_ids` from the stored events and their mentions' quotes.

    For events whose mentions changed under them (`Store.replace_mentions`); unknown ids are skipped.
    """
    ids = sorted(set(event_ids))
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        quotes: dict[str, list[str]] = {event_id: [] for event_id in part}
        linked = (
            sa.select(event_mentions.c.event_id, mentions.c.quote)
            .join(mentions, mentions.c.mention_id == event_mentions.c.mention_id)
            .where(event_mentions.c.event_id.in_(part))
            .order_by(event_mentions.c.event_id, event_mentions.c.position)
        )
        for event_id, quote in connection.execute(linked):
            quotes[event_id].append(quote)
        columns = [events.c.event_id, *(events.c[name] for name in SEARCH_COLUMNS)]
        rows = connection.execute(sa.select(*columns).where(events.c.event_id.in_(part))).mappings().all()
        connection.execute(sa.delete(event_search).where(event_search.c.event_id.in_(part)))
        insert_rows(
            connection,
            event_search,
            [
                {"event_id": row["event_id"], "body": search_body(row, quotes[row["event_id"]])}
                for row in rows
            ],
        )


def text_matches(text: str, dialect: str) -> sa.Select[Any] | sa.TextualSelect | None:
    """The ids (column `event_id`) of the events whose document has a word starting with each word
    of `text`, as a subquery to filter or join with; None when `text` has no words.

    The words are bound as one parameter and hold only letters and digits, so no input can break
    the query syntax.
    """
    words = list(dict.fromkeys(search_words(text)))[:MAX_QUERY_WORDS]
    if not words:
        return None
    if dialect == "sqlite":
        # FTS5: each word a quoted prefix term ("word"*; a quote inside is doubled), all required.
        fts_query = " AND ".join('"{}"*'.format(word.replace('"', '""')) for word in words)
        matching = sa.text(
            f"SELECT event_search.event_id FROM {FTS_TABLE} "
            f"JOIN event_search ON event_search.search_id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH :fts_query"
        ).bindparams(fts_query=fts_query)
        return matching.columns(event_search.c.event_id)
    # PostgreSQL tsquery: 'word':* for a prefix (a quote inside doubled), & for AND, matched against
    # the stored to_tsvector('simple', body) column and its GIN index.
    ts_query = " & ".join("'{}':*".format(word.replace("'", "''")) for word in words)
    document: sa.ColumnElement[Any] = sa.literal_column(f"event_search.{PG_DOCUMENT}")
    query = sa.func.to_tsquery(sa.literal_column("'simple'"), sa.bindparam("ts_query", ts_query))
    return sa.select(event_search.c.event_id).where(document.op("@@")(query))


def text_condition(
    text: str, dialect: str, event_id: sa.ColumnElement[Any] = events.c.event_id
) -> sa.ColumnElement[bool] | None:
    """Return the clause keeping events whose document has a word starting with each word of `text`
    (`event_id`: the events' id column, or an expression of it); None when `text` has no words
    (only punctuation or spaces): no text filter then."""
    matching = text_matches(text, dialect)
    return None if matching is None else event_id.in_(matching)
