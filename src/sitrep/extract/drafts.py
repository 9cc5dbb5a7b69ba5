"""Mentions being built, and how one article's drafts are grouped into one mention per act.

A coder reading an article counts one act once however often it is retold: drafts of one type,
date and country are one mention. Two statements on one day by parties of different countries are
two acts (not an agreement: one act of all its parties, whoever is named first), and an embassy's
advisory to its own citizens is a different act from its demand to the host government. A vaguely
dated retelling of an attack ("earlier this week") is the attack the article dates to the day inside
that span, unless the two give different death tolls.

Undated drafts borrow a date (`inherit_dates`); a borrowed date is "assumed" and casts no vote in the
merge, except a statement retold after the same speaker's dated announcement ("X said on Friday").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from sitrep.extract.actors import Actor
from sitrep.extract.dates import DateSpan
from sitrep.extract.events import SPEECH, VIOLENT, Trigger
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


_MUTUAL = {"AGREE"}  # acts of both sides at once: the party named first does not make another act
_Key = tuple[str, Any, str | None, str | None, str | None]


def _key(draft: Draft, country: str | None) -> _Key:
    """(type, date, country, acting country, advisory flag) of a draft."""
    trig = draft.trigger
    # an agreement is one act of all its parties, whichever of them the sentence names first
    shared = trig.event_type in VIOLENT or trig.event_type in _MUTUAL
    actor_country = None if shared or draft.actor1 is None else draft.actor1.country
    mode = "advisory" if trig.mode == "advisory" else None
    return (trig.event_type, draft.date.as_tuple() if draft.date else None, country, actor_country, mode)


def group_drafts(
    drafts: list[Draft], default_country: str | None
) -> list[tuple[str, str | None, DateSpan | None, list[Draft]]]:
    """(event type, country, date, members) for each act of the article, in order of first appearance."""
    groups: dict[_Key, list[Draft]] = {}
    for draft in drafts:
        country = draft.place.country if draft.place else (_forces_country(draft) or default_country)
        groups.setdefault(_key(draft, country), []).append(draft)
    _fold_unknown_actor(groups)
    _fold_vague_retellings(groups)
    out = []
    for key, members in groups.items():
        dated = [d.date for d in members if d.date is not None and d.date.as_tuple() == key[1]]
        out.append((key[0], key[2], dated[0] if dated else None, members))
    return out


_STATE_FORCES = re.compile(
    r"\b(?:guards?|officers?|troops?|soldiers?|servicem[ae]n|forces|police|army)\b", re.I
)
# Forces "from" somewhere, occupying or keeping the peace somewhere are not on their own soil.
_FROM_ABROAD = re.compile(r"\b(?:from|occupation|occupying|peacekeep\w*)\b", re.I)


def _forces_country(draft: Draft) -> str | None:
    """Where an unplaced clash happened: the country of the state forces in it ("Tajik officers died").

    Forces that guard or police a territory fight on it; a group "from" somewhere is only where it
    came from, occupation forces and peacekeepers stand on another country's soil. Only for violent
    acts whose sentence names no place.
    """
    if draft.trigger.event_type not in VIOLENT:
        return None
    sides = [
        actor.country
        for actor in (draft.actor1, draft.actor2)
        if actor
        and actor.country
        and _STATE_FORCES.search(actor.text)
        and not _FROM_ABROAD.search(actor.text)
    ]
    # "clashes between Armenian and Azerbaijani forces along the border": either side's soil
    return sides[0] if sides and len(set(sides)) == 1 else None


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


# Acts done by saying something: retold later in an article, they keep the day the party said it.
# (A call or an agreement retold by a speaker happened some time before the telling.)
_SAID_ACTS = {"ACCUSE", "REQUEST", "THREATEN", "REJECT", "PROTEST"}


_ANCHOR_REACH = 800  # characters: about two paragraphs, as far as "said on Friday" carries to later lines


def _same_speaker(speaker: tuple[str, str] | None, actor: Actor | None) -> bool:
    """Whether the (country, head) of an announcement's speaker is `actor`."""
    return speaker is not None and actor is not None and speaker == (actor.country, actor.head)


