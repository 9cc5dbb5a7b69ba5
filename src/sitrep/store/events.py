"""Events in the store: replacing whole blocks, reading events back with their mentions, and the
filtered, paged queries behind the API.

Functions take an open connection; `Store` (repository.py) owns transactions and error handling.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from sitrep.errors import ConfigError
from sitrep.model import Event, Mention
from sitrep.store.bulk import insert_rows, upsert_rows
from sitrep.store.codec import event_from_row, event_row, mention_from_row, mention_row
from sitrep.store.schema import VAGUE_DATE, articles, event_mentions, events, mentions
from sitrep.store.search import TextSearch, prepare_text, write_search

# Ids per IN (...) list: well under SQLite's 32,766 bound parameters, and short enough for PostgreSQL
# to plan quickly.
CHUNK = 1000
SORTS = ("date", "-date", "killed", "-killed", "id")
MAX_LIMIT = 10_000  # one page; bigger reads go through iter_events
# Matching events the API counts at most for a page's total: counting every match of a broad filter
# costs 50-300 ms at a million events, counting up to this many a few ms.
COUNT_CAP = 10_000
# Rows written at once after which PostgreSQL's planner statistics are refreshed at once rather than
# by autovacuum a minute later (queries right after a bulk load otherwise scan whole tables).
ANALYZE_AFTER = 10_000


@dataclass(frozen=True)
class EventQuery:
    """Filters, paging and order for `Store.query_events`; every filter given must hold (AND).

    `since`/`until` bound the event's start date (inclusive). `text` is split into words (letters
    and digits; case and accents ignored), and each must begin a word of the event's actors, places,
    country, types or mentions' quotes: "tajik guard" finds "Tajikistan's border guards". Text with
    no words (only punctuation) filters nothing. `bbox` is (min_lon, min_lat, max_lon, max_lat);
    min_lon > max_lon means a box across the antimeridian.
    `language` (ISO 639-1) keeps events with at least one source in that language.
    Events without a date, or a killed figure, sort last.
    `count_cap` bounds the count of matching events returned with a page: the count stops after
    that many (the total is then `count_cap` and not exact); None counts them all.
    """

    since: dt.date | None = None
    until: dt.date | None = None
    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None
    min_killed: int | None = None
    text: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    language: str | None = None
    limit: int = 100
    offset: int = 0
    sort: str = "-date"
    count_cap: int | None = None

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ConfigError(f"sort {self.sort!r} is not one of {', '.join(SORTS)}.")
        if not 0 <= self.limit <= MAX_LIMIT:
            raise ConfigError(f"limit {self.limit} is not between 0 and {MAX_LIMIT}.")
        if self.offset < 0:
            raise ConfigError(f"offset {self.offset} is negative.")
        if self.count_cap is not None and self.count_cap < 0:
            raise ConfigError(f"count_cap {self.count_cap} is negative.")
        if self.bbox is not None:
            if len(self.bbox) != 4:  # min_lon, min_lat, max_lon, max_lat
                raise ConfigError(f"bbox {self.bbox!r} needs 4 numbers: min_lon, min_lat, max_lon, max_lat.")
            _, min_lat, _, max_lat = self.bbox
            if min_lat > max_lat:
                raise ConfigError(f"bbox {self.bbox!r} has min_lat above max_lat.")


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """Yield consecutive slices of `items` of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_events(
    connection: sa.Connection, block_keys: Iterable[str], new: Sequence[Event], event_ids: Iterable[str] = ()
) -> None:
    """Delete the events of `block_keys`, those of `event_ids` and any with the ids of `new`, then
    insert `new`.

    The events' mentions are written too (inserted or updated by mention_id), so an event read back
    equals the event written. Mentions are not deleted: they belong to their articles. Search
    documents go with their events (foreign key cascade) and are written for `new`.
    """
    keys = sorted(set(block_keys))
    new_ids = [event.event_id for event in new]
    for part in chunks(keys):
        connection.execute(sa.delete(events).where(events.c.block_key.in_(part)))
    delete_events(connection, [*new_ids, *event_ids])
    if not new:
        return
    seen: dict[str, Mention] = {}
    for event in new:
        for mention in event.mentions:
            seen[mention.mention_id] = mention
    upsert_rows(connection, mentions, [mention_row(m) for m in seen.values()], key="mention_id")
    insert_rows(connection, events, [event_row(event) for event in new])
    links = [
        {"event_id": event.event_id, "position": position, "mention_id": mention.mention_id}
        for event in new
        for position, mention in enumerate(event.mentions)
    ]
    insert_rows(connection, event_mentions, links)
    write_search(connection, new)
    if connection.dialect.name == "postgresql" and len(new) >= ANALYZE_AFTER:
        connection.exec_driver_sql("ANALYZE events, event_mentions, mentions, event_search")


