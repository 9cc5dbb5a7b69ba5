"""`sitrep watch`: rounds of polling, ingest, rules and delivery, until stopped.

A round: poll the due feeds and re-fetch the articles due (`polling`), hand what they yield to
`pipeline.ingest_articles` (stored one transaction each, then extracted and merged), evaluate the
rules over the events the round touched (`alerts`), then send the outbox's due deliveries
(`delivery`). Between rounds the watcher sleeps until the next feed, re-fetch or retry is due. A
stop request (SIGTERM, Ctrl-C) is honoured between articles: the article being fetched is
finished, the round's stored articles are extracted and merged, and the watcher exits; what it
had not stored is fetched again by the next start (state lives in the store).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from sitrep.config import Settings
from sitrep.errors import SitrepError
from sitrep.pipeline import IngestSummary, ingest_articles
from sitrep.store import Store
from sitrep.store.watch import AlertRow
from sitrep.watch.alerts import Evaluator
from sitrep.watch.clock import Clock
from sitrep.watch.delivery import Deliverer, DeliveryCounts
from sitrep.watch.polling import Poller, RoundCounts

log = logging.getLogger(__name__)

LONGEST_SLEEP_S = 300.0  # a sleeping watcher looks again at least this often (settings may change)


@dataclass
class RoundReport:
    """What one round did."""

    started_at: dt.datetime
    polling: RoundCounts
    ingest: IngestSummary
    alerts: list[AlertRow] = field(default_factory=list)
    delivery: DeliveryCounts = field(default_factory=DeliveryCounts)

    def line(self) -> str:
        """One line for the log: polls, 304s, new and revised articles, alerts, deliveries."""
        p, i, d = self.polling, self.ingest, self.delivery
        return (
            f"{p.polled} polled ({p.not_modified} not modified, {p.throttled} throttled, "
            f"{p.failures} failed), "
            f"{i.ingested} new articles, {i.revisions} revised, {len(self.alerts)} alerts, "
            f"{d.delivered} delivered, {d.retried} to retry, {d.failed} failed"
        )


class Watcher:
    """Runs rounds against `store` under `settings` on `clock` (inject a ManualClock in tests)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Clock,
        *,
        rng: random.Random | None = None,
        should_stop: Callable[[], bool] = lambda: False,
        extract: bool = True,
    ) -> None:
        self.store = store
        self.extract = extract
        self.settings = settings
        self.clock = clock
        self.should_stop = should_stop
        rng = rng or random.Random()
        self.poller = Poller(store, settings, clock, rng=rng, should_stop=should_stop)
        self.evaluator = Evaluator(store, settings)
        self.deliverer = Deliverer(store, settings, rng=rng)
        self.rounds = 0

    def close(self) -> None:
        self.poller.close()

    def run_round(self) -> RoundReport:
        """Poll, ingest, evaluate and deliver once."""
        started = self.clock.now()
        counts = RoundCounts()
        summary = ingest_articles(
            self.poller.articles(counts),
            self.store,
            self.settings,
            label=["watch"],
            extract=self.extract,
            on_stored=self.poller.stored,
            on_rejected=self.poller.rejected,
            backfill=self.rounds == 0,  # articles a pre-0003 store left unindexed: once per process
        )
        self.rounds += 1
        alerts = self.evaluator.evaluate(summary.touched_events, self.clock.now())
        delivery = self.deliverer.deliver_due(self.clock.now(), self.should_stop)
        report = RoundReport(started, counts, summary, alerts, delivery)
        log.info("round at %s: %s", started.isoformat(), report.line())
        return report

    def next_wake(self) -> dt.datetime:
        """When the next feed, re-fetch or delivery retry is due (at most LONGEST_SLEEP_S from now)."""
        now = self.clock.now()
        latest = now + dt.timedelta(seconds=LONGEST_SLEEP_S)
        due = self.store.next_wake(self.poller.feed_ids)
        return latest if due is None else max(min(due, latest), now)

    def run(self, on_round: Callable[[RoundReport], None] | None = None) -> None:
        """Run rounds until `should_stop()`; sleep between them until something is due.

        A round that fails with a SitrepError (the store unreachable, a merge that raised) is logged
        and tried again after a pause that doubles up to LONGEST_SLEEP_S: what it left pending is
        finished by the next round.
        """
        pause = 5.0
        while not self.should_stop():
            try:
                report = self.run_round()
            except SitrepError as error:
                log.error("round failed: %s; trying again in %.0f s", error, pause)
                self.clock.sleep(pause)
                pause = min(pause * 2, LONGEST_SLEEP_S)
                continue
            pause = 5.0
            if on_round is not None:
                on_round(report)
            if self.should_stop():
                break
            wait = (self.next_wake() - self.clock.now()).total_seconds()
            self.clock.sleep(max(wait, 1.0))
