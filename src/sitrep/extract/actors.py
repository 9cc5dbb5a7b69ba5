"""Find who acts in a sentence (person with role, ministry, force, group) and the country each acts for.

Country words come from a small demonym table, a short list of regional office holders, and the
gazetteer's `country_of(word)` when the pipeline passes one that has it (duck-typed).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import resources

from sitrep.countries import COUNTRY_WORDS, words_pattern
from sitrep.countries import DEMONYMS as DEMONYM_CODES

# Adjectives of nationality: on their own they modify a noun ("Tajik territory") and never name an actor.
DEMONYMS = frozenset(DEMONYM_CODES)
# Office holders who recur in news about this region (surname -> country they act for).
PEOPLE = {
    "rahmon": "TJ", "rakhmon": "TJ", "muhriddin": "TJ", "muttaqi": "AF", "akhundzada": "AF", "mujahid": "AF",
    "takal": "AF", "putin": "RU", "peskov": "RU", "lavrov": "RU", "shoigu": "RU", "zakharova": "RU",
    "guo zhijun": "CN", "wang yi": "CN", "xi jinping": "CN", "baghaei": "IR", "araghchi": "IR",
    "mirziyoyev": "UZ", "japarov": "KG", "tokayev": "KZ", "zelensky": "UA", "dar": "PK",
    "mutaqi": "AF", "mukhriddin": "TJ",
}  # fmt: skip
# Transliteration variants of those names, written the one way so that sources spelling a name
# differently do not look like different actors.
SPELLINGS = {"rakhmon": "Rahmon", "rakhmonov": "Rahmonov", "mutaqi": "Muttaqi", "mukhriddin": "Muhriddin"}
_SPELLING_RX = re.compile(r"\b(" + "|".join(SPELLINGS) + r")\b", re.IGNORECASE)


def canonical_name(text: str) -> str:
    """`text` with known transliteration variants of office holders' names in their usual spelling."""
    return _SPELLING_RX.sub(lambda m: SPELLINGS[m.group(1).lower()], text)


