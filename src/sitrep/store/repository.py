"""`Store`: every read and write of sitrep's database, on SQLite or PostgreSQL.

Each public write is one transaction, so a failure leaves nothing half-written; driver errors
leave as `StoreError`. Long reads page by key in short transactions, so a caller may write while
it iterates.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from sitrep.errors import StoreError
from sitrep.model import Article, Event, FactClaim, Mention, Rejected
from sitrep.store import events as event_rows
from sitrep.store import neighbours
from sitrep.store.articles import AddOutcome, now, store_article
from sitrep.store.bulk import upsert_rows
from sitrep.store.codec import (
    article_from_row,
    fact_claim_from_row,
    fact_claim_row,
    mention_from_row,
    mention_row,
    rejected_from_row,
    utc,
)
from sitrep.store.connection import WRITE_OPTION, create_store_engine, translate_errors
from sitrep.store.events import CHUNK, EventQuery, chunks
from sitrep.store.overview import store_stats
from sitrep.store.revisions import require_head, upgrade_to_head
from sitrep.store.schema import (
    WORK_STATES,
    article_revisions,
    articles,
    fact_claims,
    mentions,
    rejections,
    runs,
)
from sitrep.store.search import refresh_search
from sitrep.store.watch import WatchStore

log = logging.getLogger(__name__)

ARTICLE_BATCH = 200  # articles per read when iterating: their texts are the bulk of the store
SQLITE_ANALYSIS_LIMIT = 400  # rows per index that `PRAGMA optimize`'s ANALYZE reads (approximate statistics)


def _at_least(work: sa.Column[Any], state: str) -> sa.ColumnElement[Any]:
    """The work state that is `state` unless `work` already asks for more (failed stays failed)."""
    more = ("extract", "failed") if state == "merge" else ("failed",)
    return sa.case((work.in_(more), work), else_=sa.literal(state))


@dataclass(frozen=True)
class ArticleMeta:
    """An article's metadata without its texts, for listing sources cheaply."""

    article_id: str
    url: str | None
    outlet: str | None
    published: dt.date | None
    title: str | None
    copy_of: str | None
    is_sample: bool
    published_from: str | None = None
    language: str | None = None  # ISO 639-1, as detected when cleaned


def open_store(url: str, *, migrate: bool = True) -> Store:
    """Open the store at `url`, creating or upgrading its schema unless `migrate` is False.

    Raises ConfigError for a bad URL, StoreError when the database cannot be reached, and
    SchemaOutOfDate when `migrate` is False and the schema is not at this sitrep's revision.
    """
    engine = create_store_engine(url)
    try:
        with translate_errors(url, "opening the store"):
            if migrate:
                upgrade_to_head(engine)
            else:
                require_head(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, url)


def migrate(url: str) -> str:
    """Upgrade the database at `url` to this sitrep's schema and return the revision it is at."""
    engine = create_store_engine(url)
    try:
        with translate_errors(url, "migrating the store"):
            return upgrade_to_head(engine)
    finally:
        engine.dispose()


