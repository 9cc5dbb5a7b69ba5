"""How alike two mentions are: a score in [0, 1], or None when they cannot be the same event.

Pure functions over `Mention` values; `sitrep.resolve.merge` clusters with them and
`sitrep.resolve.claims` reuses the place and actor comparisons to decide what is a real disagreement.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Set as AbstractSet
from functools import lru_cache

from sitrep.countries import DEMONYMS as DEMONYM_CODES
from sitrep.countries import NAMES, PEOPLES, SEATS
from sitrep.model import TYPE_FAMILY, Mention

# Weights of the parts of the score; they sum to 1. Type and actors decide most: many distinct
# events in one block share a date and a capital (statements, calls), but not type and actors.
WEIGHTS = {"type": 0.25, "date": 0.2, "place": 0.15, "actors": 0.2, "casualties": 0.05, "quote": 0.15}
UNKNOWN = 0.5  # the score of a part that one side does not state: neither for nor against
UNDATED_SCORE = UNKNOWN - 0.05  # `date_score` of an undated mention (left out of `similarity`)

_WORD = re.compile(r"[a-z0-9]+")


def _wordset(text: str) -> frozenset[str]:
    """Return the space-separated words of a constant as a set."""
    return frozenset(text.split())


def stem(word: str) -> str:
    """Return `word` without a plural "s" ("guards" -> "guard"); short words and "-ss" stay."""
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def _stemset(text: str) -> frozenset[str]:
    """Return the stemmed space-separated words of a constant, to compare with `tokens`."""
    return frozenset(stem(w) for w in text.split())


# Words that say nothing about who or what: dropped before comparing names and quotes.
STOPWORDS = _stemset(
    "a an the of in on at to from for by with and or its his her their s as was were is are has have had "
    "been be that this which who said says say after near into over during than"
)
# Generic words in actor names; "armed group" vs "militants" should not look like a shared name.
GENERIC_ACTOR_WORDS = _stemset(
    "group groups forces force government authorities ministry official officials members member "
    "people unidentified unknown armed men operating based embassy "
    "one two three four five six seven eight nine ten several some many dozens"
)
# Labels outlets pick by house style for the same armed non-state group ("militants" at a wire,
# "terrorists" in state media): one identity, folded to one word. "Smugglers" or "criminal groups"
# say something else about who they are and stay apart.
ARMED_LABELS = dict.fromkeys(
    _stemset("militant militants terrorist terrorists insurgent insurgents fighters extremists gunmen"),
    "militant",
)
# Country words (sitrep.countries) folded to one token per country, so "Tajik border guards",
# "Tajikistan's border troops" and "Dushanbe" (as a seat of government) compare as the same country.
# A phrase of several words ("United States", "Abu Dhabi") is glued into one word first.
COUNTRY_CODES = {
    f"country:{code}": code for code in {*NAMES.values(), *DEMONYM_CODES.values(), *SEATS.values()}
}


def _glued(phrase: str) -> str:
    return "".join(_WORD.findall(fold_phrase(phrase)))


def fold_phrase(text: str) -> str:
    """Return `text` lower-cased, without accents (as `fold`, defined here for the tables below)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


DEMONYMS = {_glued(word): f"country:{code}" for word, code in {**NAMES, **DEMONYM_CODES, **PEOPLES}.items()}
CAPITALS = {stem(_glued(word)): f"country:{code}" for word, code in SEATS.items()}  # as `tokens` stems
COUNTRY_WORDS = frozenset(COUNTRY_CODES)
_PHRASES = sorted(
    {
        fold_phrase(w)
        for w in (*NAMES, *DEMONYM_CODES, *PEOPLES, *SEATS)
        if len(_WORD.findall(fold_phrase(w))) > 1
    },
    key=len,
    reverse=True,
)
_PHRASE_RX = re.compile(
    r"\b(" + "|".join(r"\W+".join(map(re.escape, _WORD.findall(p))) for p in _PHRASES) + r")\b"
)


def _glue_phrases(text: str) -> str:
    """Join the words of multiword country names in folded `text` ("united states" -> "unitedstates")."""
    return _PHRASE_RX.sub(lambda m: "".join(_WORD.findall(m.group())), text)