def delete_events(connection: sa.Connection, event_ids: Iterable[str]) -> None:
    """Delete the events `event_ids` (their links and search documents follow by cascade)."""
    for part in chunks(sorted(set(event_ids))):
        connection.execute(sa.delete(events).where(events.c.event_id.in_(part)))


def mention_candidates(connection: sa.Connection, windows: Sequence[Any]) -> list[Mention]:
    """The mentions in `windows` (`sitrep.resolve.reach.Window`: a block, and a date range or the
    whole block), each once, by mention_id: per window one range over (block_key, date), and once
    per block its mentions without a day date (the partial index `ix_mentions_block_vague`)."""
    found: dict[str, Mention] = {}

    def read(query: sa.Select[Any]) -> None:
        for row in connection.execute(query).mappings():
            if row["mention_id"] not in found:
                found[row["mention_id"]] = mention_from_row(row)

    whole = sorted({w.key for w in windows if w.first is None})
    for part in chunks(whole):
        read(sa.select(mentions).where(mentions.c.block_key.in_(part)))
    ranged: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for w in windows:
        if w.first is not None and w.key not in whole:
            ranged.setdefault(w.key, []).append((w.first, w.last or w.first))
    for key, spans in sorted(ranged.items()):
        for first, last in _joined(spans):
            read(sa.select(mentions).where(mentions.c.block_key == key, mentions.c.date.between(first, last)))
    for part in chunks(sorted(ranged)):
        read(sa.select(mentions).where(mentions.c.block_key.in_(part), VAGUE_DATE))
    return sorted(found.values(), key=lambda m: m.mention_id)


