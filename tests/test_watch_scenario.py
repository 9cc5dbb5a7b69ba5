"""A scripted scenario: 3 feeds over 12 polling rounds, 30 simulated minutes apart, with a `sitrep watch`
subprocess killed (-9) in the middle of a round and started again.

What the feed site does, round by round (all on one loopback host, so politeness applies):

| round | border (feed A) | region (feed B) | valley (feed C, configured at a URL that 301s) |
|---|---|---|---|
| 0 | a1 (clash, 2 killed), a2 | b1 | 301 -> the new URL: an empty feed |
| 1 | 304 | 304 | c1 (the same clash, 3 killed) |
| 2 | 304; a1 re-fetched after 1 h: now 4 killed (a revision) | 304 | 304 |
| 3 | a3 (a bomb in Kunduz, 3 killed) | 304 | 304 |
| 4 | 304 | 429, Retry-After 3000 (50 min) | held back with its host: not polled |
| 5 | 304 | held back: not polled | held back: not polled |
| 6 | 304 (by the watcher then killed) | b2: the watcher is killed while b2's page is served; | 304 |
|   |   | a new one finishes the round |   |
| 7 | 304 | not polled: after a failure the cadence restarts from the 11:00:11 poll | 304 |
| 8 | 304 | 304 | 410: retired |
| 9-11 | 304 | 304 | (not polled) |

Rules: `tj-violence` (new ASSAULT in TJ), `toll` (TJ toll revised by 2 or more), `disputes` (TJ
sources disagree), `af` (new ASSAULT or COERCE in AF), `kg` (anything in KG: never fires). Each alert
is delivered once by webhook (signature checked) and once by email (a real SMTP server), and is one
entry of the Atom feed, the kill and restart included.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import feedparser
import pytest

from sitrep.config import Settings
from sitrep.store import open_store
from sitrep.watch.atom import alerts_atom
from sitrep.watch.clock import ManualClock
from sitrep.watch.watcher import Watcher
from tests.watch_servers import FeedSite, Route, WebhookReceiver, smtp_server

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[1]
START = dt.datetime(2025, 12, 1, 8, 0, tzinfo=dt.UTC)
ROUND = dt.timedelta(minutes=30)
SECRET = "scenario-secret"
KILLED_ROUND = 6

PAGES = {
    "/a1": ("Guards killed at border post", [
        "Two Tajik border guards were killed on Sunday when gunmen opened fire on a border post in "
        "Shamsiddin Shohin district of Khatlon region, the State Committee for National Security said.",
        "The attackers fled back across the river, the committee said.",
    ]),
    "/a2": ("Officials meet on border security", [
        "Tajik and Afghan officials met in Dushanbe on Sunday to discuss security along the border, the "
        "Tajik foreign ministry said. The ministry gave no details of the meeting.",
    ]),
    "/a3": ("Bomb kills civilians in Kunduz", [
        "Three civilians were killed on Monday when a roadside bomb exploded in Kunduz province in "
        "northern Afghanistan, local officials said. No group said it carried out the attack.",
    ]),
    "/b1": ("Warning shots at drone", [
        "Tajik border guards fired warning shots at a drone over a checkpoint in Khatlon region on "
        "Sunday, the border service said. Nobody was hurt, the service said.",
    ]),
    "/b2": ("Smugglers detained", [
        "Afghan border forces arrested five men accused of smuggling weapons near the Tajik border in "
        "Badakhshan province on Monday, a provincial spokesman said.",
    ]),
    "/c1": ("Attack on border post", [
        "Three Tajik border guards were killed on Sunday in an attack on a border post in Shamsiddin "
        "Shohin district of Khatlon region, a security source said.",
    ]),
}  # fmt: skip
REVISED_A1 = [PAGES["/a1"][1][0].replace("Two Tajik", "Four Tajik"), PAGES["/a1"][1][1]]

RULES = [
    {"name": "tj-violence", "countries": ["TJ"], "event_types": ["ASSAULT"], "triggers": ["new"]},
    {"name": "toll", "countries": ["TJ"], "triggers": ["toll_revised"], "toll_up_by": 2},
    {"name": "disputes", "countries": ["TJ"], "triggers": ["disagreement"]},
    {"name": "af", "countries": ["AF"], "event_types": ["ASSAULT", "COERCE"], "triggers": ["new"]},
    {"name": "kg", "countries": ["KG"], "triggers": ["new", "toll_revised", "disagreement"]},
]


def toml_text(site: FeedSite, smtp_port: int, hook_url: str) -> str:
    feeds = [("border", "/feed-a"), ("region", "/feed-b"), ("valley", "/feed-c-old")]
    lines = ["[ingest]", "allow_private = true", "timeout_s = 5.0", "", "[watch]", "host_delay_s = 1.0", ""]
    for name, path in feeds:
        lines += ["[[feeds]]", f'name = "{name}"', f'url = "{site.base}{path}"', 'interval = "30m"', ""]
    for rule in RULES:
        lines.append("[[rules]]")
        for key, value in rule.items():
            rendered = (
                "[" + ", ".join(f'"{v}"' for v in value) + "]" if isinstance(value, list)
                else f'"{value}"' if isinstance(value, str) else str(value)
            )  # fmt: skip
            lines.append(f"{key} = {rendered}")
        lines.append("")
    lines += ["[[webhooks]]", 'name = "ops"', f'url = "{hook_url}"', "", "[[email]]", 'name = "desk"',
              'host = "127.0.0.1"', f"port = {smtp_port}", "starttls = false", 'sender = "watch@sitrep.test"',
              'to = ["desk@sitrep.test"]', ""]  # fmt: skip
    return "\n".join(lines)


def stage(site: FeedSite, round_number: int) -> None:
    """Set what the site serves for `round_number` (see the module's table)."""
    when = START - dt.timedelta(hours=2)
    if round_number == 0:
        for path, (title, paragraphs) in PAGES.items():
            site.page(path, title, paragraphs)
        site.feed("/feed-a", "Border Wire", [("/a1", PAGES["/a1"][0], when), ("/a2", PAGES["/a2"][0], when)])
        site.feed("/feed-b", "Region Daily", [("/b1", PAGES["/b1"][0], when)])
        site.routes["/feed-c-old"] = Route(status=301, headers={"Location": "/feed-c"})
        site.routes["/feed-c"] = Route(
            body=b'<?xml version="1.0"?><rss version="2.0"><channel><title>Valley Times</title>'
            b"</channel></rss>",
            content_type="application/rss+xml", etag='"c-empty"',
        )  # fmt: skip
    elif round_number == 1:
        site.feed("/feed-c", "Valley Times", [("/c1", PAGES["/c1"][0], when)])
    elif round_number == 2:
        site.page("/a1", PAGES["/a1"][0], REVISED_A1)
    elif round_number == 3:
        entries = [("/a3", PAGES["/a3"][0], START + dt.timedelta(days=1)), ("/a1", PAGES["/a1"][0], when)]
        site.feed("/feed-a", "Border Wire", entries)
    elif round_number == 4:
        site.routes["/feed-b"] = Route(status=429, body=b"slow down", headers={"Retry-After": "3000"})
    elif round_number == KILLED_ROUND:
        later = START + dt.timedelta(days=1)
        site.feed(
            "/feed-b", "Region Daily", [("/b2", PAGES["/b2"][0], later), ("/b1", PAGES["/b1"][0], when)]
        )
    elif round_number == 8:
        site.routes["/feed-c"] = Route(status=410, body=b"gone")


def run_subprocess(workdir: Path, db_url: str, now: dt.datetime) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "SITREP_WEBHOOK_SECRET": SECRET}
    command = [sys.executable, "-c", "from sitrep.cli.main import main; main()", "watch", "--once", "--now",
               now.isoformat(), "--db", db_url]  # fmt: skip
    return subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_scenario_three_feeds_twelve_rounds_kill_and_restart(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITREP_WEBHOOK_SECRET", SECRET)
    site = FeedSite()
    hook = WebhookReceiver(SECRET)
    try:
        with smtp_server() as (mailbox, smtp_port):
            toml = toml_text(site, smtp_port, hook.url)
            (tmp_path / "sitrep.toml").write_text(toml, encoding="utf-8")
            monkeypatch.chdir(tmp_path)  # in-process settings read the same sitrep.toml
            settings = Settings(database_url=store_url)
            reports = []
            b_before_hold = 0
            for number in range(12):
                stage(site, number)
                # a few seconds into the round's half hour: the waits between requests to the host
                # (host_delay_s) move a Retry-After's end past the half hour by as much
                now = START + number * ROUND + dt.timedelta(seconds=10)
                if number == 5:
                    b_before_hold = site.count("/feed-b")
                if number == KILLED_ROUND:
                    assert site.count("/feed-b") == b_before_hold  # the 429's Retry-After was honoured
                    hold = site.routes["/b2"].hold = threading.Event()
                    site.arrived.clear()
                    killed = run_subprocess(tmp_path, store_url, now)
                    assert site.arrived.wait(60), killed.communicate(timeout=5)
                    killed.send_signal(signal.SIGKILL)
                    killed.wait(30)
                    assert killed.returncode == -signal.SIGKILL
                    hold.set()
                    site.routes["/b2"].hold = None
                    again = run_subprocess(tmp_path, store_url, now)
                    _out, err = again.communicate(timeout=300)
                    assert again.returncode == 0, err.decode()
                    continue
                with open_store(store_url) as store:
                    watcher = Watcher(store, settings, ManualClock(now), rng=random.Random(number))
                    reports.append((number, watcher.run_round()))
                    watcher.close()
            with open_store(store_url) as store:
                stats = store.stats()
                feeds = {f.name: f for f in store.list_feeds()}
                alerts = [a for a in store.list_alerts(limit=1000) if a.version > 0]
                deliveries = store.list_deliveries(limit=1000)
                atom = feedparser.parse(
                    alerts_atom(
                        store.list_alerts(limit=1000), "http://127.0.0.1:8000", "t", "/api/alerts.atom", now
                    )
                )
                articles = store.article_meta()
                revisions = {aid: store.article_revisions(aid) for aid in articles}
    finally:
        hook.close()
        site.close()

    # every new article stored once, the revision as a revision
    assert stats["articles"] == 6
    assert sorted(a.url.rsplit("/", 1)[-1] for a in articles.values()) == ["a1", "a2", "a3", "b1", "b2", "c1"]
    revised = {
        meta.url.rsplit("/", 1)[-1]: len(revisions[aid]) for aid, meta in articles.items() if revisions[aid]
    }
    assert revised == {"a1": 1}
    # fetched by the killed watcher, by the next one and by the 1 h re-fetch; stored once
    assert site.count("/b2") == 3
    # 304s, 429, 301, 410
    served_304 = sum(f.not_modified for f in feeds.values())
    # (polls, 304s) per feed, as the table says: border's round-6 poll was the killed watcher's
    assert {n: (f.polls, f.not_modified) for n, f in feeds.items()} == {
        "border": (12, 10),
        "region": (11, 7),
        "valley": (7, 4),
    }
    assert served_304 == 21
    assert feeds["valley"].url.endswith("/feed-c")
    assert feeds["valley"].status == "retired"
    assert site.count("/feed-c-old") == 1
    assert feeds["region"].failures == 0
    # alerts fired exactly for the rules that should fire
    per_rule = Counter(a.rule for a in alerts)
    assert per_rule == {"tj-violence": 1, "toll": 1, "disputes": 1, "af": 2}
    toll = next(a for a in alerts if a.rule == "toll")
    assert toll.why == "Toll revised 2 → 4."
    # each delivered once by webhook, email and Atom
    assert {d.state for d in deliveries} == {"delivered"}
    webhook_ids = [r["delivery"] for r in hook.received]
    assert len(webhook_ids) == len(set(webhook_ids)) == len(alerts)
    assert hook.bad_signatures == 0
    message_ids = [m["Message-ID"] for m in mailbox.messages]
    assert len(message_ids) == len(set(message_ids)) == len(alerts)
    assert len(atom.entries) == len(alerts)
    print(  # noqa: T201 (the figures the report quotes, with -s)
        f"\nscenario: {len(articles)} articles, revisions {sum(len(r) for r in revisions.values())}, "
        f"304s {served_304}, alerts {dict(per_rule)}, webhook {len(webhook_ids)}, email {len(message_ids)}, "
        f"atom {len(atom.entries)}; rounds: " + "; ".join(f"{n}: {r.line()}" for n, r in reports)
    )