# Offices, roles and anaphora: "the Tajik president", "his press service", "the committee" name no one
# in particular, so they can be any actor of their country.
ROLE_WORDS = _stemset(
    "president presidential prime minister ministers foreign counterpart counterparts spokesman spokesmen "
    "spokesperson press "
    "service office committee leader leaders leadership administration side state national interim "
    "attackers assailants intruders perpetrators he she they it "
    "nationals citizens workers employees civilians residents personnel officers "
    "ambassador ambassadors envoy envoys diplomat diplomats"
)
# Words dropped from place names before comparing ("Darvoz district" == "Darvoz").
PLACE_WORDS = _wordset("district province region oblast viloyat village city autonomous area")


def fold(text: str | None) -> str:
    """Return `text` lower-cased and stripped of accents."""
    if not text:
        return ""
    text = text.replace("\u2019", "'")  # a curly apostrophe would glue "Afghanistan’s" into one word
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


@lru_cache(maxsize=65536)
def tokens(text: str | None) -> frozenset[str]:
    """Return the content words of `text`, demonyms folded to country names, plurals stemmed."""
    words = (DEMONYMS.get(w) or stem(w) for w in _WORD.findall(_glue_phrases(fold(text))))
    return frozenset(w for w in words if w not in STOPWORDS)


def actor_tokens(text: str | None) -> frozenset[str]:
    """Return the words of an actor name that identify it (generic words dropped, armed labels folded)."""
    return frozenset(ARMED_LABELS.get(w, w) for w in tokens(text) - GENERIC_ACTOR_WORDS)


@lru_cache(maxsize=65536)  # pure, and asked for every pair a merge compares
def actor_country_words(text: str | None) -> frozenset[str]:
    """Return the identifying words of an actor name with capitals folded to their country."""
    return frozenset(CAPITALS.get(w, w) for w in actor_tokens(text))


def is_vague_actor(text: str | None) -> bool:
    """Return True when an actor name says no more than a country: "Dushanbe", "Tajik officials"."""
    return actor_country_words(text) - ROLE_WORDS <= COUNTRY_WORDS


def identifying_words(mention: Mention) -> frozenset[str]:
    """Return the words of both actor names that single someone out (roles and generic words dropped)."""
    return (actor_country_words(mention.actor1) | actor_country_words(mention.actor2)) - ROLE_WORDS


@lru_cache(maxsize=65536)  # pure, and asked for every pair a merge compares
def place_name(text: str | None) -> str:
    """Return a place name reduced for comparison: folded, generic words dropped."""
    words = [w for w in _WORD.findall(fold(text)) if w not in PLACE_WORDS]
    return "".join(words)


def jaccard(left: AbstractSet[str], right: AbstractSet[str]) -> float:
    """Return |left ∩ right| / |left ∪ right|, 0.0 for two empty sets."""
    union = left | right
    return len(left & right) / len(union) if union else 0.0


def date_interval(mention: Mention) -> tuple[dt.date, dt.date] | None:
    """Return the first and last day `mention`'s date may mean, or None when it has no date."""
    day = mention.date
    if day is None:
        return None
    if mention.date_precision == "range":
        return day, max(day, mention.date_end or day)
    if mention.date_precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    if mention.date_precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    return day, day


ASSUMED_LOOKBACK_DAYS = 7  # an unstated date is the report's: the event fell in the week up to it


def is_stated(mention: Mention) -> bool:
    """Return True when the mention's date was read from its words (`date_text`), not assumed.

    Extraction gives a mention whose sentence states no date its article's date so that it can be
    placed at all; that date says only that the event happened by then.
    """
    return mention.date is not None and mention.date_text is not None


def match_interval(mention: Mention) -> tuple[dt.date, dt.date] | None:
    """Return the days a mention's date may mean for matching: an assumed date covers the week before."""
    interval = date_interval(mention)
    if interval is None or is_stated(mention):
        return interval
    return interval[0] - dt.timedelta(days=ASSUMED_LOOKBACK_DAYS), interval[1]


def is_exact(mention: Mention) -> bool:
    """Return True for a stated day-precision date."""
    return mention.date_precision == "day" and is_stated(mention)


def interval_gap_days(left: tuple[dt.date, dt.date], right: tuple[dt.date, dt.date]) -> int:
    """Return the days between two intervals, 0 when they overlap."""
    return max(0, (right[0] - left[1]).days, (left[0] - right[1]).days)


