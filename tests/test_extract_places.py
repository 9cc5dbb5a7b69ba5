"""Where an event happened: origins are not places of the act (sentences written for these tests)."""

from __future__ import annotations

import pytest

from sitrep.extract.places import places_in


@pytest.mark.parametrize(
    "sentence",
    [
        "Two herders were killed by a drone flown from across the border in Kyrgyzstan.",
        "The raid originated in Kyrgyzstan and hit a farm.",
    ],
)
def test_places_in_skips_origin_of_attack(sentence: str) -> None:
    assert all(p.country != "KG" for p in places_in(sentence, [], None))


# -- where an act happened, with the gazetteer (our own sentences) --------------------------------

from sitrep.extract.places import is_dateline, violence_place  # noqa: E402
from sitrep.geo import load_gazetteer  # noqa: E402


def _ents(sentence: str, *names: str) -> list[tuple[int, int, str]]:
    return [(sentence.index(n), sentence.index(n) + len(n), "GPE") for n in names]


@pytest.mark.parametrize(
    "sentence",
    [
        "ANKARA (Wire) - Soldiers exchanged fire with smugglers near Gyumri overnight.",
        "Ankara, June 4 — Soldiers exchanged fire with smugglers near Gyumri overnight.",
        "ANKARA: Soldiers exchanged fire with smugglers near Gyumri overnight.",
    ],
)
def test_dateline_is_never_the_place(sentence: str) -> None:
    head = sentence.split()[0].strip(",:")
    assert is_dateline(sentence, 0, len(head))
    found = places_in(sentence, _ents(sentence, head, "Gyumri"), load_gazetteer(), {"TR", "AM"})
    assert [p.text for p in found] == ["Gyumri"]


def test_a_place_in_running_text_is_not_a_dateline() -> None:
    sentence = "Troops in Gyumri - the second city - were put on alert."
    assert not is_dateline(sentence, len("Troops in "), len("Troops in Gyumri"))


def test_x_river_is_not_the_town_x() -> None:
    sentence = "A patrol came under fire on the Tigris River at dawn."
    found = places_in(sentence, _ents(sentence, "Tigris"), load_gazetteer(), {"IQ"})
    assert found == []


def test_hospital_town_does_not_beat_the_clash_site() -> None:
    sentence = "Four wounded were taken to a hospital in Peshawar after the clash at Jalalabad."
    found = places_in(sentence, _ents(sentence, "Peshawar", "Jalalabad"), load_gazetteer(), {"AF", "PK"})
    best = violence_place(found, sentence.index("clash"))
    assert best is not None
    assert best.text == "Jalalabad"
    assert best.country == "AF"


def test_namesake_in_the_articles_country_wins() -> None:
    sentence = "Police sealed off a street in Salisbury after the attack."
    ents = _ents(sentence, "Salisbury")
    (in_britain,) = places_in(sentence, ents, load_gazetteer(), {"GB"})
    assert in_britain.country == "GB"
    (in_zimbabwe,) = places_in(sentence, ents, load_gazetteer(), {"ZW"})
    assert in_zimbabwe.country == "ZW"


def test_country_names_outside_central_asia_are_places() -> None:
    sentence = "Shells fell in Armenia and in the UK on Tuesday night."
    assert {p.country for p in places_in(sentence, [], None)} == {"AM", "GB"}


# -- which namesake, which words (our own sentences) ---------------------------------------------

from sitrep.extract.places import speaker_seat, venue_in  # noqa: E402


def test_kind_word_after_a_name_picks_the_province_not_its_city() -> None:
    sentence = "Mortar rounds landed in the Spin Boldak district of Kandahar province overnight."
    ents = _ents(sentence, "Spin Boldak", "Kandahar")
    found = places_in(sentence, ents, load_gazetteer(), {"AF"})
    assert [p.text for p in found] == ["Spin Boldak district", "Kandahar province"]
    best = violence_place(found, sentence.index("landed"))
    assert best is not None
    assert best.text == "Spin Boldak district"  # the district says more than the province


