"""Gazetteer, geocoding, GeoNames import and entity-ruler patterns (sentences and fixtures written here)."""

from __future__ import annotations

import csv
import dataclasses
import pickle
import time
import zipfile
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.errors import GazetteerUnavailable
from sitrep.geo import (
    BuiltinGazetteer,
    GeocodeMentions,
    country_of,
    import_geonames,
    import_geonames_report,
    load_gazetteer,
    place_patterns,
)
from sitrep.geo.countries import fold
from sitrep.model import Gazetteer, Mention


@pytest.fixture(scope="module")
def gazetteer() -> BuiltinGazetteer:
    return load_gazetteer()


def _mention(place_text: str | None, country: str | None = None) -> Mention:
    return Mention(
        mention_id="a1:0:ASSAULT", article_id="a1", event_type="ASSAULT", quote="x", start=0, end=1,
        place_text=place_text, country=country,
    )  # fmt: skip


# -- lookup and resolve ---------------------------------------------------------------------------


def test_gazetteer_implements_protocol(gazetteer: BuiltinGazetteer) -> None:
    protocol_user: Gazetteer = gazetteer
    assert protocol_user.lookup("Khorog")
    assert ("Shamsiddin Shohin", "admin2") in set(gazetteer.names())


@pytest.mark.parametrize("spelling", ["Shokhin", "Shohin", "shamsiddin shohin", "SHAMSIDDIN SHOKHIN"])
def test_lookup_alternate_spellings_of_shamsiddin_shohin(gazetteer: BuiltinGazetteer, spelling: str) -> None:
    place = gazetteer.lookup(spelling)[0]
    assert (place.name, place.kind, place.country, place.admin1) == (
        "Shamsiddin Shohin", "admin2", "TJ", "Khatlon",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("spelling", "district"),
    [("Pyanj", "Panj"), ("Pyandzh", "Panj"), ("Darvaz", "Darvoz"), ("Kabodiyon", "Qubodiyon"),
     ("Parkhar", "Farkhor"), ("Jaloliddin Balkhi", "Jaloliddini Balkhi"), ("Hamadani", "Hamadoni"),
     ("Rushan", "Rushon"), ("Vanch", "Vanj")],
)  # fmt: skip
def test_resolve_tajik_district_spellings(gazetteer: BuiltinGazetteer, spelling: str, district: str) -> None:
    place = gazetteer.resolve(spelling, "TJ")
    assert place is not None
    assert (place.country, place.admin2) == ("TJ", district)


def test_resolve_district_seat_town_gets_its_district(gazetteer: BuiltinGazetteer) -> None:
    place = gazetteer.resolve("Shurobod", "TJ")
    assert place is not None
    assert (place.admin1, place.admin2) == ("Khatlon", "Shamsiddin Shohin")


def test_lookup_ignores_accents_and_apostrophes(gazetteer: BuiltinGazetteer) -> None:
    assert gazetteer.resolve("Kŭlob") == gazetteer.resolve("kulob")
    assert gazetteer.resolve("Roshtqal`a") == gazetteer.resolve("Roshtqal'a")


def test_resolve_kavo_to_its_district(gazetteer: BuiltinGazetteer) -> None:
    place = gazetteer.resolve("Kavo")
    assert place is not None
    assert (place.kind, place.country, place.admin1, place.admin2) == (
        "village", "TJ", "Khatlon", "Shamsiddin Shohin",
    )  # fmt: skip


def test_resolve_darvoz_with_tajik_hint_is_in_gbao(gazetteer: BuiltinGazetteer) -> None:
    place = gazetteer.resolve("Darvoz", "TJ")
    assert place is not None
    assert (place.admin1, place.admin2) == ("Gorno-Badakhshan", "Darvoz")