_HEADS = (
    r"ministry of foreign affairs|foreign ministry|foreign"
    r" office|ministry of defen[cs]e|defen[cs]e ministry|ministry"
    r"|embassy|ambassador|envoy|diplomats|consulate|state committee for national security|gknb|scns"
    r"|border guard service|border (?:guards?|troops|forces|service|agency)|border protection agency"
    r"|security (?:forces|services|service|agencies|council)"
    r"|state security service|armed forces|forces|troops"
    r"|army|military|police|authorities|government|administration"
    r"|officials|leadership|presidential (?:press )?office"
    r"|president(?:'s|’s)? (?:office|press service)|press service|president|prime minister|foreign minister"
    r"|minister|spokes(?:man|person|woman)|committee|agency|kremlin|taliban|islamic emirate|iea"
    r"|militants|insurgents|terrorists|attackers|intruders|infiltrators|gunmen|smugglers|raiders|fighters"
    r"|(?:armed|terrorist|criminal|militant) (?:groups?|organi[sz]ations?)|groups|workers|citizens|nationals"
    r"|employees|civilians|officers|guards|counterparts?"
)
_HEAD = re.compile(rf"\b(?:{_HEADS})\b", re.IGNORECASE)
_COUNTRY_RX = re.compile(
    r"\b(" + words_pattern(COUNTRY_WORDS) + r")(?:['’]s)?\b",
    re.IGNORECASE,
)
_PEOPLE_RX = re.compile(r"\b(" + "|".join(sorted(PEOPLE, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_NAME = r"(?:[A-Z][\w’'-]+\s+){0,3}"
ATTACKER_HEADS = re.compile(
    r"militant|insurgent|terrorist|attacker|intruder|infiltrator|gunmen|smuggler|raider|fighter|armed group"
    r"|criminal group|group",
    re.I,
)
VICTIM_HEADS = re.compile(r"worker|citizen|national|employee|civilian|officer|guard", re.I)
_ANAPHORA = re.compile(
    r"\b(?:[Tt]he|[Ii]ts|[Tt]his)"
    r" (ministry|embassy|committee|agency|statement|office|government|president|minister)\b"
    r"|^(?:It|He|She|They)\b"
)


# Heads that a holder's name may follow in apposition ("Foreign Minister Amir Khan Muttaqi").
_ROLES = {"president", "prime minister", "foreign minister", "minister", "ambassador", "envoy", "counterpart"}
_APPOSED = re.compile(r",?\s+((?:[A-Z][\w’'-]+\s+){0,3}[A-Z][\w’'-]+)")


def _named_holder(sentence: str, end: int, persons: list[tuple[int, int]]) -> int | None:
    """End of the name right after a role word at `end` when it names a person (by NER or the list of
    office holders), so the actor reads "Tajik President Emomali Rahmon", not "Tajik President"."""
    m = _APPOSED.match(sentence, end)
    if m is None:
        return None
    named = [b for a, b in persons if m.start(1) <= a < m.end(1)]
    if named:
        return max(named)
    found = list(_PEOPLE_RX.finditer(sentence, m.start(1), m.end(1)))
    return found[-1].end() if found else None


@dataclass(frozen=True)
class Actor:
    """An actor named in a sentence: its words, offsets in the sentence, country, and head noun."""

    text: str
    start: int
    stop: int
    country: str | None
    head: str  # lower-cased head noun ("embassy", "ministry") or "person" / "country"
    host: str | None = None  # for embassies and "authorities in Kabul": where the actor sits
    sentence_before: str = ""  # up to 60 characters of the sentence on either side
    sentence_after: str = ""


def country_of_word(word: str, lookup: Callable[[str], str | None] | None = None) -> str | None:
    """ISO2 country of a demonym, country name, capital or known office holder; `lookup` is tried last."""
    # Drop a possessive ("Tajikistan's"); stripping the letter s itself would break "United States".
    key = word.lower().strip(" ’'").removesuffix("’s").removesuffix("'s")
    if key in COUNTRY_WORDS:
        return COUNTRY_WORDS[key]
    if key in PEOPLE:
        return PEOPLE[key]
    return lookup(word) if lookup else None


def first_country(text: str, lookup: Callable[[str], str | None] | None = None) -> str | None:
    """Country of the first country word or known person in `text`."""
    hits = [(m.start(), COUNTRY_WORDS[m.group(1).lower()]) for m in _COUNTRY_RX.finditer(text)]
    hits += [(m.start(), PEOPLE[m.group(1).lower()]) for m in _PEOPLE_RX.finditer(text)]
    if hits:
        return min(hits)[1]
    if lookup:
        for word in re.findall(r"\b[A-Z][a-z]{3,}\b", text):
            found = lookup(word)
            if found:
                return found
    return None


def _load_organisations() -> dict[str, str]:
    """{alias, lower-cased: full name} of data/organisations.tsv (international organisations)."""
    text = resources.files("sitrep.extract").joinpath("data", "organisations.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(
        (line for line in text.splitlines() if line and not line.startswith("#")), delimiter="\t"
    )
    out: dict[str, str] = {}
    for row in rows:
        for alias in [row["name"], *row["aliases"].split("|")]:
            if alias.strip():
                out[alias.strip().lower()] = row["name"]
    return out


ORGANISATIONS = _load_organisations()
# Abbreviations must be written in capitals ("UN", not "un"); full names in any case.
_ORG_RX = re.compile(
    r"(?<![\w.])(?:the\s+)?("
    + "|".join(
        (
            re.escape(a)
            if not a.replace(".", "").isalpha() or len(a) > 6
            else "(?-i:" + re.escape(a.upper()) + ")"
        )
        for a in sorted(ORGANISATIONS, key=len, reverse=True)
    )
    + r")(?![\w])",
    re.IGNORECASE,
)
ORGANISATION = "organisation"  # the head of an actor that is an international organisation


_LEADING_TIME = re.compile(
    r"(?:(?:On|In|By|At|Late|Early|Last|This|Since|Until|Then)\s+)*"
    r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May"
    r"|June|July|August|September|October|November|December)\b[\s,]*(?:\d{1,2}(?:st|nd|rd|th)?[\s,]*)?)+"
    r"|(?:On|In|By|At|Then|Meanwhile|However|Earlier|Later|Separately)\b[\s,]+"
)


def find_actors(sentence: str, persons: list[tuple[int, int]]) -> list[Actor]:
    """Actors in `sentence`: phrases around head nouns, named persons, and bare country words."""
    actors: list[Actor] = []
    covered: list[tuple[int, int]] = []
    for m in _HEAD.finditer(sentence):
        left = re.search(
            rf"(?:(?:the|a|an)\s+)?{_NAME}(?:[A-Z][\w’'-]+['’]s\s+)?(?:\w+\s+)?$", sentence[: m.start()]
        )
        start = m.start()
        if left:
            words = sentence[left.start() : m.start()]
            keep = re.search(
                r"(?:[A-Z][\w’'-]*['’]?s?\s+|(?:armed|interim|current|local|senior|heads of)\s+)+$", words
            )
            start = m.start() - len(keep.group()) if keep else m.start()
            lead = _LEADING_TIME.match(sentence, start, m.start())
            if lead:  # "On Thursday Tajikistan's ministry": the time words are not the actor's name
                start = lead.end()
        right = re.match(
            r"\s+(?:of|in|from|based in|inside|operating (?:from|inside|in))\s+(?:the\s+)?"
            r"(?:Republic of\s+)?((?:[A-Z][\w’'-]+\s?)+)",
            sentence[m.end() :],
        )
        stop = m.end() + (right.end() if right else 0)
        if right is None and m.group().lower() in _ROLES:
            stop = _named_holder(sentence, m.end(), persons) or stop
        text = sentence[start:stop].strip(" ,")
        pre = sentence[start : m.start()]
        host = None
        if right:
            host = first_country(right.group(1))
        country = first_country(pre) or (host if not m.group().lower().startswith("embass") else None)
        if country is None and stop > m.end():  # "his counterpart Rahmon": the holder's own country
            country = first_country(sentence[m.end() : stop])
        if country is None and m.group().lower() in {"taliban", "islamic emirate", "iea", "kremlin"}:
            country = COUNTRY_WORDS[m.group().lower()]
        actors.append(Actor(text, start, stop, country, m.group().lower(), host))
        covered.append((start, stop))
    for m in _ORG_RX.finditer(sentence):
        start, stop = m.start(1), m.end(1)
        # an organisation's own organ ("the UN Security Council") is the organisation: no country
        actors = [a for a in actors if not (start <= a.start < stop or a.start <= start < a.stop)]
        covered = [(a, b) for a, b in covered if not (start <= a < stop or a <= start < b)]
        actors.append(Actor(m.group(1), start, stop, None, ORGANISATION))
        covered.append((start, stop))
    for pstart, pstop in persons:
        if any(a <= pstart < b for a, b in covered):
            continue
        before = sentence[max(0, pstart - 40) : pstart]
        role = re.search(r"((?:[A-Z][\w’'-]+['’]?s?\s+){1,4})$", before)
        start = pstart - len(role.group(1)) if role else pstart
        name = sentence[pstart:pstop]
        country = country_of_word(name.split()[-1]) or first_country(sentence[start:pstop])
        actors.append(Actor(sentence[start:pstop].strip(), start, pstop, country, "person"))
        covered.append((start, pstop))
    for m in _PEOPLE_RX.finditer(sentence):
        if not any(a <= m.start() < b for a, b in covered):
            actors.append(Actor(m.group(), m.start(), m.end(), PEOPLE[m.group(1).lower()], "person"))
            covered.append(m.span())
    for m in _COUNTRY_RX.finditer(sentence):
        if any(a <= m.start() < b for a, b in covered):
            continue
        if m.group(1).lower() in DEMONYMS:
            continue  # "Tajik counterparts", "Afghan territory": the noun it modifies is the actor, if any
        after = sentence[m.end() : m.end() + 25]
        if re.match(
            r"\s+(?:and\s+[A-Z][\w’'-]+\s+)?(?:\w+ly\s+)?(?:\w+ed|\w+s|began|held|met|told|said|has|had|is|was|will"
            r"|would|cut|hit|shot|struck|fought|sent|took|shut|seized|sought|won|lost|broke|drove|gave|made)\b",
            after,
        ):
            word = m.group(1)
            actors.append(Actor(word, m.start(), m.end(), COUNTRY_WORDS[word.lower()], "country"))
        elif m.group(1)[0].isupper():  # named but not acting: only ever an actor2 ("urged Dushanbe to ...")
            word = m.group(1)
            actors.append(Actor(word, m.start(), m.end(), COUNTRY_WORDS[word.lower()], "place"))
    return sorted(
        (
            replace(
                a,
                sentence_before=sentence[max(0, a.start - 60) : a.start],
                sentence_after=sentence[a.stop : a.stop + 60],
            )
            for a in actors
            # "The Taliban" inside "The Taliban Foreign Ministry" is part of the longer name
            if not any(
                b is not a and b.start <= a.start and a.stop <= b.stop and b.stop - b.start > a.stop - a.start
                for b in actors
            )
        ),
        key=lambda a: a.start,
    )


_ORIGIN = re.compile(
    r"\b(?:from|across)\s+(?:the\s+)?(?:neighbo(?:u)?ring\s+)?(?:border\s+(?:with|of)\s+)?"
    r"(" + "|".join(re.escape(w) for w in sorted(COUNTRY_WORDS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def origin_country(sentence: str) -> str | None:
    """The country attackers came from ("launched from Afghan territory", "from across the border with
    Afghanistan"), when the sentence says so."""
    m = _ORIGIN.search(sentence)
    return COUNTRY_WORDS[m.group(1).lower()] if m else None


def anaphor_head(sentence: str) -> str | None:
    """The head noun of a leading anaphor ("The ministry said", "It urged"), lower-cased, or "any"."""
    m = _ANAPHORA.search(sentence[:60])
    if not m:
        return None
    return (m.group(1) or "any").lower()
