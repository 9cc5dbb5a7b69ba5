"""Geocode mentions: turn the words extraction chose as an event's place into country/admin1/admin2/location.

Deciding *which* words name the event's place is extraction's job; this stage only resolves them,
using the mention's country as the hint, and never replaces a country with one the words do not name.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar, Protocol

from sitrep.model import Mention, Place

logger = logging.getLogger(__name__)

# Trailing words that say what kind of place the name is ("Shamsiddin Shohin district").
_KIND_SUFFIXES: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (suffix, frozenset(kinds))
    for suffix, kinds in (
        ("autonomous region", {"admin1"}), ("autonomous oblast", {"admin1"}),
        ("border post", {"feature"}), ("border outpost", {"feature"}), ("outpost", {"feature"}),
        ("border crossing", {"feature"}), ("crossing", {"feature"}), ("area", {"feature", "village"}),
        ("district", {"admin2"}), ("raion", {"admin2"}), ("rayon", {"admin2"}), ("nohiya", {"admin2"}),
        ("province", {"admin1"}), ("region", {"admin1"}), ("oblast", {"admin1"}),
        ("viloyat", {"admin1"}), ("wilayat", {"admin1"}), ("governorate", {"admin1"}),
        ("village", {"village"}), ("settlement", {"village"}), ("city", {"city"}),
        ("town", {"city", "village"}), ("capital", {"city"}),
    )
)  # fmt: skip
_SPLIT = re.compile(r",|;|\s+in\s+(?:the\s+)?|\s+near\s+(?:the\s+)?|\s+of\s+(?=[A-Z])")
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_FINENESS = {"venue": 5, "village": 4, "feature": 4, "city": 3, "admin2": 2, "admin1": 1, "country": 0}


class PlaceResolver(Protocol):
    """What geocoding needs: `resolve` as `BuiltinGazetteer` has it."""

    def resolve(
        self, name: str, country_hint: str | None = None, kinds: Iterable[str] | None = None
    ) -> Place | None: ...

    def resolve_near(self, name: str, country_hint: str) -> Place | None: ...


def _resolve_part(part: str, gazetteer: PlaceResolver, hint: str | None) -> Place | None:
    """Resolve one comma- or "in"-separated piece, reading a trailing kind word if the whole fails.

    A town or village the text names by another of its names keeps the text's name ("Stepanakert",
    not GeoNames' "Khankendi"): the article's English is what a reader searches for.
    """
    text = _LEADING.sub("", part.strip(" .\"'“”‘’()"))
    if not text:
        return None
    place = gazetteer.resolve(text, hint)
    if place is None:
        lowered = text.lower()
        for suffix, kinds in _KIND_SUFFIXES:
            if lowered.endswith(" " + suffix):
                text = text[: -len(suffix)].strip(" -")
                place = gazetteer.resolve(text, hint, kinds) or gazetteer.resolve(text, hint)
                break
    if place is not None and place.kind in _AS_WRITTEN and _LATIN_WORDS.fullmatch(text):
        return dataclasses.replace(place, name=text)
    # Last resort, only inside the hinted country: one typo away from a name in our tables.
    if place is None and hint is not None:
        place = gazetteer.resolve_near(text, hint)
    return place


_AS_WRITTEN = frozenset({"city", "village"})
_LATIN_WORDS = re.compile(r"[A-Z][A-Za-z’'-]+(?: [A-Z][A-Za-z’'-]+){0,3}")


def resolve_place_text(text: str, gazetteer: PlaceResolver, hint: str | None = None) -> Place | None:
    """Return the most precise place `text` names, or None: "Kavo village, Shamsiddin Shohin" -> Kavo."""
    places = [p for p in (_resolve_part(part, gazetteer, hint) for part in _SPLIT.split(text)) if p]
    if not places:
        return None
    # Pieces must agree on a country: the hinted one if any piece is there, else the first piece's.
    countries = [p.country for p in places]
    country = hint if hint in countries else countries[0]
    agreeing = [p for p in places if p.country == country]
    best = max(agreeing, key=lambda p: _FINENESS.get(p.kind, 0))
    # A coarser piece can fill what the finer one lacks ("Ruzvayak, Badakhshan").
    for other in agreeing:
        if best.admin1 is None and other.admin1 is not None and other.kind in {"admin1", "admin2"}:
            best = dataclasses.replace(best, admin1=other.admin1)
    return best


def geocode_mention(mention: Mention, gazetteer: PlaceResolver) -> Mention:
    """Return `mention` with country/admin1/admin2/location/lat/lon filled from its `place_text`.

    A mention whose place words do not resolve comes back unchanged.
    """
    if not mention.place_text:
        return mention
    place = resolve_place_text(mention.place_text, gazetteer, mention.country)
    if place is None:
        logger.debug("no place for %r (%s)", mention.place_text, mention.mention_id)
        return mention
    if place.kind == "country":
        return dataclasses.replace(
            mention,
            country=place.country,
            admin1=None,
            admin2=None,
            location=None,
            lat=place.lat,
            lon=place.lon,
        )
    if place.kind == "admin1":
        return dataclasses.replace(
            mention, country=place.country, admin1=place.admin1 or place.name, admin2=None,
            location=None, lat=place.lat, lon=place.lon,
        )  # fmt: skip
    admin2 = place.name if place.kind == "admin2" else place.admin2
    return dataclasses.replace(
        mention, country=place.country, admin1=place.admin1, admin2=admin2,
        location=place.name, lat=place.lat, lon=place.lon,
    )  # fmt: skip


@dataclass(frozen=True)
class GeocodeMentions:
    """Mention -> Mention with its place fields filled from `place_text`, the mention's country as hint."""

    name: ClassVar[str] = "geo.geocode.v1"
    gazetteer: PlaceResolver

    def __call__(self, mentions: Iterable[Mention]) -> Iterator[Mention]:
        for mention in mentions:
            yield geocode_mention(mention, self.gazetteer)
