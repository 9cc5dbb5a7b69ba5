"""What `sitrep watch` keeps in the store: feeds' polling state, entries seen, alerts and the outbox.

`WatchStore` is mixed into `Store`; every time it writes comes from the caller (`now=`), so the
watcher's clock can be injected in tests. Each public write is one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, fields
from typing import Any

import sqlalchemy as sa

from sitrep.store.codec import utc
from sitrep.store.events import chunks
from sitrep.store.schema import (
    alert_mentions,
    alerts,
    articles,
    deliveries,
    event_mentions,
    feed_entries,
    feeds,
    mentions,
)

DELIVERY_STATES = ("pending", "delivered", "failed")


@dataclass(frozen=True)
class FeedState:
    """One feed's row: where it is polled, its validators, when it is due, and its health."""

    feed_id: str
    name: str
    config_url: str
    url: str
    interval_s: int
    next_due_at: dt.datetime
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    status: str = "active"
    last_status: int | None = None
    last_error: str | None = None
    last_polled_at: dt.datetime | None = None
    polls: int = 0
    not_modified: int = 0
    articles: int = 0


@dataclass(frozen=True)
class DueEntry:
    """An entry whose article is due to be fetched again (to catch revised figures)."""

    feed_id: str
    entry_key: str
    link: str
    refetches: int
    first_seen_at: dt.datetime


@dataclass(frozen=True)
class AlertRow:
    """One alert: a rule fired on an event (or a surge), why, and what it links to."""

    alert_id: str
    rule: str
    alert_key: str
    event_id: str | None
    trigger: str
    tier: str
    why: str
    detail: dict[str, Any]
    killed: int | None
    fields: tuple[str, ...]
    version: int
    held: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    alerted_at: dt.datetime


@dataclass(frozen=True)
class Delivery:
    """One queued send of one alert version on one channel, and how it went."""

    delivery_id: str
    alert_id: str
    version: int
    channel: str
    state: str
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None


def _times(row: sa.RowMapping, names: Iterable[str]) -> dict[str, Any]:
    values = dict(row)
    for name in names:
        if values.get(name) is not None:
            values[name] = utc(values[name])
    return values


def _feed(row: sa.RowMapping) -> FeedState:
    values = _times(row, ("next_due_at", "last_polled_at"))
    return FeedState(**{f.name: values[f.name] for f in fields(FeedState)})


def _alert(row: sa.RowMapping) -> AlertRow:
    values = _times(row, ("created_at", "updated_at", "alerted_at"))
    values["detail"] = json.loads(values["detail"])
    values["fields"] = tuple(json.loads(values["fields"]))
    values["held"] = bool(values["held"])
    return AlertRow(**{f.name: values[f.name] for f in fields(AlertRow)})


def _delivery(row: sa.RowMapping) -> Delivery:
    values = _times(row, ("next_attempt_at", "created_at", "delivered_at"))
    return Delivery(**{f.name: values[f.name] for f in fields(Delivery)})


