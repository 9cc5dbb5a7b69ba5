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
