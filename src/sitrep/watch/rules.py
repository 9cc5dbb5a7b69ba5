"""Watch rules: which events a rule looks at, its tier for an event, and what a change should fire.

Pure functions over `sitrep.model.Event` and `sitrep.config.RuleConfig`; `alerts` reads and writes
the store around them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sitrep.config import RuleConfig
from sitrep.model import Event
from sitrep.store import EventQuery


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(_fold(word))}", _fold(text)) is not None


def killed_of(event: Event) -> int | None:
    """The event's best toll, or None when no source gave one."""
    return event.fatalities.best if event.fatalities is not None else None


def matches(rule: RuleConfig, event: Event) -> bool:
    """Whether `event` is one `rule` looks at (every filter the rule sets must hold)."""
    if rule.event_types and not ({event.event_type, event.acled_event_type} & set(rule.event_types)):
        return False
    if rule.countries and event.country not in rule.countries:
        return False
    if rule.admin1 and not any(_fold(a) == _fold(event.admin1 or "") for a in rule.admin1):
        return False
    if rule.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = rule.bbox
        if event.lat is None or event.lon is None or not min_lat <= event.lat <= max_lat:
            return False
        inside = min_lon <= event.lon <= max_lon if min_lon <= max_lon else not max_lon < event.lon < min_lon
        if not inside:
            return False
    if rule.actors:
        names = " ".join(a for a in (event.actor1, event.actor2) if a)
        if not any(_has_word(names, actor) for actor in rule.actors):
            return False
    if rule.words:
        quotes = " ".join(m.quote for m in event.mentions)
        if not any(_has_word(quotes, word) for word in rule.words):
            return False
    if rule.min_killed is not None:
        killed = killed_of(event)
        if killed is None or killed < rule.min_killed:
            return False
    return True


def tier_of(rule: RuleConfig, killed: int | None) -> str:
    """The alert tier of a toll under `rule.tiers`: "killed 10+", "killed 0", or "toll unknown"."""
    if killed is None:
        return "toll unknown"
    reached = [t for t in sorted(rule.tiers) if killed >= t]
    return f"killed {reached[-1]}+" if reached else f"killed 0-{min(rule.tiers) - 1}" if rule.tiers else "any"


def toll_rose(rule: RuleConfig, old: int | None, new: int | None) -> bool:
    """Whether a toll went from `old` to `new` by at least `rule.toll_up_by` or `rule.toll_factor`."""
    if new is None:
        return False
    before = old or 0
    if new - before >= rule.toll_up_by and new > before:
        return True
    return rule.toll_factor is not None and before > 0 and new >= before * rule.toll_factor


@dataclass(frozen=True)
class Change:
    """What a rule should say about an event now: the trigger that fired (None: nothing) and why."""

    trigger: str | None
    why: str


def change_for(
    rule: RuleConfig,
    event: Event,
    previous_killed: int | None,
    previous_fields: tuple[str, ...],
    known: bool,
) -> Change:
    """The trigger `event` fires under `rule`, given what the rule saw of it before.

    `known`: the rule has seen this event before (then `previous_killed` and `previous_fields` are
    what it saw). Order of precedence: new, toll_revised, disagreement.
    """
    killed = killed_of(event)
    fields = tuple(sorted({d.field for d in event.discrepancies}))
    toll = f"{killed} killed" if killed is not None else "no toll given"
    place = ", ".join(p for p in (event.location, event.admin1, event.country) if p) or "place unknown"
    if not known and "new" in rule.triggers:
        return Change("new", f"New {event.event_type} event matching {rule.name!r}: {place}, {toll}.")
    if "toll_revised" in rule.triggers and known and toll_rose(rule, previous_killed, killed):
        return Change(
            "toll_revised",
            f"Toll revised {previous_killed if previous_killed is not None else 'none'} → {killed}.",
        )
    added = sorted(set(fields) - set(previous_fields))
    if "disagreement" in rule.triggers and added:
        return Change("disagreement", f"Sources now disagree on {', '.join(added)}.")
    return Change(None, "")


def event_queries(rule: RuleConfig, query: EventQuery) -> list[EventQuery]:
    """The store queries whose results, together, hold every event `rule` can match (one per type and
    country the rule names: the indexed filters), each with the filters of `query` (dates, limit)."""
    types: list[str | None] = list(rule.event_types) or [None]
    countries: list[str | None] = list(rule.countries) or [None]
    bbox = tuple(rule.bbox) if rule.bbox is not None else None
    return [
        EventQuery(
            since=query.since,
            until=query.until,
            country=country,
            event_type=event_type if event_type and event_type.isupper() else None,
            min_killed=rule.min_killed,
            bbox=bbox,  # type: ignore[arg-type]
            limit=query.limit,
            sort=query.sort,
        )
        for event_type in dict.fromkeys(types)
        for country in dict.fromkeys(countries)
    ]