def _joined(spans: Iterable[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Overlapping or touching date ranges joined into one."""
    out: list[tuple[dt.date, dt.date]] = []
    for first, last in sorted(spans):
        if out and first <= out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return out


def event_members(connection: sa.Connection, mention_ids: Iterable[str]) -> dict[str, list[str]]:
    """{event_id: its mention ids in order} for the stored events citing any of `mention_ids`."""
    citing: set[str] = set()
    for part in chunks(sorted(set(mention_ids))):
        query = sa.select(event_mentions.c.event_id).where(event_mentions.c.mention_id.in_(part))
        citing.update(connection.execute(query).scalars())
    members: dict[str, list[str]] = {}
    for part in chunks(sorted(citing)):
        query = (
            sa.select(event_mentions.c.event_id, event_mentions.c.mention_id)
            .where(event_mentions.c.event_id.in_(part))
            .order_by(event_mentions.c.event_id, event_mentions.c.position)
        )
        for event_id, mention_id in connection.execute(query):
            members.setdefault(event_id, []).append(mention_id)
    return members


def load_events(connection: sa.Connection, rows: Sequence[sa.RowMapping]) -> list[Event]:
    """Return the events stored in `rows`, each with its mentions in their stored order."""
    ids = [row["event_id"] for row in rows]
    by_event: dict[str, list[Mention]] = {event_id: [] for event_id in ids}
    for part in chunks(ids):
        query = (
            sa.select(event_mentions.c.event_id, mentions)
            .join(mentions, mentions.c.mention_id == event_mentions.c.mention_id)
            .where(event_mentions.c.event_id.in_(part))
            .order_by(event_mentions.c.event_id, event_mentions.c.position)
        )
        for row in connection.execute(query).mappings():
            by_event[row["event_id"]].append(mention_from_row(row))
    return [event_from_row(row, tuple(by_event[row["event_id"]])) for row in rows]


def get_event(connection: sa.Connection, event_id: str) -> Event | None:
    """Return the event `event_id` with its mentions, or None."""
    row = connection.execute(sa.select(events).where(events.c.event_id == event_id)).mappings().first()
    return load_events(connection, [row])[0] if row is not None else None


def events_after(connection: sa.Connection, after: str | None, limit: int = CHUNK) -> list[Event]:
    """Return up to `limit` events with ids above `after` (all when None), by event_id: keyset paging."""
    query = sa.select(events).order_by(events.c.event_id).limit(limit)
    if after is not None:
        query = query.where(events.c.event_id > after)
    return load_events(connection, connection.execute(query).mappings().all())


def event_ids_citing(connection: sa.Connection, article_id: str) -> list[str]:
    """Return the ids of the events that cite a mention of `article_id`, sorted."""
    query = (
        sa.select(event_mentions.c.event_id)
        .join(mentions, mentions.c.mention_id == event_mentions.c.mention_id)
        .where(mentions.c.article_id == article_id)
        .distinct()
        .order_by(event_mentions.c.event_id)
    )
    return list(connection.execute(query).scalars())


def _count(
    connection: sa.Connection, query: EventQuery, cap: int | None, text: TextSearch | None
) -> tuple[int, bool]:
    """How many events match `query` (its text made ready as `text`), and whether that is exact:
    at most `cap` (None: no bound), counted through a LIMITed subquery so that the count stops
    after cap + 1 matches."""
    dialect = connection.dialect.name
    others = _conditions(dataclasses.replace(query, text=None))
    matching: sa.Select[Any]
    if text is not None and not others:
        # The text alone: count its documents (one per event) without reading any event.
        matching = text.documents()
    elif text is not None and dialect == "sqlite":
        # SQLite builds the whole list for `event_id IN (text matches)` before the LIMIT can stop
        # it; joined, the matches stream from FTS5 (the text-only count at a million: 65 -> 40 ms).
        found = text.matches().subquery("found")
        source = events.join(found, found.c.event_id == events.c.event_id)
        matching = sa.select(sa.literal(1).label("one")).select_from(source).where(*others)
    else:
        conditions = _conditions(query, text=text)
        matching = sa.select(sa.literal(1).label("one")).select_from(events).where(*conditions)
    if cap is not None:
        matching = matching.limit(cap + 1)
    total = connection.execute(sa.select(sa.func.count()).select_from(matching.subquery())).scalar_one()
    if cap is not None and total > cap:
        return cap, False
    return int(total), True


def _page(connection: sa.Connection, query: EventQuery) -> tuple[Sequence[sa.RowMapping], int, bool]:
    """The event rows of one page of `query`, how many events match in all (at most
    `query.count_cap`), and whether that count is exact."""
    dialect = connection.dialect.name
    text = prepare_text(query.text, connection) if query.text else None
    text_only = text is not None and not _conditions(dataclasses.replace(query, text=None))
    serial_count = dialect == "postgresql" and bool(query.count_cap) and text_only
    if serial_count:
        # A text-only count stops after cap + 1 documents of one bitmap scan: parallel workers
        # took longer to start (10-15 ms here) than they saved ("Actor 42" at a million events,
        # short words read from the prefixes' index: 61 ms with 2 workers, ~20 ms without).
        connection.exec_driver_sql("SET LOCAL max_parallel_workers_per_gather = 0")
    total, exact = _count(connection, query, query.count_cap, text)
    if serial_count and exact:  # below the cap the page's plan is the planner's own, as before
        connection.exec_driver_sql("SET LOCAL max_parallel_workers_per_gather TO DEFAULT")
    if query.limit == 0 or (exact and query.offset >= total):
        return [], total, exact
    indexed = True
    if not exact and dialect == "sqlite":
        # More than count_cap events match: the page is found soonest by walking the sort's index
        # and testing each event, but SQLite (no statistics on ranges) would read every match of a
        # bounding box or text through their indexes and sort them (~300k index entries, ~90 ms
        # for the bench's box at a million events). Unindexed, those filters are tested per row:
        # the text on each event's document (`TextSearch.row_test`), not by building the list of
        # every match (30k ids for "Actor 42" at a million events, 40-60 ms).
        indexed = False
    if not exact and query.count_cap and dialect == "postgresql" and not serial_count:
        # Past the cap the page walks the sort's index and stops within about (offset + limit) *
        # events / cap rows. The planner cannot know a prefix query keeps that many (it guesses 2 %
        # for "Actor 42", 3 % do) and, pricing the walk at the whole table, starts parallel workers:
        # "Actor 42"'s page at a million events 16-23 ms with 2 workers, 7-9 ms without. This
        # transaction (a read) only pages from here on (set before the count when the text is
        # the only filter).
        connection.exec_driver_sql("SET LOCAL max_parallel_workers_per_gather = 0")
    conditions = _conditions(query, indexed=indexed, text=text)
    # The page's ids first, then their rows: the ids and their order come from an index where one
    # covers the filter and the sort (a bounding box), so only the page's rows are read.
    ids = (
        sa.select(events.c.event_id)
        .where(*conditions)
        .order_by(*_order(query.sort))
        .limit(query.limit)
        .offset(query.offset)
    )
    page = sa.select(events).where(events.c.event_id.in_(ids.scalar_subquery())).order_by(*_order(query.sort))
    rows = connection.execute(page).mappings().all()
    if not exact and 0 < len(rows) < query.limit:  # the last page: every match is now counted
        return rows, query.offset + len(rows), True
    return rows, total, exact


def query_events(connection: sa.Connection, query: EventQuery) -> tuple[list[Event], int]:
    """Return one page of the events matching `query`, and how many match in all (at most
    `query.count_cap`)."""
    rows, total, _ = _page(connection, query)
    return (load_events(connection, rows), total) if rows else ([], total)


def event_totals(connection: sa.Connection, query: EventQuery) -> tuple[int, int]:
    """How many events match `query`'s filters, and their summed best tolls (paging ignored)."""
    text = prepare_text(query.text, connection) if query.text else None
    conditions = _conditions(query, text=text)
    count, killed = connection.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(events.c.fatalities_best), 0))
        .select_from(events)
        .where(*conditions)
    ).one()
    return int(count), int(killed)


