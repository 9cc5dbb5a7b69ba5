"""`sitrep watch` polling against a real feed site on loopback, with the clock injected.

Conditional GETs and 304s, per-host politeness, backoff with jitter, Retry-After, 301 rewrites,
410 retirement, slow and oversized answers, re-fetches that store revisions, and state kept in the
store across a restart. Extraction is off here (`extract=False`): the scenario test runs it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from email.utils import format_datetime

import pytest

from sitrep.config import Settings
from sitrep.store import Store
from sitrep.watch.clock import ManualClock
from sitrep.watch.polling import backoff_s, retry_after_s
from sitrep.watch.watcher import Watcher
from tests.watch_servers import FeedSite, Route

START = dt.datetime(2025, 12, 1, 8, 0, tzinfo=dt.UTC)

TEXT_A = [
    "Tajik border guards said on Monday that two men were killed when a patrol came under fire "
    "near a river crossing in Panj district overnight.",
    "The border service said the attackers withdrew across the river after a short exchange.",
]
TEXT_B = [
    "Officials in Dushanbe said on Monday that talks with Afghan representatives on the border "
    "crossings would continue next week.",
    "Neither side gave a date for the next meeting, which the officials said would be held in Dushanbe.",
]
TEXT_C = [
    "A spokesman for the border service said on Tuesday that a drone was seen over a checkpoint in "
    "Khatlon region and that guards fired warning shots.",
]


@pytest.fixture
def site() -> Iterator[FeedSite]:
    server = FeedSite()
    yield server
    server.close()


def settings_for(store: Store, feeds: list[dict[str, object]], **watch: object) -> Settings:
    return Settings(
        database_url=store.url,
        feeds=feeds,
        ingest={"allow_private": True, "timeout_s": 1.0, "max_bytes": 20_000},
        watch={"host_delay_s": 2.0, **watch},
    )


def watcher(store: Store, settings: Settings, clock: ManualClock) -> Watcher:
    return Watcher(store, settings, clock, rng=random.Random(7), extract=False)


def feed_of(store: Store, name: str):  # type: ignore[no-untyped-def]
    return next(f for f in store.list_feeds() if f.name == name)


def test_conditional_get_304_costs_only_the_feed_request(site: FeedSite, store: Store) -> None:
    site.page("/a", "Patrol fired on", TEXT_A)
    site.page("/b", "Talks to continue", TEXT_B)
    site.feed("/feed", "Border news", [("/a", "Patrol fired on", START), ("/b", "Talks to continue", START)])
    clock = ManualClock(START)
    settings = settings_for(store, [{"url": site.base + "/feed", "name": "border", "interval": "15m"}])
    w = watcher(store, settings, clock)
    first = w.run_round()
    assert (first.polling.polled, first.ingest.ingested) == (1, 2)
    assert site.count("/a") == site.count("/b") == 1
    assert clock.slept == [2.0, 2.0]  # each page waited for the host's delay after the request before it
    # nothing due before the interval has passed: no request at all
    clock.advance(60)
    assert w.run_round().polling.polled == 0
    clock.advance(15 * 60)
    second = w.run_round()
    assert (second.polling.polled, second.polling.not_modified, second.ingest.ingested) == (1, 1, 0)
    last_feed_request = [h for p, h in site.hits if p == "/feed"][-1]
    assert last_feed_request["if-none-match"] == site.routes["/feed"].etag
    assert site.count("/a") == 1  # not fetched again
    health = feed_of(store, "border")
    assert (health.polls, health.not_modified, health.articles, health.failures) == (2, 1, 2, 0)
    assert health.next_due_at == START + dt.timedelta(minutes=30)  # on its 15-minute cadence, no drift


def test_only_new_entries_are_fetched_and_host_delay_is_kept(site: FeedSite, store: Store) -> None:
    site.page("/a", "Patrol fired on", TEXT_A)
    site.feed("/feed", "Border news", [("/a", "Patrol fired on", START)])
    clock = ManualClock(START)
    settings = settings_for(store, [{"url": site.base + "/feed", "name": "border", "interval": 600}])
    w = watcher(store, settings, clock)
    w.run_round()
    site.page("/c", "Drone seen", TEXT_C)
    site.feed("/feed", "Border news", [("/c", "Drone seen", START), ("/a", "Patrol fired on", START)])
    clock.advance(600)
    before = list(clock.slept)
    report = w.run_round()
    assert (report.ingest.ingested, site.count("/a"), site.count("/c")) == (1, 1, 1)
    waits = clock.slept[len(before) :]
    assert waits == [2.0]  # the page waited for the feed request's delay


def test_429_retry_after_is_honoured_for_the_host(site: FeedSite, store: Store) -> None:
    site.routes["/busy"] = Route(status=429, body=b"slow down", headers={"Retry-After": "1800"})
    site.feed("/other", "Other", [])
    site.routes[
        "/other"
    ].body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    clock = ManualClock(START)
    feeds = [
        {"url": site.base + "/busy", "name": "busy", "interval": 300},
        {"url": site.base + "/other", "name": "other", "interval": 300},
    ]
    w = watcher(store, settings_for(store, feeds), clock)
    report = w.run_round()
    assert report.polling.throttled == 1
    busy = feed_of(store, "busy")
    assert busy.next_due_at == START + dt.timedelta(seconds=1800)
    assert (busy.last_status, busy.failures) == (429, 1)
    assert site.count("/other") == 0  # same host: held back too, not polled inside the Retry-After
    assert feed_of(store, "other").next_due_at == START + dt.timedelta(seconds=1800)
    clock.advance(600)
    assert w.run_round().polling.polled == 0
    clock.advance(1200)
    site.routes["/busy"] = site.routes["/other"]
    assert w.run_round().polling.polled == 2


def test_301_rewrites_the_url_and_410_retires(site: FeedSite, store: Store) -> None:
    site.page("/a", "Patrol fired on", TEXT_A)
    site.feed("/new-feed", "Border news", [("/a", "Patrol fired on", START)])
    site.routes["/old-feed"] = Route(status=301, headers={"Location": "/new-feed"})
    site.routes["/gone"] = Route(status=410, body=b"gone")
    clock = ManualClock(START)
    feeds = [
        {"url": site.base + "/old-feed", "name": "moved", "interval": 300},
        {"url": site.base + "/gone", "name": "gone", "interval": 300},
    ]
    w = watcher(store, settings_for(store, feeds), clock)
    report = w.run_round()
    assert (report.polling.moved, report.polling.retired, report.ingest.ingested) == (1, 1, 1)
    assert feed_of(store, "moved").url == site.base + "/new-feed"
    assert feed_of(store, "gone").status == "retired"
    clock.advance(301)
    w.run_round()
    assert (site.count("/old-feed"), site.count("/new-feed"), site.count("/gone")) == (1, 2, 1)
    # a restart keeps both: the moved URL and the retirement
    w2 = watcher(store, settings_for(store, feeds), clock)
    clock.advance(301)
    w2.run_round()
    assert (site.count("/old-feed"), site.count("/gone")) == (1, 1)


def test_slow_feed_backs_off_with_jitter_and_recovers(site: FeedSite, store: Store) -> None:
    site.feed("/slow", "Slow", [])
    site.routes["/slow"].delay_s = 1.5  # past the 1 s timeout
    clock = ManualClock(START)
    w = watcher(
        store,
        settings_for(store, [{"url": site.base + "/slow", "name": "slow", "interval": 100}]),
        clock,
    )
    assert w.run_round().polling.failures == 1
    first = feed_of(store, "slow")
    wait = (first.next_due_at - START).total_seconds()
    assert 75 <= wait <= 125
    assert first.failures == 1
    assert "timed_out" in (first.last_error or "")
    clock.current = first.next_due_at
    w.run_round()
    second = feed_of(store, "slow")
    assert 150 <= (second.next_due_at - clock.now()).total_seconds() <= 250
    assert second.failures == 2
    site.routes["/slow"].delay_s = 0
    clock.current = second.next_due_at
    w.run_round()
    assert feed_of(store, "slow").failures == 0


def test_oversized_page_is_rejected_once(site: FeedSite, store: Store) -> None:
    site.routes["/big"] = Route(body=b"<html><body><p>" + b"word " * 10_000 + b"</p></body></html>")
    site.feed("/feed", "Big", [("/big", "A long page", START)])
    clock = ManualClock(START)
    w = watcher(
        store, settings_for(store, [{"url": site.base + "/feed", "name": "big", "interval": 60}]), clock
    )
    report = w.run_round()
    assert [r.reason for r in report.polling.rejected] == ["too_large"]
    assert report.ingest.ingested == 0
    site.feed("/feed", "Big", [("/big", "A long page", START)], etag='"changed"')
    clock.advance(61)
    w.run_round()
    assert site.count("/big") == 1  # seen: not fetched again


def test_refetch_stores_a_revision(site: FeedSite, store: Store) -> None:
    site.page("/a", "Patrol fired on", TEXT_A)
    site.feed("/feed", "Border news", [("/a", "Patrol fired on", START)])
    clock = ManualClock(START)
    w = watcher(
        store,
        settings_for(store, [{"url": site.base + "/feed", "name": "border", "interval": "1d"}]),
        clock,
    )
    w.run_round()
    revised = [TEXT_A[0].replace("two men were killed", "four men were killed"), TEXT_A[1]]
    site.page("/a", "Patrol fired on", revised)
    clock.advance(3600)
    report = w.run_round()
    assert (report.polling.refetched, report.ingest.revisions) == (1, 1)
    article_id = report.ingest.changed[0]
    assert len(store.article_revisions(article_id)) == 1
    assert "four men" in (store.get_article(article_id) or pytest.fail("article lost")).text
    clock.advance(5 * 3600)  # the 6 h re-fetch: unchanged, a duplicate
    report = w.run_round()
    assert (report.polling.refetched, report.ingest.revisions, report.ingest.duplicates) == (1, 0, 1)
    clock.advance(18 * 3600)  # the 24 h one, then none
    assert w.run_round().polling.refetched == 1
    clock.advance(3 * 86400)
    assert w.run_round().polling.refetched == 0


def test_retry_after_and_backoff_values() -> None:
    now = dt.datetime(2025, 12, 1, 8, 0, tzinfo=dt.UTC)
    assert retry_after_s("120", now) == 120
    assert retry_after_s("Mon, 01 Dec 2025 08:10:00 GMT", now) == 600
    assert retry_after_s("soon", now) is None
    rng = random.Random(1)
    waits = [backoff_s(60, n, 3600, rng) for n in range(8)]
    assert 45 <= waits[0] <= 75
    assert all(w <= 3600 * 1.25 for w in waits)
    assert waits[6] >= 3600 * 0.75


def test_an_entry_whose_page_cleaning_rejects_is_seen_once(site: FeedSite, store: Store) -> None:
    site.routes["/empty"] = Route(body=b"<html><body><nav>Home | About</nav></body></html>")
    site.feed("/feed", "Border news", [("/empty", "Nothing here", START)])
    clock = ManualClock(START)
    w = watcher(
        store, settings_for(store, [{"url": site.base + "/feed", "name": "border", "interval": 60}]), clock
    )
    report = w.run_round()
    assert report.ingest.ingested == 0
    assert [r.reason for r in report.ingest.rejections] == ["no_article"]
    site.feed("/feed", "Border news", [("/empty", "Nothing here", START)], etag='"changed"')
    clock.advance(61)
    w.run_round()
    assert site.count("/empty") == 1  # seen, with no article: not fetched again


def test_503_with_an_http_date_retry_after(site: FeedSite, store: Store) -> None:
    until = START + dt.timedelta(minutes=45)
    site.routes["/down"] = Route(
        status=503, body=b"maintenance", headers={"Retry-After": format_datetime(until, usegmt=True)}
    )
    clock = ManualClock(START)
    w = watcher(
        store, settings_for(store, [{"url": site.base + "/down", "name": "down", "interval": 60}]), clock
    )
    assert w.run_round().polling.throttled == 1
    assert feed_of(store, "down").next_due_at == until
    assert (feed_of(store, "down").last_status, feed_of(store, "down").last_error) == (503, "HTTP 503")


def test_run_keeps_going_until_stopped_and_sleeps_until_the_next_due_feed(
    site: FeedSite, store: Store
) -> None:
    site.feed("/feed", "Quiet", [])
    clock = ManualClock(START)
    rounds: list[object] = []
    w = Watcher(
        store,
        settings_for(store, [{"url": site.base + "/feed", "name": "quiet", "interval": "5m"}]),
        clock,
        rng=random.Random(1),
        extract=False,
        should_stop=lambda: len(rounds) >= 3,
    )
    w.run(on_round=rounds.append)
    assert len(rounds) == 3
    assert site.count("/feed") == 3
    assert clock.slept == [300.0, 300.0]  # slept until the feed was due, twice: no busy loop


def test_last_modified_alone_makes_the_get_conditional(site: FeedSite, store: Store) -> None:
    site.page("/a", "Patrol fired on", TEXT_A)
    site.feed("/feed", "Border news", [("/a", "Patrol fired on", START)])
    route = site.routes["/feed"]
    route.etag, route.last_modified = None, "Mon, 01 Dec 2025 07:00:00 GMT"
    clock = ManualClock(START)
    w = watcher(
        store, settings_for(store, [{"url": site.base + "/feed", "name": "lm", "interval": 60}]), clock
    )
    w.run_round()
    clock.advance(60)
    assert w.run_round().polling.not_modified == 1
    last = [h for p, h in site.hits if p == "/feed"][-1]
    assert last["if-modified-since"] == "Mon, 01 Dec 2025 07:00:00 GMT"
    assert "if-none-match" not in last
