"""Derive a merged Event from its mentions (the claims): chosen values, counts and discrepancies.

Every choice counts *independent* sources: an article and its copies (syndicated duplicates) are one
vote. The rules are written out in docs/merging.md; keep the two in step.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from sitrep.model import Count, Discrepancy, Event, Mention
from sitrep.resolve.blocking import split_key
from sitrep.resolve.similarity import (
    COUNTRY_CODES,
    COUNTRY_WORDS,
    ROLE_WORDS,
    STATEMENT_SPREAD_DAYS,
    actor_country_words,
    date_interval,
    fold,
    in_field,
    is_capital_only,
    is_seat_only,
    is_stated,
    is_statement,
    is_vague_actor,
    place_levels,
    place_relation,
    stem,
)

T = TypeVar("T", bound=Hashable)
VAGUE_WEIGHT = 0.25  # a range or month that covers a day adds a quarter of a precise report to it
MAX_CONFIDENCE = 0.99  # no number of sources makes an event certain
GENERIC_MODES = frozenset({"statement"})  # the channel of nearly every verbal act
# Modes that one in-person encounter is reported as, mapped to one kind.
COMPATIBLE_MODES = {"visit": "in-person", "meeting": "in-person", "negotiation": "in-person"}
# A value must come from a mention at least this confident to disagree (docs/merging.md,
# "Discrepancies"): extraction gives 0.5 and less to a sentence that anchors its event by neither a
# stated date nor a place, a passing reference that may well be to another act.
MIN_DISAGREEING_CONFIDENCE = 0.6
# A mode disagrees only when this many independent sources give it: extraction reads the mode off
# one verb ("clashed" is firearms, "struck" a strike), so one outlet's wording is no claim that the
# act was done otherwise; two outlets telling it one way against others telling it another are.
MIN_MODE_SOURCES = 2
# Words that mark an armed or criminal non-state actor (after `similarity.ARMED_LABELS` folding).
# Names of one country without them are that country's authorities: outlets credit one act to the
# president, a ministry, an agency or its service (the border troops are part of the security
# committee), a difference of wording, not of identity. "Militants" vs "smugglers" still disagree.
NON_STATE_WORDS = frozenset(
    stem(w)
    for w in (
        "militant", "smuggler", "criminal", "gang", "trafficker", "bandit", "rebel", "separatist",
        "opposition", "smugglers", "criminals", "gangs", "traffickers", "bandits", "rebels",
    )
)  # fmt: skip
# A toll summed over several incidents or over a period ("five killed in two attacks", "over the
# past week") belongs to no single event (ACLED attributes it to none).
AGGREGATE_TOLL = re.compile(
    r"\b(attacks|incidents|assaults|raids|another (attack|incident|assault|raid|strike)"
    r"|(over|in|during) the (past|last) (week|month|\w+ (days|weeks|months)))\b",
    re.IGNORECASE,
)


def event_id_for(mentions: Iterable[Mention]) -> str:
    """Return "ev-" + the first 12 hex digits of the sha1 of the smallest mention id."""
    first = min(m.mention_id for m in mentions)
    return "ev-" + hashlib.sha1(first.encode("utf-8")).hexdigest()[:12]


def root_of(article_id: str, copies: Mapping[str, str]) -> str:
    """Return the original that `article_id` copies (following chains), or itself."""
    seen = {article_id}
    while article_id in copies and copies[article_id] not in seen:
        article_id = copies[article_id]
        seen.add(article_id)
    return article_id


class Votes:
    """Independent-source votes for the values of one field."""

    def __init__(self, mentions: Sequence[Mention], copies: Mapping[str, str]) -> None:
        self.mentions = mentions
        self.copies = copies

    def tally(self, value_of: Callable[[Mention], T | None]) -> dict[T, tuple[set[str], set[str]]]:
        """Return value -> (independent roots, article ids) for every non-null value."""
        out: dict[T, tuple[set[str], set[str]]] = {}
        for m in self.mentions:
            value = value_of(m)
            if value is None:
                continue
            roots, ids = out.setdefault(value, (set(), set()))
            roots.add(root_of(m.article_id, self.copies))
            ids.add(m.article_id)
        return out

    def modal(self, value_of: Callable[[Mention], T | None], tiebreak: Callable[[T], Any] = str) -> T | None:
        """Return the value most independent sources give; ties go to the smallest `tiebreak`."""
        tally = self.tally(value_of)
        if not tally:
            return None
        return min(tally, key=lambda v: (-len(tally[v][0]), tiebreak(v)))


def discrepancy(field: str, values: Mapping[Any, Iterable[str]]) -> Discrepancy | None:
    """Return a Discrepancy when at least two values are given, values and ids sorted."""
    if len(values) < 2:
        return None
    ordered = sorted(values.items(), key=lambda kv: str(kv[0]))
    return Discrepancy(field, tuple((value, tuple(sorted(set(ids)))) for value, ids in ordered))


_ABSOLUTE = re.compile(r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)


def date_label(m: Mention) -> str | None:
    """Return the date a mention gives as text: day, start/end, YYYY-MM or YYYY."""
    if m.date is None:
        return None
    if m.date_precision == "range" and m.date_end and m.date_end != m.date:
        return f"{m.date.isoformat()}/{m.date_end.isoformat()}"
    if m.date_precision == "month":
        return m.date.isoformat()[:7]
    if m.date_precision == "year":
        return str(m.date.year)
    return m.date.isoformat()


def choose_date(votes: Votes, statement: bool = False) -> tuple[Mention | None, Discrepancy | None]:
    """Return a mention carrying the chosen date (None if undated) and the date discrepancy.

    Only stated dates vote and disagree; a date extraction assumed (the article's own, see
    `similarity.is_stated`) is used only when no source states one. For a `statement` (a verbal
    act), a day within STATEMENT_SPREAD_DAYS of the chosen one is the same saying, not a disagreement.
    """
    stated = [m for m in votes.mentions if is_stated(m)]
    pool = Votes(stated, votes.copies) if stated else votes
    days = pool.tally(lambda m: m.date if m.date_precision == "day" else None)
    vague = [m for m in pool.mentions if m.date is not None and m.date_precision != "day"]
    chosen: Mention | None = None
    if days and not stated:
        # Every date is assumed (an article's own date): each says only "by then", so the earliest
        # report bounds the event best.
        best_day = min(days)
        chosen = min((m for m in pool.mentions if m.date == best_day and m.date_precision == "day"),
                     key=lambda m: m.mention_id)  # fmt: skip
    elif days:

        def score(day: Any) -> float:
            covering = {root_of(m.article_id, votes.copies) for m in vague if _covers(m, day)}
            return len(days[day][0]) + VAGUE_WEIGHT * len(covering)

        def calendar(day: Any) -> int:
            # On a tie, a day written as a calendar date ("December 1") beats one worked out from
            # another ("a day after", "on Sunday"): the reader's arithmetic is one more step to err.
            return sum(1 for m in pool.mentions if m.date == day and _ABSOLUTE.search(m.date_text or ""))

        best_day = min(days, key=lambda d: (-score(d), -calendar(d), d))
        chosen = min((m for m in pool.mentions if m.date == best_day and m.date_precision == "day"),
                     key=lambda m: m.mention_id)  # fmt: skip
    elif vague:
        # No exact day: the most reported vague date, narrower precision first, then earlier. A
        # range of one day ("this week" said on a Monday) is labelled as that day: the narrowest.
        order = {"day": 0, "range": 1, "month": 2, "year": 3}
        label = pool.modal(date_label, lambda v: (order[_precision_of(v)], v))
        chosen = min((m for m in vague if date_label(m) == label), key=lambda m: m.mention_id)
    if chosen is None:
        return None, None
    chosen_interval = date_interval(chosen)
    assert chosen_interval is not None  # chosen always has a date
    values: dict[str, set[str]] = defaultdict(set)
    for m in stated:
        label = date_label(m)
        interval = date_interval(m)
        if label is None or interval is None:
            continue
        if statement and m.date_precision == "day" and _within_spread(m, chosen):
            label = date_label(chosen) or label  # said one day, reported the next: the same saying
        overlaps = interval[0] <= chosen_interval[1] and chosen_interval[0] <= interval[1]
        if m.date_precision != "day" and not overlaps and not _ABSOLUTE.search(m.date_text or ""):
            continue  # "last week", "recently": a reader's span with loose edges claims no other day
        if m.date_precision == "day" or not overlaps or label == date_label(chosen):
            values[label].add(m.article_id)
    return chosen, discrepancy("date", values)


def _within_spread(m: Mention, chosen: Mention) -> bool:
    """Return True when `m` states a day at most STATEMENT_SPREAD_DAYS from `chosen`'s exact day."""
    if m.date is None or chosen.date is None or chosen.date_precision != "day":
        return False
    return abs((m.date - chosen.date).days) <= STATEMENT_SPREAD_DAYS


