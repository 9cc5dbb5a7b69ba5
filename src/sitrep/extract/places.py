"""Choose the words that name where an event happened, and its country.

Violence happens where the sentence puts it ("in Tajikistan's Khatlon region", "on the Tajik side"),
never where the attackers came *from*, nor where the wounded were taken or the toll was reported,
nor the dateline that opens a story ("KABUL (Reuters) -"); "the Panj River" is a river, not the town
of Panj, "the Red Sea" is not Sudan's Red Sea state and "the Bishkek Protocol" is a document. Statements,
calls and meetings happen at the seat of the acting party (NOTES rule 7): an embassy's host city, else
the capital of the actor's country, or the seat a speaker is named by ("the authorities in
Stepanakert"); talks or a visit with a named venue ("in Moscow", "at the White House", "a visit to
Tajikistan") happen there. A name several places share is read as the one in a country the article
names ("Salisbury" in a story about Britain is not Harare), of the kind the next word says ("Kandahar
province" is the province); a country's posts or soil named by its demonym ("attacked Pakistani
posts") are in that country. Country words come from the one table, `sitrep.countries`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from sitrep.countries import CAPITALS, DEMONYMS, NAME_AS_WRITTEN_RX, NAMES, SEATS
from sitrep.model import Gazetteer

_KIND_RANK = {"venue": 0, "village": 0, "feature": 0, "city": 0, "admin2": 1, "admin1": 2, "country": 3}
_COUNTRIES = NAMES  # lower-case country names and aliases -> alpha-2 (sitrep.countries)
# Country names as written in running text, from the table's own spelling ("Armenia", "UK").
_COUNTRY_RX = NAME_AS_WRITTEN_RX
_ORIGIN = re.compile(
    r"(?:from|across|across the (?:border|frontier) (?:in|from)|territory of|of origin|based in|operating in"
    r"|inside|militants in|groups in|in neighbou?ring|originat\w* in|launched in"
    r"|authorities in|administration in|embassy in|officials in|government in)\s+(?:the\s+)?"
    r"(?:\w+\s+){0,1}$",
    re.I,
)
_SIDE = re.compile(
    r"\b(?:on|into|in|inside|entered)\s+(?:the\s+)?("
    + "|".join(re.escape(d) for d in sorted(DEMONYMS, key=len, reverse=True))
    + r")\s+(?:side|territory|soil)\b",
    re.I,
)
# A country's posts named by its demonym are on its soil ("fighters attacked Pakistani posts"), unless
# fire came from them.
_POSTS = re.compile(
    r"\b("
    + "|".join(re.escape(d) for d in sorted(DEMONYMS, key=len, reverse=True))
    + r")\s+(?:(?:border|military|security|army)\s+)?(?:posts|outposts|checkpoints|positions|points|bases)\b",
    re.I,
)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.I)
# Where the wounded were taken or the toll was told: not where the act happened.
_REPORTED = re.compile(
    r"(?:hospitals?|taken|rushed|brought|transferred|evacuated|admitted|airlifted|treated|buried"
    r"|funerals?|mourn\w*|reporters|journalists|press conference|officials said)"
    r"\s+(?:in|to|at|from)\s+(?:the\s+)?(?:\w+\s+){0,2}$",
    re.I,
)
# A name followed by a natural feature's word names that feature ("the Panj River"), not the town.
_FEATURE_AFTER = re.compile(
    r"\s*(?:[Rr]iver|[Ll]ake|[Vv]alley|[Mm]ountains?|[Gg]orge|[Cc]anal|[Dd]am|[Ss]ea|[Gg]ulf|[Bb]asin)\b"
)
# A name that ends in a natural feature's word is that feature, whatever region shares the name.
_FEATURE_NAME = re.compile(r"\s(?:[Rr]iver|[Vv]alley|[Ll]ake|[Ss]ea|[Oo]cean|[Gg]ulf|[Ss]trait|[Bb]ay)$")
# A dateline: a place at the head of the story, then an agency, a date or a dash
# ("KABUL (Reuters) -", "Baku, March 3 —", "YEREVAN:").
# Each repeated part starts with a non-space and eats the spaces after it, so no run of spaces can be
# split between parts: linear (tests/test_hardening.py).
_DATELINE_AFTER = re.compile(
    r"[\s,]*(?:(?:\([^()]{1,40}\)|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,?\s+\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,8}"
    r"(?:\s+\d{4})?)[\s,]*)*(?:[—–:]|--|-\s)"
)
# A seat of government named without one of these before it is the government ("Baku said"), not a place.
_PLACE_PREPOSITION = re.compile(
    r"\b(?:in|at|near|outside|around|into|to|of|across|over|towards?|between|on|from|inside|within)"
    r"\s+(?:the\s+)?(?:\w+\s+){0,2}$",
    re.I,
)
# A seat followed by a verb of saying speaks for its government ("killed in what Baku said were attacks").
_SEAT_SPEAKS = re.compile(
    r"(?<!\s)(?:’s|'s)?\s+(?:has\s+|had\s+)?(?:said|says|claimed|claims|accused|accuses|announced|stated|reported"
    r"|insisted|insists|denied|denies|alleged|alleges|blamed|blames)\b"
)
_DATELINE_BEFORE = re.compile(r"^[\W\d]*(?:[A-Z][A-Za-z.]*\s*){0,3}$")
_GENERIC = re.compile(
    r"(?<!\s)\s+(?:autonomous\s+)?(region|province|district|oblast|village|city|town|area|jamoat)$"
)
# The kind word after a name says which of its namesakes is meant ("Kandahar province", not the city).
_KIND_WORD = {
    "region": frozenset({"admin1"}), "province": frozenset({"admin1"}), "oblast": frozenset({"admin1"}),
    "district": frozenset({"admin2"}), "village": frozenset({"village"}),
    "city": frozenset({"city"}), "town": frozenset({"city", "village"}),
}  # fmt: skip
_KIND_AFTER = re.compile(r"(?<!\s)\s+(region|province|district|oblast|village|city|town)\b", re.I)
# A name followed by a document's word names the document ("the Bishkek Protocol"), not a place of the act.
_DOCUMENT_AFTER = re.compile(
    r"(?<!\s)\s+(?:Protocol|Accords?|Agreement|Declaration|Treaty|Process|Format|Memorandum|Communiqu[ée]|Charter)\b"
)
# "into the sovereign territory of the Republic of Armenia": the country is where the act happened.
_TERRITORY_OF = re.compile(
    r"\b(?:in|into|inside|within|on|onto)\s+(?:the\s+)?(?:\w+\s+)?(?:territory|soil|land)\s+of\s+"
    r"(?:the\s+)?(?:Republic\s+of\s+)?$",
    re.I,
)
_LOCATIVE = re.compile(r"\b(?:in|into|inside|within|on)\s+(?:the\s+)?$", re.I)
# A venue's name may join capitalised words with "of (the)" ("the Palace of the Nation"); "a White
# House summit" names the building too.
_VENUE = re.compile(
    r"\b(?:in|at|to|visit to|visiting|trip to)\s+(?:the\s+|an?\s+)?"
    r"([A-Z][\w’'-]+(?:\s(?:of\s(?:the\s)?)?[A-Z][\w’'-]+){0,3})"
)


@dataclass(frozen=True)
class PlaceChoice:
    """The words that name the place, its country, and how specific it is (0 = village/town)."""

    text: str | None
    country: str | None
    rank: int
    offset: int = -1  # in the sentence; -1 when not read from it


def _resolve_name(
    name: str, gazetteer: Gazetteer | None, countries: Collection[str] = ()
) -> tuple[str, int] | None:
    key = name.lower().strip(" ’'").removesuffix("’s").removesuffix("'s").removeprefix("the ")
    generic = _GENERIC.search(key)
    key = _GENERIC.sub("", key).strip()
    if gazetteer is not None:
        places = [p for p in gazetteer.lookup(key) if p.country]
        kinds = _KIND_WORD.get(generic.group(1)) if generic else None
        if kinds:  # "Kandahar province": the province, not its namesake city
            places = [p for p in places if p.kind in kinds] or places
        # a namesake in a country the article names beats a bigger one elsewhere
        place = next((p for p in places if p.country in countries), places[0] if places else None)
        if place is not None and place.kind == "country" and place.name.lower() != key:
            # a country's other name that is also a region of it names the region ("Gaza Strip")
            place = next((p for p in places if p.country == place.country and p.kind != "country"), place)
        if place is not None and place.country:
            rank = _KIND_RANK.get(place.kind, 1)
            if place.kind == "city" and any(
                p.kind == "admin1" and p.country == place.country for p in places
            ):
                rank = _KIND_RANK["admin1"]  # "Kandahar" may be the province as well as its seat
            return place.country, rank
    if key in _COUNTRIES:
        return _COUNTRIES[key], 3
    return None


def _seat_word(name: str) -> bool:
    key = name.lower().removesuffix("’s").removesuffix("'s").removeprefix("the ")
    return key in SEATS


def is_dateline(sentence: str, start: int, stop: int) -> bool:
    """Whether sentence[start:stop] is a dateline ("KABUL (Reuters) -", "Baku, May 2 —")."""
    return bool(_DATELINE_BEFORE.match(sentence[:start])) and bool(_DATELINE_AFTER.match(sentence, stop))


def places_in(
    sentence: str,
    ents: list[tuple[int, int, str]],
    gazetteer: Gazetteer | None,
    countries: Collection[str] = (),
) -> list[PlaceChoice]:
    """Places named in `sentence` where something could happen.

    Left out: origins ("from Afghanistan"), datelines, where the wounded were taken or a toll was
    told, and names that are part of a river's or valley's name. `countries` are the ones the
    article names; a name shared by several places is read as the one in those.
    """
    spans: dict[tuple[int, int], str] = {}
    for start, stop, label in ents:
        if label in {"GPE", "LOC", "FAC"}:
            spans[(start, stop)] = sentence[start:stop]
    for m in _COUNTRY_RX.finditer(sentence):
        if not any(a <= m.start() < b for a, b in spans):
            spans[m.span()] = m.group()
    out: list[PlaceChoice] = []
    for (start, stop), name in sorted(spans.items()):
        into = _TERRITORY_OF.search(sentence[max(0, start - 50) : start])
        if _ORIGIN.search(sentence[max(0, start - 40) : start]) and not into:
            continue
        if _REPORTED.search(sentence[max(0, start - 40) : start]):
            continue  # "taken to a hospital in X": where the wounded went, not where they were hit
        if _FEATURE_AFTER.match(sentence, stop) or _FEATURE_NAME.search(name):
            continue  # "the X River" is a river, not the town X; "the Red Sea" is not Sudan's state
        if _DOCUMENT_AFTER.match(sentence, stop):
            continue  # "the Bishkek Protocol" was signed somewhere, not necessarily where this happened
        kind_word = _KIND_AFTER.match(sentence, stop)
        if kind_word and not _GENERIC.search(name):
            name = name + kind_word.group()  # "Kandahar" + " province": the province
        if is_dateline(sentence, start, stop):
            continue
        if _seat_word(name) and (
            not _PLACE_PREPOSITION.search(sentence[max(0, start - 30) : start])
            or _SEAT_SPEAKS.match(sentence, stop)
        ):
            continue  # "Baku launched an operation", "in what Baku said": the government, not a place
        if re.match(r"\s*(?:border|frontier|-afghan|–afghan|-tajik)", sentence[stop : stop + 10], re.I):
            continue  # "the Tajik-Afghan border" names no side
        resolved = _resolve_name(name, gazetteer, countries)
        if (
            resolved
            and resolved[1] == 3
            and not _LOCATIVE.search(sentence[max(0, start - 12) : start])
            and not into
        ):
            continue  # a country word names where something happened only after "in", "into", "inside"
        if resolved and resolved[0]:
            out.append(
                PlaceChoice(name.removesuffix("’s").removesuffix("'s"), resolved[0], resolved[1], start)
            )
    for m in _SIDE.finditer(sentence):
        country = DEMONYMS[m.group(1).lower()]
        out.append(PlaceChoice(None, country, 3, m.start()))
    for m in _POSTS.finditer(sentence):
        if not _FROM_BEFORE.search(sentence[max(0, m.start() - 12) : m.start()]):
            out.append(PlaceChoice(None, DEMONYMS[m.group(1).lower()], 3, m.start()))
    return out


# Words that open another clause: a place before them belongs to that clause's act, not to an act
# named after them ("talks in Doha after days of fighting": Doha is where they talked).
_CLAUSE_BREAK = re.compile(r"\b(?:after|following|amid|since|before|while|whereas|as|when)\b|[;:—]")


def violence_place(
    places: list[PlaceChoice], trigger: int, sentence: str | None = None
) -> PlaceChoice | None:
    """Where violence happened: the most specific place in the country of the place nearest the trigger.

    Places after the trigger come first; with `sentence` given, a place before it counts only when no
    clause opens between the two (see `_CLAUSE_BREAK`).
    """
    if sentence is not None:
        places = [
            p
            for p in places
            if p.offset >= trigger or p.offset < 0 or not _CLAUSE_BREAK.search(sentence, p.offset, trigger)
        ]
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


def venue_in(
    sentence: str, gazetteer: Gazetteer | None, countries: Collection[str] = (), trigger: int | None = None
) -> PlaceChoice | None:
    """A named venue of a meeting or visit ("in Moscow", "a visit to Tajikistan"), if any.

    With `trigger` given, a venue another clause names ("strikes in Kandahar before the two sides
    agreed") is not the act's (see `_CLAUSE_BREAK`).
    """
    for m in _VENUE.finditer(sentence):
        if trigger is not None and _CLAUSE_BREAK.search(
            sentence, min(m.end(), trigger), max(m.start(), trigger)
        ):
            continue
        words = m.group(1).split()
        for size in range(len(words), 0, -1):
            name = " ".join(words[:size]).rstrip(",.")
            resolved = _resolve_name(name, gazetteer, countries)
            if resolved and resolved[0]:
                text = name if resolved[1] < 3 else CAPITALS.get(resolved[0], name)
                return PlaceChoice(text, resolved[0], min(resolved[1], 2), m.start())
    return None


# "The authorities in Stepanakert appealed": a speaker named by where it sits; that seat is where it spoke.
_SEATED_SPEAKER = re.compile(
    r"\b(?:authorities|officials|government|administration|leadership)\s+in\s+((?:[A-Z][\w’'-]+\s?){1,3})"
)


_SUBJECT_OPENING = re.compile(r"^\W*(?:[\w’'-]+\s+){0,3}$")


def speaker_seat(
    sentence: str, trigger: int, gazetteer: Gazetteer | None, countries: Collection[str] = ()
) -> PlaceChoice | None:
    """Where a speaker named by its seat ("the authorities in X said") spoke, if X is before `trigger`."""
    for m in _SEATED_SPEAKER.finditer(sentence, 0, max(0, trigger)):
        if not _SUBJECT_OPENING.match(sentence[: m.start()]):
            continue  # "engagement with the authorities in Kabul": not who speaks
        words = m.group(1).split()
        for size in range(len(words), 0, -1):
            name = " ".join(words[:size]).rstrip(",.")
            resolved = _resolve_name(name, gazetteer, countries)
            if resolved and resolved[0]:
                text = name if resolved[1] < _COUNTRY_RANK else CAPITALS.get(resolved[0], name)
                return PlaceChoice(text, resolved[0], min(resolved[1], 2), m.start(1))
    return None


_COUNTRY_RANK = 3  # PlaceChoice.rank of a country-wide place
