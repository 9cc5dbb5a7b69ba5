"""Turn the sources a user names (files, folders, URLs) into RawArticles, and problems into Rejected.

Formats by extension, then by sniffing: .jsonl/.json (corpus JSON Lines), .txt, .html/.htm,
.xml/.rss/.atom (feeds; each entry's link fetched). Folders are walked recursively in name order;
inside a folder, files of other types and hidden files are skipped (logged), while an unsupported file
named explicitly is rejected (`unsupported_format`). Never raises for a bad input.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx

from sitrep.config import IngestConfig
from sitrep.ingest.feeds import looks_like_feed, read_feed, url_article_id
from sitrep.ingest.files import decode_bytes, from_bom, read_html_file, read_jsonl, read_text_file, reject
from sitrep.ingest.http import Fetched, fetch, make_client
from sitrep.model import RawArticle, Rejected

logger = logging.getLogger(__name__)

_JSONL = frozenset({".jsonl", ".json", ".ndjson"})
_TEXT = frozenset({".txt"})
_HTML = frozenset({".html", ".htm"})
_FEED = frozenset({".xml", ".rss", ".atom"})
_SUPPORTED = _JSONL | _TEXT | _HTML | _FEED
_URL = re.compile(r"^https?://", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_HTML_START = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body)", re.I)
_FEED_TYPES = ("xml", "rss", "atom")
# Bytes read to sniff an unknown file's type.
_SNIFF_BYTES = 4096


def read_sources(sources: Sequence[str], config: IngestConfig) -> Iterator[RawArticle | Rejected]:
    """Yield a RawArticle for every article found in `sources` and a Rejected for every bad input."""
    with make_client(config) as client:
        reader = _Reader(config, client)
        for source in sources:
            yield from reader.read(source)


def count_records(sources: Sequence[str]) -> int | None:
    """How many records `read_sources` will yield, where that can be known without reading them.

    A JSON Lines file yields one record per non-blank line, a text or HTML file one; a feed, a URL
    or a JSON array cannot be counted before it is read, so any of them makes the total unknown (None).
    """
    total = 0
    for source in sources:
        if _SCHEME.match(source):
            return None
        path = Path(source)
        files = sorted(c for c in path.rglob("*") if c.is_file()) if path.is_dir() else [path]
        for file in files:
            if path.is_dir() and (
                any(part.startswith(".") for part in file.relative_to(path).parts)
                or file.suffix.lower() not in _SUPPORTED
            ):
                continue
            counted = _count_file(file)
            if counted is None:
                return None
            total += counted
    return total


def _count_file(path: Path) -> int | None:
    suffix = path.suffix.lower()
    if suffix in _TEXT | _HTML:
        return 1
    if suffix not in _JSONL:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return 1  # read_sources rejects it: one record
    if data.lstrip()[:1] == b"[":
        return None  # a JSON array: its records are counted only when it is parsed
    return sum(1 for line in data.splitlines() if line.strip()) or 1


def fetch_page(url: str, config: IngestConfig, client: httpx.Client) -> RawArticle | Rejected:
    """Fetch one article page (safely, under `config`'s limits): a RawArticle or why not."""
    return _Reader(config, client).fetch_article(url, url)


class _Reader:
    """Reads sources with one HTTP client shared by URLs and feed entries."""

    def __init__(self, config: IngestConfig, client: httpx.Client) -> None:
        self.config = config
        self.client = client

    def read(self, source: str) -> Iterator[RawArticle | Rejected]:
        if _URL.match(source):
            yield from self.read_url(source)
        elif _SCHEME.match(source):
            yield reject(source, "unsupported_format", "only http(s) URLs and local paths can be read")
        else:
            yield from self.read_path(Path(source), explicit=True)

    def read_path(self, path: Path, explicit: bool) -> Iterator[RawArticle | Rejected]:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if not child.is_file():
                    continue
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                if child.suffix.lower() not in _SUPPORTED:
                    logger.info("skipping %s: not an article file type", child)
                    continue
                yield from self.read_path(child, explicit=False)
            return
        if not path.exists():
            yield reject(str(path), "not_found", "no such file or folder")
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield reject(str(path), "unreadable", f"cannot read the file ({exc.strerror})")
            return
        yield from self.read_file(path, data, explicit)

    def read_file(self, path: Path, data: bytes, explicit: bool) -> Iterator[RawArticle | Rejected]:
        source = str(path)
        data = from_bom(data)  # UTF-16/32 with a byte-order mark: read as UTF-8 from here on
        if not data.strip():
            yield reject(source, "empty_file", "the file is empty")
            return
        if b"\x00" in data[:_SNIFF_BYTES]:
            yield reject(source, "binary_file", "contains NUL bytes: not a text file")
            return
        suffix = path.suffix.lower()
        if suffix in _JSONL:
            yield from read_jsonl(data, source)
        elif suffix in _TEXT:
            yield read_text_file(data, path)
        elif suffix in _HTML or (suffix not in _FEED and _HTML_START.match(data[:_SNIFF_BYTES])):
            yield read_html_file(data, path)
        elif suffix in _FEED or looks_like_feed(data):
            yield from read_feed(data, source, self.fetch_article)
        elif explicit:
            yield reject(source, "unsupported_format", f"cannot read {suffix or 'extension-less'} files; "
                         "use .jsonl, .json, .txt, .html or an RSS/Atom feed")  # fmt: skip

    def read_url(self, url: str) -> Iterator[RawArticle | Rejected]:
        got = fetch(url, self.config, self.client)
        if isinstance(got, Rejected):
            yield got
            return
        if any(kind in got.content_type for kind in _FEED_TYPES) or looks_like_feed(got.content):
            yield from read_feed(got.content, got.url, self.fetch_article)
            return
        yield self._page(got, url)

    def fetch_article(self, url: str, via: str) -> RawArticle | Rejected:
        """Fetch one article page (a feed entry's link); `via` is the feed it came from, for logs."""
        got = fetch(url, self.config, self.client)
        if isinstance(got, Rejected):
            logger.info("%s: entry link %s: %s", via, url, got.reason)
            return got
        return self._page(got, url)

    def _page(self, got: Fetched, requested: str) -> RawArticle | Rejected:
        text = decode_bytes(got.content, requested, got.charset)
        if isinstance(text, Rejected):
            return text
        article_id = url_article_id(got.url)
        if got.content_type.startswith("text/plain"):
            return RawArticle(source=requested, article_id=article_id, url=got.url, text=text)
        if (
            got.content_type
            and "html" not in got.content_type
            and not _HTML_START.match(got.content[:_SNIFF_BYTES])
        ):
            return reject(
                requested, "unsupported_format", f"content type {got.content_type} is not HTML or a feed"
            )
        return RawArticle(source=requested, article_id=article_id, url=got.url, html=text)