@pytest.mark.parametrize(
    ("hint", "country", "admin1"), [("AF", "AF", "Badakhshan"), ("TJ", "TJ", "Gorno-Badakhshan")]
)
def test_resolve_badakhshan_follows_the_hint(
    gazetteer: BuiltinGazetteer, hint: str, country: str, admin1: str
) -> None:
    place = gazetteer.resolve("Badakhshan", hint)
    assert place is not None
    assert (place.kind, place.country, place.admin1) == ("admin1", country, admin1)


def test_resolve_badakhshan_without_hint_is_the_afghan_province(gazetteer: BuiltinGazetteer) -> None:
    place = gazetteer.resolve("Badakhshan")
    assert place is not None
    assert place.country == "AF"  # its own name there; only an alternate of Tajikistan's GBAO


@pytest.mark.parametrize(
    ("name", "country", "admin1"),
    [("Dushanbe", "TJ", "Dushanbe"), ("Kabul", "AF", "Kabul"), ("Moscow", "RU", "Moscow"),
     ("Tehran", "IR", "Tehran"), ("Islamabad", "PK", "Islamabad Capital Territory"),
     ("Khujand", "TJ", "Sughd"), ("Mazar-e Sharif", "AF", "Balkh"), ("Termez", "UZ", "Surkhandarya"),
     ("Batken", "KG", "Batken")],
)  # fmt: skip
def test_resolve_city_has_english_admin1(
    gazetteer: BuiltinGazetteer, name: str, country: str, admin1: str
) -> None:
    place = gazetteer.resolve(name)
    assert place is not None
    assert (place.kind, place.country, place.admin1) == ("city", country, admin1)


def test_resolve_moskva_is_moscow_unless_hinted_tajik(gazetteer: BuiltinGazetteer) -> None:
    assert gazetteer.resolve("Moskva").country == "RU"  # type: ignore[union-attr]
    assert gazetteer.resolve("Moskva", "TJ").country == "TJ"  # type: ignore[union-attr]


def test_resolve_kinds_restricts_candidates(gazetteer: BuiltinGazetteer) -> None:
    place = gazetteer.resolve("Kunduz", kinds=["admin1"])
    assert place is not None
    assert (place.kind, place.name) == ("admin1", "Kunduz")


@pytest.mark.parametrize(
    ("typo", "name"), [("Khatlom", "Khatlon"), ("Shamsidin Shohin", "Shamsiddin Shohin")]
)
def test_resolve_near_forgives_one_typo_in_the_hinted_country(
    gazetteer: BuiltinGazetteer, typo: str, name: str
) -> None:
    place = gazetteer.resolve_near(typo, "TJ")
    assert place is not None
    assert place.name == name


def test_resolve_near_never_guesses_short_names_or_other_countries(gazetteer: BuiltinGazetteer) -> None:
    assert gazetteer.resolve_near("Panz", "TJ") is None
    assert gazetteer.resolve_near("Khatlom", "AF") is None


def test_resolve_unknown_name_is_none(gazetteer: BuiltinGazetteer) -> None:
    assert gazetteer.resolve("Qwertyabad") is None


def test_lookup_is_fast(gazetteer: BuiltinGazetteer) -> None:
    started = time.perf_counter()
    for _ in range(2000):
        gazetteer.resolve("Shokhin", "TJ")
    per_call_s = (time.perf_counter() - started) / 2000
    assert per_call_s < 200e-6  # measured ~15 µs; generous for slow CI machines


def test_gazetteer_pickles_as_a_recipe(gazetteer: BuiltinGazetteer) -> None:
    data = pickle.dumps(gazetteer)
    assert len(data) < 1000
    assert pickle.loads(data) is gazetteer  # same process: the cached instance comes back


