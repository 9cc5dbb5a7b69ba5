"""Writing one article: added, a duplicate of what is stored, or a new revision of a stored one."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Literal

import sqlalchemy as sa

from sitrep.model import Article
from sitrep.store.codec import article_row
from sitrep.store.schema import article_revisions, articles

log = logging.getLogger(__name__)

AddOutcome = Literal["added", "duplicate", "revision"]
# Metadata a revision takes from the newer copy when it has a value (the texts always come from it).
REVISED_FIELDS = (
    "outlet", "published", "published_from", "outlet_from", "title", "source", "copy_of", "language",
)  # fmt: skip


def store_article(connection: sa.Connection, article: Article) -> AddOutcome:
    """Store `article` on `connection` (inside the caller's transaction) and say what happened.

    duplicate: the stored article with the same id, or else the same url, has the same content
    hash, or any stored article has it (a re-post under another id). revision: that article's text
    differs; the old text moves to article_revisions. added: otherwise. An added or revised article
    waits for extraction (work "extract", see schema.WORK_STATES).
    """
    digest = article.content_hash
    columns = (articles.c.article_id, articles.c.content_hash)
    row = connection.execute(sa.select(*columns).where(articles.c.article_id == article.article_id)).first()
    if row is None and article.url:
        by_url = sa.select(*columns).where(articles.c.url == article.url).order_by(articles.c.stored_at)
        row = connection.execute(by_url.limit(1)).first()
    if row is not None:
        if row.content_hash == digest:
            return "duplicate"
        _revise(connection, row.article_id, article)
        return "revision"
    same_text = sa.select(articles.c.article_id).where(articles.c.content_hash == digest).limit(1)
    if connection.execute(same_text).first() is not None:
        return "duplicate"
    connection.execute(
        sa.insert(articles).values(
            **article_row(article), content_hash=digest, revision=1, stored_at=now(), work="extract"
        )
    )
    return "added"


def now() -> dt.datetime:
    """Return the current time, tz-aware UTC."""
    return dt.datetime.now(dt.UTC)


def _revise(connection: sa.Connection, article_id: str, article: Article) -> None:
    """Move the stored text of `article_id` to article_revisions and store `article`'s text."""
    kept = ("article_id", "revision", "url", "title", "raw_text", "text", "content_hash", "stored_at")
    current = sa.select(*(articles.c[name] for name in kept)).where(articles.c.article_id == article_id)
    connection.execute(sa.insert(article_revisions).from_select(kept, current))
    values: dict[str, Any] = {
        "raw_text": article.raw_text,
        "text": article.text,
        "content_hash": article.content_hash,
        "revision": articles.c.revision + 1,
        "stored_at": now(),
        "work": "extract",
    }
    values.update({name: getattr(article, name) for name in REVISED_FIELDS if getattr(article, name)})
    connection.execute(sa.update(articles).where(articles.c.article_id == article_id).values(**values))
    log.info("article %s revised (from %s)", article_id, article.source or article.url)