def inherit_dates(
    drafts: list[Draft], anchors: list[tuple[int, DateSpan]], speakers: dict[int, tuple[str, str]]
) -> None:
    """Give undated drafts the nearest dated draft's date of the same family, else an announcement's."""
    for draft in drafts:
        # an undated attack right after sentences that narrate its course ("crossed on Tuesday and were
        # located on Wednesday") takes their date as its own, unless an attack of its kind dated itself
        # earlier in the article (then it is a retelling of that one)
        if draft.date is None and "scene" in draft.extra:
            earlier = [
                d
                for d in drafts
                if d.trigger.event_type == draft.trigger.event_type
                and d.start < draft.start
                and d.date is not None
            ]
            if not earlier:
                draft.date = draft.extra["scene"][1]
    for draft in drafts:
        if draft.date is not None or draft.extra.get("earlier"):
            continue  # an act told as the background of another ("after X shelled ...") has its own day
        if "days_after" in draft.extra:
            firsts = [
                d.date
                for d in drafts
                if d.trigger.event_type == draft.trigger.event_type
                and d.start < draft.start
                and d.date is not None
                and d.date.precision == "day"
                and not d.inherited
            ]
            if firsts:
                first = min(firsts, key=lambda span: span.date)
                when = first.date + dt.timedelta(days=draft.extra["days_after"])
                draft.date = replace(first, date=when, start=0, stop=0, is_speech=False)
                continue
        violent = draft.trigger.event_type in VIOLENT
        same = [
            d
            for d in drafts
            if d.date is not None
            and not d.inherited
            and d.date.precision not in {"month", "year"}  # a background month or year dates only its own act
            and (violent or d.date.precision != "range")  # nor does a span ("last week") a statement
            and (d.trigger.event_type in VIOLENT) == violent
        ]
        if violent or draft.trigger.event_type not in SPEECH:
            same = [d for d in same if d.trigger.event_type == draft.trigger.event_type]
        else:
            same = [d for d in same if d.trigger.event_type in SPEECH]
        pool: list[tuple[int, DateSpan]] = [(d.start, d.date) for d in same if d.date is not None]
        if draft.trigger.event_type in SPEECH:
            # an announcement made further on is another party's news, not this statement's day
            # and one made far back, by another speaker, is some earlier news
            pool += [
                a
                for a in anchors
                if a[0] <= draft.start
                and (draft.start - a[0] <= _ANCHOR_REACH or _same_speaker(speakers.get(a[0]), draft.actor1))
            ]
            if draft.speech_date is not None:
                pool = [(draft.start, draft.speech_date)]
        elif not pool:  # an attack reported as announced on a day happened by that day
            pool = [(draft.start, draft.speech_date)] if draft.speech_date is not None else list(anchors)
        if "act_date" in draft.extra:
            # "both sides blamed each other for Sunday's clashes": an accusation its sentence does not
            # date was made, as far as we know, on the day of the act it is about (no vote: assumed)
            draft.date = draft.extra["act_date"]
            draft.inherited = True
            continue
        if pool:
            before = [p for p in pool if p[0] <= draft.start]
            chosen = max(before, key=lambda p: p[0]) if before else min(pool, key=lambda p: p[0])
            draft.date = chosen[1]
            # a statement retold after "X said on Friday" by the same party is the one said on Friday
            draft.inherited = not (
                draft.trigger.event_type in _SAID_ACTS
                and draft.actor1 is not None
                and draft.actor1.country is not None
                and _same_speaker(speakers.get(chosen[0]), draft.actor1)
            )
        if violent and draft.place is None:
            placed = [
                d
                for d in drafts
                if d.place is not None
                and d.trigger.event_type == draft.trigger.event_type
                and d.date == draft.date
            ]
            if placed:
                draft.place = min(placed, key=lambda d: d.place.rank if d.place else 9).place
