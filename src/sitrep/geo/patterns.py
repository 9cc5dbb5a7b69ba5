"""spaCy EntityRuler patterns for the region's places, countries and capitals.

Extraction adds these before "ner" so the model stops tagging Dushanbe as ORG. Only our region
table, admin1 names of the border countries, countries and capitals go in: a few thousand patterns,
not every town on earth.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from sitrep.model import Place

# Alternate spellings that are also ordinary English words or names of people; never patterns.
STOPWORDS = frozenset({
    "nov", "nau", "mary", "chek", "kim", "bay", "lash", "march", "archi", "aral", "rumi", "sovet",
    "lenin", "mazar", "regar", "balkhi", "jami", "ragh", "kerben", "massy", "naryn", "pulgon",
    "vose", "dusti", "buston", "istiqlol", "rasht", "darband", "osh", "jomi", "area", "bahorak",
    # tribes and family names as well as districts ("Irshad Mohmand"), a Chinese surname
    "mohmand", "orakzai", "maruf", "kang", "tani",
})  # fmt: skip
REGION_ADMIN1_COUNTRIES = frozenset({"TJ", "AF", "KG", "UZ"})
# spaCy's English tokenizer splits hyphens between letters and trailing periods; mirror that.
_TOKEN = re.compile(r"[^\s\-]+|-")


class PatternSource(Protocol):
    """What `place_patterns` needs from a gazetteer (BuiltinGazetteer has it)."""

    region_places: list[tuple[Place, tuple[str, ...]]]
    admin1_places: list[tuple[Place, tuple[str, ...]]]

    def capitals(self) -> dict[str, Place]: ...


def _tokens(name: str) -> list[dict[str, str]]:
    return [{"LOWER": token.lower()} for token in _TOKEN.findall(name)]


def place_patterns(gazetteer: PatternSource) -> list[dict[str, Any]]:
    """Return EntityRuler patterns: GPE for countries, admin areas, cities and villages; LOC for features."""
    import pycountry  # only needed here and in the gazetteer

    seen: set[str] = set()
    patterns: list[dict[str, Any]] = []

    def add(name: str, label: str, place_id: str) -> None:
        key = name.lower()
        if key in seen or key in STOPWORDS or len(name) < 3 or "(" in name:
            return
        seen.add(key)
        patterns.append({"label": label, "pattern": _tokens(name), "id": place_id})

    for place, alternates in gazetteer.region_places:
        label = {"feature": "LOC", "venue": "FAC"}.get(place.kind or "", "GPE")
        # a venue's own name carries its city ("White House, Washington"); the text names the building
        for name in (place.name, *alternates) if place.kind != "venue" else alternates:
            add(name, label, place.place_id)
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                add(value, "GPE", f"iso:{country.alpha_2}")
    for place in gazetteer.capitals().values():
        add(place.name, "GPE", place.place_id)
    for place, alternates in gazetteer.admin1_places:
        if place.country in REGION_ADMIN1_COUNTRIES:
            for name in (place.name, *alternates):
                add(name, "GPE", place.place_id)
    return patterns
