"""Country words: names, short forms, demonyms and metonyms mapped to ISO 3166-1 alpha-2 codes.

The words come from the one country table, `sitrep.countries` (`sitrep/data/countries.csv`), plus
pycountry's official names and alpha-3 codes; lookups ignore case, accents and punctuation.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import pycountry

from sitrep.countries import COUNTRY_WORDS, ROWS

# Upper-case abbreviations that are also English words when lower-cased ("us").
_UPPER_CODES: dict[str, str | None] = {"US": "US", "UK": "GB", "EU": None}

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "ʻ": "'"})


def fold(name: str) -> str:
    """Return `name` case-folded, without accents, apostrophes or hyphens, with spaces collapsed.

    "Qal'ai-Khumb", "Qal`ai Khumb" and "QALAI KHUMB" all fold to "qalai khumb", so lookups ignore
    the transliteration noise that differs between outlets.
    """
    if name.isascii():  # the common case, ten times faster
        text = name.replace("`", "'").lower()
    else:
        text = unicodedata.normalize("NFKD", name.translate(_QUOTES))
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("'", "").replace("-", " ").replace("‐", " ").replace("–", " ")
    return " ".join(text.replace(".", " ").split())


@functools.cache
def country_words() -> dict[str, str]:
    """Map every folded country word (name, short form, demonym, metonym) to its alpha-2 code."""
    words: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                words[fold(value)] = country.alpha_2
                # "Iran, Islamic Republic of" is also written "Iran".
                words.setdefault(fold(value.split(",")[0]), country.alpha_2)
        words.setdefault(fold(country.alpha_3), country.alpha_2)
    for row in ROWS:  # the one table, words excluded from running text included ("Jersey")
        for column in ("name", "aliases", "demonyms", "peoples", "seats", "movements"):
            for form in row[column].split("|"):
                if form:
                    words[fold(form)] = row["code"]
    for form, code in COUNTRY_WORDS.items():  # the words every stage reads alike (sitrep.countries)
        words[fold(form)] = code
    # Three-letter codes that are ordinary English words must not name countries.
    for word in ("and", "can", "per", "arm", "mac", "fin", "nor", "tur"):
        words.pop(word, None)
    return words


def country_of(word: str) -> str | None:
    """Return the ISO alpha-2 code a country name, demonym, short form or capital stands for, else None.

    "Tajik", "Tajikistan's", "the Kremlin", "U.S." and "Beijing" give TJ, TJ, RU, US and CN.
    """
    text = _POSSESSIVE.sub("", word.strip().translate(_QUOTES))
    if text in _UPPER_CODES:
        return _UPPER_CODES[text]
    key = fold(text)
    if key.startswith("the "):
        key = key[4:] if key[4:] in country_words() else key
    code = country_words().get(key)
    if code is None and key.endswith("s") and len(key) > 4:
        code = country_words().get(key[:-1])  # plural demonyms not listed: "Kazakhstanis"
    return code if code and code != "EU" else None
