"""Rows that let a run find its new articles' neighbours through indexes, never by reading the store.

Per article: its most distinctive terms (`article_terms`, by term: which dated article is most like
an undated one, and which undated articles a new dated one may be like) and its MinHash with its LSH
band keys (`article_sketches`, `article_bands`: candidate copies). The values are computed by
`sitrep.resolve`; this module only stores and queries them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import sqlalchemy as sa

from sitrep.store.events import chunks
from sitrep.store.schema import article_bands, article_sketches, article_terms, articles

ESTIMATED = "estimated:"
# One article's neighbour rows as `put_neighbour_rows` takes them: (terms, dated, MinHash, band keys).
IndexRows = tuple[Mapping[str, float], bool, bytes, Sequence[str]]


def put_neighbour_rows(
    connection: sa.Connection,
    article_id: str,
    terms: Mapping[str, float],
    dated: bool,
    minhash: bytes,
    bands: Sequence[str],
) -> None:
    """Replace the article's terms, MinHash and band keys (an empty MinHash: a text with no words)."""
    for table in (article_terms, article_sketches, article_bands):
        connection.execute(sa.delete(table).where(table.c.article_id == article_id))
    if terms:
        connection.execute(
            sa.insert(article_terms),
            [{"article_id": article_id, "term": t, "weight": w, "dated": dated} for t, w in terms.items()],
        )
    connection.execute(sa.insert(article_sketches).values(article_id=article_id, minhash=minhash))
    if bands:
        connection.execute(
            sa.insert(article_bands), [{"band_key": key, "article_id": article_id} for key in bands]
        )


def unindexed_article_ids(connection: sa.Connection, limit: int) -> list[str]:
    """Up to `limit` stored articles that have no neighbour rows yet (stored before migration 0003,
    or by a run that stopped before indexing them), by id."""
    query = (
        sa.select(articles.c.article_id)
        .outerjoin(article_sketches, article_sketches.c.article_id == articles.c.article_id)
        .where(article_sketches.c.article_id.is_(None))
        .order_by(articles.c.article_id)
        .limit(limit)
    )
    return list(connection.execute(query).scalars())


def neighbour_scores(
    connection: sa.Connection,
    article_id: str,
    dated: bool,
    among: Iterable[str] | None = None,
    minimum: float = 0.0,
    limit: int | None = None,
) -> dict[str, float]:
    """{other_id: cosine of the two term vectors} between `article_id` and the articles whose own
    date is known (`dated`) or not that share a term with it and score at least `minimum`; only
    those of `among` if given, only the `limit` best (by score, then id) if given. Summed by the
    database over the (term, dated) index."""
    mine, theirs = article_terms.alias("mine"), article_terms.alias("theirs")
    score = sa.func.sum(mine.c.weight * theirs.c.weight)
    query = (
        sa.select(theirs.c.article_id, score)
        .join(theirs, sa.and_(theirs.c.term == mine.c.term, theirs.c.dated == dated))
        .where(mine.c.article_id == article_id, theirs.c.article_id != article_id)
        .group_by(theirs.c.article_id)
        .having(score >= minimum)
    )
    if limit is not None:
        query = query.order_by(score.desc(), theirs.c.article_id).limit(limit)
    parts = (
        [query]
        if among is None
        else [query.where(theirs.c.article_id.in_(p)) for p in chunks(sorted(set(among)))]
    )
    return {other: float(total) for part in parts for other, total in connection.execute(part)}


def own_dates(connection: sa.Connection, ids: Iterable[str]) -> dict[str, dt.date]:
    """The publication dates of those of `ids` whose date was read, not estimated."""
    found: dict[str, dt.date] = {}
    for part in chunks(sorted(set(ids))):
        query = sa.select(articles.c.article_id, articles.c.published).where(
            articles.c.article_id.in_(part),
            articles.c.published.is_not(None),
            sa.or_(articles.c.published_from.is_(None), ~articles.c.published_from.like(f"{ESTIMATED}%")),
        )
        found.update({row.article_id: row.published for row in connection.execute(query)})
    return found


def estimated_from(connection: sa.Connection, ids: Iterable[str]) -> list[str]:
    """The undated articles whose stand-in date was borrowed from one of `ids`."""
    found: list[str] = []
    for part in chunks(sorted(set(ids))):
        query = sa.select(articles.c.article_id).where(
            articles.c.published_from.in_([f"{ESTIMATED}{i}" for i in part])
        )
        found.extend(connection.execute(query).scalars())
    return sorted(found)


def copy_candidates(connection: sa.Connection, bands: Sequence[str]) -> set[str]:
    """The articles sharing at least one LSH band key with `bands`."""
    found: set[str] = set()
    for part in chunks(list(bands)):
        query = sa.select(article_bands.c.article_id).where(article_bands.c.band_key.in_(part)).distinct()
        found.update(connection.execute(query).scalars())
    return found


def sketches(connection: sa.Connection, ids: Iterable[str]) -> dict[str, tuple[dt.date | None, bytes]]:
    """{article_id: (published, MinHash)} for those of `ids` that have a stored MinHash."""
    found: dict[str, tuple[dt.date | None, bytes]] = {}
    for part in chunks(sorted(set(ids))):
        query = (
            sa.select(articles.c.article_id, articles.c.published, article_sketches.c.minhash)
            .join(article_sketches, article_sketches.c.article_id == articles.c.article_id)
            .where(articles.c.article_id.in_(part))
        )
        for row in connection.execute(query):
            found[row.article_id] = (row.published, bytes(row.minhash))
    return found