# -- countries and capitals -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "code"),
    [("Tajik", "TJ"), ("Tajikistan's", "TJ"), ("Afghan", "AF"), ("Taliban", "AF"), ("Kremlin", "RU"),
     ("the Kremlin", "RU"), ("Beijing", "CN"), ("Chinese", "CN"), ("Uzbek", "UZ"), ("Kyrgyz", "KG"),
     ("Pakistani", "PK"), ("Iranian", "IR"), ("Russian", "RU"), ("Ukrainian", "UA"), ("American", "US"),
     ("U.S.", "US"), ("US", "US"), ("Islamabad", "PK"), ("Moscow", "RU"), ("Kabul", "AF"),
     ("Dushanbe", "TJ"), ("Kazakhstan", "KZ"), ("Iran", "IR"), ("Russian Federation", "RU"),
     ("Turkmen", "TM"), ("Emirati", "AE")],
)  # fmt: skip
def test_country_of_names_demonyms_and_capitals(word: str, code: str) -> None:
    assert country_of(word) == code


@pytest.mark.parametrize("word", ["us", "and", "border", "militants", ""])
def test_country_of_ordinary_words_is_none(word: str) -> None:
    assert country_of(word) is None


@pytest.mark.parametrize(
    ("country", "name", "admin1"),
    [("TJ", "Dushanbe", "Dushanbe"), ("AF", "Kabul", "Kabul"), ("RU", "Moscow", "Moscow"),
     ("IR", "Tehran", "Tehran"), ("PK", "Islamabad", "Islamabad Capital Territory"),
     ("CN", "Beijing", "Beijing"), ("UZ", "Tashkent", "Tashkent"), ("KG", "Bishkek", "Bishkek"),
     ("US", "Washington", "District of Columbia"), ("UA", "Kyiv", "Kyiv City"),
     ("TM", "Ashgabat", "Ashgabat"), ("IN", "New Delhi", "Delhi"), ("TR", "Ankara", "Ankara"),
     ("KZ", "Astana", "Astana")],
)  # fmt: skip
def test_capital_has_name_and_admin1(
    gazetteer: BuiltinGazetteer, country: str, name: str, admin1: str
) -> None:
    place = gazetteer.capital(country)
    assert place is not None
    assert (place.name, place.admin1) == (name, admin1)


# -- geocoding ------------------------------------------------------------------------------------


def test_geocode_village_fills_district_and_province(gazetteer: BuiltinGazetteer) -> None:
    [out] = GeocodeMentions(gazetteer)([_mention("Kavo", "TJ")])
    assert (out.country, out.admin1, out.admin2, out.location) == (
        "TJ",
        "Khatlon",
        "Shamsiddin Shohin",
        "Kavo",
    )
    assert out.lat is not None
    assert out.lon is not None


def test_geocode_district_with_suffix_sets_admin2(gazetteer: BuiltinGazetteer) -> None:
    [out] = GeocodeMentions(gazetteer)([_mention("the Shokhin district", "TJ")])
    assert (out.admin1, out.admin2, out.location) == ("Khatlon", "Shamsiddin Shohin", "Shamsiddin Shohin")


def test_geocode_city_sets_admin1_and_location(gazetteer: BuiltinGazetteer) -> None:
    [out] = GeocodeMentions(gazetteer)([_mention("Dushanbe")])
    assert (out.country, out.admin1, out.admin2, out.location) == ("TJ", "Dushanbe", None, "Dushanbe")


def test_geocode_province_sets_admin1_only(gazetteer: BuiltinGazetteer) -> None:
    [out] = GeocodeMentions(gazetteer)([_mention("Takhar province", "AF")])
    assert (out.country, out.admin1, out.admin2, out.location) == ("AF", "Takhar", None, None)


def test_geocode_country_sets_country_only(gazetteer: BuiltinGazetteer) -> None:
    [out] = GeocodeMentions(gazetteer)([_mention("Kyrgyzstan")])
    assert (out.country, out.admin1, out.admin2, out.location) == ("KG", None, None, None)


def test_geocode_list_takes_the_finest_place(gazetteer: BuiltinGazetteer) -> None:
    [out] = GeocodeMentions(gazetteer)(
        [_mention("Shodak village in Darvoz district, Gorno-Badakhshan", "TJ")]
    )
    assert (out.admin1, out.admin2, out.location) == ("Gorno-Badakhshan", "Darvoz", "Shodak")


