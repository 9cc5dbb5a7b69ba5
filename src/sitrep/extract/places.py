"""Choose the words that name where an event happened, and its country.

Violence happens where the sentence puts it ("in Tajikistan's Khatlon region", "on the Tajik side"),
never where the attackers came *from*. Statements, calls and meetings happen at the seat of the
acting party (NOTES rule 7): an embassy's host city, else the capital of the actor's country;
a meeting or visit with a named venue ("in Moscow", "a visit to Tajikistan") happens there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitrep.countries import CAPITALS, COUNTRY_WORDS
from sitrep.model import Gazetteer

# Fallback when no gazetteer is passed: (country, rank) where rank 0 = most specific.
_FALLBACK: dict[str, tuple[str, int]] = {
    "kavo": ("TJ", 0), "shodak": ("TJ", 0), "shodaki": ("TJ", 0), "bahorak": ("TJ", 0),
    "shamsiddin shohin": ("TJ", 1), "shamsiddin-shohin": ("TJ", 1), "shamsiddin shokhin": ("TJ", 1),
    "shamsiddin-shokhin": ("TJ", 1), "shamsuddin shahin": ("TJ", 1), "darvoz": ("TJ", 1), "darvaz": ("TJ", 1),
    "hamadoni": ("TJ", 1), "panj": ("TJ", 1), "farkhor": ("TJ", 1), "kulob": ("TJ", 0), "kulyab": ("TJ", 0),
    "khatlon": ("TJ", 2), "gorno-badakhshan": ("TJ", 2), "gbao": ("TJ", 2),
    "sughd": ("TJ", 2), "dushanbe": ("TJ", 0), "khorog": ("TJ", 0),
    "badakhshan": ("AF", 2), "takhar": ("AF", 2), "kunduz": ("AF", 2), "balkh": ("AF", 2),
    "maimay": ("AF", 1),
    "kabul": ("AF", 0), "batken": ("KG", 2), "osh": ("KG", 0), "bishkek": ("KG", 0), "tashkent": ("UZ", 0),
    "surxondaryo": ("UZ", 2), "termez": ("UZ", 0), "moscow": ("RU", 0), "novgorod": ("RU", 2),
    "islamabad": ("PK", 0), "tehran": ("IR", 0), "beijing": ("CN", 0), "xinjiang": ("CN", 2),
    "washington": ("US", 0), "kyiv": ("UA", 0),
}  # fmt: skip
_KIND_RANK = {"village": 0, "feature": 0, "city": 0, "admin2": 1, "admin1": 2, "country": 3}
_COUNTRIES = {
    "tajikistan": "TJ", "afghanistan": "AF", "china": "CN", "russia": "RU", "pakistan": "PK", "iran": "IR",
    "uzbekistan": "UZ", "kyrgyzstan": "KG", "kazakhstan": "KZ", "turkmenistan": "TM", "ukraine": "UA",
    "india": "IN", "united states": "US",
}  # fmt: skip
_ORIGIN = re.compile(
    r"(?:from|across|across the (?:border|frontier) (?:in|from)|territory of|of origin|based in|operating in"
    r"|inside|militants in|groups in|in neighbou?ring|originat\w* in|launched in"
    r"|authorities in|administration in|embassy in|officials in|government in)\s+(?:the\s+)?"
    r"(?:\w+\s+){0,1}$",
    re.I,
)
_SIDE = re.compile(
    r"\b(?:on|into|in|inside|entered)\s+(?:the\s+)?(Tajik|Afghan|Uzbek|Kyrgyz|Chinese|Russian)\s+"
    r"(?:side|territory|soil)\b",
    re.I,
)
_GENERIC = re.compile(
    r"(?<!\s)\s+(?:autonomous\s+)?(?:region|province|district|oblast|village|city|town|area|jamoat)$"
)
_LOCATIVE = re.compile(r"\b(?:in|into|inside|within|on)\s+(?:the\s+)?$", re.I)
_VENUE = re.compile(r"\b(?:in|at|to|visit to|visiting|trip to)\s+(?:the\s+)?((?:[A-Z][\w’'-]+\s?){1,3})")


@dataclass(frozen=True)
class PlaceChoice:
    """The words that name the place, its country, and how specific it is (0 = village/town)."""

    text: str | None
    country: str | None
    rank: int
    offset: int = -1  # in the sentence; -1 when not read from it


def _resolve_name(name: str, gazetteer: Gazetteer | None) -> tuple[str, int] | None:
    key = name.lower().strip(" ’'").removesuffix("’s").removesuffix("'s")
    key = _GENERIC.sub("", key.removeprefix("the ")).strip()
    if gazetteer is not None:
        places = gazetteer.lookup(key)
        if places and places[0].country:
            return places[0].country, _KIND_RANK.get(places[0].kind, 1)
    if key in _FALLBACK:
        return _FALLBACK[key]
    if key in _COUNTRIES:
        return _COUNTRIES[key], 3
    return None


def places_in(
    sentence: str, ents: list[tuple[int, int, str]], gazetteer: Gazetteer | None
) -> list[PlaceChoice]:
    """Places named in `sentence` where something could happen (origins like "from Afghanistan" left out)."""
    spans: dict[tuple[int, int], str] = {}
    for start, stop, label in ents:
        if label in {"GPE", "LOC", "FAC"}:
            spans[(start, stop)] = sentence[start:stop]
    for key in _FALLBACK:
        for m in re.finditer(rf"\b{re.escape(key)}\b", sentence, re.I):
            if not any(a <= m.start() < b for a, b in spans):
                spans[m.span()] = m.group()
    for m in re.finditer(
        r"\b(Tajikistan|Afghanistan|Uzbekistan|Kyrgyzstan|Russia|China|Pakistan|Iran|Ukraine)\b", sentence
    ):
        if not any(a <= m.start() < b for a, b in spans):
            spans[m.span()] = m.group()
    out: list[PlaceChoice] = []
    for (start, stop), name in sorted(spans.items()):
        if _ORIGIN.search(sentence[max(0, start - 40) : start]):
            continue
        if re.match(r"\s*(?:border|frontier|-afghan|–afghan|-tajik)", sentence[stop : stop + 10], re.I):
            continue  # "the Tajik-Afghan border" names no side
        resolved = _resolve_name(name, gazetteer)
        if resolved and resolved[1] == 3 and not _LOCATIVE.search(sentence[max(0, start - 12) : start]):
            continue  # a country word names where something happened only after "in", "into", "inside"
        if resolved and resolved[0]:
            out.append(
                PlaceChoice(name.removesuffix("’s").removesuffix("'s"), resolved[0], resolved[1], start)
            )
    for m in _SIDE.finditer(sentence):
        country = COUNTRY_WORDS[m.group(1).lower()]
        out.append(PlaceChoice(None, country, 3, m.start()))
    return out


def violence_place(places: list[PlaceChoice], trigger: int) -> PlaceChoice | None:
    """Where violence happened: the most specific place in the country of the place nearest the trigger."""
    if not places:
        return None
    after = [p for p in places if p.offset >= trigger] or places
    nearest = min(after, key=lambda p: (abs(p.offset - trigger), p.rank))
    same = [p for p in places if p.country == nearest.country and p.text]
    best = min(same, key=lambda p: (p.rank, abs(p.offset - trigger))) if same else nearest
    return best


def seat_of(country: str | None, host: str | None = None) -> PlaceChoice:
    """Where a statement by an actor of `country` is made: the host country's capital for embassies."""
    where = host or country
    return PlaceChoice(CAPITALS.get(where or ""), where, 0)


def venue_in(sentence: str, gazetteer: Gazetteer | None) -> PlaceChoice | None:
    """A named venue of a meeting or visit ("in Moscow", "a visit to Tajikistan"), if any."""
    for m in _VENUE.finditer(sentence):
        words = m.group(1).split()
        for size in range(len(words), 0, -1):
            name = " ".join(words[:size]).rstrip(",.")
            resolved = _resolve_name(name, gazetteer)
            if resolved and resolved[0]:
                text = name if resolved[1] < 3 else CAPITALS.get(resolved[0], name)
                return PlaceChoice(text, resolved[0], min(resolved[1], 2), m.start())
    return None
