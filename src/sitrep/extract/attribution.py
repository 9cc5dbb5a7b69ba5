"""Attribute a trigger's date and actors: which date expression and which named parties belong to it.

A statement's date is the announcement's ("said on Friday", "On Monday, the minister said"); an
act's own date is the nearest non-announcement date in its clause ("Sunday's assault, but officials
last week blamed" dates the blame last week). actor1 is who acts: the subject right before the verb,
else the speaker of a statement (the leader a press service speaks for), else the first party named;
actor2 is the party acted on, never a victim of a condemned attack, a partner after "with", or the
actor's own country named as a place. In an attack the attacker comes first and its victim second;
in an armed clash the state force comes first (as ACLED coders list battles) and the group it fought
second. Whoever merely reports violence takes no part in it.
"""

from __future__ import annotations

import re

from sitrep.extract.actors import ATTACKER_HEADS, ORGANISATION, VICTIM_HEADS, Actor
from sitrep.extract.dates import DateSpan
from sitrep.extract.events import SPEECH, VIOLENT, Trigger

_SAYS_AFTER = re.compile(
    r"^\W{0,3}\s*(?:(?:however|meanwhile|also|too|later|then|in a statement|on \w+day)\W{0,3}\s*)*"
    r"(?:has |have |had )?(?:said|says|stated|declared|remarked|added|noted|told|"
    r"announced|reported|read|wrote|confirmed|stressed|emphasi[sz]ed|affirmed|insisted|claimed"
    r"|assured)\b"
)
# "Pakistan's state media said": the country named with its possessive is who speaks, through the
# body named after it (at most three lower-case words).
_SAYS_AFTER_POSSESSIVE = re.compile(r"^\s*(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*" + _SAYS_AFTER.pattern[1:])
_VIOLENT_WORD = re.compile(
    r"\b(?:struck|killed|attack\w*|clash\w*|fire|died|assault|strike|raid\w*|ambush\w*|shelling|bombing"
    r"|firefight|shootout)\b",
    re.I,
)


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
    own = [d for d in dates if not d.is_speech and not dates_another_act(sentence, d, trig)]
    first_speech = min(speech, key=lambda d: abs(d.start - trig.offset)) if speech else None
    if trig.event_type in SPEECH and trig.event_type != "CONSULT":
        if speech:
            return first_speech, first_speech
        near = [
            d
            for d in own
            if (d.start < trig.offset or d.start - trig.offset < 40) and not dates_violence(sentence, d)
        ]
        return (min(near, key=lambda d: abs(d.start - trig.offset)) if near else None), None
    if own:
        return min(own, key=lambda d: abs(d.start - trig.offset)), first_speech
    return None, first_speech


# A date that belongs to a noun: "the statement of November 9", "the December 3 closure".
_NOUN_ACTS = (
    r"(?:statement|agreement|declaration|accord|treaty|deal|resolution|decree|protocol|ceasefire|cease-fire|truce"
    r"|memorandum|talks|meeting|summit|attack|clash|closure|blockade|offensive|raid|strike|election)s?"
)
_DATE_OF_NOUN = re.compile(r"\b" + _NOUN_ACTS + r"\s+(?:of|dated|signed on)\s+$", re.I)
_NOUN_AFTER_DATE = re.compile(r"^\s*(?:[\w-]+\s+)?" + _NOUN_ACTS + r"\b", re.I)


def dates_another_act(sentence: str, date: DateSpan, trig: Trigger) -> bool:
    """Whether `date` is a noun's own ("the statement of November 9, 2020", "the December 3 closure")
    and the trigger is not that noun: it dates another act than the trigger's."""
    before = sentence[max(0, date.start - 40) : date.start]
    after = sentence[date.stop : date.stop + 30]
    of_noun = _DATE_OF_NOUN.search(before)
    if of_noun is not None:
        noun_at = date.start - len(before) + of_noun.start()
        return not noun_at <= trig.offset < date.start
    noun = _NOUN_AFTER_DATE.match(after)
    if noun is None or not re.search(r"\bthe\s+$", before, re.I):
        return False
    return not date.stop <= trig.offset < date.stop + noun.end()


# A clause break: what follows it has its own verb, so a date after it does not belong to an act before.
_CLAUSE_BREAK = re.compile(r";|,\s*(?:but|while|whereas|although|and|as)\b|\bbut\b")