def query_event_summaries(
    connection: sa.Connection, query: EventQuery, max_articles: int
) -> tuple[list[tuple[Event, int]], int, bool]:
    """Like `query_events`, for lists: each event carries only the mentions of its first
    `max_articles` reporting articles (by article id), paired with its number of reporting articles;
    and whether the total is exact (False when more than `query.count_cap` events match).

    The events returned are summaries, not whole events: never write them back.
    """
    rows, total, exact = _page(connection, query)
    if not rows:
        return [], total, exact
    ids = [row["event_id"] for row in rows]
    links: dict[str, list[tuple[str, str]]] = {event_id: [] for event_id in ids}  # (article, mention)
    joined = event_mentions.join(mentions, mentions.c.mention_id == event_mentions.c.mention_id)
    for part in chunks(ids):
        light = (  # ids only: the wide mention rows are read below for the few that are shown
            sa.select(event_mentions.c.event_id, mentions.c.article_id, mentions.c.mention_id)
            .select_from(joined)
            .where(event_mentions.c.event_id.in_(part))
            .order_by(event_mentions.c.event_id, event_mentions.c.position)
        )
        for event_id, article_id, mention_id in connection.execute(light):
            links[event_id].append((article_id, mention_id))
    counts: dict[str, int] = {}
    wanted: dict[str, list[str]] = {}
    for event_id, pairs in links.items():
        articles = sorted({article_id for article_id, _ in pairs})
        counts[event_id] = len(articles)
        shown = set(articles[: max(max_articles, 0)])
        wanted[event_id] = [mention_id for article_id, mention_id in pairs if article_id in shown]
    loaded: dict[str, Mention] = {}
    all_wanted = sorted({m for ms in wanted.values() for m in ms})
    for part in chunks(all_wanted):
        for row in connection.execute(sa.select(mentions).where(mentions.c.mention_id.in_(part))).mappings():
            loaded[row["mention_id"]] = mention_from_row(row)
    by_event = {event_id: [loaded[m] for m in ms if m in loaded] for event_id, ms in wanted.items()}
    summaries = [
        (event_from_row(row, tuple(by_event[row["event_id"]])), counts.get(row["event_id"], 0))
        for row in rows
    ]
    return summaries, total, exact