class WatchStore:
    """Feeds, entries, alerts and deliveries (mixed into `sitrep.store.Store`)."""

    def _read(self, action: str) -> AbstractContextManager[sa.Connection]:  # provided by Store
        raise NotImplementedError

    def _write(self, action: str) -> AbstractContextManager[sa.Connection]:  # provided by Store
        raise NotImplementedError

    # feeds

    def sync_feeds(self, configured: Sequence[tuple[str, str, str, int]], now: dt.datetime) -> None:
        """Make the configured feeds `(feed_id, name, url, interval_s)` known; a new one is due now.

        A feed already stored keeps its state (a URL a 301 moved it to included) unless its
        configured URL changed, which starts it afresh.
        """
        with self._write("recording feeds") as connection:
            stored = {row.feed_id: row for row in connection.execute(sa.select(feeds))}
            for feed_id, name, url, interval_s in configured:
                old = stored.get(feed_id)
                if old is None or old.config_url != url:
                    connection.execute(sa.delete(feeds).where(feeds.c.feed_id == feed_id))
                    connection.execute(
                        sa.insert(feeds).values(
                            feed_id=feed_id, name=name, config_url=url, url=url,
                            interval_s=interval_s, next_due_at=now,
                        )
                    )  # fmt: skip
                elif (old.name, old.interval_s) != (name, interval_s):
                    connection.execute(
                        sa.update(feeds)
                        .where(feeds.c.feed_id == feed_id)
                        .values(name=name, interval_s=interval_s)
                    )

    def list_feeds(self) -> list[FeedState]:
        """Every feed known to the store, by name."""
        with self._read("reading feeds") as connection:
            rows = connection.execute(sa.select(feeds).order_by(feeds.c.name)).mappings()
            return [_feed(row) for row in rows]

    def due_feeds(self, now: dt.datetime, ids: Iterable[str]) -> list[FeedState]:
        """The active feeds among `ids` due at `now`, soonest first."""
        query = (
            sa.select(feeds)
            .where(feeds.c.status == "active", feeds.c.next_due_at <= now, feeds.c.feed_id.in_(list(ids)))
            .order_by(feeds.c.next_due_at, feeds.c.feed_id)
        )
        with self._read("reading due feeds") as connection:
            return [_feed(row) for row in connection.execute(query).mappings()]

    def update_feed(self, feed_id: str, **values: Any) -> None:
        """Set columns of the feed `feed_id` (polling state after a poll)."""
        with self._write(f"updating feed {feed_id!r}") as connection:
            connection.execute(sa.update(feeds).where(feeds.c.feed_id == feed_id).values(**values))

    def count_feed(self, feed_id: str, *, polls: int = 0, not_modified: int = 0, articles: int = 0) -> None:
        """Add to the feed's counters."""
        with self._write(f"counting feed {feed_id!r}") as connection:
            connection.execute(
                sa.update(feeds)
                .where(feeds.c.feed_id == feed_id)
                .values(
                    polls=feeds.c.polls + polls,
                    not_modified=feeds.c.not_modified + not_modified,
                    articles=feeds.c.articles + articles,
                )
            )

    def next_wake(self, feed_ids: Iterable[str]) -> dt.datetime | None:
        """The soonest of: an active feed of `feed_ids` due, a re-fetch due, a delivery to retry."""
        queries = (
            sa.select(sa.func.min(feeds.c.next_due_at)).where(
                feeds.c.status == "active", feeds.c.feed_id.in_(list(feed_ids))
            ),
            sa.select(sa.func.min(feed_entries.c.next_refetch_at)),
            sa.select(sa.func.min(deliveries.c.next_attempt_at)).where(deliveries.c.state == "pending"),
        )
        with self._read("reading the watch schedule") as connection:
            times = [connection.execute(query).scalar() for query in queries]
        found = [utc(t) for t in times if t is not None]
        return min(found) if found else None

    # entries

    def seen_entries(self, feed_id: str, keys: Iterable[str]) -> set[str]:
        """Those of `keys` already seen in the feed `feed_id`."""
        found: set[str] = set()
        with self._read("reading feed entries") as connection:
            for part in chunks(sorted(set(keys))):
                query = sa.select(feed_entries.c.entry_key).where(
                    feed_entries.c.feed_id == feed_id, feed_entries.c.entry_key.in_(part)
                )
                found.update(connection.execute(query).scalars())
        return found

    def add_feed_entry(
        self,
        feed_id: str,
        entry_key: str,
        link: str | None,
        article_id: str | None,
        now: dt.datetime,
        next_refetch_at: dt.datetime | None,
    ) -> None:
        """Record the entry as seen (its article stored, or rejected) and count it for its feed."""
        with self._write("recording a feed entry") as connection:
            exists = connection.execute(
                sa.select(feed_entries.c.entry_key).where(
                    feed_entries.c.feed_id == feed_id, feed_entries.c.entry_key == entry_key
                )
            ).first()
            if exists is not None:
                return
            connection.execute(
                sa.insert(feed_entries).values(
                    feed_id=feed_id, entry_key=entry_key, link=link, article_id=article_id,
                    first_seen_at=now, next_refetch_at=next_refetch_at,
                )
            )  # fmt: skip
            if article_id is not None:
                connection.execute(
                    sa.update(feeds).where(feeds.c.feed_id == feed_id).values(articles=feeds.c.articles + 1)
                )

    def due_refetches(self, now: dt.datetime, limit: int = 100) -> list[DueEntry]:
        """Entries whose article is due to be fetched again at `now`, soonest first (an indexed range)."""
        query = (
            sa.select(feed_entries)
            .where(feed_entries.c.next_refetch_at <= now, feed_entries.c.link.is_not(None))
            .order_by(feed_entries.c.next_refetch_at)
            .limit(limit)
        )
        with self._read("reading due re-fetches") as connection:
            return [
                DueEntry(row.feed_id, row.entry_key, row.link, row.refetches, utc(row.first_seen_at))
                for row in connection.execute(query)
            ]

    def set_refetch(self, feed_id: str, entry_key: str, refetches: int, next_at: dt.datetime | None) -> None:
        """Record a re-fetch done and when the next is due (None: none left)."""
        with self._write("scheduling a re-fetch") as connection:
            connection.execute(
                sa.update(feed_entries)
                .where(feed_entries.c.feed_id == feed_id, feed_entries.c.entry_key == entry_key)
                .values(refetches=refetches, next_refetch_at=next_at)
            )

    # alerts

    def alert_for(self, rule: str, alert_key: str, mention_ids: Iterable[str]) -> AlertRow | None:
        """The alert of `rule` under `alert_key`, else the one tied to any of `mention_ids`."""
        with self._read("reading alerts") as connection:
            row = (
                connection.execute(
                    sa.select(alerts).where(alerts.c.rule == rule, alerts.c.alert_key == alert_key)
                )
                .mappings()
                .first()
            )
            if row is None:
                for part in chunks(sorted(set(mention_ids))):
                    joined = alerts.join(alert_mentions, alert_mentions.c.alert_id == alerts.c.alert_id)
                    query = (
                        sa.select(alerts)
                        .select_from(joined)
                        .where(alerts.c.rule == rule, alert_mentions.c.mention_id.in_(part))
                        .order_by(alerts.c.created_at)
                        .limit(1)
                    )
                    row = connection.execute(query).mappings().first()
                    if row is not None:
                        break
            return _alert(row) if row is not None else None

    def last_alerted(self, rule: str) -> dt.datetime | None:
        """When `rule` last fired (not held): its cooldown runs from there."""
        query = sa.select(sa.func.max(alerts.c.alerted_at)).where(
            alerts.c.rule == rule, alerts.c.held.is_(False)
        )
        with self._read("reading alerts") as connection:
            value = connection.execute(query).scalar()
        return utc(value) if value is not None else None

    def put_alert(
        self, alert: AlertRow, mention_ids: Iterable[str], channels: Sequence[str], now: dt.datetime
    ) -> None:
        """Insert or update `alert` (by alert_id), tie it to `mention_ids`, and queue one delivery of
        its version per channel (none when held; a version already queued is never queued again)."""
        row = {
            "alert_id": alert.alert_id, "rule": alert.rule, "alert_key": alert.alert_key,
            "event_id": alert.event_id, "trigger": alert.trigger, "tier": alert.tier, "why": alert.why,
            "detail": json.dumps(alert.detail, sort_keys=True, default=str), "killed": alert.killed,
            "fields": json.dumps(list(alert.fields)), "version": alert.version, "held": alert.held,
            "created_at": alert.created_at, "updated_at": alert.updated_at, "alerted_at": alert.alerted_at,
        }  # fmt: skip
        with self._write(f"storing alert {alert.alert_id}") as connection:
            done = connection.execute(
                sa.update(alerts).where(alerts.c.alert_id == alert.alert_id).values(**row)
            ).rowcount
            if not done:
                connection.execute(sa.insert(alerts).values(**row))
            have = set(
                connection.execute(
                    sa.select(alert_mentions.c.mention_id).where(alert_mentions.c.alert_id == alert.alert_id)
                ).scalars()
            )
            new = sorted(set(mention_ids) - have)
            if new:
                connection.execute(
                    sa.insert(alert_mentions), [{"alert_id": alert.alert_id, "mention_id": m} for m in new]
                )
            if alert.held:
                return
            for channel in channels:
                delivery_id = f"{alert.alert_id}.{alert.version}.{channel}"
                queued = connection.execute(
                    sa.select(deliveries.c.delivery_id).where(deliveries.c.delivery_id == delivery_id)
                ).first()
                if queued is None:
                    connection.execute(
                        sa.insert(deliveries).values(
                            delivery_id=delivery_id, alert_id=alert.alert_id, version=alert.version,
                            channel=channel, next_attempt_at=now, created_at=now,
                        )
                    )  # fmt: skip

    def get_alert(self, alert_id: str) -> AlertRow | None:
        """The alert `alert_id`, or None."""
        with self._read(f"reading alert {alert_id!r}") as connection:
            row = (
                connection.execute(sa.select(alerts).where(alerts.c.alert_id == alert_id)).mappings().first()
            )
        return _alert(row) if row is not None else None

    def list_alerts(
        self,
        *,
        rule: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        limit: int = 100,
    ) -> list[AlertRow]:
        """Alerts (of `rule`, updated in [since, until) if given), most recently updated first."""
        query = sa.select(alerts).order_by(alerts.c.updated_at.desc(), alerts.c.alert_id).limit(limit)
        if rule is not None:
            query = query.where(alerts.c.rule == rule)
        if since is not None:
            query = query.where(alerts.c.updated_at >= since)
        if until is not None:
            query = query.where(alerts.c.updated_at < until)
        with self._read("reading alerts") as connection:
            return [_alert(row) for row in connection.execute(query).mappings()]

    # what changed

    def event_changes(self, since: dt.datetime, limit: int = 10_000) -> dict[str, str]:
        """{event_id: "new" | "changed"} for the events citing an article stored (or revised) at or
        after `since`: new when every article it cites was stored since, else changed. Reads the
        articles stored since (an indexed range) and their events only; at most `limit` articles."""
        with self._read("reading what changed") as connection:
            recent = list(
                connection.execute(
                    sa.select(articles.c.article_id)
                    .where(articles.c.stored_at >= since)
                    .order_by(articles.c.stored_at.desc())
                    .limit(limit)
                ).scalars()
            )
            touched: set[str] = set()
            for part in chunks(recent):
                query = (
                    sa.select(event_mentions.c.event_id)
                    .join(mentions, mentions.c.mention_id == event_mentions.c.mention_id)
                    .where(mentions.c.article_id.in_(part))
                    .distinct()
                )
                touched.update(connection.execute(query).scalars())
            found: dict[str, str] = {}
            for part in chunks(sorted(touched)):
                first = (
                    sa.select(event_mentions.c.event_id, sa.func.min(articles.c.stored_at))
                    .join(mentions, mentions.c.mention_id == event_mentions.c.mention_id)
                    .join(articles, articles.c.article_id == mentions.c.article_id)
                    .where(event_mentions.c.event_id.in_(part))
                    .group_by(event_mentions.c.event_id)
                )
                for event_id, earliest in connection.execute(first):
                    found[event_id] = "new" if earliest is not None and utc(earliest) >= since else "changed"
        return found

    # the outbox

    def due_deliveries(self, now: dt.datetime, limit: int = 100) -> list[Delivery]:
        """Pending deliveries whose next attempt is due at `now`, oldest first."""
        query = (
            sa.select(deliveries)
            .where(deliveries.c.state == "pending", deliveries.c.next_attempt_at <= now)
            .order_by(deliveries.c.next_attempt_at, deliveries.c.delivery_id)
            .limit(limit)
        )
        with self._read("reading the outbox") as connection:
            return [_delivery(row) for row in connection.execute(query).mappings()]

    def record_attempt(
        self,
        delivery_id: str,
        *,
        ok: bool,
        now: dt.datetime,
        error: str | None = None,
        retry_at: dt.datetime | None = None,
    ) -> None:
        """Record one attempt: delivered, or failed with `error` and retried at `retry_at` (None:
        given up, state failed)."""
        values: dict[str, Any] = {"attempts": deliveries.c.attempts + 1, "last_error": error}
        if ok:
            values.update(state="delivered", delivered_at=now)
        elif retry_at is not None:
            values.update(next_attempt_at=retry_at)
        else:
            values.update(state="failed")
        with self._write(f"recording delivery {delivery_id}") as connection:
            connection.execute(
                sa.update(deliveries).where(deliveries.c.delivery_id == delivery_id).values(**values)
            )

    def list_deliveries(self, *, state: str | None = None, limit: int = 100) -> list[Delivery]:
        """Deliveries (in `state` if given), newest first: failures stay visible here."""
        query = (
            sa.select(deliveries)
            .order_by(deliveries.c.created_at.desc(), deliveries.c.delivery_id)
            .limit(limit)
        )
        if state is not None:
            query = query.where(deliveries.c.state == state)
        with self._read("reading the outbox") as connection:
            return [_delivery(row) for row in connection.execute(query).mappings()]

    def delivery_counts(self) -> dict[str, int]:
        """{state: deliveries} over the outbox."""
        query = sa.select(deliveries.c.state, sa.func.count()).group_by(deliveries.c.state)
        with self._read("counting the outbox") as connection:
            return {str(state): int(count) for state, count in connection.execute(query)}

    def iter_alert_ids(self) -> Iterator[str]:
        """Every alert id (for tests and export)."""
        with self._read("reading alerts") as connection:
            yield from list(
                connection.execute(sa.select(alerts.c.alert_id).order_by(alerts.c.alert_id)).scalars()
            )
