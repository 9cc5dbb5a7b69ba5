"""Text search over events: one search document per event, indexed by each backend's full-text engine.

An event's document holds its actors, places, country, types and its mentions' quotes, reduced to
words (see `search_words`). `event_search` keeps one row per event, deleted with the event by its
foreign key; SQLite indexes it with an FTS5 table (`event_search_fts`, kept in step by triggers),
PostgreSQL with a stored `to_tsvector('simple', body)` column and a GIN index on it, and a second
GIN index over each word's first few letters, marked (`PREFIX_LETTERS`, migration 0009). A query
matches events whose document has, for every word of the query, a word starting with it: "tajik border" finds
"Tajikistan's border guards". Migration 0002 builds both and fills them from the stored events.
"""

from __future__ import annotations

import re
import time
import unicodedata
import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSQUERY

from sitrep.model import Event
from sitrep.store.bulk import insert_rows
from sitrep.store.schema import (
    FTS_TABLE,
    PG_DOCUMENT,
    PG_PREFIXES,
    VOCAB_TABLE,
    event_mentions,
    event_search,
    events,
    mentions,
)

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
# SQLite: a query word that begins at most this many stored terms is searched as those terms.
MAX_EXPANSION = 8
# PostgreSQL: a query word that begins words of more than this share of the documents is tested row
# by row rather than read from the GIN index (see TextSearch).
BROAD_SHARE = 0.2
# PostgreSQL: a second GIN index holds each document word's first 1..PREFIX_LETTERS letters with
# PREFIX_MARK after them (migration 0009, which fixes both), so a narrow query word that short is
# read as one exact key ('42~') rather than a prefix ('42':*) spanning every stored word that begins
# with it (the text-only count only; `TextSearch._pg_tests`). No word holds the mark:
# `search_words` keeps letters and digits only.
PREFIX_LETTERS = 3
PREFIX_MARK = "~"
# PostgreSQL: seconds the most common words' shares (`_common_words`) are reused before being read
# again from pg_stats (two reads a query, 1-3 ms, before).
SHARES_TTL_S = 60.0
_COMMON_WORDS: weakref.WeakKeyDictionary[sa.Engine, tuple[float, dict[str, float]]] = (
    weakref.WeakKeyDictionary()
)


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


