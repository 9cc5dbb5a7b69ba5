"""Country words: names, short forms, demonyms and metonyms mapped to ISO 3166-1 alpha-2 codes.

pycountry gives every country's names; the tables here add what news writes instead ("Tajik",
"the Kremlin", "Kabul" for the Taliban government) for the ~45 countries this domain meets.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import pycountry

from sitrep.countries import COUNTRY_WORDS

# Adjectives, demonyms and short forms (lower case) beyond sitrep.countries' shared table, for the
# countries this domain meets. A word listed here is read as the country it names, never as a place.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "TJ": ("tadjik", "tojik"),
    "AF": ("afghanistani", "islamic emirate of afghanistan", "islamic republic of afghanistan"),
    "UZ": ("uzbekistani",),
    "KG": ("kirghiz", "kyrgyzstani", "kirgiz", "kyrgyz republic"),
    "KZ": ("kazakhs", "kazakhstani", "kazak"),
    "TM": ("turkmens", "turkmenistani"),
    "IR": ("persian",),
    "RU": ("the kremlin", "soviet"),
    "CN": ("people's republic of china",),
    "IN": ("indians",),
    "US": ("americans", "usa", "u.s.a.", "america", "the united states", "white house", "pentagon"),
    "GB": ("british", "briton", "britons", "uk", "u.k.", "britain", "great britain", "english", "scottish"),
    "UA": ("ukrainians",),
    "BY": ("belarusian", "belarusians", "byelorussian"),
    "TR": ("turkish", "turk", "turks", "turkiye", "türkiye", "turkey"),
    "AZ": ("azerbaijani", "azeri", "azerbaijanis"),
    "AM": ("armenian", "armenians"),
    "GE": ("georgian", "georgians"),
    "MN": ("mongolian", "mongolians"),
    "SA": ("saudi", "saudis", "saudi arabian"),
    "AE": ("emirati", "emiratis", "uae", "u.a.e."),
    "QA": ("qatari", "qataris"),
    "IQ": ("iraqi", "iraqis"),
    "SY": ("syrian", "syrians"),
    "IL": ("israeli", "israelis"),
    "PS": ("palestinian", "palestinians"),
    "EG": ("egyptian", "egyptians"),
    "JO": ("jordanian", "jordanians"),
    "LB": ("lebanese",),
    "DE": ("german", "germans"),
    "FR": ("french",),
    "IT": ("italian", "italians"),
    "ES": ("spanish", "spaniard", "spaniards"),
    "PL": ("polish", "pole", "poles"),
    "JP": ("japanese",),
    "KR": ("south korean", "south koreans", "korean"),
    "KP": ("north korean", "north koreans"),
    "BD": ("bangladeshi", "bangladeshis"),
    "NP": ("nepali", "nepalese"),
    "LK": ("sri lankan",),
    "CA": ("canadian", "canadians"),
    "AU": ("australian", "australians"),
    "NL": ("dutch",),
    "CH": ("swiss",),
    "SE": ("swedish", "swede", "swedes"),
    "NO": ("norwegian", "norwegians"),
    "FI": ("finnish", "finn", "finns"),
    "EU": (),
}

# Capitals and government seats used as stand-ins for their state ("Dushanbe said", "Beijing urged").
METONYMS: dict[str, str] = {
    "astana": "KZ", "nur-sultan": "KZ", "ashgabat": "TM", "ashkhabad": "TM", "new delhi": "IN",
    "delhi": "IN", "london": "GB", "minsk": "BY", "ankara": "TR", "baku": "AZ", "yerevan": "AM",
    "tbilisi": "GE", "ulaanbaatar": "MN", "riyadh": "SA", "abu dhabi": "AE", "doha": "QA",
    "baghdad": "IQ", "damascus": "SY", "jerusalem": "IL", "cairo": "EG", "berlin": "DE", "paris": "FR",
    "rome": "IT", "tokyo": "JP", "seoul": "KR", "pyongyang": "KP", "brussels": "BE", "geneva": "CH",
    "dhaka": "BD", "ottawa": "CA", "canberra": "AU",
}  # fmt: skip

# Rough centroids (lat, lon) of the countries this domain places events in, for a mention that
# names only the country; from the widely used public table of country centroids.
CENTROIDS: dict[str, tuple[float, float]] = {
    "TJ": (38.86, 71.28), "AF": (33.94, 67.71), "KG": (41.20, 74.77), "UZ": (41.38, 64.59),
    "TM": (38.97, 59.56), "KZ": (48.02, 66.92), "PK": (30.38, 69.35), "IR": (32.43, 53.69),
    "RU": (61.52, 105.32), "CN": (35.86, 104.20), "IN": (20.59, 78.96), "US": (37.09, -95.71),
    "UA": (48.38, 31.17), "TR": (38.96, 35.24), "MN": (46.86, 103.85), "AZ": (40.14, 47.58),
    "GB": (55.38, -3.44), "DE": (51.17, 10.45), "FR": (46.23, 2.21), "SA": (23.89, 45.08),
    "AE": (23.42, 53.85), "QA": (25.35, 51.18), "IQ": (33.22, 43.68), "SY": (34.80, 38.10),
}  # fmt: skip

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
    for form, code in COUNTRY_WORDS.items():  # the words every stage reads alike (sitrep.countries)
        words[fold(form)] = code
    for code, forms in DEMONYMS.items():
        for form in forms:
            words[fold(form)] = code
    for form, code in METONYMS.items():
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