def _unindexed(column: sa.Column[Any]) -> sa.ColumnElement[Any]:
    """`column` as SQLite's `+column`: the same value, which the planner will not look up by index."""
    return sa.literal_column(f"+{column.table.name}.{column.name}", column.type)


def _conditions(
    query: EventQuery, indexed: bool = True, text: TextSearch | None = None
) -> list[sa.ColumnElement[bool]]:
    """Return the WHERE clauses for the filters set in `query`, its text made ready as `text`
    (`search.prepare_text`; None: no text filter); with `indexed` False (SQLite), the bounding box
    and the text are tested row by row rather than looked up through their indexes."""
    where: list[sa.ColumnElement[bool]] = []
    lat: sa.ColumnElement[Any] = events.c.lat
    lon: sa.ColumnElement[Any] = events.c.lon
    if not indexed:
        lat, lon = _unindexed(events.c.lat), _unindexed(events.c.lon)
    if query.since is not None:
        where.append(events.c.date >= query.since)
    if query.until is not None:
        where.append(events.c.date <= query.until)
    if query.country is not None:
        where.append(events.c.country == query.country)
    if query.admin1 is not None:
        where.append(events.c.admin1 == query.admin1)
    if query.event_type is not None:
        where.append(events.c.event_type == query.event_type)
    if query.min_killed is not None:
        where.append(events.c.fatalities_best >= query.min_killed)
    if query.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = query.bbox
        where.append(lat.between(min_lat, max_lat))
        if min_lon <= max_lon:
            where.append(lon.between(min_lon, max_lon))
        else:  # the box crosses the antimeridian
            where.append(sa.or_(lon >= min_lon, lon <= max_lon))
    if query.language is not None:
        where.append(_has_source_in(query.language))
    if text is not None:
        where.append(text.condition() if indexed else text.row_test())
    return where


def _has_source_in(language: str) -> sa.ColumnElement[bool]:
    """Events with a mention from an article detected as `language` (indexed: articles.language)."""
    return sa.exists(
        sa.select(1)
        .select_from(
            event_mentions.join(mentions, mentions.c.mention_id == event_mentions.c.mention_id).join(
                articles, articles.c.article_id == mentions.c.article_id
            )
        )
        .where(event_mentions.c.event_id == events.c.event_id, articles.c.language == language)
    )


def _order(sort: str) -> list[sa.ColumnElement[Any]]:
    """Return the ORDER BY for `sort`: nulls last on both backends, event_id to break ties."""
    if sort == "id":
        return [events.c.event_id.asc()]
    column = events.c.date if sort.lstrip("-") == "date" else events.c.fatalities_best
    if sort.startswith("-"):
        return [column.desc().nulls_last(), events.c.event_id.desc()]
    return [column.asc().nulls_last(), events.c.event_id.asc()]
