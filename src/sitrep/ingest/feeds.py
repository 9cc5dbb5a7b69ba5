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


def read_feed(data: bytes, source: str, fetch_article: FetchArticle) -> Iterator[RawArticle | Rejected]:
    """Yield one RawArticle (or Rejected) per entry of the feed in `data`."""
    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f"not a readable feed ({problem})" if problem else "the feed has no entries"
        yield reject(source, "invalid_feed" if problem else "no_text", detail)
        return
    feed_title = parsed.feed.get("title") or None
    for number, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link")
        title = entry.get("title") or None
        outlet = (entry.get("source") or {}).get("title") or feed_title
        published = _entry_date(entry)
        body = _entry_body(entry)
        fetched: RawArticle | Rejected | None = None
        if link:
            fetched = fetch_article(link, source)
            if isinstance(fetched, RawArticle):
                yield RawArticle(
                    source=fetched.source,
                    article_id=fetched.article_id,
                    url=fetched.url,
                    outlet=outlet,
                    published=published,
                    title=title,
                    text=fetched.text,
                    html=fetched.html,
                )
                continue
        if body is None:
            if isinstance(fetched, Rejected):
                yield fetched
            else:
                yield reject(source, "no_text", f"entry {number} has no link and no content")
            continue
        why = (
            f"link {link} failed: {fetched.reason}: {fetched.detail}"
            if isinstance(fetched, Rejected)
            else "no link"
        )
        logger.warning("%s: entry %d: %s; using the feed's own content instead", source, number, why)
        yield RawArticle(
            source=source,
            article_id=url_article_id(link) if link else f"{source}#{number}",
            url=link,
            outlet=outlet,
            published=published,
            title=title,
            text=_html_to_text(body),
        )


def _html_to_text(fragment: str) -> str:
    """Return the text of a feed's content or summary fragment, one block per line."""
    return html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", fragment))).strip()