def _covers(m: Mention, day: Any) -> bool:
    interval = date_interval(m)
    return interval is not None and interval[0] <= day <= interval[1]


def _precision_of(label: str) -> str:
    return "range" if "/" in label else "month" if len(label) == 7 else "year" if len(label) == 4 else "day"


def choose_count(
    votes: Votes, field: str, value_of: Callable[[Mention], int | None]
) -> tuple[Count | None, Discrepancy | None]:
    """Return {best, low, high} of a stated count and its discrepancy (docs/merging.md, "best").

    A toll the quote sums over several incidents or a period (`is_aggregate_toll`) is no claim
    about this event: it neither votes nor disagrees.
    """

    def own_count(m: Mention) -> int | None:
        return None if is_aggregate_toll(m) else value_of(m)

    tally = votes.tally(own_count)
    if not tally:
        return None, None
    # Most independent sources; then the larger: a toll grows as bodies are found and reports
    # catch up, and a total beats the part one outlet counted (docs/merging.md, "best").
    best = min(tally, key=lambda v: (-len(tally[v][0]), -v))
    count = Count(best=best, low=min(tally), high=max(tally))
    credible = credible_votes(votes).tally(own_count)
    return count, discrepancy(field, {v: ids for v, (_, ids) in credible.items()})


def same_day_votes(votes: Votes, chosen: Mention | None) -> Votes:
    """Drop the tolls of sources that state a day more than a day off the event's chosen day.

    A report that dates its fighting to another day ("on Sunday" against Wednesday's clash) counts
    that day's dead; its toll is no claim about this event (docs/merging.md, "best").
    """
    if chosen is None or chosen.date is None or chosen.date_precision != "day":
        return votes
    kept = [
        m
        for m in votes.mentions
        if not (m.date_text and m.date is not None and m.date_precision == "day")
        or abs((m.date - chosen.date).days) <= 1
    ]
    return Votes(kept, votes.copies)