class TextSearch:
    """A text filter made ready for one connection: the query's words, and the backend's query.

    Every word of the query must begin a word of the event's search document. On SQLite a word that
    begins only a few stored terms (at most `MAX_EXPANSION`, looked up in the FTS5 vocabulary
    `VOCAB_TABLE`) is searched as those exact terms: FTS5 skips through an exact term's doclist,
    while a prefix term without a prefix index reads every matching entry into memory first ("actor"*
    over a million events: 40-90 ms; "actor": a few ms inside an AND). Words that begin more terms
    stay prefixes.

    On PostgreSQL a prefix ('actor':*) is read from the GIN index into a bitmap of every document it
    matches (a million for "actor", 20 ms) before the words are joined: a word whose stored words
    begin more than `BROAD_SHARE` of the documents (by the planner's statistics, `pg_stats`) is left
    out of the index's query (`index_words`) when counting, and tested on each document the other
    words found (the bench's "Actor 42" count: 30-45 -> 19-21 ms). The shares are read from
    pg_stats once a minute per engine (`_common_words`), not on every query. Pages walk the sort's
    index and test each event's document with the whole query, as the planner chooses by itself;
    past the count's cap without parallel workers (`events._page`).
    """

    def __init__(
        self,
        words: Sequence[str],
        dialect: str,
        fts_query: str = "",
        index_words: Sequence[str] = (),
        short_words: Sequence[str] = (),
    ) -> None:
        self.words = tuple(words)
        self.dialect = dialect
        self.fts_query = fts_query
        self.index_words = tuple(index_words) or self.words
        self.short_words = tuple(short_words)  # PostgreSQL: read as marked prefixes (`_prefix_query`)

    def matches(self) -> sa.Select[Any] | sa.TextualSelect:
        """The ids (column `event_id`) of the matching events, as a subquery to filter or join with."""
        if self.dialect == "sqlite":
            matching = sa.text(
                f"SELECT event_search.event_id FROM {FTS_TABLE} "
                f"JOIN event_search ON event_search.search_id = {FTS_TABLE}.rowid "
                f"WHERE {FTS_TABLE} MATCH :fts_query"
            ).bindparams(fts_query=self.fts_query)
            return matching.columns(event_search.c.event_id)
        # The document's own index only: a second test on the prefixes' index here made the planner
        # multiply the two tests' shares (658 rows for 32,641) and sort every match for a page.
        return sa.select(event_search.c.event_id).where(_document().op("@@")(_ts_query(self.words)))

    def documents(self) -> sa.Select[Any]:
        """One row per matching search document, without its event id (SQLite: FTS5 alone): for
        counting matches when the text is the only filter (each event has one document)."""
        if self.dialect == "sqlite":
            found = sa.text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts_query")
            docs = found.bindparams(fts_query=self.fts_query).columns(sa.column("rowid")).subquery("docs")
            return sa.select(sa.literal(1).label("one")).select_from(docs)
        return sa.select(sa.literal(1).label("one")).select_from(event_search).where(*self._pg_tests())

    def condition(self, event_id: sa.ColumnElement[Any] = events.c.event_id) -> sa.ColumnElement[bool]:
        """The clause keeping events (`event_id`: their id column) whose document matches, through
        the full-text index."""
        return event_id.in_(self.matches())

    def row_test(self) -> sa.ColumnElement[bool]:
        """The same test made on each event's own document, for pages that walk the sort's index
        (more than the count's cap match): no index is read; SQLite finds the document by event id
        and looks for each word at the start of a word of it (the document is words joined by single
        spaces, made by the same `search_words` as the query), PostgreSQL matches the stored vector
        row by row."""
        search = event_search.alias("doc")
        if self.dialect == "sqlite":
            padded = sa.literal(" ") + search.c.body
            tests = [sa.func.instr(padded, sa.literal(" " + word)) > 0 for word in self.words]
        else:
            tests = [_match_row(sa.literal_column(f"doc.{PG_DOCUMENT}"), self.words)]
        own = search.c.event_id == events.c.event_id
        return sa.exists(sa.select(1).select_from(search).where(own, *tests))

    def _pg_tests(self) -> list[sa.ColumnElement[bool]]:
        """The WHERE clauses on event_search: the GIN index's query, and every word row by row
        when some were left out of it."""
        tests: list[sa.ColumnElement[bool]] = []
        if self.short_words:
            tests.append(_prefixes().op("@@")(_prefix_query(self.short_words)))
        rest = [word for word in self.index_words if word not in self.short_words]
        if rest:
            tests.append(_document().op("@@")(_ts_query(rest, "ts_query")))
        if self.index_words != self.words:
            tests.append(_match_row(_document(), self.words))
        return tests


def _ts_query(words: Sequence[str], name: str = "ts_query") -> sa.ColumnElement[Any]:
    """PostgreSQL tsquery: 'word':* for a prefix (a quote inside doubled), & for AND, matched against
    the stored to_tsvector('simple', body) column."""
    ts_query = " & ".join("'{}':*".format(word.replace("'", "''")) for word in words)
    return sa.func.to_tsquery(sa.literal_column("'simple'"), sa.bindparam(name, ts_query))


def _prefix_query(words: Sequence[str]) -> sa.ColumnElement[Any]:
    """PostgreSQL tsquery of short words (`is_short`), each its marked lexeme ('42~'), all required,
    matched against `sitrep_search_prefixes(body)` (migration 0009). In tsquery's own syntax, not
    parsed by to_tsquery, so the mark stays on the lexeme."""
    exact = " & ".join(f"'{word}{PREFIX_MARK}'" for word in words)
    return sa.cast(sa.bindparam("ts_short", exact), TSQUERY)


def is_short(word: str) -> bool:
    """Whether the query word `word` is searched on PostgreSQL as its marked prefix lexeme: at most
    `PREFIX_LETTERS` letters, all ASCII letters or all ASCII digits (PostgreSQL's parser reads such
    a word as one word, itself, as it reads it in a document; a mix like "3e10x" it may split, so
    that stays a prefix query parsed the same way as the document)."""
    return len(word) <= PREFIX_LETTERS and word.isascii() and (word.isalpha() or word.isdigit())