class Store(WatchStore):
    """The database behind sitrep: articles, runs, rejections, mentions, events and fact claims."""

    def __init__(self, engine: Engine, url: str) -> None:
        self._engine = engine
        self.url = url

    def close(self) -> None:
        """Close every pooled connection (on SQLite, after refreshing the planner's statistics)."""
        if self._engine.dialect.name == "sqlite":
            with self._read("optimizing the store") as connection:
                # ANALYZE reads at most ~SQLITE_ANALYSIS_LIMIT rows per index, so its cost does not
                # grow with the store (unbounded it took 1.6 s of a 10-article run at 100k articles)
                connection.exec_driver_sql(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
                connection.exec_driver_sql("PRAGMA optimize")  # keeps index choices good
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self._engine.url.render_as_string(hide_password=True)!r})"

    @contextmanager
    def _read(self, action: str) -> Iterator[sa.Connection]:
        """Yield a connection for reads, inside one (read) transaction."""
        with translate_errors(self.url, action), self._engine.connect() as connection:
            yield connection

    @contextmanager
    def _write(self, action: str) -> Iterator[sa.Connection]:
        """Yield a connection inside one write transaction, committed when the block ends."""
        with (
            translate_errors(self.url, action),
            self._engine.connect().execution_options(**{WRITE_OPTION: True}) as connection,
            connection.begin(),
        ):
            yield connection

    # articles

    def add_article(self, article: Article) -> AddOutcome:
        """Store `article` unless it is already stored; a changed text at the same id or url is a revision.

        Returns "added", "duplicate" or "revision" (see `articles.store_article` for the rules).
        """
        return self.add_articles([(article, None)], f"storing article {article.article_id!r}")[0]

    def add_articles(
        self, items: Sequence[tuple[Article, neighbours.IndexRows | None]], action: str = ""
    ) -> list[AddOutcome]:
        """`add_article` for each (article, rows) of `items`, in one transaction, in order; an article
        added (not a duplicate or a revision) gets its neighbour rows, `put_neighbour_rows`'s (terms,
        dated, MinHash, band keys), in the same transaction where they are given. Returns each
        article's outcome.

        One transaction for a partition of articles instead of two per article: on SQLite a
        transaction's own cost (begin, commit, the write-ahead log's frames) was about a millisecond,
        more than storing a short article.
        """
        action = action or f"storing {len(items)} articles"
        try:
            with self._write(action) as connection:
                return self._add_each(connection, items)
        except StoreError as error:
            if not isinstance(error.__cause__, sa.exc.IntegrityError):
                raise
        # Another process stored one of them between our read and our insert: decide again.
        with self._write(action) as connection:
            return self._add_each(connection, items)

    @staticmethod
    def _add_each(
        connection: sa.Connection, items: Sequence[tuple[Article, neighbours.IndexRows | None]]
    ) -> list[AddOutcome]:
        outcomes: list[AddOutcome] = []
        for article, rows in items:
            outcome = store_article(connection, article)
            if outcome == "added" and rows is not None:
                neighbours.put_neighbour_rows(connection, article.article_id, *rows)
            outcomes.append(outcome)
        return outcomes

    def get_article(self, article_id: str) -> Article | None:
        """Return the stored article `article_id` (its current revision), or None."""
        with self._read(f"reading article {article_id!r}") as connection:
            row = connection.execute(sa.select(articles).where(articles.c.article_id == article_id)).first()
        return article_from_row(row._mapping) if row is not None else None

    def iter_articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]:
        """Yield the stored articles: those of `ids` in that order (unknown ids skipped), or all by id."""
        if ids is not None:
            wanted = list(dict.fromkeys(ids))
            for part in chunks(wanted, ARTICLE_BATCH):
                with self._read("reading articles") as connection:
                    rows = connection.execute(sa.select(articles).where(articles.c.article_id.in_(part)))
                    found = {row.article_id: article_from_row(row._mapping) for row in rows}
                yield from (found[article_id] for article_id in part if article_id in found)
            return
        for batch in self._pages(articles, articles.c.article_id, ARTICLE_BATCH, "reading articles"):
            yield from (article_from_row(row) for row in batch)

    def article_meta(self, ids: Iterable[str] | None = None) -> dict[str, ArticleMeta]:
        """Return the metadata of the articles `ids` (unknown ids left out), or of all articles."""
        columns = [articles.c[name] for name in ArticleMeta.__dataclass_fields__]
        queries = (
            [sa.select(*columns)]
            if ids is None
            else [sa.select(*columns).where(articles.c.article_id.in_(part)) for part in chunks(list(ids))]
        )
        found: dict[str, ArticleMeta] = {}
        with self._read("reading article metadata") as connection:
            for query in queries:
                for row in connection.execute(query).mappings():
                    found[row["article_id"]] = ArticleMeta(**row)
        return found

    def article_revisions(self, article_id: str) -> list[tuple[int, str, dt.datetime]]:
        """Return the superseded texts of `article_id` as (revision, text, stored_at), oldest first.

        The current text is not among them: it is `get_article(article_id).text`.
        """
        query = (
            sa.select(article_revisions.c.revision, article_revisions.c.text, article_revisions.c.stored_at)
            .where(article_revisions.c.article_id == article_id)
            .order_by(article_revisions.c.revision)
        )
        with self._read(f"reading revisions of {article_id!r}") as connection:
            return [(row.revision, row.text, utc(row.stored_at)) for row in connection.execute(query)]

    def set_copy_of(self, article_id: str, original_id: str | None) -> None:
        """Mark `article_id` as a copy of `original_id` (None: not a copy)."""
        if original_id == article_id:
            raise StoreError(f"article {article_id!r} cannot be a copy of itself.")
        with self._write(f"marking {article_id!r} as a copy") as connection:
            done = connection.execute(
                sa.update(articles)
                .where(articles.c.article_id == article_id)
                .values(copy_of=original_id, work=_at_least(articles.c.work, "merge"))
            )
            if done.rowcount == 0:
                raise StoreError(f"no article {article_id!r} in the store.")

    def set_published_estimate(self, article_id: str, published: dt.date | None, basis: str | None) -> None:
        """Store an estimated publication date for an undated article (`basis` says how it was made).

        Only articles whose date is unknown or already estimated are touched: a date read from the
        record or the text is never overwritten. A touched article waits for extraction again: its
        events' dates are read against this one.
        """
        origin = f"estimated:{basis}" if published is not None else None
        with self._write(f"estimating the date of {article_id!r}") as connection:
            connection.execute(
                sa.update(articles)
                .where(articles.c.article_id == article_id)
                .where(sa.or_(articles.c.published.is_(None), articles.c.published_from.like("estimated:%")))
                .values(
                    published=published, published_from=origin, work=_at_least(articles.c.work, "extract")
                )
            )

    # neighbour indexes: stand-in dates and copies without reading the store (store/neighbours.py)

    def put_neighbour_rows(
        self,
        article_id: str,
        terms: Mapping[str, float],
        dated: bool,
        minhash: bytes,
        bands: Sequence[str],
    ) -> None:
        """Replace the article's indexed terms, MinHash and LSH band keys, in one transaction."""
        with self._write(f"indexing article {article_id!r}") as connection:
            neighbours.put_neighbour_rows(connection, article_id, terms, dated, minhash, bands)

    def unindexed_article_ids(self, limit: int = 1000) -> list[str]:
        """Up to `limit` stored articles that have no neighbour rows yet, by id."""
        with self._read("finding articles not yet indexed") as connection:
            return neighbours.unindexed_article_ids(connection, limit)

    def neighbour_scores(
        self,
        article_id: str,
        dated: bool,
        among: Iterable[str] | None = None,
        minimum: float = 0.0,
        limit: int | None = None,
    ) -> dict[str, float]:
        """{other_id: cosine} between `article_id` and the dated (or undated) articles sharing a term
        with it that score at least `minimum` (only those of `among` if given; the `limit` best if given)."""
        with self._read(f"scoring the neighbours of {article_id!r}") as connection:
            return neighbours.neighbour_scores(connection, article_id, dated, among, minimum, limit)

    def own_dates(self, ids: Iterable[str]) -> dict[str, dt.date]:
        """The read (not estimated) publication dates of those of `ids` that have one."""
        with self._read("reading publication dates") as connection:
            return neighbours.own_dates(connection, ids)

    def estimated_from(self, ids: Iterable[str]) -> list[str]:
        """The undated articles whose stand-in date came from one of `ids`."""
        with self._read("finding borrowed dates") as connection:
            return neighbours.estimated_from(connection, ids)

    def copy_candidates(self, band_keys: Sequence[str]) -> set[str]:
        """The articles sharing an LSH band key with `band_keys`."""
        with self._read("finding candidate copies") as connection:
            return neighbours.copy_candidates(connection, band_keys)

    def sketches(self, ids: Iterable[str]) -> dict[str, tuple[dt.date | None, bytes]]:
        """{article_id: (published, MinHash)} for those of `ids` with a stored MinHash."""
        with self._read("reading MinHashes") as connection:
            return neighbours.sketches(connection, ids)

    # pending work (schema.WORK_STATES)

    def pending_work(self) -> dict[str, str]:
        """Return {article_id: "extract" | "merge"} for every article with work left, by article_id."""
        query = (
            sa.select(articles.c.article_id, articles.c.work)
            .where(articles.c.work.in_(("extract", "merge")))
            .order_by(articles.c.article_id)
        )
        with self._read("reading pending work") as connection:
            return {row.article_id: row.work for row in connection.execute(query)}

    def set_work(self, article_ids: Iterable[str], state: str, *, only_from: str | None = None) -> None:
        """Set the work state of `article_ids` to `state` (only of those at `only_from`, if given)."""
        if state not in WORK_STATES:
            raise ValueError(f"unknown work state {state!r}; expected one of {WORK_STATES}")
        with self._write(f"recording work as {state}") as connection:
            for part in chunks(sorted(set(article_ids))):
                update = sa.update(articles).where(articles.c.article_id.in_(part))
                if only_from is not None:
                    update = update.where(articles.c.work == only_from)
                connection.execute(update.values(work=state))

    # runs and rejections

    def start_run(self, sources: Sequence[str]) -> str:
        """Record the start of an ingest run over `sources` and return its id."""
        run_id = uuid.uuid4().hex
        with self._write("starting a run") as connection:
            connection.execute(
                sa.insert(runs).values(run_id=run_id, sources=json.dumps(list(sources)), started_at=now())
            )
        return run_id

    def finish_run(self, run_id: str, counts: Mapping[str, int]) -> None:
        """Record the end of run `run_id` with its tallies (ingested, duplicates, rejected, ...)."""
        with self._write(f"finishing run {run_id}") as connection:
            done = connection.execute(
                sa.update(runs)
                .where(runs.c.run_id == run_id)
                .values(counts=json.dumps(dict(counts)), finished_at=now())
            )
            if done.rowcount == 0:
                raise StoreError(f"no run {run_id!r} in the store.")

    def add_rejections(self, rejected: Iterable[Rejected], run_id: str | None = None) -> int:
        """Store `rejected` (under `run_id` if given) and return how many were stored."""
        created_at = now()
        rows = [
            {
                "run_id": run_id,
                "source": item.source,
                "line": item.line,
                "item_id": item.item_id,
                "stage": item.stage,
                "reason": item.reason,
                "detail": item.detail,
                "created_at": created_at,
            }
            for item in rejected
        ]
        if rows:
            with self._write("storing rejections") as connection:
                connection.execute(sa.insert(rejections), rows)
        return len(rows)

    def list_rejections(self, run_id: str | None = None) -> list[Rejected]:
        """Return the stored rejections (of `run_id` only, if given), oldest first."""
        query = sa.select(rejections).order_by(rejections.c.rejection_id)
        if run_id is not None:
            query = query.where(rejections.c.run_id == run_id)
        with self._read("reading rejections") as connection:
            return [rejected_from_row(row) for row in connection.execute(query).mappings()]

    # mentions

    def replace_mentions(self, article_id: str, new: Sequence[Mention]) -> None:
        """Make `new` the mentions of `article_id`, in one transaction.

        Mentions whose id stays are updated in place, so events citing them keep them; mentions no
        longer present are deleted (and drop out of their events until those are re-merged). The
        search documents of the events citing the article are rebuilt to match. The article's work
        becomes "merge": its blocks wait for `replace_events` (then `set_work(..., "done")`).
        """
        strays = sorted({m.article_id for m in new} - {article_id})
        if strays:
            raise ValueError(f"mentions of {strays} passed as mentions of {article_id!r}")
        keep = {m.mention_id for m in new}
        with self._write(f"storing mentions of {article_id!r}") as connection:
            stored = connection.execute(
                sa.select(mentions.c.mention_id).where(mentions.c.article_id == article_id)
            ).scalars()
            gone = [mention_id for mention_id in stored if mention_id not in keep]
            citing = event_rows.event_ids_citing(connection, article_id)
            for part in chunks(gone):
                connection.execute(sa.delete(mentions).where(mentions.c.mention_id.in_(part)))
            upsert_rows(connection, mentions, [mention_row(m) for m in new], key="mention_id")
            # Mentions stored: the article's blocks are what is left to do (see pending_work).
            connection.execute(
                sa.update(articles).where(articles.c.article_id == article_id).values(work="merge")
            )
            if citing:
                refresh_search(connection, citing)

    def mentions_for_articles(self, ids: Iterable[str]) -> list[Mention]:
        """Return the mentions of the articles `ids`, by mention_id."""
        return self._mentions_where(mentions.c.article_id, ids)

    def mentions_for_blocks(self, keys: Iterable[str]) -> list[Mention]:
        """Return the mentions whose block_key is one of `keys`, by mention_id."""
        return self._mentions_where(mentions.c.block_key, keys)

    def _mentions_where(self, column: sa.Column[Any], values: Iterable[str]) -> list[Mention]:
        """Return the mentions whose `column` is in `values`, by mention_id."""
        found: list[Mention] = []
        with self._read("reading mentions") as connection:
            for part in chunks(sorted(set(values))):
                rows = connection.execute(sa.select(mentions).where(column.in_(part))).mappings()
                found.extend(mention_from_row(row) for row in rows)
        return sorted(found, key=lambda m: m.mention_id)

    def mentions_by_id(self, ids: Iterable[str]) -> list[Mention]:
        """Return the stored mentions of `ids` (unknown ids left out), by mention_id."""
        return self._mentions_where(mentions.c.mention_id, ids)

    def mention_candidates(self, windows: Sequence[Any]) -> list[Mention]:
        """Return the mentions in `windows` (`sitrep.resolve.reach.Window`s), by mention_id."""
        with self._read("reading mentions near new ones") as connection:
            return event_rows.mention_candidates(connection, windows)

    def event_members(self, mention_ids: Iterable[str]) -> dict[str, list[str]]:
        """Return {event_id: its mention ids} for the events citing any of `mention_ids`."""
        with self._read("reading events of mentions") as connection:
            return event_rows.event_members(connection, mention_ids)

    def copy_origins(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Return {article_id: original} for those of `article_ids` stored as copies."""
        found: dict[str, str] = {}
        with self._read("reading copies") as connection:
            for part in chunks(sorted(set(article_ids))):
                query = sa.select(articles.c.article_id, articles.c.copy_of).where(
                    articles.c.article_id.in_(part), articles.c.copy_of.is_not(None)
                )
                found.update({row.article_id: row.copy_of for row in connection.execute(query)})
        return found

    def iter_mentions(self) -> Iterator[Mention]:
        """Yield every stored mention, by mention_id."""
        for batch in self._pages(mentions, mentions.c.mention_id, CHUNK, "reading mentions"):
            yield from (mention_from_row(row) for row in batch)

    # events

    def replace_events(self, block_keys: Iterable[str], new: Sequence[Event]) -> None:
        """Replace every event whose block_key is in `block_keys` by `new`, in one transaction.

        An event of `new` whose id is stored under another block replaces that one too. The events'
        mentions are stored as given (inserted or updated by mention_id); their articles must exist.
        """
        with self._write("storing events") as connection:
            event_rows.write_events(connection, block_keys, new)

    def replace_merged_events(self, event_ids: Iterable[str], new: Sequence[Event]) -> None:
        """Replace the events `event_ids` (and any with the ids of `new`) by `new`, in one transaction:
        the write of `sitrep.resolve.reach`, which names the stored events a merge replaces."""
        with self._write("storing events") as connection:
            event_rows.write_events(connection, (), new, event_ids)

    def get_event(self, event_id: str) -> Event | None:
        """Return the event `event_id` with its mentions and discrepancies, or None."""
        with self._read(f"reading event {event_id!r}") as connection:
            return event_rows.get_event(connection, event_id)

    def query_events(self, query: EventQuery) -> tuple[list[Event], int]:
        """Return the page of events `query` asks for, and how many events match it in all."""
        with self._read("querying events") as connection:
            return event_rows.query_events(connection, query)

    def event_totals(self, query: EventQuery) -> tuple[int, int]:
        """How many events match `query`'s filters and their summed best tolls (one indexed count)."""
        with self._read("counting events") as connection:
            return event_rows.event_totals(connection, query)

    def query_event_summaries(
        self, query: EventQuery, max_articles: int
    ) -> tuple[list[tuple[Event, int]], int, bool]:
        """Like `query_events`, for lists: events with the mentions of their first `max_articles`
        reporting articles only, each with its number of reporting articles (read-only summaries);
        with the total and whether it is exact (False past `query.count_cap`)."""
        with self._read("querying events") as connection:
            return event_rows.query_event_summaries(connection, query, max_articles)

    def iter_events(self) -> Iterator[Event]:
        """Yield every stored event with its mentions, by event_id."""
        after: str | None = None
        while True:
            with self._read("reading events") as connection:
                batch = event_rows.events_after(connection, after)
            if not batch:
                return
            yield from batch
            after = batch[-1].event_id

    def event_ids_for_article(self, article_id: str) -> list[str]:
        """Return the ids of the events that cite a mention of `article_id`, sorted."""
        with self._read(f"reading events of {article_id!r}") as connection:
            return event_rows.event_ids_citing(connection, article_id)

    # facts

    def replace_fact_claims(self, article_id: str, claims: Sequence[FactClaim]) -> None:
        """Make `claims` the fact claims of `article_id`, in one transaction."""
        strays = sorted({c.article_id for c in claims} - {article_id})
        if strays:
            raise ValueError(f"fact claims of {strays} passed as claims of {article_id!r}")
        with self._write(f"storing fact claims of {article_id!r}") as connection:
            connection.execute(sa.delete(fact_claims).where(fact_claims.c.article_id == article_id))
            if claims:
                connection.execute(sa.insert(fact_claims), [fact_claim_row(c) for c in claims])

    def iter_fact_claims(self) -> Iterator[FactClaim]:
        """Yield every stored fact claim, in the order they were stored."""
        for batch in self._pages(fact_claims, fact_claims.c.fact_claim_id, CHUNK, "reading fact claims"):
            yield from (fact_claim_from_row(row) for row in batch)

    # overview

    def stats(self) -> dict[str, Any]:
        """Return counts (articles, revisions, copies, rejections, mentions, events, facts, ...),
        events_by_type, events_by_country, and first_date/last_date of events as ISO text."""
        with self._read("reading stats") as connection:
            return store_stats(connection)

    def _pages(
        self, table: sa.Table, key: sa.Column[Any], size: int, action: str
    ) -> Iterator[list[sa.RowMapping]]:
        """Yield all rows of `table` by `key`, `size` at a time, each page in its own short read."""
        after: Any = None
        while True:
            query = sa.select(table).order_by(key).limit(size)
            if after is not None:
                query = query.where(key > after)
            with self._read(action) as connection:
                rows = list(connection.execute(query).mappings())
            if not rows:
                return
            yield rows
            after = rows[-1][key.name]