def is_aggregate_toll(m: Mention) -> bool:
    """Return True when the mention's quote counts victims of several incidents or of a period."""
    return bool(AGGREGATE_TOLL.search(m.quote))


def credible_votes(votes: Votes) -> Votes:
    """Return the votes of mentions confident enough to disagree (MIN_DISAGREEING_CONFIDENCE)."""
    kept = [m for m in votes.mentions if m.confidence >= MIN_DISAGREEING_CONFIDENCE]
    return Votes(kept, votes.copies)


PlaceChoice = tuple[str | None, str | None, str | None, float | None, float | None]


def scene_votes(votes: Votes, field_act: bool) -> Votes:
    """Drop capital-only places of an act done in the field when another source names a scene.

    For an attack or a deployment, a capital named alone is mostly the dateline or the speaker
    ("DUSHANBE: ...", "according to Dushanbe"); a report naming somewhere else names the scene.
    """
    if not field_act or not any(any(place_levels(m)) and not is_capital_only(m) for m in votes.mentions):
        return votes
    return Votes([m for m in votes.mentions if not is_capital_only(m)], votes.copies)


def venue_votes(votes: Votes) -> Votes:
    """Drop joint acts placed only at a party's seat when another source gives another place.

    Each side of an agreement or a meeting tells it from home ("ISLAMABAD: ... agreed with Kabul");
    a report that places it elsewhere (a venue, a third capital) names where it happened.
    """
    venues = [m for m in votes.mentions if m.country and any(place_levels(m)) and not is_seat_only(m)]
    if not venues or not any(is_seat_only(m) for m in votes.mentions):
        return votes
    return Votes(venues, votes.copies)


def _choose_country(votes: Votes) -> str | None:
    """Return the country most sources give, venues of joint acts before their parties' seats."""
    return venue_votes(votes).modal(lambda m: m.country) or votes.modal(lambda m: m.country)