def date_score(a: Mention, b: Mention, window_days: int) -> float | None:
    """Score date agreement; None when the dates are more than twice `window_days` apart.

    Within the window the score falls with the gap; beyond it (up to twice the window) it is 0 but
    not impossible, since extraction sometimes reads a report's or announcement's date as the event's.
    """
    left, right = match_interval(a), match_interval(b)
    if left is None or right is None:
        return UNDATED_SCORE  # slightly against: an undated mention needs other evidence
    gap = interval_gap_days(left, right)
    if gap > 2 * window_days:
        return None
    if gap > window_days:
        return 0.0
    if is_exact(a) and is_exact(b):
        return 1.0 - gap / (window_days + 1)
    vague = 0.6 if "month" not in (a.date_precision, b.date_precision) else 0.5
    return vague if gap == 0 else vague / 2


# Families of statements: the act is the saying, so its date is the day it was said or announced.
# One day apart is the same statement (said late, published next day; "on Friday" for Thursday's);
# two stated days further apart are two statements: officials repeat a condemnation or a demand.
STATEMENT_FAMILIES = frozenset({"verbal-conflict", "verbal-cooperation", "request"})
STATEMENT_SPREAD_DAYS = 1


# Families of acts done in the field, where a capital named alone is the dateline or the speaker
# ("DUSHANBE: ...", "according to Dushanbe"), not the scene. Statements are placed in capitals.
FIELD_FAMILIES = frozenset({"violence", "material-conflict"})


def in_field(event_type: str) -> bool:
    """Return True for an act done on the ground (an attack, a deployment), not said in a capital."""
    return TYPE_FAMILY.get(event_type) in FIELD_FAMILIES


def is_capital_only(m: Mention) -> bool:
    """Return True when the most specific place of `m` is a capital city (or seat of government)."""
    levels = [n for n in place_levels(m) if n]
    return bool(levels) and levels[-1] in CAPITALS


# Acts two parties do together: each side announces them from home, so extraction places each
# report at its speaker's seat (NOTES rule 7), and the two reports name two countries for one act.
JOINT_TYPES = frozenset({"AGREE", "CONSULT"})


def is_seat_only(m: Mention) -> bool:
    """Return True when `m` is a joint act placed only at the capital of its speaker (actor1).

    Such a country says who spoke, not where the parties met or agreed; it neither forbids a merge
    with the other side's report nor outvotes a venue (`claims.derive_event`).
    """
    return (
        m.event_type in JOINT_TYPES
        and bool(m.country)
        and is_capital_only(m)
        and (m.country or "").upper() == (m.actor1_country or "").upper()
    )


def countries_clash(a: Mention, b: Mention) -> bool:
    """Return True when two stated countries differ and neither is a party's seat of a joint act."""
    if not (a.country and b.country) or a.country.upper() == b.country.upper():
        return False
    joint = a.event_type in JOINT_TYPES and b.event_type in JOINT_TYPES
    return not (joint and (is_seat_only(a) or is_seat_only(b)))


def is_statement(event_type: str) -> bool:
    """Return True for a verbal act (accusation, demand, pledge, call...), whose date is its saying."""
    return TYPE_FAMILY.get(event_type) in STATEMENT_FAMILIES


def stated_gap_days(a: Mention, b: Mention) -> int:
    """Return the days between two stated dates of any precision ("last week" vs "on Tuesday"); 0 if not."""
    left, right = date_interval(a), date_interval(b)
    if left is None or right is None or not (is_stated(a) and is_stated(b)):
        return 0
    return interval_gap_days(left, right)


def reported_before_said(said: Mention, report: Mention) -> bool:
    """Return True when `said` states a day later than `report`'s assumed date (its article's) allows.

    An article cannot report a statement made after it was published; STATEMENT_SPREAD_DAYS of
    slack absorbs time zones and a publication date one day off.
    """
    said_days, report_days = date_interval(said), date_interval(report)
    if said_days is None or report_days is None or not is_stated(said) or is_stated(report):
        return False
    return (said_days[0] - report_days[1]).days > STATEMENT_SPREAD_DAYS


