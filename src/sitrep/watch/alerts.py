"""Alerts: evaluate the watch rules over the events a run touched; one alert per event and rule.

An alert is updated in place when its event changes; it is sent again (a new version, queued on
each of the rule's delivery channels) only when its tier changes. A rule in its cooldown stores
what it fired as held: visible, not sent until the rule fires again after the cooldown. The cost
follows the events the run touched (and, for surges, the events of the rule's windows), never the
size of the store.

An alert is tied to its event through the event's mentions (`alert_mentions`), since an event's
id follows its smallest mention id and a new source can change it. A rule whose triggers need
what it saw before (toll_revised, disagreement) keeps a silent baseline (version 0) for events it
has not fired on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from sitrep.config import RuleConfig, Settings
from sitrep.model import Event
from sitrep.store import EventQuery, Store
from sitrep.store.watch import AlertRow
from sitrep.watch.rules import change_for, event_queries, killed_of, matches, tier_of

log = logging.getLogger(__name__)

MAX_WINDOW_EVENTS = 10_000  # events read per surge window when the rule filters beyond the indexes


def alert_id_for(rule: str, key: str) -> str:
    """'al-' + 12 hex of the sha1 of the rule and the alert's key: stable across runs."""
    return "al-" + hashlib.sha1(f"{rule}|{key}".encode()).hexdigest()[:12]


def channels_for(rule: RuleConfig, settings: Settings) -> list[str]:
    """The delivery channels of `rule`: 'webhook:NAME' and 'email:NAME' for its targets."""
    wanted = set(rule.deliver) if rule.deliver is not None else None
    found = [f"webhook:{w.name}" for w in settings.webhooks if wanted is None or w.name in wanted]
    found += [f"email:{e.name}" for e in settings.email if wanted is None or e.name in wanted]
    return found


def sources_of(store: Store, event: Event) -> list[dict[str, Any]]:
    """Each reporting article of `event`: outlet, url, title and what it said (toll, quote)."""
    meta = store.article_meta({m.article_id for m in event.mentions})
    found: dict[str, dict[str, Any]] = {}
    for mention in event.mentions:
        info = meta.get(mention.article_id)
        entry = found.setdefault(
            mention.article_id,
            {
                "article_id": mention.article_id,
                "outlet": info.outlet if info else None,
                "url": info.url if info else None,
                "title": info.title if info else None,
                "published": info.published.isoformat() if info and info.published else None,
                "killed": mention.killed,
                "quote": mention.quote,
            },
        )
        if entry["killed"] is None and mention.killed is not None:
            entry["killed"] = mention.killed
    return sorted(found.values(), key=lambda s: (s["outlet"] or "", s["article_id"]))


def event_summary(event: Event) -> dict[str, Any]:
    """The event's figures an alert shows."""
    return {
        "event_id": event.event_id,
        "event_type": event.event_type,
        "date": event.date.isoformat() if event.date else None,
        "country": event.country,
        "admin1": event.admin1,
        "location": event.location,
        "lat": event.lat,
        "lon": event.lon,
        "actor1": event.actor1,
        "actor2": event.actor2,
        "killed": event.fatalities.as_dict() if event.fatalities else None,
        "discrepancies": [d.as_dict() for d in event.discrepancies],
    }