def choose_place(votes: Votes, field_act: bool = False) -> tuple[PlaceChoice, Discrepancy | None]:
    """Return (admin1, admin2, location, lat, lon) and the location discrepancy.

    The majority admin1 first; then the most specific place named by any source inside it. For
    acts done in the field (`field_act`), capitals named alone give way to a named scene.
    """
    votes = venue_votes(scene_votes(votes, field_act))
    placed = [m for m in votes.mentions if any(place_levels(m))]
    admin1 = votes.modal(lambda m: place_levels(m)[0] or None)
    consistent = [m for m in placed if place_levels(m)[0] in ("", admin1)] if admin1 else placed
    chosen: Mention | None = None
    for level in (2, 1, 0):  # location, then admin2, then admin1
        named = [m for m in consistent if place_levels(m)[level]]
        if level == 2:
            named = _inside_venue(_below_district(_below_namesake(named)))
        if named:
            name = Votes(named, votes.copies).modal(lambda m, lv=level: place_levels(m)[lv])  # type: ignore[misc]
            chosen = min((m for m in named if place_levels(m)[level] == name), key=lambda m: m.mention_id)
            break
    if chosen is None:
        return (None, None, None, None, None), None
    admin1_name = chosen.admin1 or next((m.admin1 for m in consistent if place_levels(m)[0] == admin1), None)
    choice = (admin1_name, chosen.admin2, chosen.location, chosen.lat, chosen.lon)
    return choice, _place_discrepancy(credible_votes(votes).mentions)


def _below_namesake(named: list[Mention]) -> list[Mention]:
    """Drop towns named like their own province when another town in it is named.

    "In Kandahar" may mean the province as well as its seat; a report naming a town inside
    that province ("Spin Boldak, Kandahar") says more, whatever the number of sources.
    """
    specific = [m for m in named if place_levels(m)[2] != place_levels(m)[0]]
    return specific or named


def _below_district(named: list[Mention]) -> list[Mention]:
    """Drop reports that name only the district when another names a place inside it.

    "Shodak village in Darvoz" says more than "Darvoz district", however many sources say the latter.
    """
    finer = {
        place_levels(m)[1] for m in named if place_levels(m)[1] and place_levels(m)[2] != place_levels(m)[1]
    }
    return [m for m in named if not (place_levels(m)[2] == place_levels(m)[1] in finer)] or named


def _inside_venue(named: list[Mention]) -> list[Mention]:
    """Drop a city named alone when another report names a venue in it ("White House, Washington").

    A statement placed at its speaker's seat names the city; the report that names the building
    where the leaders met says more.
    """
    venues = {fold(m.location or "") for m in named if "," in (m.location or "")}
    return [m for m in named if not any(v.endswith(", " + fold(m.location or "")) for v in venues)] or named


