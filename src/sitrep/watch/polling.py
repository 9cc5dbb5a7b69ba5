"""Poll feeds politely and fetch their new entries' articles; re-fetch recent articles for revisions.

Per poll: a conditional GET (If-None-Match / If-Modified-Since from the stored ETag and
Last-Modified), so an unchanged feed costs one 304 and nothing else. Requests to one host are
spaced by `watch.host_delay_s`. A 429 or 503 is honoured: the feed (and every feed on its host)
waits for Retry-After. Other failures back off: the interval doubles with each failure in a row,
up to `watch.max_backoff_s`, with +-25% jitter so feeds that failed together do not retry together.
A 301 or 308 moves the stored URL; a 410 retires the feed. Only entries not seen before are
fetched (at most `watch.max_new_per_poll` per poll); each is marked seen once its article is
stored, so a killed watcher fetches again what it had not stored, and nothing twice.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from sitrep.config import FeedConfig, Settings
from sitrep.ingest.feeds import entry_article, feed_entries
from sitrep.ingest.http import fetch_conditional, make_client
from sitrep.ingest.sources import fetch_page
from sitrep.model import Article, RawArticle, Rejected
from sitrep.store import Store
from sitrep.store.watch import FeedState
from sitrep.watch.clock import Clock

log = logging.getLogger(__name__)

# Reasons a page fetch may succeed if tried again later: the entry is not marked seen.
TRANSIENT = frozenset({"unreachable", "timed_out", "http_error"})


def retry_after_s(value: str | None, now: dt.datetime) -> float | None:
    """Seconds a Retry-After header asks for (delta seconds or an HTTP date); None if absent or bad."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max((when - now).total_seconds(), 0.0)


def backoff_s(interval_s: float, failures: int, max_backoff_s: float, rng: random.Random) -> float:
    """The wait after `failures` failures in a row: the interval doubled per failure, capped, +-25%."""
    base = min(max_backoff_s, interval_s * 2.0 ** max(failures, 0))
    return base * rng.uniform(0.75, 1.25)


def host_of(url: str) -> str:
    """The host (and port) a URL's requests go to, for politeness."""
    return urlsplit(url).netloc.lower()


class HostPacer:
    """Spaces requests to one host by `delay_s`, and holds a host back after a Retry-After."""

    def __init__(self, clock: Clock, delay_s: float) -> None:
        self.clock = clock
        self.delay_s = delay_s
        self.last: dict[str, dt.datetime] = {}
        self.held_until: dict[str, dt.datetime] = {}

    def wait_for(self, url: str) -> None:
        """Sleep until a request to `url`'s host is polite, then note it as made."""
        host = host_of(url)
        if (last := self.last.get(host)) is not None:
            left = (last + dt.timedelta(seconds=self.delay_s) - self.clock.now()).total_seconds()
            if left > 0:
                self.clock.sleep(left)
        self.last[host] = self.clock.now()

    def hold(self, url: str, until: dt.datetime) -> None:
        """No request to `url`'s host before `until` (it said Retry-After)."""
        host = host_of(url)
        self.held_until[host] = max(until, self.held_until.get(host, until))

    def held(self, url: str) -> dt.datetime | None:
        """Until when `url`'s host is held back, if it is now."""
        until = self.held_until.get(host_of(url))
        return until if until is not None and until > self.clock.now() else None


@dataclass
class RoundCounts:
    """What one round of polling did."""

    polled: int = 0
    not_modified: int = 0
    new_entries: int = 0
    refetched: int = 0
    failures: int = 0
    throttled: int = 0  # 429 / 503 answers honoured
    moved: int = 0
    retired: int = 0
    rejected: list[Rejected] = field(default_factory=list)


@dataclass(frozen=True)
class _Pending:
    """An article handed to the pipeline, and what to record once it is stored."""

    feed_id: str
    entry_key: str
    link: str | None
    refetches: int | None = None  # set for a re-fetch: how many were done before this one
    first_seen_at: dt.datetime | None = None


