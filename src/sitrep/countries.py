"""The words news uses for the countries this domain meets, mapped to ISO 3166-1 alpha-2 codes.

One table shared by extraction (who acts for whom), geo (`country_of`) and resolve (comparing actor
names), so every stage reads "Tajik", "Dushanbe" and "the Taliban" the same way. Like `model`, it
sits below the stages and imports none of them. Geo adds pycountry's names for the rest of the world.
"""

from __future__ import annotations

# Country names as news writes them (lower case).
NAMES = {
    "tajikistan": "TJ", "afghanistan": "AF", "china": "CN", "russia": "RU", "pakistan": "PK",
    "iran": "IR", "uzbekistan": "UZ", "kyrgyzstan": "KG", "kazakhstan": "KZ", "turkmenistan": "TM",
    "ukraine": "UA", "india": "IN", "united states": "US", "u.s.": "US", "prc": "CN",
}  # fmt: skip
# Adjectives of nationality: alone they modify a noun ("Tajik territory") and name no actor.
DEMONYMS = {
    "tajik": "TJ", "tajikistani": "TJ", "afghan": "AF", "chinese": "CN", "russian": "RU",
    "pakistani": "PK", "iranian": "IR", "uzbek": "UZ", "kyrgyz": "KG", "kazakh": "KZ", "turkmen": "TM",
    "ukrainian": "UA", "indian": "IN", "american": "US",
}  # fmt: skip
# Nouns for a country's people ("Afghans crossed").
PEOPLES = {
    "tajiks": "TJ", "afghans": "AF", "uzbeks": "UZ", "russians": "RU", "pakistanis": "PK", "iranians": "IR",
}  # fmt: skip
# Capitals and seats of government standing for their state ("Dushanbe said", "the Kremlin said").
SEATS = {
    "dushanbe": "TJ", "kabul": "AF", "beijing": "CN", "moscow": "RU", "kremlin": "RU", "islamabad": "PK",
    "tehran": "IR", "tashkent": "UZ", "bishkek": "KG", "kyiv": "UA", "kiev": "UA", "washington": "US",
}  # fmt: skip
# Movements that act for a country.
MOVEMENTS = {"taliban": "AF", "islamic emirate": "AF", "iea": "AF"}
# Every word above: what extraction scans an article for.
COUNTRY_WORDS: dict[str, str] = {**NAMES, **DEMONYMS, **PEOPLES, **SEATS, **MOVEMENTS}
# Capitals by country, as place names (where a statement of that country's government is placed).
CAPITALS = {
    "TJ": "Dushanbe", "AF": "Kabul", "CN": "Beijing", "RU": "Moscow", "PK": "Islamabad", "IR": "Tehran",
    "UZ": "Tashkent", "KG": "Bishkek", "KZ": "Astana", "TM": "Ashgabat", "UA": "Kyiv", "IN": "New Delhi",
    "US": "Washington",
}  # fmt: skip