def test_geocode_unresolved_place_keeps_the_mention(gazetteer: BuiltinGazetteer) -> None:
    mention = _mention("a remote mountain pass", "TJ")
    assert next(GeocodeMentions(gazetteer)([mention])) == mention


def test_geocode_without_place_text_keeps_the_mention(gazetteer: BuiltinGazetteer) -> None:
    mention = dataclasses.replace(_mention(None, "TJ"), admin1="Khatlon")
    assert next(GeocodeMentions(gazetteer)([mention])) == mention


def test_geocode_stage_has_versioned_name() -> None:
    assert GeocodeMentions.name == "geo.geocode.v1"


# -- the district table ---------------------------------------------------------------------------

# Rough bounding boxes (lat_min, lat_max, lon_min, lon_max) of the countries in the table.
BBOXES = {
    "TJ": (36.6, 41.1, 67.3, 75.2),
    "AF": (29.3, 38.5, 60.5, 74.9),
    "KG": (39.1, 43.3, 69.2, 80.3),
    "UZ": (37.1, 45.6, 55.9, 73.2),
    "PK": (23.6, 37.1, 60.8, 77.9),
    "IR": (25.0, 39.8, 44.0, 63.4),
    "AZ": (38.3, 42.0, 44.7, 50.7),
    "AM": (38.8, 41.4, 43.4, 46.7),
    "GE": (41.0, 43.6, 40.0, 46.8),
    "IN": (6.7, 35.7, 68.1, 97.4),
    "SY": (32.3, 37.4, 35.7, 42.4),
    "IL": (29.4, 33.4, 34.2, 35.9),
    "PS": (31.2, 32.6, 34.2, 35.6),
    "MD": (45.4, 48.5, 26.6, 30.2),
    "UA": (44.3, 52.4, 22.1, 40.3),
    "EG": (22.0, 31.7, 24.7, 36.9),
    "SD": (8.6, 22.3, 21.8, 38.6),
    "IQ": (29.0, 37.4, 38.8, 48.6),
    "PH": (4.5, 21.2, 116.9, 126.7),
}


