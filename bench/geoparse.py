"""Gazetteer accuracy on a public geoparsing benchmark: how often a toponym resolves within 161 km.

    python bench/geoparse.py PATH/TO/GWN.xml

Reads GeoWebNews (Gritta et al. 2019, "A Pragmatic Guide to Geoparsing Evaluation"; its XML from
that paper's repository, never shipped with sitrep) and resolves each gold toponym that has
coordinates, as the text writes it, with `geo.geocode.resolve_place_text` (as the geocode stage does), given as hint the country the
article names most (`sitrep.countries.most_named_country`), as extraction does. The naive baseline:
a country name is the country's point (pycountry + our table), else the most populous town of that
name worldwide. Prints accuracy@161 km (share of all toponyms, unresolved ones counted as misses),
mean error over those both resolve, and how many each could not resolve. Measures resolution only,
not recognition: the gold spans are given.
"""

from __future__ import annotations

import argparse
import math
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from sitrep.countries import COUNTRY_POINTS, most_named_country
from sitrep.geo import load_gazetteer
from sitrep.geo.cities import load_cities
from sitrep.geo.countries import country_of, fold
from sitrep.geo.geocode import resolve_place_text

KM = 161.0  # the field's customary threshold (100 miles)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def toponyms(path: Path) -> list[tuple[str, str, tuple[float, float]]]:
    """(article text, toponym as written, gold point) for each gold toponym with coordinates."""
    out = []
    for article in ET.parse(path).getroot():
        text = article.findtext("text") or ""
        for t in article.iter("toponym"):
            lat, lon = t.findtext("latitude"), t.findtext("longitude")
            name = (t.findtext("extractedName") or "").strip()
            if name and lat and lon:
                out.append((text, name, (float(lat), float(lon))))
    return out


def baseline() -> Callable[[str], tuple[float, float] | None]:
    """A country's point, else the most populous town of that name (own name or alternate)."""
    biggest: dict[str, tuple[int, tuple[float, float]]] = {}
    for r in load_cities():
        for key in (fold(r.name), *r.alternates):
            if key not in biggest or r.population > biggest[key][0]:
                biggest[key] = (r.population, (r.lat, r.lon))

    def resolve(name: str) -> tuple[float, float] | None:
        code = country_of(name)
        if code and code in COUNTRY_POINTS:
            return COUNTRY_POINTS[code]
        found = biggest.get(fold(name))
        return found[1] if found else None

    return resolve


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("gwn", type=Path, help="GeoWebNews GWN.xml")
    args = parser.parse_args()
    if not args.gwn.is_file():
        print(f"{args.gwn}: no such file", file=sys.stderr)
        return 2
    gazetteer = load_gazetteer()
    naive = baseline()
    focus: dict[int, str | None] = {}
    rows = toponyms(args.gwn)
    hits = {"sitrep": 0, "baseline": 0}
    missing = {"sitrep": 0, "baseline": 0}
    errors: dict[str, list[float]] = {"sitrep": [], "baseline": []}
    for text, name, gold in rows:
        hint = focus.setdefault(id(text), most_named_country(text))
        place = resolve_place_text(name, gazetteer, hint)
        ours = (place.lat, place.lon) if place and place.lat is not None and place.lon is not None else None
        for system, point in (("sitrep", ours), ("baseline", naive(name))):
            if point is None:
                missing[system] += 1
                continue
            km = distance_km(point, gold)
            errors[system].append(km)
            hits[system] += km <= KM
    print(f"GeoWebNews toponyms with coordinates: {len(rows)}")
    for system in ("sitrep", "baseline"):
        share = hits[system] / len(rows) if rows else 0.0
        mean = sum(errors[system]) / len(errors[system]) if errors[system] else 0.0
        print(
            f"{system:9s} accuracy@{KM:.0f}km {share:.3f}  unresolved {missing[system]}  "
            f"mean error of resolved {mean:.0f} km"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
