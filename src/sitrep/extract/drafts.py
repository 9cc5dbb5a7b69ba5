"""Mentions being built, and how one article's drafts are grouped into one mention per act.

A coder reading an article counts one act once however often it is retold: drafts of one type,
date and country are one mention. Two statements on one day by parties of different countries are
two acts, and an embassy's advisory to its own citizens is a different act from its demand to the
host government. A vaguely dated retelling of an attack ("earlier this week") is the attack the
article dates to the day inside that span, unless the two give different death tolls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sitrep.extract.actors import Actor
from sitrep.extract.dates import DateSpan
from sitrep.extract.events import VIOLENT, Trigger
from sitrep.extract.places import PlaceChoice


@dataclass
class Draft:
    """A mention being built; frozen into a Mention once the article is settled."""

    trigger: Trigger
    start: int
    end: int
    quote: str
    date: DateSpan | None
    speech_date: DateSpan | None
    place: PlaceChoice | None
    actor1: Actor | None
    actor2: Actor | None
    killed: int | None = None
    injured: int | None = None
    aggregate: bool = False
    inherited: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


_Key = tuple[str, Any, str | None, str | None, str | None]


def _key(draft: Draft, country: str | None) -> _Key:
    """(type, date, country, acting country, advisory flag) of a draft."""
    trig = draft.trigger
    actor_country = None if trig.event_type in VIOLENT or draft.actor1 is None else draft.actor1.country
    mode = "advisory" if trig.mode == "advisory" else None
    return (trig.event_type, draft.date.as_tuple() if draft.date else None, country, actor_country, mode)


def group_drafts(
    drafts: list[Draft], default_country: str | None
) -> list[tuple[str, str | None, DateSpan | None, list[Draft]]]:
    """(event type, country, date, members) for each act of the article, in order of first appearance."""
    groups: dict[_Key, list[Draft]] = {}
    for draft in drafts:
        country = draft.place.country if draft.place else default_country
        groups.setdefault(_key(draft, country), []).append(draft)
    _fold_unknown_actor(groups)
    _fold_vague_retellings(groups)
    out = []
    for key, members in groups.items():
        dated = [d.date for d in members if d.date is not None and d.date.as_tuple() == key[1]]
        out.append((key[0], key[2], dated[0] if dated else None, members))
    return out


def _fold_unknown_actor(groups: dict[_Key, list[Draft]]) -> None:
    """A draft whose actor has no country joins the one group that matches it on everything else."""
    for key in [k for k in groups if k[3] is None]:
        partners = [k for k in groups if k[3] is not None and k[:3] == key[:3] and k[4] == key[4]]
        if len(partners) == 1:
            groups[partners[0]].extend(groups.pop(key))


def _fold_vague_retellings(groups: dict[_Key, list[Draft]]) -> None:
    """A range- or month-dated violent group joins a day-dated one inside its span with no other toll."""
    for key in list(groups):
        event_type, when, country = key[0], key[1], key[2]
        if event_type not in VIOLENT or when is None or when[1] not in {"range", "month"}:
            continue
        killed = {d.killed for d in groups[key] if d.killed is not None}
        targets = []
        for other, members in groups.items():
            if other == key or other[0] != event_type or other[2] != country or other[1] is None:
                continue
            if other[1][1] != "day" or not _inside(other[1][0], when):
                continue
            other_killed = {d.killed for d in members if d.killed is not None}
            if killed and other_killed and killed != other_killed:
                continue
            targets.append(other)
        if len(targets) == 1:
            groups[targets[0]].extend(groups.pop(key))


def _inside(day: Any, when: tuple[Any, str, Any]) -> bool:
    """Whether `day` falls in the month or range `when` = (first, precision, last)."""
    first, precision, last = when
    if precision == "month":
        return bool((day.year, day.month) == (first.year, first.month))
    return bool(first <= day <= (last or first))