def _match_row(document: sa.ColumnElement[Any], words: Sequence[str]) -> sa.ColumnElement[bool]:
    """`document @@ query` as the function call ts_match_vq, which no index answers: tested on each
    row (the planner guesses it keeps a third of them, so it does not plan for a few rows)."""
    return sa.func.ts_match_vq(document, _ts_query(words, "ts_all"), type_=sa.Boolean)


def _document() -> sa.ColumnElement[Any]:
    return sa.literal_column(f"event_search.{PG_DOCUMENT}")


def _prefixes() -> sa.ColumnElement[Any]:
    """The expression the second GIN index is built over (migration 0009): the marked first letters
    of the document's words, never stored; only that index reads it."""
    return sa.literal_column(f"{PG_PREFIXES}(event_search.body)")


def _quoted(term: str) -> str:
    """`term` as an FTS5 string (a quote inside doubled)."""
    return '"{}"'.format(term.replace('"', '""'))


def prefix_terms(connection: sa.Connection, word: str, most: int) -> list[str]:
    """The stored FTS5 terms that begin with `word`, in order, at most `most` (SQLite): one seek in
    the vocabulary per term, each to the first term after the one before (`term >= t || char(1)`:
    no term holds a control character, so none lies between)."""
    found: list[str] = []
    after = word
    seek = sa.text(f"SELECT term FROM {VOCAB_TABLE} WHERE term >= :after LIMIT 1")
    while len(found) < most:
        term = connection.execute(seek, {"after": after}).scalar()
        if term is None or not term.startswith(word):
            break
        found.append(term)
        after = term + "\x01"
    return found


def _common_words(connection: sa.Connection) -> dict[str, float]:
    """PostgreSQL: the most common words of the search documents with the share of documents that
    hold each, from the planner's statistics on event_search.document (`pg_stats`; empty before any
    ANALYZE). Read once per `SHARES_TTL_S` per engine: the statistics change only when the table
    is analysed, and they only choose which words the index reads, never which events match."""
    now = time.monotonic()
    cached = _COMMON_WORDS.get(connection.engine)
    if cached is not None and now - cached[0] < SHARES_TTL_S:
        return cached[1]
    rows = connection.execute(
        sa.text(
            "SELECT m.word, m.share FROM pg_stats AS s, "
            "unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS m(word, share) "
            "WHERE s.schemaname = current_schema() AND s.tablename = 'event_search' "
            f"AND s.attname = '{PG_DOCUMENT}'"
        )
    )
    words = {str(word): float(share) for word, share in rows}
    _COMMON_WORDS[connection.engine] = (now, words)
    return words


def _document_share(common: Mapping[str, float], word: str) -> float:
    """About what share of the search documents hold a word beginning with `word`: the sum of the
    shares of the most common words (`_common_words`) that begin so."""
    return sum(share for common_word, share in common.items() if common_word.startswith(word))


def prepare_text(text: str | None, connection: sa.Connection) -> TextSearch | None:
    """The text filter for `text` on `connection`'s store; None when `text` has no words (only
    punctuation or spaces): no text filter then.

    The words are bound as parameters and hold only letters and digits, so no input can break the
    query syntax.
    """
    words = list(dict.fromkeys(search_words(text or "")))[:MAX_QUERY_WORDS]
    if not words:
        return None
    dialect = connection.dialect.name
    if dialect != "sqlite":
        common = _common_words(connection)
        shares = {word: _document_share(common, word) for word in words}
        narrow = [word for word in words if shares[word] <= BROAD_SHARE]
        short = [word for word in narrow if is_short(word)]
        index_words = narrow or [min(words, key=shares.__getitem__)]
        return TextSearch(words, dialect, index_words=index_words, short_words=short)
    parts = []
    for word in words:  # FTS5: each word its few stored terms or a quoted prefix term, all required
        terms = prefix_terms(connection, word, MAX_EXPANSION + 1)
        if terms and len(terms) <= MAX_EXPANSION:
            parts.append("(" + " OR ".join(_quoted(term) for term in terms) + ")")
        else:
            parts.append(_quoted(word) + "*")
    return TextSearch(words, dialect, " AND ".join(parts))
