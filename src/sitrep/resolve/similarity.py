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

from sitrep.model import Mention

# Weights of the parts of the score; they sum to 1. Type and actors decide most: many distinct
# events in one block share a date and a capital (statements, calls), but not type and actors.
WEIGHTS = {"type": 0.25, "date": 0.2, "place": 0.15, "actors": 0.2, "casualties": 0.05, "quote": 0.15}
UNKNOWN = 0.5  # the score of a part that one side does not state: neither for nor against

_WORD = re.compile(r"[a-z0-9]+")


def _wordset(text: str) -> frozenset[str]:
    """Return the space-separated words of a constant as a set."""
    return frozenset(text.split())


# Words that say nothing about who or what: dropped before comparing names and quotes.
STOPWORDS = _wordset(
    "a an the of in on at to from for by with and or its his her their s as was were is are has have had "
    "been be that this which who said says say after near into over during than"
)
# Generic words in actor names; "armed group" vs "militants" should not look like a shared name.
GENERIC_ACTOR_WORDS = _wordset(
    "group groups forces force government authorities ministry official officials members member "
    "people unidentified unknown armed men"
)
# Demonyms folded into country names, so "Tajik border guards" and "Tajikistan's border troops" overlap.
DEMONYMS = {
    "tajik": "tajikistan", "tajiks": "tajikistan", "afghan": "afghanistan", "afghans": "afghanistan",
    "chinese": "china", "russian": "russia", "russians": "russia", "pakistani": "pakistan",
    "iranian": "iran", "uzbek": "uzbekistan", "kyrgyz": "kyrgyzstan", "american": "usa", "us": "usa",
    "ukrainian": "ukraine",
}  # fmt: skip
# Words dropped from place names before comparing ("Darvoz district" == "Darvoz").
PLACE_WORDS = _wordset("district province region oblast viloyat village city autonomous area")


def fold(text: str | None) -> str:
    """Return `text` lower-cased and stripped of accents."""
    if not text:
        return ""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


@lru_cache(maxsize=65536)
def tokens(text: str | None) -> frozenset[str]:
    """Return the content words of `text`, demonyms folded to country names."""
    words = (DEMONYMS.get(w, w) for w in _WORD.findall(fold(text)))
    return frozenset(w for w in words if w not in STOPWORDS)


def actor_tokens(text: str | None) -> frozenset[str]:
    """Return the words of an actor name that identify it (generic words dropped)."""
    return tokens(text) - GENERIC_ACTOR_WORDS


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


def interval_gap_days(left: tuple[dt.date, dt.date], right: tuple[dt.date, dt.date]) -> int:
    """Return the days between two intervals, 0 when they overlap."""
    return max(0, (right[0] - left[1]).days, (left[0] - right[1]).days)


def date_score(a: Mention, b: Mention, window_days: int) -> float | None:
    """Score date agreement; None when the dates are more than twice `window_days` apart.

    Within the window the score falls with the gap; beyond it (up to twice the window) it is 0 but
    not impossible, since extraction sometimes reads a report's or announcement's date as the event's.
    """
    left, right = date_interval(a), date_interval(b)
    if left is None or right is None:
        return UNKNOWN - 0.05  # slightly against: an undated mention needs other evidence
    gap = interval_gap_days(left, right)
    if gap > 2 * window_days:
        return None
    if gap > window_days:
        return 0.0
    if a.date_precision == "day" and b.date_precision == "day":
        return 1.0 - gap / (window_days + 1)
    vague = 0.6 if "month" not in (a.date_precision, b.date_precision) else 0.5
    return vague if gap == 0 else vague / 2


def days_apart(a: Mention, b: Mention) -> int:
    """Return the days between two exact-day dates; 0 when either is not an exact day."""
    if a.date is None or b.date is None or not a.date_precision == "day" == b.date_precision:
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
    """Score actor agreement from name words and actor countries."""
    left = actor_tokens(a.actor1) | actor_tokens(a.actor2)
    right = actor_tokens(b.actor1) | actor_tokens(b.actor2)
    countries_left = {c for c in (a.actor1_country, a.actor2_country) if c}
    countries_right = {c for c in (b.actor1_country, b.actor2_country) if c}
    parts: list[float] = []
    if left and right:
        parts.append(min(1.0, 2 * jaccard(left, right)))  # half the words shared is a full match
    if countries_left and countries_right:
        parts.append(0.0 if countries_conflict(a, b) else jaccard(countries_left, countries_right))
    return sum(parts) / len(parts) if parts else UNKNOWN


def casualty_score(a: Mention, b: Mention) -> float:
    """Score agreement of stated killed and injured counts."""
    parts = [
        1.0 if x == y else 0.3  # tolls differ often across outlets; mildly against
        for x, y in ((a.killed, b.killed), (a.injured, b.injured))
        if x is not None and y is not None
    ]
    return sum(parts) / len(parts) if parts else UNKNOWN


def quote_score(a: Mention, b: Mention) -> float:
    """Score wording overlap of the two quotes (syndicated copies score near 1)."""
    return min(1.0, 2 * jaccard(tokens(a.quote), tokens(b.quote)))


def is_same_act(a: Mention, b: Mention) -> bool:
    """Return True when two mentions of ONE article clearly state the same act."""
    if a.event_type != b.event_type:
        return False
    if a.date is not None and b.date is not None and (a.date, a.date_precision) != (b.date, b.date_precision):
        return False
    left = actor_tokens(a.actor1) | actor_tokens(a.actor2)
    right = actor_tokens(b.actor1) | actor_tokens(b.actor2)
    return not (left and right) or bool(left & right)


def similarity(a: Mention, b: Mention, window_days: int = 4) -> float | None:
    """Return how alike two mentions are in [0, 1], or None when they cannot be one event."""
    if a.article_id == b.article_id and not is_same_act(a, b):
        return None
    date = date_score(a, b, window_days)
    if date is None:
        return None
    relation = place_relation(a, b)
    if relation == "conflict-admin1" and days_apart(a, b) >= 2:
        return None  # different provinces two or more days apart: two events, however alike
    score = (
        WEIGHTS["type"] * (1.0 if a.event_type == b.event_type else 0.0)
        + WEIGHTS["date"] * date
        + WEIGHTS["place"] * PLACE_SCORES[relation]
        + WEIGHTS["actors"] * actor_score(a, b)
        + WEIGHTS["casualties"] * casualty_score(a, b)
        + WEIGHTS["quote"] * quote_score(a, b)
    )
    return round(score, 9)  # rounded so ties compare equal whatever the float path
