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