class Poller:
    """Polls the configured feeds of `settings` against `store`, on `clock`."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Clock,
        *,
        rng: random.Random | None = None,
        client: httpx.Client | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.rng = rng or random.Random()
        self.client = client or make_client(settings.ingest)
        self.should_stop = should_stop
        self.pacer = HostPacer(clock, settings.watch.host_delay_s)
        self.pending: dict[str, _Pending] = {}
        self.feed_ids = [feed.feed_id() for feed in settings.feeds]
        store.sync_feeds(
            [(f.feed_id(), f.name or _default_name(f), f.url, round(f.interval)) for f in settings.feeds],
            clock.now(),
        )

    def close(self) -> None:
        self.client.close()

    # a round

    def articles(self, counts: RoundCounts) -> Iterator[RawArticle | Rejected]:
        """Yield the articles of every due feed's new entries, then the re-fetches due; stop early
        (between articles) once `should_stop()` says so."""
        for feed in self.store.due_feeds(self.clock.now(), self.feed_ids):
            if self.should_stop():
                return
            yield from self._poll(feed, counts)
        yield from self._refetch(counts)

    def stored(self, article: Article, _outcome: str) -> None:
        """Called by the pipeline after an article's transaction: mark its entry seen (or re-fetched)."""
        pending = self.pending.pop(article.article_id, None)
        if pending is None:
            return
        self._record(pending, article.article_id)

    def rejected(self, bad: Rejected) -> None:
        """Called by the pipeline for each rejection: an entry whose article cleaning rejected is
        seen all the same (it would be rejected again), with no article."""
        pending = self.pending.pop(bad.item_id, None) if bad.item_id else None
        if pending is not None:
            self._record(pending, None)

    def _record(self, pending: _Pending, article_id: str | None) -> None:
        now = self.clock.now()
        steps = self.settings.watch.refetch_after
        if pending.refetches is None:
            first = dt.timedelta(seconds=steps[0]) if steps else None
            self.store.add_feed_entry(
                pending.feed_id,
                pending.entry_key,
                pending.link,
                article_id,
                now,
                now + first if first is not None and article_id is not None else None,
            )
            return
        done = pending.refetches + 1
        seen = pending.first_seen_at or now
        next_at = seen + dt.timedelta(seconds=steps[done]) if done < len(steps) else None
        self.store.set_refetch(pending.feed_id, pending.entry_key, done, next_at)

    # one feed

    def _poll(self, feed: FeedState, counts: RoundCounts) -> Iterator[RawArticle | Rejected]:
        now = self.clock.now()
        if (held := self.pacer.held(feed.url)) is not None:
            self.store.update_feed(feed.feed_id, next_due_at=held)
            return
        self.pacer.wait_for(feed.url)
        got = fetch_conditional(
            feed.url, self.settings.ingest, self.client, etag=feed.etag, last_modified=feed.last_modified
        )
        now = self.clock.now()
        counts.polled += 1
        self.store.count_feed(feed.feed_id, polls=1)
        if isinstance(got, Rejected):
            counts.failures += 1
            self._failed(feed, None, f"{got.reason}: {got.detail}", now)
            return
        values: dict[str, object] = {"last_polled_at": now, "last_status": got.status}
        if got.moved_to and got.moved_to != feed.url:
            counts.moved += 1
            values["url"] = got.moved_to
            log.info("feed %s moved permanently to %s", feed.name, got.moved_to)
        if got.status == 304:
            counts.not_modified += 1
            self.store.count_feed(feed.feed_id, not_modified=1)
            self._ok(feed, values, now)
            return
        if got.status == 410:
            counts.retired += 1
            log.warning("feed %s is gone (410): retired", feed.name)
            self.store.update_feed(feed.feed_id, status="retired", last_error="HTTP 410 Gone", **values)
            return
        if got.status in (429, 503):
            counts.throttled += 1
            wait = retry_after_s(got.headers.get("retry-after"), now)
            until = None if wait is None else now + dt.timedelta(seconds=wait)
            if until is not None:
                self.pacer.hold(got.url, until)
            self._failed(feed, got.status, f"HTTP {got.status}", now, until=until)
            return
        if got.status >= 400:
            counts.failures += 1
            self._failed(feed, got.status, f"HTTP {got.status} from {got.url}", now)
            return
        entries = feed_entries(got.content, feed.url)
        if isinstance(entries, Rejected) and entries.reason == "no_text":
            entries = []  # a readable feed with no entries (yet)
        if isinstance(entries, Rejected):
            counts.failures += 1
            counts.rejected.append(entries)
            self._failed(feed, got.status, f"{entries.reason}: {entries.detail}", now)
            return
        seen = self.store.seen_entries(feed.feed_id, [e.key for e in entries])
        fresh = [e for e in entries if e.key not in seen][: self.settings.watch.max_new_per_poll]
        complete = len(fresh) == len([e for e in entries if e.key not in seen])
        for entry in fresh:
            if self.should_stop():
                # stopped mid-feed: the feed stays due, so the next start fetches the rest at once
                self.store.update_feed(feed.feed_id, **values)
                return
            page: RawArticle | Rejected | None = None
            if entry.link:
                self.pacer.wait_for(entry.link)
                page = fetch_page(entry.link, self.settings.ingest, self.client)
            article = entry_article(entry, feed.url, page)
            pending = _Pending(feed.feed_id, entry.key, entry.link)
            if isinstance(article, Rejected):
                if isinstance(page, Rejected) and page.reason in TRANSIENT:
                    complete = False  # try this entry again at the next poll: keep no validators
                else:
                    self._record(pending, None)
                counts.rejected.append(article)
                yield article
                continue
            counts.new_entries += 1
            if article.article_id:
                self.pending[article.article_id] = pending
            yield article
        if complete:
            values.update(etag=got.headers.get("etag"), last_modified=got.headers.get("last-modified"))
        self._ok(feed, values, self.clock.now())

    def _ok(self, feed: FeedState, values: dict[str, object], now: dt.datetime) -> None:
        # The cadence keeps to the schedule, not to when the poll ended (politeness delays and page
        # fetches would make it drift later every time); an overdue feed starts afresh from now.
        interval = dt.timedelta(seconds=feed.interval_s)
        due = feed.next_due_at + interval if feed.failures == 0 else now + interval
        if due <= now:
            due = now + interval
        self.store.update_feed(feed.feed_id, failures=0, last_error=None, next_due_at=due, **values)

    def _failed(
        self,
        feed: FeedState,
        status: int | None,
        error: str,
        now: dt.datetime,
        until: dt.datetime | None = None,
    ) -> None:
        failures = feed.failures + 1
        wait = backoff_s(feed.interval_s, feed.failures, self.settings.watch.max_backoff_s, self.rng)
        due = now + dt.timedelta(seconds=wait)
        if until is not None:
            due = until  # Retry-After says when, exactly
        log.warning("feed %s: %s (%d in a row); next poll %s", feed.name, error, failures, due.isoformat())
        self.store.update_feed(
            feed.feed_id,
            failures=failures,
            last_status=status,
            last_error=error,
            last_polled_at=now,
            next_due_at=due,
        )

    # re-fetches

    def _refetch(self, counts: RoundCounts) -> Iterator[RawArticle | Rejected]:
        for due in self.store.due_refetches(self.clock.now()):
            if self.should_stop():
                return
            pending = _Pending(due.feed_id, due.entry_key, due.link, due.refetches, due.first_seen_at)
            self.pacer.wait_for(due.link)
            page = fetch_page(due.link, self.settings.ingest, self.client)
            counts.refetched += 1
            if isinstance(page, Rejected):
                # try again at the next step (or never, after the last)
                log.info("re-fetch of %s: %s", due.link, page.message())
                self._record(pending, None)
                continue
            if page.article_id:
                self.pending[page.article_id] = pending
            yield page


def _default_name(feed: FeedConfig) -> str:
    parts = urlsplit(feed.url)
    return (parts.netloc + parts.path).rstrip("/") or feed.url
