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
) -> list[str]:
    """Replace the article's terms, MinHash and band keys (an empty MinHash: a text with no words);
    return the terms it had before and has no longer (their counts fell: see `term_counts`)."""
    before = connection.execute(
        sa.select(article_terms.c.term).where(article_terms.c.article_id == article_id)
    ).scalars()
    dropped = sorted(set(before) - set(terms))
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
    return dropped


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
    common: int | None = None,
) -> dict[str, float]:
    """{other_id: cosine of the two term vectors} between `article_id` and the articles whose own
    date is known (`dated`) or not that share a term with it and score at least `minimum`; only
    those of `among` if given, only the `limit` best (by score, then id) if given. A term more than
    `common` articles hold counts for none (`dating.MAX_TERM_ARTICLES`; None: every term counts).
    Summed by the database over the (term, dated) index; whether a term is that common costs at most
    `common` index steps."""
    mine, theirs = article_terms.alias("mine"), article_terms.alias("theirs")
    score = sa.func.sum(mine.c.weight * theirs.c.weight)
    query = (
        sa.select(theirs.c.article_id, score)
        .join(theirs, sa.and_(theirs.c.term == mine.c.term, theirs.c.dated == dated))
        .where(mine.c.article_id == article_id, theirs.c.article_id != article_id)
        .group_by(theirs.c.article_id)
        .having(score >= minimum)
    )
    if common is not None:
        other = article_terms.alias("other")
        beyond = sa.select(sa.literal(1)).where(other.c.term == mine.c.term).limit(1).offset(common)
        query = query.where(~beyond.correlate(mine).exists())
    if limit is not None:
        query = query.order_by(score.desc(), theirs.c.article_id).limit(limit)
    parts = (
        [query]
        if among is None
        else [query.where(theirs.c.article_id.in_(p)) for p in chunks(sorted(set(among)))]
    )
    return {other: float(total) for part in parts for other, total in connection.execute(part)}


def article_term_lists(connection: sa.Connection, ids: Iterable[str]) -> dict[str, list[str]]:
    """{article_id: its indexed terms} for those of `ids` that have any."""
    found: dict[str, list[str]] = {}
    for part in chunks(sorted(set(ids))):
        query = sa.select(article_terms.c.article_id, article_terms.c.term).where(
            article_terms.c.article_id.in_(part)
        )
        for row in connection.execute(query):
            found.setdefault(row.article_id, []).append(row.term)
    return found


# Terms per statement of `term_counts` (a UNION ALL of one bounded count each; SQLite allows 500).
COUNT_TERMS = 400


def term_counts(connection: sa.Connection, terms: Iterable[str], cap: int) -> dict[str, int]:
    """{term: how many indexed articles hold it, up to `cap`} for each of `terms`: at most `cap`
    index steps a term, however many hold it. Written as text: SQLAlchemy took longer to compile a
    union of 400 selects than the database to run it."""
    found: dict[str, int] = {}
    for part in chunks(sorted(set(terms)), COUNT_TERMS):
        one = (
            "SELECT CAST(:t{k} AS TEXT) AS term, count(*) AS n"
            " FROM (SELECT 1 FROM article_terms WHERE term = :t{k} LIMIT :cap) AS h{k}"
        )
        query = sa.text(" UNION ALL ".join(one.format(k=k) for k in range(len(part))))
        params: dict[str, object] = {f"t{k}": term for k, term in enumerate(part)}
        for row in connection.execute(query, {**params, "cap": cap}):
            found[row.term] = int(row.n)
    return found


def undated_with_terms(connection: sa.Connection, terms: Iterable[str]) -> list[str]:
    """The articles whose own date is unknown that hold any of `terms`, by id."""
    found: set[str] = set()
    for part in chunks(sorted(set(terms))):
        query = sa.select(article_terms.c.article_id).where(
            article_terms.c.term.in_(part),
            article_terms.c.dated == False,  # noqa: E712 (SQL)
        )
        found.update(connection.execute(query).scalars())
    return sorted(found)


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