def is_said_apart(a: Mention, b: Mention) -> bool:
    """Return True when two statements cannot be one saying by their dates (see `similarity`)."""
    return (
        stated_gap_days(a, b) > STATEMENT_SPREAD_DAYS
        or reported_before_said(a, b)
        or reported_before_said(b, a)
        or said_long_before_report(a, b)
        or said_long_before_report(b, a)
    )


# An undated report of a statement tells of it within days: news of a saying is news for a day or
# two. A statement stated to be older than that, by an article's date, is another saying.
STATEMENT_NEWS_DAYS = 2


def said_long_before_report(said: Mention, report: Mention) -> bool:
    """Return True when `said` states a day more than STATEMENT_NEWS_DAYS before `report`'s assumed date."""
    said_days, report_days = date_interval(said), date_interval(report)
    if said_days is None or report_days is None or not is_stated(said) or is_stated(report):
        return False
    if said.date_precision != "day":
        return False
    return (report_days[0] - said_days[1]).days > STATEMENT_NEWS_DAYS


def days_apart(a: Mention, b: Mention) -> int:
    """Return the days between two stated exact-day dates; 0 when either is not one."""
    if a.date is None or b.date is None or not (is_exact(a) and is_exact(b)):
        return 0
    return abs((a.date - b.date).days)


def place_levels(mention: Mention) -> tuple[str, str, str]:
    """Return (admin1, admin2, location) reduced for comparison; '' where unknown."""
    return place_name(mention.admin1), place_name(mention.admin2), place_name(mention.location)


def place_relation(a: Mention, b: Mention) -> str:
    """Classify two places: unknown, same, contains, or conflict-admin1/-admin2/-location."""
    left, right = place_levels(a), place_levels(b)
    if not any(left) or not any(right):
        return "unknown"
    for level, (x, y) in zip(("admin1", "admin2", "location"), zip(left, right, strict=True), strict=True):
        if x and y and x != y:
            # A district given as the location of one and the admin2 of the other is containment.
            if {x, y} & ({n for n in left if n} & {n for n in right if n}):
                continue
            return f"conflict-{level}"
    if left[2] and left[2] == right[2]:
        return "same"
    most_specific_left = next(n for n in reversed(left) if n)
    most_specific_right = next(n for n in reversed(right) if n)
    if most_specific_left == most_specific_right:
        return "same"
    if most_specific_left in right or most_specific_right in left:
        return "contains"
    return "unknown"


PLACE_SCORES = {
    "same": 1.0, "contains": 0.8, "unknown": UNKNOWN,
    "conflict-location": 0.4, "conflict-admin2": 0.2, "conflict-admin1": 0.0,
}  # fmt: skip


def countries_conflict(a: Mention, b: Mention) -> bool:
    """Return True when the two mentions give different actor1 countries, not explained by swapped roles."""
    if not (a.actor1_country and b.actor1_country) or a.actor1_country == b.actor1_country:
        return False
    swapped = a.actor1_country == b.actor2_country and a.actor2_country == b.actor1_country
    return not swapped


def actor_score(a: Mention, b: Mention) -> float:
    """Score actor agreement from name words and actor countries (UNKNOWN when neither says)."""
    part = actor_part(a, b)
    return UNKNOWN if part is None else part


def actor_part(a: Mention, b: Mention) -> float | None:
    """Score actor agreement from name words and actor countries; None when the two state no common part."""
    left, right = identifying_words(a), identifying_words(b)
    parts: list[float] = []
    if left and right:
        parts.append(min(1.0, 2 * jaccard(left, right)))  # half the words shared is a full match
    countries = country_agreement(a, b)
    if countries is not None:
        parts.append(countries)
    return sum(parts) / len(parts) if parts else None


def country_agreement(a: Mention, b: Mention) -> float | None:
    """Return the share of actor countries that agree, role by role (or with roles swapped).

    Only countries both mentions give for the same role compare: "Afghan intruders" (actor1 AF)
    and "Tajik guards" (actor2 TJ) are two halves of one clash, not a disagreement. None when no
    role has a country on both sides.
    """
    if countries_conflict(a, b):
        return 0.0
    straight = [
        x == y
        for x, y in ((a.actor1_country, b.actor1_country), (a.actor2_country, b.actor2_country))
        if x and y
    ]
    if not straight:
        return None
    swapped = [
        x == y
        for x, y in ((a.actor1_country, b.actor2_country), (a.actor2_country, b.actor1_country))
        if x and y
    ]
    share = sum(straight) / len(straight)
    if swapped:  # one outlet's attacker is another's target: roles read the other way round
        share = max(share, sum(swapped) / len(swapped))
    return share