def test_a_city_named_like_its_province_is_no_finer_than_the_province() -> None:
    sentence = "A bomb went off in Kandahar near the Spin Boldak road junction."
    found = places_in(sentence, _ents(sentence, "Kandahar", "Spin Boldak"), load_gazetteer(), {"AF"})
    ranks = {p.text: p.rank for p in found}
    assert ranks["Kandahar"] > ranks["Spin Boldak"]


def test_a_document_named_after_a_city_is_not_a_place() -> None:
    sentence = "The shelling broke the Minsk Protocol, observers said of the clash near Donetsk."
    found = places_in(sentence, _ents(sentence, "Minsk", "Donetsk"), load_gazetteer(), {"UA", "BY"})
    assert [p.text for p in found] == ["Donetsk"]


def test_venue_building_is_named_with_its_city() -> None:
    gazetteer = load_gazetteer()
    venue = venue_in("The two leaders met at the Kremlin on Friday.", gazetteer, {"RU"})
    assert venue is not None
    assert venue.country == "RU"
    assert venue.text == "Kremlin"
    place = gazetteer.resolve("Kremlin")
    assert place is not None
    assert place.name == "Kremlin, Moscow"


def test_venue_name_may_join_words_with_of_the() -> None:
    venue = venue_in(
        "The presidents talked at the Palace of the Nation in Dushanbe.", load_gazetteer(), {"TJ"}
    )
    assert venue is not None
    assert venue.text == "Palace of the Nation"


def test_a_white_house_summit_is_at_the_white_house_not_casablanca() -> None:
    venue = venue_in("The deal was signed at a White House summit.", load_gazetteer(), {"US", "MA"})
    assert venue is not None
    assert venue.country == "US"


def test_authorities_named_by_their_seat_speak_from_it() -> None:
    sentence = "The authorities in Stepanakert appealed to the peacekeepers to reopen the road."
    seat = speaker_seat(sentence, sentence.index("appealed"), load_gazetteer(), {"AZ", "AM"})
    assert seat is not None
    assert (seat.text, seat.country) == ("Stepanakert", "AZ")


def test_authorities_that_are_the_object_are_no_speaker() -> None:
    sentence = "Moscow backs more contact with the authorities in Kabul, the envoy said."
    assert speaker_seat(sentence, sentence.index("said"), load_gazetteer(), {"AF", "RU"}) is None


@pytest.mark.parametrize(
    ("name", "country"),
    [("Nagorno-Karabakh", "AZ"), ("Karabakh", "AZ"), ("Lachin corridor", "AZ"), ("South Ossetia", "GE"),
     ("Transnistria", "MD"), ("Torkham", "PK")],
)  # fmt: skip
def test_disputed_regions_and_crossings_are_places_of_their_recognised_country(
    name: str, country: str
) -> None:
    sentence = f"Troops exchanged fire in {name} on Monday."
    (found,) = places_in(sentence, _ents(sentence, name), load_gazetteer(), {country, "RU", "AM"})
    assert found.country == country


def test_a_seat_that_speaks_is_no_place_even_after_in() -> None:
    sentence = "Two soldiers were killed in what Yerevan said was an unprovoked raid near Sotk."
    found = places_in(sentence, _ents(sentence, "Yerevan", "Sotk"), load_gazetteer(), {"AM", "AZ"})
    assert [p.text for p in found] == ["Sotk"]


def test_a_countrys_posts_are_on_its_soil() -> None:
    sentence = "At dawn the fighters attacked Armenian border posts with mortars."
    found = places_in(sentence, [], None)
    assert [p.country for p in found] == ["AM"]


def test_posts_that_fire_came_from_are_not_the_scene() -> None:
    sentence = "Shells fired from Azerbaijani positions hit a farm."
    assert places_in(sentence, [], None) == []


def test_a_sea_is_not_the_region_named_after_it() -> None:
    sentence = "A drone hit a tanker in the Red Sea on Sunday."
    assert places_in(sentence, _ents(sentence, "Red Sea"), load_gazetteer(), {"SD", "YE"}) == []


def test_palestinian_territories_are_places_of_palestine() -> None:
    sentence = "Airstrikes hit the Gaza Strip overnight."
    (found,) = places_in(sentence, _ents(sentence, "Gaza Strip"), load_gazetteer(), {"PS", "IL"})
    assert (found.text, found.country, found.rank) == ("Gaza Strip", "PS", 0)
