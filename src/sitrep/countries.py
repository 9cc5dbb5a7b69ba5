"""The words news uses for every country, mapped to ISO 3166-1 alpha-2 codes: one table for all stages.

The table is `sitrep/data/countries.csv`, one row per country (pycountry's list, names as news writes
them): `name` (the usual English name), `aliases` (other names and short forms: "UK", "U.S.",
"Britain", "Türkiye"), `demonyms` (adjectives: "Tajik", "Azerbaijani"), `peoples` (plural nouns:
"Afghans"), `capital`, `seats` (capitals and seats of government standing for the state: "Baku",
"the Kremlin"), `movements` (groups that act for a country: "the Taliban") and `lat`/`lon` (the
country's point: a centroid, else its capital). Lists are "|"-separated, lower case where case does
not matter. Extraction (who acts for whom), geo (`country_of`, country points) and resolve (comparing
actor names) all read it, so "Tajik", "Dushanbe" and "the Taliban" mean one country in every stage.
Adding a country or a word is one edit in that file. Like `model`, this module imports no stage.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from importlib import resources

# Words a row may list that are also ordinary English words or names of places elsewhere; they are
# kept in the table (geo still resolves them as names) but never read as a country word in running
# text ("New Jersey", "a French polish").
NOT_WORDS = frozenset({"jersey", "guernsey", "polish", "man", "lao", "persian", "soviet"})


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _read_rows() -> list[dict[str, str]]:
    text = resources.files("sitrep").joinpath("data", "countries.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


ROWS: list[dict[str, str]] = _read_rows()

# Country names as news writes them (lower case): the usual name and its aliases.
NAMES: dict[str, str] = {}
# Adjectives of nationality: alone they modify a noun ("Tajik territory") and name no actor.
DEMONYMS: dict[str, str] = {}
# Nouns for a country's people ("Afghans crossed").
PEOPLES: dict[str, str] = {}
# Capitals and seats of government standing for their state ("Dushanbe said", "the Kremlin said").
SEATS: dict[str, str] = {}
# Movements that act for a country.
MOVEMENTS: dict[str, str] = {}
# Capitals by country, as place names (where a statement of that country's government is placed).
CAPITALS: dict[str, str] = {}
# The usual English name of each country by code ("RU" -> "Russia").
COUNTRY_NAMES: dict[str, str] = {}
# One point per country (lat, lon), for a mention that names only the country.
COUNTRY_POINTS: dict[str, tuple[float, float]] = {}

for _row in ROWS:
    _code = _row["code"]
    COUNTRY_NAMES[_code] = _row["name"]
    if _row["capital"]:
        CAPITALS[_code] = _row["capital"]
    if _row["lat"] and _row["lon"]:
        COUNTRY_POINTS[_code] = (float(_row["lat"]), float(_row["lon"]))
    for _table, _words in (
        (NAMES, [_row["name"], *_split(_row["aliases"])]),
        (DEMONYMS, _split(_row["demonyms"])),
        (PEOPLES, _split(_row["peoples"])),
        (SEATS, _split(_row["seats"])),
        (MOVEMENTS, _split(_row["movements"])),
    ):
        for _word in _words:
            _key = _word.lower()
            if _key not in NOT_WORDS and "," not in _key:
                _table.setdefault(_key, _code)

# Every word above: what extraction scans an article for.
COUNTRY_WORDS: dict[str, str] = {**NAMES, **DEMONYMS, **PEOPLES, **SEATS, **MOVEMENTS}


def words_pattern(words: Iterable[str]) -> str:
    """Regex source matching what `"|".join(words, longest first)` matches, as a character trie.

    The engine tries an alternation's branches one by one at every position; the trie tries one
    branch per character, so a table of hundreds of words costs a few tests per character (a
    plain alternation of the country words was ~4 ms an article, run on every one). Longer words
    are tried first, as in the longest-first alternation, and a shorter one when what follows fails.
    """
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def source(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        branches = [re.escape(char) + source(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body

    return source(trie)


# Every country word as a whole word in running text ("Oman" is not in "woman", "UK" not in "Ukraine").
COUNTRY_WORD_RX = re.compile(
    r"\b(" + words_pattern(COUNTRY_WORDS) + r")(?![\w])",
    re.IGNORECASE,
)


# Country names as running text writes them, in the table's own case ("Armenia", "UK", "U.S."), longest
# first; not followed by a hyphen ("Tajik-Afghan" is no name).
NAME_AS_WRITTEN_RX = re.compile(
    r"\b("
    + words_pattern({n for row in ROWS for n in (row["name"], *_split(row["aliases"])) if n.lower() in NAMES})
    + r")(?![\w-])"
)


def most_named_country(text: str) -> str | None:
    """Return the alpha-2 code of the country `text` names most often by name (not demonym), else None.

    Ties go to the country named first.
    """
    tally: dict[str, int] = {}
    for m in NAME_AS_WRITTEN_RX.finditer(text):
        code = NAMES[m.group(1).lower()]
        tally[code] = tally.get(code, 0) + 1
    return max(tally, key=lambda c: tally[c]) if tally else None


def countries_named(text: str) -> set[str]:
    """Return the alpha-2 codes of every country `text` names by a word of the table, as whole words."""
    return {COUNTRY_WORDS[m.group(1).lower()] for m in COUNTRY_WORD_RX.finditer(text)}


# -- country words in other languages ------------------------------------------------------------
# `sitrep/data/country_names.csv`: one row per word, keyed by alpha-2 code, with its language and
# kind (name, adjective, people, seat, movement, as the columns above). Words are lemmas (dictionary
# forms, lower case), so an inflecting language's reader matches them against its tokens' lemmas
# ("Таджикистана" -> "таджикистан"). Kept apart from countries.csv so each language is rows, not columns.


def _read_local_words() -> dict[str, dict[str, tuple[str, str]]]:
    text = resources.files("sitrep").joinpath("data", "country_names.csv").read_text(encoding="utf-8")
    words: dict[str, dict[str, tuple[str, str]]] = {}
    for row in csv.DictReader(text.splitlines()):
        words.setdefault(row["lang"], {}).setdefault(row["word"].lower(), (row["code"], row["kind"]))
    return words


# lang -> lemma -> (alpha-2 code, kind)
LOCAL_WORDS: dict[str, dict[str, tuple[str, str]]] = _read_local_words()


def local_country_names(code: str) -> list[str]:
    """Every language's names (kind `name`) of the country `code`, for the gazetteer."""
    return sorted(
        word
        for table in LOCAL_WORDS.values()
        for word, (other, kind) in table.items()
        if other == code and kind == "name"
    )
