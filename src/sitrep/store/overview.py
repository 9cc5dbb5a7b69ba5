"""What the store holds, in numbers: the data behind `sitrep stats` and `/api/stats`."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from sitrep.model import EXTRACTED_LANGUAGES
from sitrep.store.schema import article_revisions, articles, events, fact_claims, mentions, rejections, runs


def store_stats(connection: sa.Connection) -> dict[str, Any]:
    """Return counts of what is stored, events by type and country, and the span of dates (ISO text)."""

    def count(table: sa.Table, *where: sa.ColumnElement[bool]) -> int:
        query = sa.select(sa.func.count()).select_from(table).where(*where)
        return int(connection.execute(query).scalar_one())

    def tally(column: sa.Column[Any]) -> dict[str, int]:
        n = sa.func.count()
        query = sa.select(column, n).group_by(column).order_by(n.desc(), column)
        return {str(key) if key is not None else "": int(total) for key, total in connection.execute(query)}

    def span(column: sa.Column[Any]) -> tuple[str | None, str | None]:
        low, high = connection.execute(sa.select(sa.func.min(column), sa.func.max(column))).one()
        return (low.isoformat() if low else None, high.isoformat() if high else None)

    first_date, last_date = span(events.c.date)
    first_published, last_published = span(articles.c.published)
    return {
        "articles": count(articles),
        "revisions": count(article_revisions),
        "copies": count(articles, articles.c.copy_of.is_not(None)),
        "samples": count(articles, articles.c.is_sample.is_(True)),
        "runs": count(runs),
        "rejections": count(rejections),
        "mentions": count(mentions),
        "events": count(events),
        "facts": count(fact_claims),
        # Work an interrupted run left (the next `sitrep ingest` or `sitrep resume` finishes it).
        "pending_extract": count(articles, articles.c.work == "extract"),
        "pending_merge": count(articles, articles.c.work == "merge"),
        "failed_articles": count(articles, articles.c.work == "failed"),
        "articles_by_language": tally(articles.c.language),  # "": unknown, or stored before 0006
        # Articles in a language no reader knows yet: stored, not extracted (docs/languages.md).
        "not_extracted": count(
            articles,
            articles.c.language.is_not(None),
            articles.c.language.not_in(sorted(EXTRACTED_LANGUAGES)),
        ),
        "events_by_type": tally(events.c.event_type),
        "events_by_country": tally(events.c.country),
        "first_date": first_date,
        "last_date": last_date,
        "first_published": first_published,
        "last_published": last_published,
    }
