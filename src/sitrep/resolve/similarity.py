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
    "people unidentified unknown armed men operating based"
)
# Demonyms folded into country names, so "Tajik border guards" and "Tajikistan's border troops" overlap.
DEMONYMS = {
    "tajik": "tajikistan", "tajiks": "tajikistan", "afghan": "afghanistan", "afghans": "afghanistan",
    "chinese": "china", "russian": "russia", "russians": "russia", "pakistani": "pakistan",
    "iranian": "iran", "uzbek": "uzbekistan", "kyrgyz": "kyrgyzstan", "american": "usa", "us": "usa",
    "ukrainian": "ukraine",
}  # fmt: skip
# Capitals and seats of government stand for their country ("Dushanbe demanded", "the Kremlin said").
CAPITALS = {
    "dushanbe": "tajikistan", "kabul": "afghanistan", "moscow": "russia", "kremlin": "russia",
    "beijing": "china", "islamabad": "pakistan", "tehran": "iran", "tashkent": "uzbekistan",
    "bishkek": "kyrgyzstan", "washington": "usa", "kyiv": "ukraine", "kiev": "ukraine",
}  # fmt: skip
# ISO 3166-1 alpha-2 of the folded country names, to compare a name's country with a stated one.
COUNTRY_CODES = {
    "tajikistan": "TJ", "afghanistan": "AF", "china": "CN", "russia": "RU", "pakistan": "PK",
    "iran": "IR", "uzbekistan": "UZ", "kyrgyzstan": "KG", "usa": "US", "ukraine": "UA",
}  # fmt: skip
COUNTRY_WORDS = frozenset(DEMONYMS.values()) | frozenset(CAPITALS.values()) | frozenset(COUNTRY_CODES)
# Offices, roles and anaphora: "the Tajik president", "his press service", "the committee" name no one
# in particular, so they can be any actor of their country.
ROLE_WORDS = _wordset(
    "president presidential prime minister ministers foreign counterpart spokesman spokesperson press "
    "service office committee leader leaders leadership administration side state national interim "
    "attackers assailants intruders perpetrators he she they it "
    "nationals citizens workers employees civilians residents personnel officers"
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
    """Return the content words of `text`, demonyms folded to country names."""
    words = (DEMONYMS.get(w, w) for w in _WORD.findall(fold(text)))
    return frozenset(w for w in words if w not in STOPWORDS)


def actor_tokens(text: str | None) -> frozenset[str]:
    """Return the words of an actor name that identify it (generic words dropped)."""
    return tokens(text) - GENERIC_ACTOR_WORDS


def actor_country_words(text: str | None) -> frozenset[str]:
    """Return the identifying words of an actor name with capitals folded to their country."""
    return frozenset(CAPITALS.get(w, w) for w in actor_tokens(text))


def is_vague_actor(text: str | None) -> bool:
    """Return True when an actor name says no more than a country: "Dushanbe", "Tajik officials"."""
    return actor_country_words(text) - ROLE_WORDS <= COUNTRY_WORDS


def identifying_words(mention: Mention) -> frozenset[str]:
    """Return the words of both actor names that single someone out (roles and generic words dropped)."""
    return (actor_country_words(mention.actor1) | actor_country_words(mention.actor2)) - ROLE_WORDS


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
        return UNKNOWN - 0.05  # slightly against: an undated mention needs other evidence
    gap = interval_gap_days(left, right)
    if gap > 2 * window_days:
        return None
    if gap > window_days:
        return 0.0
    if is_exact(a) and is_exact(b):
        return 1.0 - gap / (window_days + 1)
    vague = 0.6 if "month" not in (a.date_precision, b.date_precision) else 0.5
    return vague if gap == 0 else vague / 2


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
    """Score actor agreement from name words and actor countries."""
    left, right = identifying_words(a), identifying_words(b)
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