class Evaluator:
    """Evaluates `settings.rules` against `store` at `now`."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def evaluate(self, event_ids: Iterable[str], now: dt.datetime) -> list[AlertRow]:
        """Evaluate every rule over the events `event_ids`; return the alerts fired or updated."""
        if not self.settings.rules:
            return []
        events = [e for e in (self.store.get_event(i) for i in sorted(set(event_ids))) if e is not None]
        changed: list[AlertRow] = []
        for rule in self.settings.rules:
            matched = [e for e in events if matches(rule, e)]
            for event in matched:
                alert = self._event_alert(rule, event, now)
                if alert is not None:
                    changed.append(alert)
            if "surge" in rule.triggers and matched:
                alert = self._surge_alert(rule, matched, now)
                if alert is not None:
                    changed.append(alert)
        return changed

    # one event

    def _event_alert(self, rule: RuleConfig, event: Event, now: dt.datetime) -> AlertRow | None:
        mention_ids = [m.mention_id for m in event.mentions]
        previous = self.store.alert_for(rule.name, event.event_id, mention_ids)
        known = previous is not None
        change = change_for(
            rule,
            event,
            previous.killed if previous else None,
            previous.fields if previous else (),
            known,
        )
        killed = killed_of(event)
        fields = tuple(sorted({d.field for d in event.discrepancies}))
        tier = tier_of(rule, killed)
        detail = {"event": event_summary(event), "sources": sources_of(self.store, event)}
        if previous is None:
            key = event.event_id
            previous = AlertRow(
                alert_id=alert_id_for(rule.name, key), rule=rule.name, alert_key=key, event_id=event.event_id,
                trigger="watching", tier=tier, why="", detail={}, killed=killed, fields=fields, version=0,
                held=False, created_at=now, updated_at=now, alerted_at=now,
            )  # fmt: skip
            if change.trigger is None:
                if {"toll_revised", "disagreement"} & set(rule.triggers):
                    self._put(replace(previous, detail={**detail, "history": []}), mention_ids, rule, now)
                return None
        history = [*previous.detail.get("history", [])]
        # `killed` stays the toll the rule last fired on (or first saw): a toll that creeps up by
        # less than toll_up_by at a time still fires once the rise adds up.
        base = replace(previous, event_id=event.event_id, fields=fields, updated_at=now)
        cooled = previous.held and not self._in_cooldown(rule, now)
        if change.trigger is None and not cooled:
            if (previous.event_id, previous.fields, previous.detail.get("event")) == (
                event.event_id,
                fields,
                detail["event"],
            ):
                return None  # nothing it shows changed
            self._put(replace(base, detail={**detail, "history": history}), mention_ids, rule, now)
            return None
        if change.trigger is not None:
            history.append(
                {"at": now.isoformat(), "trigger": change.trigger, "why": change.why, "tier": tier}
            )
            base = replace(base, killed=killed)
        first = previous.version == 0
        if first or tier != previous.tier or cooled:
            version = previous.version + (0 if cooled and not first and tier == previous.tier else 1)
            alert = replace(
                base,
                trigger=change.trigger or previous.trigger,
                why=change.why or previous.why,
                tier=tier,
                version=version,
                held=self._in_cooldown(rule, now) and not cooled,
                alerted_at=now,
                detail={**detail, "history": history},
            )
        else:  # the same tier: updated in place, not sent again
            alert = replace(
                base, trigger=change.trigger or previous.trigger, why=change.why or previous.why,
                detail={**detail, "history": history},
            )  # fmt: skip
        self._put(alert, mention_ids, rule, now)
        return alert

    # surges

    def _surge_alert(self, rule: RuleConfig, matched: Sequence[Event], now: dt.datetime) -> AlertRow | None:
        dates = [e.date for e in matched if e.date is not None]
        end = max(dates) if dates else now.date()
        window = rule.surge_window_days
        start = end - dt.timedelta(days=window - 1)
        base_end = start - dt.timedelta(days=1)
        base_start = base_end - dt.timedelta(days=rule.surge_baseline_days - 1)
        recent = self.measure(rule, start, end)
        base = self.measure(rule, base_start, base_end)
        recent_rate = recent / window
        base_rate = base / rule.surge_baseline_days
        if recent < rule.surge_min or (base > 0 and recent_rate < rule.surge_factor * base_rate):
            return None
        ratio = recent_rate / base_rate if base else math.inf
        tier = "from none" if base == 0 else f"x{2 ** int(math.log2(ratio))}+"
        what = rule.surge_measure
        rate = "none before" if base == 0 else f"{ratio:.1f}x the daily rate"
        why = (
            f"Surge: {recent} {what} in the {window} days to {end.isoformat()}, against {base} in the "
            f"{rule.surge_baseline_days} days before ({rate})."
        )
        year, week, _ = end.isocalendar()
        key = f"surge:{year}-W{week:02d}"
        previous = self.store.alert_for(rule.name, key, ())
        detail = {
            "window": [start.isoformat(), end.isoformat()],
            "baseline": [base_start.isoformat(), base_end.isoformat()],
            "recent": recent,
            "base": base,
            "measure": what,
            "events": [event_summary(e) for e in matched[:20]],
            "sources": [s for e in matched[:5] for s in sources_of(self.store, e)],
        }
        if previous is None:
            alert = AlertRow(
                alert_id=alert_id_for(rule.name, key), rule=rule.name, alert_key=key, event_id=None,
                trigger="surge", tier=tier, why=why, detail=detail, killed=None, fields=(), version=1,
                held=self._in_cooldown(rule, now), created_at=now, updated_at=now, alerted_at=now,
            )  # fmt: skip
        elif tier != previous.tier:
            alert = replace(
                previous, tier=tier, why=why, detail=detail, version=previous.version + 1,
                held=self._in_cooldown(rule, now), updated_at=now, alerted_at=now,
            )  # fmt: skip
        elif previous.detail.get("recent") != recent:
            alert = replace(previous, why=why, detail=detail, updated_at=now)
        else:
            return None
        self._put(alert, (), rule, now)
        return alert

    def measure(self, rule: RuleConfig, since: dt.date, until: dt.date) -> int:
        """Events (or killed) in [since, until] matching `rule`: indexed counts where the rule's
        filters are all indexed, else the window's events filtered here."""
        window = EventQuery(since=since, until=until, limit=MAX_WINDOW_EVENTS)
        queries = event_queries(rule, window)
        indexed = not (rule.admin1 or rule.actors or rule.words) and all(
            t.isupper() for t in rule.event_types
        )
        if indexed:
            totals = [self.store.event_totals(q) for q in queries]
            return sum(t[1] if rule.surge_measure == "killed" else t[0] for t in totals)
        seen: dict[str, Event] = {}
        for query in queries:
            events, _ = self.store.query_events(query)
            seen.update((e.event_id, e) for e in events if matches(rule, e))
        if rule.surge_measure == "killed":
            return sum(killed_of(e) or 0 for e in seen.values())
        return len(seen)

    def _in_cooldown(self, rule: RuleConfig, now: dt.datetime) -> bool:
        if rule.cooldown <= 0:
            return False
        last = self.store.last_alerted(rule.name)
        return last is not None and (now - last).total_seconds() < rule.cooldown

    def _put(self, alert: AlertRow, mention_ids: Iterable[str], rule: RuleConfig, now: dt.datetime) -> None:
        channels = channels_for(rule, self.settings) if alert.version > 0 else []
        self.store.put_alert(alert, mention_ids, channels, now)
        if alert.version > 0:
            log.info("alert %s (%s, %s): %s", alert.alert_id, alert.rule, alert.tier, alert.why)


def rule_matches(store: Store, rule: RuleConfig, since: dt.date | None, limit: int) -> list[Event]:
    """What `rule` would have matched in the store (events since `since`), newest first."""
    found: dict[str, Event] = {}
    for query in event_queries(rule, EventQuery(since=since, limit=min(limit * 4, MAX_WINDOW_EVENTS))):
        events, _ = store.query_events(query)
        found.update((e.event_id, e) for e in events if matches(rule, e))
    ordered = sorted(found.values(), key=lambda e: (e.date or dt.date.min, e.event_id), reverse=True)
    return ordered[:limit]