def _district_rows() -> list[dict[str, str]]:
    text = resources.files("sitrep.geo").joinpath("data", "districts.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_district_table_coordinates_lie_in_their_country() -> None:
    rows = _district_rows()
    outside = [
        r["name"]
        for r in rows
        if not (BBOXES[r["country"]][0] <= float(r["lat"]) <= BBOXES[r["country"]][1])
        or not (BBOXES[r["country"]][2] <= float(r["lon"]) <= BBOXES[r["country"]][3])
    ]
    assert outside == []


def test_district_table_is_complete_and_consistent() -> None:
    rows = _district_rows()
    kinds = {r["kind"] for r in rows}
    assert kinds <= {"admin2", "village", "feature", "city"}
    assert all(r["source_note"] for r in rows)
    tajik_districts = [r for r in rows if r["country"] == "TJ" and r["kind"] == "admin2"]
    assert len(tajik_districts) >= 45
    assert {r["admin1"] for r in tajik_districts} == {
        "Khatlon", "Gorno-Badakhshan", "Sughd", "Districts of Republican Subordination",
    }  # fmt: skip
    assert all(
        r["admin2"] == r["name"] for r in rows if r["kind"] == "admin2" and "district" not in r["name"]
    )


def test_district_table_admin1_names_are_gazetteer_admin1(gazetteer: BuiltinGazetteer) -> None:
    for row in _district_rows():
        if row["admin1"]:
            assert gazetteer.resolve(row["admin1"], row["country"], kinds=["admin1"]) is not None, row["name"]


# -- GeoNames import ------------------------------------------------------------------------------


def _geonames_line(
    gid: int,
    name: str,
    alternates: str,
    lat: object,
    lon: float,
    fclass: str,
    fcode: str,
    admin2: str = "",
    population: int = 0,
) -> str:
    """One line in GeoNames' 19-column dump format (country TJ, admin1 code 02)."""
    cols = (
        gid, name, name, alternates, lat, lon, fclass, fcode, "TJ", "", "02", admin2, "", "",
        population, "", 900, "Asia/Dushanbe", "2024-01-01",
    )  # fmt: skip
    return "\t".join(str(c) for c in cols) + "\n"


@pytest.fixture
def geonames_dump(tmp_path: Path) -> Path:
    """A tiny dump: one ADM1, one ADM2, two villages, a river (not kept) and two bad lines (6 and 7)."""
    lines = [
        _geonames_line(9000001, "Khatlon Region", "Khatlon", 37.9, 69.0, "A", "ADM1"),
        _geonames_line(9000002, "Nohiyai Testobod", "Testobod District", 37.7, 69.9, "A", "ADM2", "T1"),
        _geonames_line(
            9000003, "Qishloqi Zebo", "Zebo,Zebo Village,Зебо", 37.71, 69.91, "P", "PPL", "T1", 1200
        ),
        _geonames_line(9000004, "Sarikamar", "", 37.72, 69.92, "P", "PPL", "T1", 300),
        _geonames_line(9000005, "Darya", "", 37.7, 69.8, "H", "STM"),
        "this line is not a GeoNames record\n",
        _geonames_line(9000006, "Badlat", "", "north", 69.0, "P", "PPL", "", 10),
    ]
    path = tmp_path / "XT.txt"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_import_geonames_keeps_places_and_admin_areas(geonames_dump: Path, tmp_path: Path) -> None:
    report = import_geonames_report(geonames_dump, tmp_path / "geo")
    assert report.imported == 4  # ADM1, ADM2 and two villages; the river is not a place
    assert report.bad_lines == [6, 7]


def test_import_geonames_places_merge_into_the_gazetteer(geonames_dump: Path, tmp_path: Path) -> None:
    target = tmp_path / "geo"
    assert import_geonames(geonames_dump, target) == 4
    merged = load_gazetteer(target)
    place = merged.resolve("Zebo", "TJ")
    assert place is not None
    assert (place.name, place.kind, place.admin1, place.admin2) == (
        "Qishloqi Zebo", "village", "Khatlon", "Nohiyai Testobod",
    )  # fmt: skip
    assert load_gazetteer().resolve("Zebo") is None  # the built-in gazetteer is untouched


def test_import_geonames_reads_a_zip(geonames_dump: Path, tmp_path: Path) -> None:
    archive = tmp_path / "XT.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(geonames_dump, "XT.txt")
    assert import_geonames(archive, tmp_path / "from-zip") == 4


def test_import_geonames_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(GazetteerUnavailable, match=r"could not be read"):
        import_geonames(tmp_path / "absent.txt", tmp_path / "geo")


def test_cli_geo_import_prints_count(geonames_dump: Path, tmp_path: Path) -> None:
    from sitrep.cli.geo import geo

    result = CliRunner().invoke(geo, ["import", str(geonames_dump), "--dir", str(tmp_path / "geo")])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "4"


def test_cli_geo_import_uses_the_geo_dir_setting(geonames_dump: Path, tmp_path: Path) -> None:
    from sitrep.cli.geo import geo

    result = CliRunner(env={"SITREP_GEO__DIR": str(tmp_path / "env-geo")}).invoke(
        geo, ["import", str(geonames_dump)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env-geo" / "XT.places.tsv").is_file()


# -- entity-ruler patterns ------------------------------------------------------------------------


def test_place_patterns_cover_region_and_capitals(gazetteer: BuiltinGazetteer) -> None:
    patterns = place_patterns(gazetteer)
    assert 300 < len(patterns) < 5000
    by_text = {" ".join(t["LOWER"] for t in p["pattern"]): p["label"] for p in patterns}
    assert by_text["dushanbe"] == "GPE"
    assert by_text["shamsiddin shohin"] == "GPE"
    assert by_text["istiqlol border post"] == "LOC"
    assert by_text["gorno - badakhshan"] == "GPE"  # spaCy splits the hyphen into its own token
    assert "nov" not in by_text  # a month abbreviation, never a place pattern


def test_place_patterns_work_in_a_blank_pipeline(gazetteer: BuiltinGazetteer) -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(place_patterns(gazetteer))
    doc = nlp(
        "Officials in Dushanbe said militants crossed into Shamsiddin Shohin district of Gorno-Badakhshan."
    )
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Dushanbe", "GPE"), ("Shamsiddin Shohin", "GPE"), ("Gorno-Badakhshan", "GPE"),
    ]  # fmt: skip


def test_fold_normalises_transliteration_noise() -> None:
    assert fold("Qal’ai-Khumb") == fold("qalai khumb") == "qalai khumb"


# -- worldwide names as news writes them (sentences and names chosen for these tests) -------------


@pytest.mark.parametrize(
    ("name", "code"),
    [("Russia", "RU"), ("Turkey", "TR"), ("UK", "GB"), ("U.S.", "US"), ("Britain", "GB"),
     ("Iran", "IR"), ("Syria", "SY"), ("Armenia", "AM"), ("South Korea", "KR"), ("Türkiye", "TR")],
)  # fmt: skip
def test_country_names_as_news_writes_them_resolve_with_a_point(
    gazetteer: BuiltinGazetteer, name: str, code: str
) -> None:
    place = gazetteer.resolve(name)
    assert place is not None
    assert place.kind == "country"
    assert place.country == code
    assert place.lat is not None
    assert place.lon is not None


def test_every_country_has_a_point(gazetteer: BuiltinGazetteer) -> None:
    import pycountry

    missing = []
    for country in pycountry.countries:
        place = gazetteer.resolve(country.name, kinds=["country"])
        if place is None or place.lat is None:
            missing.append(country.alpha_2)
    assert missing == []


def test_own_town_beats_a_capitals_old_name_and_the_hint_picks_the_namesake(
    gazetteer: BuiltinGazetteer,
) -> None:
    england = gazetteer.resolve("Salisbury")
    assert england is not None
    assert england.country == "GB"
    old_name = gazetteer.resolve("Salisbury", "ZW")
    assert old_name is not None
    assert old_name.name == "Harare"


@pytest.mark.parametrize(("name", "country"), [("Khyber Pakhtunkhwa", "PK"), ("Nangarhar", "AF")])
def test_admin1_regions_have_a_point(gazetteer: BuiltinGazetteer, name: str, country: str) -> None:
    place = gazetteer.resolve(name, kinds=["admin1"])
    assert place is not None
    assert place.country == country
    assert place.lat is not None
    assert place.lon is not None


def test_town_outside_central_asia_gets_its_iso_admin1(gazetteer: BuiltinGazetteer) -> None:
    # Kandahar province is named after its town; ISO 3166-2 names the province "Kandahār"
    place = gazetteer.resolve("Jalalabad", "AF")
    assert place is not None
    assert place.admin1 == "Nangarhar"
    doha = gazetteer.resolve("Doha")
    assert doha is not None
    assert doha.country == "QA"
    assert doha.admin1 is not None


# -- names as the news writes them ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "hint", "expected"),
    [("Doha", None, ("QA", "Doha")), ("Baku", None, ("AZ", "Baku")), ("Yerevan", None, ("AM", "Yerevan")),
     ("Gori", "GE", ("GE", "Shida Kartli")), ("Goris", "AM", ("AM", "Syunik")),
     ("Jermuk", None, ("AM", "Vayots Dzor")), ("Mosul", None, ("IQ", "Nineveh")),
     ("Goma", None, ("CD", "North Kivu")), ("Maiduguri", None, ("NG", "Borno")),
     ("El Fasher", None, ("SD", "North Darfur")), ("Baghdad", None, ("IQ", "Baghdad")),
     ("Beersheba", None, ("IL", "Southern District")), ("Sittwe", None, ("MM", "Rakhine"))],
)  # fmt: skip
def test_admin1_names_are_english(
    gazetteer: BuiltinGazetteer, name: str, hint: str | None, expected: tuple[str, str]
) -> None:
    place = gazetteer.resolve(name, hint)
    assert place is not None
    assert (place.country, place.admin1) == expected


def test_a_region_named_after_its_city_keeps_its_iso_name(gazetteer: BuiltinGazetteer) -> None:
    place = gazetteer.resolve("Ad Dawḩah", "QA", kinds=["admin1"])
    assert place is not None
    assert place.name == "Doha"


def test_borderland_villages_are_indexed(gazetteer: BuiltinGazetteer) -> None:
    for name, country in (("Sotk", "AM"), ("Miran Shah", "PK"), ("Kalbajar", "AZ")):
        place = gazetteer.resolve(name, country)
        assert place is not None
        assert place.country == country


def test_geocode_keeps_the_texts_name_for_a_town(gazetteer: BuiltinGazetteer) -> None:
    [out] = GeocodeMentions(gazetteer)([_mention("Stepanakert", "AZ")])
    assert (out.country, out.location) == ("AZ", "Stepanakert")


def test_geocode_places_a_town_inside_its_disputed_region(gazetteer: BuiltinGazetteer) -> None:
    # "shelling near Stepanakert" and "fighting in Nagorno-Karabakh" name one area, not two places
    from sitrep.resolve.similarity import place_relation

    mentions = [_mention("Stepanakert", "AZ"), _mention("Nagorno-Karabakh", "AZ")]
    town, region = GeocodeMentions(gazetteer)(mentions)
    assert town.admin2 == "Nagorno-Karabakh"
    assert place_relation(town, region) == "contains"


def test_geocode_venue_carries_its_city(gazetteer: BuiltinGazetteer) -> None:
    [out] = GeocodeMentions(gazetteer)([_mention("the White House", "US")])
    expected = ("US", "District of Columbia", "White House, Washington")
    assert (out.country, out.admin1, out.location) == expected


def test_geocode_crossing_and_subdistrict(gazetteer: BuiltinGazetteer) -> None:
    [out] = GeocodeMentions(gazetteer)([_mention("the Torkham border crossing", "PK")])
    assert (out.country, out.admin1, out.location) == ("PK", "Khyber Pakhtunkhwa", "Torkham")
    [out] = GeocodeMentions(gazetteer)([_mention("Upper Kurram", "PK")])
    assert (out.admin1, out.admin2, out.location) == ("Khyber Pakhtunkhwa", "Kurram", "Upper Kurram")


def test_venue_table_is_complete_and_consistent(gazetteer: BuiltinGazetteer) -> None:
    text = resources.files("sitrep.geo").joinpath("data", "venues.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert all(r["source_note"] and r["lat"] and r["lon"] for r in rows)
    for row in rows:
        city = gazetteer.resolve(row["city"], row["country"])
        assert city is not None, row["name"]
        assert city.country == row["country"], row["name"]
        assert city.lat is not None
        assert city.lon is not None
        assert abs(city.lat - float(row["lat"])) + abs(city.lon - float(row["lon"])) < 1.0, row["name"]


def test_a_partly_listed_country_keeps_iso_names_for_regions_the_table_lacks(
    gazetteer: BuiltinGazetteer,
) -> None:
    basra = gazetteer.resolve("Basra", "IQ")
    assert basra is not None
    assert basra.admin1 is not None  # ISO 3166-2's name: our IQ rows do not list Basra


def test_a_small_namesake_in_the_hinted_country_does_not_beat_a_million_city(
    gazetteer: BuiltinGazetteer,
) -> None:
    place = gazetteer.resolve("Los Angeles", "ES")
    assert place is not None
    assert place.country == "US"
    salisbury = gazetteer.resolve("Salisbury", "ZW")  # Harare's old name is an alternate, not its own
    assert salisbury is not None
    assert salisbury.country == "ZW"
