"""Read RSS/Atom feeds: each entry's link is fetched (safely); its date, title and source are metadata.

When an entry's link cannot be fetched but the entry carries content or a summary, that text is used
instead and a warning says so; with neither, the entry becomes one Rejected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import feedparser

from sitrep.ingest.files import reject
from sitrep.model import RawArticle, Rejected

logger = logging.getLogger(__name__)

_FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S | re.I)
_BLOCK_END = re.compile(r"</(?:p|div|h\d|li|article)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
# Fetch one URL: a RawArticle for an HTML page, or the Rejected that says why not.
FetchArticle = Callable[[str, str], RawArticle | Rejected]


def looks_like_feed(data: bytes) -> bool:
    """Return True when the bytes start like an RSS, Atom or RDF document."""
    return bool(_FEED_START.match(data[:4096]))


def url_article_id(url: str) -> str:
    """Return the short stable id of an article known only by its URL: 'url-' + 12 hex of sha1."""
    return "url-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]


def _entry_date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    return None


def _entry_body(entry: Any) -> str | None:
    contents = entry.get("content") or []
    for content in contents:
        if content.get("value", "").strip():
            return str(content["value"])
    summary = entry.get("summary", "")
    return str(summary) if summary.strip() else None


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: its link and metadata, and its own content or summary (None if empty).

    `key` identifies the entry across polls: its id (guid), else its link, else its position.
    """

    number: int
    key: str
    link: str | None
    title: str | None
    outlet: str | None
    published: dt.date | None
    body: str | None


def feed_entries(data: bytes, source: str) -> list[FeedEntry] | Rejected:
    """The entries of the feed in `data`, or the Rejected that says why it cannot be read."""
    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f"not a readable feed ({problem})" if problem else "the feed has no entries"
        return reject(source, "invalid_feed" if problem else "no_text", detail)
    feed_title = parsed.feed.get("title") or None
    found = []
    for number, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link") or None
        found.append(
            FeedEntry(
                number=number,
                key=str(entry.get("id") or link or f"{source}#{number}"),
                link=link,
                title=entry.get("title") or None,
                outlet=(entry.get("source") or {}).get("title") or feed_title,
                published=_entry_date(entry),
                body=_entry_body(entry),
            )
        )
    return found


def entry_article(
    entry: FeedEntry, source: str, fetched: RawArticle | Rejected | None
) -> RawArticle | Rejected:
    """The article of `entry`: its fetched page (`fetched`) with the entry's metadata, else the
    entry's own content (a warning says so), else the Rejected that says why there is none."""
    if isinstance(fetched, RawArticle):
        return replace(fetched, outlet=entry.outlet, published=entry.published, title=entry.title)
    if entry.body is None:
        if isinstance(fetched, Rejected):
            return fetched
        return reject(source, "no_text", f"entry {entry.number} has no link and no content")
    why = (
        f"link {entry.link} failed: {fetched.reason}: {fetched.detail}"
        if isinstance(fetched, Rejected)
        else "no link"
    )
    logger.warning("%s: entry %d: %s; using the feed's own content instead", source, entry.number, why)
    return RawArticle(
        source=source,
        article_id=url_article_id(entry.link) if entry.link else f"{source}#{entry.number}",
        url=entry.link,
        outlet=entry.outlet,
        published=entry.published,
        title=entry.title,
        text=_html_to_text(entry.body),
    )


def read_feed(data: bytes, source: str, fetch_article: FetchArticle) -> Iterator[RawArticle | Rejected]:
    """Yield one RawArticle (or Rejected) per entry of the feed in `data`."""
    entries = feed_entries(data, source)
    if isinstance(entries, Rejected):
        yield entries
        return
    for entry in entries:
        fetched = fetch_article(entry.link, source) if entry.link else None
        yield entry_article(entry, source, fetched)


def _html_to_text(fragment: str) -> str:
    """Return the text of a feed's content or summary fragment, one block per line."""
    return html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", fragment))).strip()
