"""spaCy loading (once per process) and the cheap sentence pass that decides what gets parsed.

Only sentences that contain an event cue (cues.py) go through the model's NER, and only those where
the classifier finds a cue go through its tagger and parser, in batches: that is what makes
extraction faster than running spaCy's full pipeline over every article.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler

from sitrep.errors import ModelUnavailable
from sitrep.extract.cues import prefilter

log = logging.getLogger(__name__)

# Candidate sentences get entities; the NER has its own tok2vec, so dropping these changes no entity.
_EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
# Sentences where a cue matched also get tags and a dependency parse (clauses.py); no NER, no lemmas.
_PARSER_EXCLUDE = ["ner", "attribute_ruler", "lemmatizer", "senter"]

# Words without which a sentence cannot report an event of any type we code: every cue of the table.
TRIGGER = prefilter("en")

_ABBREV = re.compile(
    r"(?:\b(?:[A-Z]|Mr|Mrs|Ms|Dr|St|No|Gen|Col|Lt|Sgt|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|U\.S|a\.m|p\.m|vs|etc))$"
)
# Longest sentence handed on (rule long_sentence in `_trimmed`): far above any sentence of news prose,
# far below spaCy's 1,000,000-character limit (E088), so the model's cost per sentence stays bounded.
MAX_SENTENCE_CHARS = 2000
_BOUNDARY = re.compile(r"(?<![.!?])[.!?]+[\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9])|[.!?][\"”’]*(?=[A-Z][a-z])|\n+")

# Region names the model gets wrong (Dushanbe as ORG); the gazetteer's patterns extend these.
BUILTIN_PLACES = (
    "Dushanbe", "Kabul", "Khatlon", "Gorno-Badakhshan", "Badakhshan", "Shamsiddin Shohin",
    "Shamsiddin-Shohin", "Shamsiddin Shokhin", "Darvoz", "Darvaz", "Hamadoni", "Kulob", "Kulyab",
    "Khorog", "Panj", "Farkhor", "Takhar", "Kunduz", "Balkh", "Moscow", "Tashkent", "Bishkek",
    "Islamabad", "Tehran", "Beijing", "Novgorod",
)  # fmt: skip


def split_sentences(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each sentence in `text`, trimmed of surrounding whitespace."""
    start = 0
    for m in _BOUNDARY.finditer(text):
        cut = m.end() if m.group().strip() else m.start()
        if m.group()[0] == "." and _ABBREV.search(text[max(0, m.start() - 5) : m.start()]):
            continue
        yield from _trimmed(text, start, cut)
        start = m.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        # Rule long_sentence: no sentence is this long (a list or a table run together, or junk);
        # cut it at the last space before the limit (at the limit if it has none) and go on.
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        yield from _trimmed(text, start, cut)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end - start >= 15:  # shorter pieces are captions, bylines and menu items
        yield start, end


def is_candidate(sentence: str) -> bool:
    """Whether `sentence` has a trigger word, i.e. is worth the model's time."""
    return TRIGGER.search(sentence) is not None


class PlaceRuler(EntityRuler):
    """spaCy's EntityRuler without its check, on every doc, that it has patterns: the check counts every
    pattern (thousands, from the gazetteer) for each candidate sentence, 7% of a run's CPU time.
    `load_nlp` always adds some (BUILTIN_PLACES at least), once, before the first doc."""

    def _require_patterns(self) -> None:
        pass


@Language.factory("place_ruler", default_config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
def make_place_ruler(nlp: Language, name: str, phrase_matcher_attr: str, overwrite_ents: bool) -> PlaceRuler:
    return PlaceRuler(nlp, name, phrase_matcher_attr=phrase_matcher_attr, overwrite_ents=overwrite_ents)


@functools.cache
def load_nlp(model_name: str, patterns_json: str = "[]") -> Language:
    """Load `model_name` NER-only, plus a sentencizer and a place entity ruler before "ner"; cached.

    `patterns_json` is the ruler's patterns as a JSON string (hashable, so the cache can key on it).
    """
    try:
        nlp = spacy.load(model_name, exclude=_EXCLUDE)
    except OSError as exc:
        raise ModelUnavailable(
            f"spaCy model {model_name!r} is not installed ({exc}).",
            hint="pip install -r requirements/model.txt",
        ) from exc
    patterns: list[dict[str, Any]] = [{"label": "GPE", "pattern": name} for name in BUILTIN_PLACES]
    patterns.extend(_as_phrase(p) for p in json.loads(patterns_json))
    nlp.add_pipe("sentencizer", first=True)
    # Phrase patterns matched on LOWER: the PhraseMatcher is ~10x faster than token patterns here.
    ruler = nlp.add_pipe("place_ruler", name="entity_ruler", before="ner")
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    log.info("loaded %s with %d place patterns", model_name, len(patterns))
    return nlp


@functools.cache
def load_parser(model_name: str) -> Language:
    """Load `model_name`'s tagger and dependency parser only (no NER); cached."""
    try:
        return spacy.load(model_name, exclude=_PARSER_EXCLUDE)
    except OSError as exc:
        raise ModelUnavailable(
            f"spaCy model {model_name!r} is not installed ({exc}).",
            hint="pip install -r requirements/model.txt",
        ) from exc


def _as_phrase(pattern: dict[str, Any]) -> dict[str, Any]:
    """Turn a token pattern of only {"LOWER": word} items into the equivalent lower-case phrase pattern."""
    tokens = pattern.get("pattern")
    if isinstance(tokens, list) and all(isinstance(t, dict) and set(t) == {"LOWER"} for t in tokens):
        phrase = " ".join(t["LOWER"] for t in tokens).replace(" - ", "-")
        return {**pattern, "pattern": phrase}
    return pattern


def region_patterns(names: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Entity-ruler patterns for the gazetteer's districts, villages and features (the names NER misses)."""
    out: list[dict[str, Any]] = []
    for name, kind in names:
        if kind in {"admin2", "village", "feature"} and len(name) > 3 and name[0].isupper():
            label = "LOC" if kind == "feature" else "GPE"
            out.append({"label": label, "pattern": name})
    return out
