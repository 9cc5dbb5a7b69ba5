"""Stated quantities about a subject; first of all border lengths ("the 1,344-km border")."""

from __future__ import annotations

import re

from sitrep.countries import COUNTRY_WORDS, words_pattern
from sitrep.extract.nlp import split_sentences
from sitrep.model import Article, FactClaim

_KM_PER_MILE = 1.609344
_LENGTH = re.compile(
    r"(?P<stated>(?:(?:over|more than|nearly|almost|roughly"
    r"|around|about|some|approximately|approx\.|up to)\s+)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d{3,5})(?:\s*|-)(?P<unit>kilomet(?:er|re)s?|kms?|miles?|mi)\b)",
    re.IGNORECASE,
)
_BORDER = re.compile(r"\b(?:border|frontier|boundary)\b", re.IGNORECASE)
_COUNTRY_RX = re.compile(
    r"\b(" + words_pattern(COUNTRY_WORDS) + r")\b",
    re.IGNORECASE,
)


def _countries(text: str) -> list[str]:
    seen: list[str] = []
    for m in _COUNTRY_RX.finditer(text):
        code = COUNTRY_WORDS[m.group(1).lower()]
        if code not in seen:
            seen.append(code)
    return seen


# "the Tajik-Afghan border", "border between X and Y", "X's border with Y", "border with Y"
_PAIR = re.compile(
    r"\b(?P<a>\w+)[-–](?P<b>\w+)\s+(?:border|frontier|boundary)|\b(?:border|frontier|boundary)\w*\s+between\s+"
    r"(?P<c>\w+)\s+and\s+(?P<d>\w+)|\b(?P<e>\w+)(?:['’]s)?\s+(?:\w+\s+)?(?:border|frontier)\s+with\s+(?P<f>\w+)"
    r"|\b(?:border|frontier)\s+with\s+(?P<g>\w+)",
    re.IGNORECASE,
)


def _pairs(text: str) -> list[list[str]]:
    """Country pairs named around a border word in `text`, in order; a lone "border with Y" gives [Y]."""
    out: list[list[str]] = []
    for m in _PAIR.finditer(text):
        words = [w for w in m.groups() if w]
        codes: list[str] = []
        for word in words:
            code = COUNTRY_WORDS.get(word.lower())
            if code and code not in codes:
                codes.append(code)
        if codes:
            out.append(codes)
    return out


def _border_countries(sentence: str, article_text: str) -> list[str]:
    """The two countries whose border a sentence measures: its own pair, else the article's usual pair."""
    article_pairs = [p for p in _pairs(article_text) if len(p) == 2]
    usual = max(article_pairs, key=article_pairs.count) if article_pairs else []
    lone = [p[0] for p in _pairs(article_text) if len(p) == 1]
    if not usual and lone:  # "border with Afghanistan" in an article about Tajikistan
        other = max(dict.fromkeys(lone), key=lone.count)  # a tie: the first named (never set order)
        usual = [next((c for c in _most_named(article_text, 3) if c != other), other), other]
    for pair in _pairs(sentence):
        if len(pair) == 2:
            return pair
        if pair[0] in usual:
            return usual
    codes = _countries(sentence)
    if len(codes) >= 2 and not usual:
        return codes[:2]
    if usual and (not codes or codes[0] in usual):
        return usual
    if len(codes) >= 2:
        return codes[:2]
    return usual or _most_named(article_text)


def _most_named(text: str, n: int = 2) -> list[str]:
    """The two countries an article names most often (names and demonyms alike)."""
    tally: dict[str, int] = {}
    for m in _COUNTRY_RX.finditer(text):
        code = COUNTRY_WORDS[m.group(1).lower()]
        tally[code] = tally.get(code, 0) + 1
    return sorted(tally, key=lambda c: -tally[c])[:n]


def border_subject(codes: list[str]) -> str:
    """The subject of a border-length claim: the two ISO2 codes in descending order, e.g. "TJ-AF".

    A fixed order (not the order of mention) so that every article's claim about one border groups
    under one subject.
    """
    return "-".join(sorted(codes[:2], reverse=True)) + " border length"


def extract_facts(article: Article) -> list[FactClaim]:
    """Border lengths stated in `article`, in km (miles converted and rounded), one claim per sentence."""
    claims: list[FactClaim] = []
    for start, end in split_sentences(article.text):
        sentence = article.text[start:end]
        if not _BORDER.search(sentence):
            continue
        m = _LENGTH.search(sentence)  # the first figure; "(840 miles)" after "1,350 km" is the same claim
        if m is None:
            continue
        value = float(m.group("num").replace(",", ""))
        if m.group("unit").lower().startswith("mi"):
            value = float(round(value * _KM_PER_MILE))
        if not 100 <= value <= 20_000:  # no land border is shorter or longer; other numbers slipped in
            continue
        codes = _border_countries(sentence, article.text)
        if len(codes) < 2:
            continue
        claims.append(
            FactClaim(
                subject=border_subject(codes),
                unit="km",
                value=value,
                article_id=article.article_id,
                quote=sentence,
                start=start,
                end=end,
                stated=m.group("stated"),
            )
        )
    return claims