def _place_discrepancy(mentions: Sequence[Mention]) -> Discrepancy | None:
    """List places that are not in a containment relation with each other (ancestors dropped)."""
    groups: dict[tuple[str, str, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        if any(place_levels(m)):
            groups[place_levels(m)].append(m)
    reps = {levels: min(ms, key=lambda m: m.mention_id) for levels, ms in groups.items()}

    def specific(levels: tuple[str, str, str]) -> str:
        return next(n for n in reversed(levels) if n)

    kept = [
        lv for lv in reps
        if not any(
            other != lv and specific(lv) in other and specific(other) != specific(lv)
            and not place_relation(reps[lv], reps[other]).startswith("conflict")
            for other in reps
        )
    ]  # fmt: skip
    conflict = any(
        place_relation(reps[a], reps[b]).startswith("conflict") for a in kept for b in kept if a < b
    )
    if not conflict:
        return None
    values: dict[str, set[str]] = defaultdict(set)
    for lv in kept:
        rep = reps[lv]
        name = rep.location or rep.admin2 or rep.admin1 or ""
        values[name].update(m.article_id for m in groups[lv])
    return discrepancy("location", values)


def choose_actor(
    votes: Votes, field: str, battle: bool = False
) -> tuple[str | None, str | None, Discrepancy | None]:
    """Return (name, country, discrepancy) for actor1 or actor2 (`battle`: see `_actor_discrepancy`)."""
    country_field = f"{field}_country"

    def folded(m: Mention) -> str | None:
        return " ".join(fold(getattr(m, field)).split()) or None

    name_key = votes.modal(folded, lambda v: (-len(v), v))  # ties: the longer, more specific name
    surface = votes.modal(lambda m: getattr(m, field) if folded(m) == name_key else None)
    country = votes.modal(lambda m: getattr(m, country_field))
    return surface, country, _actor_discrepancy(votes, field, battle)


def _actor_discrepancy(votes: Votes, field: str, battle: bool = False) -> Discrepancy | None:
    """List actor names that cannot be one actor: different countries, or no shared identifying word.

    Only mentions confident enough to disagree count (`credible_votes`). Names are grouped when they
    share an identifying word and no actor country conflicts (wording variants), or when both are
    authorities of one stated country (no NON_STATE_WORDS). A vague name
    ("Dushanbe", "the Tajik president", "Chinese nationals") says only a country: it joins a group
    of that country and never makes a disagreement of its own. A name more sources give for the
    other role (`_is_other_role`) is a reading of who did what to whom, not another actor: skipped.
    In a `battle` (ACLED's Battles: two armed sides, listed in either order), a state's authorities
    of a country some source gives for the other side are that side read in the other role
    (`_is_other_side`): skipped too.
    """
    country_field = f"{field}_country"
    votes = credible_votes(votes)

    def name_of(m: Mention) -> str | None:
        name: str | None = getattr(m, field)
        if _is_other_role(votes, field, name) or (battle and _is_other_side(votes, field, m)):
            return None
        return name

    tally = votes.tally(name_of)

    def countries_of(name: str) -> set[str]:
        stated = {getattr(m, country_field) for m in votes.mentions if getattr(m, field) == name} - {None}
        return stated or {COUNTRY_CODES[w] for w in actor_country_words(name) if w in COUNTRY_CODES}

    # Specific names first (most sources first), so vague ones can join them.
    order = sorted(tally, key=lambda n: (is_vague_actor(n), -len(tally[n][0]), n))
    groups: list[tuple[frozenset[str], set[str], set[str], str]] = []
    for name in order:
        vague = is_vague_actor(name)
        words = actor_country_words(name) - ROLE_WORDS - COUNTRY_WORDS
        countries = countries_of(name)
        for i, (g_words, g_countries, g_ids, g_name) in enumerate(groups):
            same_country = not (countries and g_countries) or bool(countries & g_countries)
            one_state = bool(countries & g_countries) and not (words | g_words) & NON_STATE_WORDS
            if same_country and (vague or one_state or words & g_words or not g_words):
                groups[i] = (g_words | words, g_countries | countries, g_ids | tally[name][1], g_name)
                break
        else:
            if not vague:  # a vague name says too little to disagree with anyone
                groups.append((words, set(countries), set(tally[name][1]), name))
    return discrepancy(field, {g_name: ids for _, _, ids, g_name in groups})


def _is_other_role(votes: Votes, field: str, name: str | None) -> bool:
    """Return True when more independent sources give words of `name` for the other actor role.

    One outlet's "militants clashed with guards" against most outlets' "guards clashed with
    militants" reads the roles the other way round; it names no third party.
    """
    words = actor_country_words(name) - ROLE_WORDS - COUNTRY_WORDS
    if not words:
        return False
    other = "actor2" if field == "actor1" else "actor1"

    def sharing(role: str) -> int:
        named = [m for m in votes.mentions if words & actor_country_words(getattr(m, role))]
        return len({root_of(m.article_id, votes.copies) for m in named})

    return sharing(other) > sharing(field)


def _is_other_side(votes: Votes, field: str, m: Mention) -> bool:
    """Return True when `m` names, for `field`, a state's authorities (no NON_STATE_WORDS) of a
    country that another source gives for the other side of the battle.

    "Clashes between Iranian border guards and Taliban forces" is listed either way round: one
    outlet's actor2 "Afghan border guards" against the others' actor2 "Iranian border guards", with
    Afghans as their actor1, is the same two sides, not a third party.
    """
    name: str | None = getattr(m, field)
    country = getattr(m, f"{field}_country")
    if not name or not country or actor_country_words(name) & NON_STATE_WORDS:
        return False
    other = "actor2" if field == "actor1" else "actor1"
    return any(
        getattr(o, f"{other}_country") == country and o.article_id != m.article_id for o in votes.mentions
    )


def _mode_discrepancy(modes: Mapping[str, tuple[set[str], set[str]]]) -> Discrepancy | None:
    """List modes that exclude each other; a generic mode ("statement") or a kindred one does not.

    `modes` maps each mode to (independent roots, article ids). "A statement" is how most acts reach
    the press and says nothing against an advisory or a pledge; a visit is held as meetings, and
    talks are negotiations at a meeting (COMPATIBLE_MODES). A mode that fewer than
    MIN_MODE_SOURCES independent sources give is one outlet's verb and does not disagree.
    """
    specific = {
        mode: ids
        for mode, (roots, ids) in modes.items()
        if mode not in GENERIC_MODES and len(roots) >= MIN_MODE_SOURCES
    }
    kinds = {COMPATIBLE_MODES.get(mode, mode) for mode in specific}
    return discrepancy("mode", specific) if len(kinds) > 1 else None


def derive_event(mentions: Sequence[Mention], key: str, copies: Mapping[str, str], merger: str = "") -> Event:
    """Build the Event of one cluster: chosen values, counts, discrepancies and confidence."""
    mentions = sorted(mentions, key=lambda m: (m.article_id, m.start, m.mention_id))
    votes = Votes(mentions, copies)
    confidence_sum: dict[str, float] = defaultdict(float)
    for m in mentions:
        confidence_sum[m.event_type] += m.confidence
    event_type = votes.modal(lambda m: m.event_type, lambda t: (-round(confidence_sum[t], 9), t))
    assert event_type is not None  # every mention has a type
    typed = Votes([m for m in mentions if m.event_type == event_type], copies)
    acled = typed.modal(
        lambda m: (m.acled_event_type, m.acled_sub_event_type or "") if m.acled_event_type else None
    )
    dated, date_disc = choose_date(votes, is_statement(event_type))
    country = _choose_country(votes) or _key_country(key)  # the key may hold an actor's
    inside = [m for m in mentions if not (m.country and country) or m.country.upper() == country.upper()]
    place, place_disc = choose_place(Votes(inside, copies), in_field(event_type))
    battle = acled is not None and acled[0] == "Battles"
    actor1, actor1_country, actor1_disc = choose_actor(votes, "actor1", battle)
    actor2, actor2_country, actor2_disc = choose_actor(votes, "actor2", battle)
    counting = same_day_votes(votes, dated)
    killed, killed_disc = choose_count(counting, "fatalities", lambda m: m.killed)
    injured, injured_disc = choose_count(counting, "injured", lambda m: m.injured)
    modes = credible_votes(votes).tally(lambda m: m.mode)
    types = {v: ids for v, (_, ids) in votes.tally(lambda m: m.event_type).items()}
    found = (
        date_disc, killed_disc, injured_disc, place_disc, actor1_disc, actor2_disc,
        _mode_discrepancy(modes), discrepancy("event_type", types),
    )  # fmt: skip
    best_by_root: dict[str, float] = {}
    for m in mentions:
        root = root_of(m.article_id, copies)
        best_by_root[root] = max(best_by_root.get(root, 0.0), m.confidence)
    doubt = 1.0
    for value in best_by_root.values():
        doubt *= 1.0 - min(max(value, 0.0), 1.0)
    return Event(
        event_id=event_id_for(mentions),
        event_type=event_type,
        mentions=tuple(mentions),
        mode=typed.modal(lambda m: m.mode) or votes.modal(lambda m: m.mode),
        acled_event_type=acled[0] if acled else None,
        acled_sub_event_type=(acled[1] or None) if acled else None,
        date=dated.date if dated else None,
        date_precision=dated.date_precision if dated else "day",
        date_end=dated.date_end if dated and dated.date_precision == "range" else None,
        country=country,
        admin1=place[0],
        admin2=place[1],
        location=place[2],
        lat=place[3],
        lon=place[4],
        actor1=actor1,
        actor1_country=actor1_country,
        actor2=actor2,
        actor2_country=actor2_country,
        fatalities=killed,
        injured=injured,
        discrepancies=tuple(d for d in found if d is not None),
        confidence=round(min(MAX_CONFIDENCE, 1.0 - doubt), 3),
        block_key=key,
        merger=merger,
    )


def _key_country(key: str) -> str | None:
    country = split_key(key)[0]
    return None if country in {"XX", "*"} else country
