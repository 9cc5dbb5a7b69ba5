"""Attribute a trigger's date and actors: which date expression and which named parties belong to it.

A statement's date is the announcement's ("said on Friday"); an act's own date is the nearest
non-announcement date. actor1 is who acts (the speaker of a statement, the attacker of an attack),
actor2 the party acted on. Objects of prepositions and victims never act.
"""

from __future__ import annotations

import re

from sitrep.extract.actors import ATTACKER_HEADS, VICTIM_HEADS, Actor
from sitrep.extract.dates import DateSpan
from sitrep.extract.events import SPEECH, VIOLENT, Trigger

_SAYS_AFTER = re.compile(
    r"^\W{0,3}\s*(?:has |have |had )?(?:said|says|stated|declared|remarked|added|noted|told|"
    r"announced|reported|read|wrote|confirmed|stressed|emphasi[sz]ed|affirmed|insisted|claimed"
    r"|assured)\b"
)
_VIOLENT_WORD = re.compile(r"\b(?:struck|killed|attack\w*|clash\w*|fire|died|assault|strike)\b", re.I)


def is_oblique(actor: Actor) -> bool:
    """Whether the actor sits after "with", "to", "against": an object, not who acts."""
    return bool(
        re.search(
            r"\b(?:with|to|against|on|from|toward|towards|over)\s+(?:his|her|its|their|the)?\s*$",
            actor.sentence_before,
        )
    )


def is_victim(actor: Actor) -> bool:
    """Victims and mere place names do not act (they can still be acted on)."""
    return actor.head in {"workers", "citizens", "nationals", "employees", "civilians", "place"}


_SAYS_BEFORE = re.compile(r"(?:according to|said|told)\s+(?:the\s+)?$", re.I)


def pick_date(dates: list[DateSpan], trig: Trigger, sentence: str) -> tuple[DateSpan | None, DateSpan | None]:
    """(the event's own date, the announcement's date) for `trig`: the nearest fitting expressions."""
    speech = [d for d in dates if d.is_speech]
    own = [d for d in dates if not d.is_speech]
    first_speech = min(speech, key=lambda d: abs(d.start - trig.offset)) if speech else None
    if trig.event_type in SPEECH and trig.event_type != "CONSULT":
        if speech:
            return first_speech, first_speech
        near = [
            d
            for d in own
            if (d.start < trig.offset or d.start - trig.offset < 40)
            and not _VIOLENT_WORD.search(
                sentence[max(0, d.start - 60) : d.start]
            )  # "struck ... late Wednesday"
        ]
        return (min(near, key=lambda d: abs(d.start - trig.offset)) if near else None), None
    if own:
        return min(own, key=lambda d: abs(d.start - trig.offset)), first_speech
    return None, first_speech


def pick_actors(actors: list[Actor], trig: Trigger) -> tuple[Actor | None, Actor | None]:
    """actor1 (who acts) and actor2 (on whom) for `trig` from the actors of its sentence."""
    if not actors:
        return None, None
    if trig.event_type in VIOLENT:
        attackers = [a for a in actors if ATTACKER_HEADS.search(a.head) or (a.host and a.head in {"groups"})]
        victims = [a for a in actors if VICTIM_HEADS.search(a.head)]
        return (attackers[0] if attackers else None), (victims[0] if victims else None)
    speakers = [
        a
        for a in actors
        if a.country
        and not is_victim(a)
        and (_SAYS_AFTER.match(a.sentence_after) or _SAYS_BEFORE.search(a.sentence_before))
    ]
    if speakers:
        rest = [a for a in actors if a.start > trig.offset and a.country and a is not speakers[0]]
        return speakers[0], rest[0] if rest else None
    before = [
        a for a in actors if a.start <= trig.offset and a.country and not is_oblique(a) and not is_victim(a)
    ]
    after = [a for a in actors if a.start > trig.offset and a.country]
    a1 = before[0] if before else next((a for a in after if not is_oblique(a) and not is_victim(a)), None)
    rest = [a for a in after if a is not a1]
    return a1, rest[0] if rest else None
