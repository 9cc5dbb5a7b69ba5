"""The shared country words (sitrep.countries) are read alike by geo, extraction and resolve."""

from __future__ import annotations

import re

import pytest

from sitrep.countries import COUNTRY_WORDS, SEATS, words_pattern
from sitrep.extract.actors import country_of_word
from sitrep.geo.countries import country_of
from sitrep.resolve.similarity import COUNTRY_CODES, actor_country_words


@pytest.mark.parametrize(("word", "code"), sorted(COUNTRY_WORDS.items()))
def test_country_word_means_the_same_country_in_geo_and_extraction(word: str, code: str) -> None:
    assert country_of(word) == code
    assert country_of_word(word) == code


@pytest.mark.parametrize("seat", sorted(SEATS))
def test_seat_of_government_folds_to_its_country_in_resolve(seat: str) -> None:
    (folded,) = actor_country_words(seat)
    assert COUNTRY_CODES[folded] == SEATS[seat]


def test_demonym_name_and_capital_fold_to_one_country_in_resolve() -> None:
    folded = {actor_country_words(name) for name in ("Tajik", "Tajikistan", "Dushanbe")}
    assert folded == {frozenset({"country:TJ"})}


def test_countries_named_reads_whole_words_only() -> None:
    from sitrep.countries import countries_named

    text = "A woman in Ukraine said the Azerbaijani side and the U.S. envoy met."
    assert countries_named(text) == {"UA", "AZ", "US"}


def test_the_table_has_every_country_with_a_name_and_a_point() -> None:
    import pycountry

    from sitrep.countries import COUNTRY_NAMES, COUNTRY_POINTS

    codes = {c.alpha_2 for c in pycountry.countries}
    assert codes <= set(COUNTRY_NAMES)
    assert codes <= set(COUNTRY_POINTS)


@pytest.mark.parametrize(
    ("word", "code"),
    [("Armenian", "AM"), ("Azeris", "AZ"), ("Tbilisi", "GE"), ("Britain", "GB"), ("Türkiye", "TR")],
)
def test_news_words_for_countries_outside_central_asia(word: str, code: str) -> None:
    assert COUNTRY_WORDS[word.lower()] == code


def test_words_pattern_matches_as_the_longest_first_alternation() -> None:
    words = ["tajik", "tajikistan", "iran", "ira", "u.s.", "us", "a"]
    plain = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")
    trie = re.compile(r"\b(" + words_pattern(words) + r")\b")
    text = "tajikistan and tajik forces; ira iran irani u.s. us usa a an tajiks"
    assert [m.span(1) for m in trie.finditer(text)] == [m.span(1) for m in plain.finditer(text)]
    assert [m.group(1) for m in trie.finditer(text)][:4] == ["tajikistan", "tajik", "ira", "iran"]