def casualty_score(a: Mention, b: Mention) -> float:
    """Score agreement of stated killed and injured counts (UNKNOWN when no count is on both sides)."""
    part = casualty_part(a, b)
    return UNKNOWN if part is None else part


def casualty_part(a: Mention, b: Mention) -> float | None:
    """Score agreement of the killed and injured counts both mentions state; None when none is."""
    parts = [
        1.0 if x == y else 0.3  # tolls differ often across outlets; mildly against
        for x, y in ((a.killed, b.killed), (a.injured, b.injured))
        if x is not None and y is not None
    ]
    return sum(parts) / len(parts) if parts else None


def quote_score(a: Mention, b: Mention) -> float:
    """Score wording overlap of the two quotes (syndicated copies score near 1)."""
    return min(1.0, 2 * jaccard(tokens(a.quote), tokens(b.quote)))


_CYRILLIC = re.compile("[\u0400-\u04ff]")


def same_script(a: Mention, b: Mention) -> bool:
    """Whether two quotes are written in one script: a Russian and an English quote of one event
    share no words, so their wording says nothing for or against (the quote part is left out)."""
    return bool(_CYRILLIC.search(a.quote)) == bool(_CYRILLIC.search(b.quote))


def is_same_act(a: Mention, b: Mention) -> bool:
    """Return True when two mentions of ONE article may state the same act.

    Same type; dates that can mean the same day (two stated days must be equal; a range, month or
    assumed date may cover the other); no different provinces or districts; actors that overlap.
    An article that reports an attack "last week" and again "on Wednesday" reports it twice.
    """
    if a.event_type != b.event_type:
        return False
    if is_exact(a) and is_exact(b) and a.date != b.date:
        return False
    left_days, right_days = match_interval(a), match_interval(b)
    if left_days and right_days and interval_gap_days(left_days, right_days) > 0:
        return False
    if place_relation(a, b) in ("conflict-admin1", "conflict-admin2"):
        return False
    if countries_conflict(a, b):
        return False
    left, right = identifying_words(a), identifying_words(b)
    return not (left and right) or bool(left & right)


def similarity(a: Mention, b: Mention, window_days: int = 4) -> float | None:
    """Return how alike two mentions are in [0, 1], or None when they cannot be one event."""
    if a.article_id == b.article_id and not is_same_act(a, b):
        return None
    if countries_clash(a, b):
        return None  # two stated countries: two events (an unstated one is no mismatch)
    date = date_score(a, b, window_days)
    if date is None:
        return None
    relation = place_relation(a, b)
    if (
        relation.startswith("conflict")
        and in_field(a.event_type)
        and (is_capital_only(a) or is_capital_only(b))
    ):
        relation = "unknown"  # an attack "in Dushanbe" against one elsewhere: the capital is the dateline
    if relation == "conflict-admin1" and days_apart(a, b) >= 2:
        return None  # different provinces two or more days apart: two events, however alike
    if is_statement(a.event_type) and is_statement(b.event_type) and is_said_apart(a, b):
        return None  # statements stated days apart, or reported before said: two sayings
    # Only the parts both mentions state count: a field one of them leaves unknown is neither for
    # nor against, so two sparse reports of one clash are scored on what they do say.
    parts: list[tuple[str, float | None]] = [
        ("type", 1.0 if a.event_type == b.event_type else 0.0),
        ("date", None if date == UNDATED_SCORE else date),
        ("place", None if relation == "unknown" else PLACE_SCORES[relation]),
        ("actors", actor_part(a, b)),
        ("casualties", casualty_part(a, b)),
        ("quote", quote_score(a, b) if same_script(a, b) else None),
    ]
    stated = [(WEIGHTS[name], value) for name, value in parts if value is not None]
    score = sum(w * v for w, v in stated) / sum(w for w, _ in stated)
    return round(score, 9)  # rounded so ties compare equal whatever the float path