def dates_violence(sentence: str, date: DateSpan) -> bool:
    """Whether `date` dates an act of violence in its sentence rather than a statement: it follows a
    violent word in the same clause ("struck ... late Wednesday") or is a possessive before one
    ("Sunday's assault")."""
    window = sentence[max(0, date.start - 60) : date.start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    if _VIOLENT_WORD.search(window):
        return True
    after = sentence[date.stop : date.stop + 20].lstrip()
    return bool(date.text.endswith(("'s", "’s")) and _VIOLENT_WORD.match(after))


def pick_actors(actors: list[Actor], trig: Trigger) -> tuple[Actor | None, Actor | None]:
    """actor1 (who acts) and actor2 (on whom) for `trig` from the actors of its sentence."""
    if not actors:
        return None, None
    if trig.event_type in VIOLENT:
        # whoever reports the violence ("the committee said") takes no part in it
        reporters = [a for a in actors if _SAYS_AFTER.match(a.sentence_after)]
        actors = [a for a in actors if a not in reporters]
        attacker, attacked = _violent_sides(actors, trig)
        if attacker is None:
            side = _reporting_side(reporters, actors)
            if side is not None:
                return side
        return attacker, attacked
    speakers = [
        a
        for a in actors
        if _known(a)
        and (
            (
                not is_victim(a)
                and (_SAYS_AFTER.match(a.sentence_after) or _SAYS_BEFORE.search(a.sentence_before))
            )
            # a place name acts through its possessed body ("Pakistan's state media said")
            or (
                a.head in {"place", "country"}
                and _is_possessive(a)
                and (_SAYS_AFTER_POSSESSIVE.match(a.sentence_after) or _opens_sentence(a))
            )
        )
    ]
    agent = _agent(actors, trig)
    if agent and speakers and agent.start > speakers[0].start and _accused(speakers[0], agent, trig):
        return _principal(speakers[0], actors), agent  # "the ministry said the rebels fired first"
    if agent is not None and (not speakers or agent.start > speakers[0].start):
        speakers = [agent]  # "the embassy said Tajik authorities committed to ...": the authorities act
    if speakers:
        speaker = _principal(speakers[0], actors)
        rest = [a for a in actors if a.start > trig.offset and _known(a) and a is not speaker]
        if trig.event_type in _AGAINST:  # "X's failure demonstrates irresponsibility": X named first
            rest += [a for a in actors if a.start <= trig.offset and _known(a) and a is not speaker]
        return speaker, _target(speaker, rest, trig)
    before = [
        a for a in actors if a.start <= trig.offset and _known(a) and not is_oblique(a) and not is_victim(a)
    ]
    after = [a for a in actors if a.start > trig.offset and _known(a)]
    if not before and trig.event_type in _AGAINST and after and not _BY.search(after[0].sentence_before):
        # "The minister rejected Baku's claims": the party named after the verb is its object
        return None, _target(None, after, trig)
    a1 = (
        before[0]
        if before
        else next(
            (a for a in after if not is_oblique(a) and not is_victim(a) and a.head != ORGANISATION), None
        )
    )  # an organisation named after the act is who it was asked of, not who acted
    a1 = _principal(a1, actors) if a1 is not None else None
    rest = [a for a in after if a is not a1]
    return a1, _target(a1, rest, trig)


# The other side of a clash, named after "clashes with" ("troops were killed in clashes with Armenia").
_CLASH_WITH = re.compile(r"\b(?:clash\w*|fighting|battles?|skirmish\w*)\s+with\s+(?:the\s+)?$", re.I)
# A state's own organs: what they report of their own losses is their side's fight.
_STATE_BODY = re.compile(
    r"ministry|government|army|military|forces|troops|guard|border|security|authorities|president", re.I
)


def _reporting_side(reporters: list[Actor], actors: list[Actor]) -> tuple[Actor, Actor] | None:
    """(the reporter, the party it clashed with) when a state body reports a clash "with" a party of
    another country and no one else is named as fighting: "The Kazakh defence ministry said two
    soldiers died in clashes with Kyrgyzstan" is Kazakhstan's forces against Kyrgyzstan's."""
    partner = next((a for a in actors if a.country and _CLASH_WITH.search(a.sentence_before)), None)
    if partner is None:
        return None
    for reporter in reporters:
        if reporter.country and reporter.country != partner.country and _STATE_BODY.search(reporter.head):
            return reporter, partner
    return None


def _opens_sentence(actor: Actor) -> bool:
    """Whether the actor opens its sentence ("Pakistan's military wing released a statement"): the
    body it possesses is the sentence's subject."""
    return not actor.sentence_before.strip(" \"“‘'")


def _is_possessive(actor: Actor) -> bool:
    """Whether the actor's words end in a possessive ("Pakistan's"), left out of its text."""
    return actor.stop - actor.start > len(actor.text) or actor.text.endswith(("'s", "’s"))


def _accused(speaker: Actor, agent: Actor, trig: Trigger) -> bool:
    """Whether the subject of the clause a speaker reports is who the speaker blames: in an accusation
    ("X said Y's forces had fired first") the reported act is the wrong X lays at Y's door, so X is
    actor1 and Y actor2 (a party of the speaker's own country is not blamed across a border)."""
    return trig.event_type == "ACCUSE" and agent.country is not None and agent.country != speaker.country


def _known(actor: Actor) -> bool:
    """An actor we can code: one with a country, or an international organisation (which has none)."""
    return actor.country is not None or actor.head == ORGANISATION


# Who speaks for someone else: their words are the principal's act ("His press service said Rahmon ...").
_MOUTHPIECE = re.compile(r"press service|press office|spokes(?:man|person|woman)|\boffice\b", re.I)
# Acts aimed at wrongdoers: those named as harmed ("the attack on Chinese workers") are not the target.
_AGAINST = {"ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION"}
_HARMED = re.compile(
    r"\b(?:attack|strike|assault|raid|shelling|bombing|killing|deaths?)\w*\s+(?:on|against|targeting|of)\b"
    r"[^,;.]{0,25}$",
    re.IGNORECASE,
)


# A go-between of talks or a deal, who is no party to it ("mediated by", "brokered by", "hosted by").
_MEDIATOR = re.compile(
    r"\b(?:(?:mediated|brokered|facilitated|hosted)\s+by|mediation\s+of|mediators?\s+from)\s+(?:the\s+)?"
    r"(?:[A-Z][\w’'-]+,?\s+(?:and\s+)?)?$",
    re.IGNORECASE,
)
_TALKS = {"CONSULT", "AGREE"}  # acts with a venue: "talks in Doha", "agreed in Washington"
_VENUE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$", re.IGNORECASE)
# "against X" names whom an act or a statement is aimed at, a country name included.
_AIMED = re.compile(r"\bagainst\s+(?:the\s+)?$", re.IGNORECASE)


_PASSIVE = re.compile(
    r"^[^.;]{0,45}?\b(?:were|was|had been|have been|has been)\s+(?:\w+ly\s+)?[“\"]?\w+(?:ed|en)\b"
)
_BY = re.compile(r"\bby\s+(?:the\s+)?$")


def _violent_sides(actors: list[Actor], trig: Trigger) -> tuple[Actor | None, Actor | None]:
    """(attacker, attacked) of a violent trigger: an agent after "by" or right before the verb or noun
    ("Ukrainian forces attacked"), else a group word; the passive subject ("smugglers were neutralised")
    and victim words are the attacked."""
    passive = [a for a in actors if _PASSIVE.match(a.sentence_after)]
    by = [a for a in actors if _BY.search(a.sentence_before)]
    agent = _agent(actors, trig)
    attackers = by or ([agent] if agent is not None and not VICTIM_HEADS.search(agent.head) else [])
    attackers += [
        a
        for a in actors
        if (ATTACKER_HEADS.search(a.head) or (a.host and a.head in {"groups"})) and a not in passive
    ]
    attacker = attackers[0] if attackers else None
    victims = [a for a in passive if a is not attacker]
    victims += [a for a in actors if VICTIM_HEADS.search(a.head) and a is not attacker]
    victims += [a for a in actors if _HARMED.search(a.sentence_before) and a is not attacker]
    return attacker, (victims[0] if victims else None)


def _agent(actors: list[Actor], trig: Trigger) -> Actor | None:
    """The subject right before the trigger's verb ("Tajik authorities committed"), if any."""
    for actor in reversed(actors):
        gap = trig.offset - actor.stop
        if actor.stop > trig.offset or gap > len(actor.sentence_after):
            continue
        between = actor.sentence_after[:gap]
        if (
            actor.country
            and not re.search(r"\b(?:and|or|nor)\s+$", actor.sentence_before)  # "X and Y met": X leads
            and not is_oblique(actor)
            and not is_victim(actor)
            and re.fullmatch(
                r"\s+(?:(?:has|have|had|also|then|later|\w+ly|launched|carried out|staged|mounted)\s+)*"
                r"(?:(?:an?|the)\s+)?",
                between,
            )
        ):
            return actor
        return None
    return None


def _principal(a1: Actor, actors: list[Actor]) -> Actor:
    """The person a mouthpiece speaks for, named after it with no other country, else `a1` itself."""
    if a1.head == "person" or not _MOUTHPIECE.search(a1.head):
        return a1
    person = next((a for a in actors if a.start >= a1.stop and a.head == "person"), None)
    if person is None or (person.country and a1.country and person.country != a1.country):
        return a1
    return person


def _target(a1: Actor | None, rest: list[Actor], trig: Trigger) -> Actor | None:
    """The first of `rest` that the act can be aimed at: for a statement against wrongdoers not a
    victim, and never a bare country or place name of the actor's own country ("Tajikistan" in a Tajik
    statement is where it happened, not whom it addressed)."""
    for actor in rest:
        if _MEDIATOR.search(actor.sentence_before):
            continue  # "talks mediated by Qatar": the go-between is neither party
        if trig.event_type in _TALKS and actor.head == "place" and _VENUE.search(actor.sentence_before):
            continue  # "talks in Doha": where it happened, not with whom
        if _AIMED.search(actor.sentence_before) and actor.country != (a1.country if a1 else None):
            return actor  # "vowed retaliation against Pakistan": the party named after "against"
        if trig.event_type in _AGAINST and (
            actor.head == "place"
            or _HARMED.search(actor.sentence_before)  # "the attack on the residence of X": X was harmed
            or re.search(r"\bwith\s+(?:his|her|its|their|the)?\s*$", actor.sentence_before)  # a partner
            or (a1 is not None and actor.country == a1.country)  # blame falls across a border, or is unsure
        ):
            continue
        if a1 is not None and actor.head in {"place", "country"} and actor.country == a1.country:
            continue
        return actor
    return None


# State forces: in a battle a coder names them first, whoever fired first.
_STATE_FORCE = re.compile(
    r"guard|troops|forces|army|military|police|soldier|officer|committee|border service|agency", re.I
)


def battle_sides(a1: Actor | None, a2: Actor | None) -> tuple[Actor | None, Actor | None]:
    """(actor1, actor2) of an armed clash: the state force first, the armed group it fought second."""
    if (
        a2 is not None
        and _STATE_FORCE.search(a2.head)
        and (a1 is None or ATTACKER_HEADS.search(a1.head))
        and not (a1 is None and _PASSIVE.match(a2.sentence_after))  # "troops were killed": whoever killed
    ):
        return a2, a1
    if a2 is None and a1 is not None and ATTACKER_HEADS.search(a1.head):
        return None, a1  # the force it fought goes unnamed here; the group is still the second side
    return a1, a2


# Who, named without a country, stands on their own country's ground when a foreign state strikes it.
_ON_HOME_GROUND = {"civilians", "country", "place"}
# Foreigners who are harmed where they live or work: no state's side in a fight.
_PEOPLE_ABROAD = re.compile(r"worker|citizen|national|employee|civilian", re.I)


def home_side(country: str | None, a1: Actor | None, a2: Actor | None) -> tuple[str | None, str | None]:
    """(actor1 country, actor2 country) of a violent act placed in `country`: when one side is a
    foreign state's and the other goes unnamed or is named without a country, the other side is the
    country's own, on its own ground ("Pakistan struck villages in Paktika": the villages are Afghan;
    "Afghan border forces fired on a post in Chaman": the post is Pakistani). An armed group of no
    stated country, or workers and nationals (often foreigners themselves), are never given one, and
    nothing is inferred for an act with no place, or when both sides are known."""
    c1 = a1.country if a1 else None
    c2 = a2.country if a2 else None
    if country is None or (c1 is not None) == (c2 is not None):
        return c1, c2
    foreign, other = (a1, a2) if c1 is not None else (a2, a1)
    assert foreign is not None
    if foreign.country == country or _PEOPLE_ABROAD.search(foreign.head):
        return c1, c2  # a home side's act says nothing of the other; foreign workers are no state side
    if other is not None and not (_STATE_FORCE.search(other.head) or other.head in _ON_HOME_GROUND):
        return c1, c2  # armed groups, and workers or nationals, who are often foreigners themselves
    if c1 is None and not _STATE_FORCE.search(foreign.head):
        return c1, c2  # attacked foreign forces were fought by the home side; a country named is no side
    return (country, c2) if c1 is None else (c1, country)
