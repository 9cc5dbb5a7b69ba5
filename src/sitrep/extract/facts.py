"""Stated quantities about a subject; first of all border lengths ("the 1,344-km border")."""

from __future__ import annotations

import re

from sitrep.extract.actors import COUNTRY_WORDS
from sitrep.extract.nlp import split_sentences
from sitrep.model import Article, FactClaim

_KM_PER_MILE = 1.609344
_LENGTH = re.compile(
    r"(?P<stated>(?:(?:over|more than|nearly|almost|roughly|around|about|some|approximately|approx\.|up to)\s+)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d{3,5})(?:\s*|-)(?P<unit>kilomet(?:er|re)s?|kms?|miles?|mi)\b)",
    re.IGNORECASE,
)
_BORDER = re.compile(r"\b(?:border|frontier|boundary)\b", re.IGNORECASE)
_COUNTRY_RX = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(COUNTRY_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)


def _countries(text: str) -> list[str]:
    seen: list[str] = []
    for m in _COUNTRY_RX.finditer(text):
        code = COUNTRY_WORDS[m.group(1).lower()]
        if code not in seen:
            seen.append(code)
    return seen


def border_subject(codes: list[str]) -> str:
    """The subject of a border-length claim: the two ISO2 codes in descending order, e.g. "TJ-AF".

    A fixed order (not the order of mention) so that every article's claim about one border groups
    under one subject.
    """
    return "-".join(sorted(codes[:2], reverse=True)) + " border length"


def extract_facts(article: Article) -> list[FactClaim]:
    """Border lengths stated in `article`, in km (miles converted and rounded), one claim per sentence."""
    claims: list[FactClaim] = []
    article_codes = _countries(article.text)
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
        codes = _countries(sentence)
        for code in article_codes:
            if len(codes) >= 2:
                break
            if code not in codes:
                codes.append(code)
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
