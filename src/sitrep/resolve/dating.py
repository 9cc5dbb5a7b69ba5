"""Estimate when undated articles were published, from the dated articles most like them.

About a third of scraped news pages carry no date the cleaner can find. Their "on Thursday" and
"December 25" cannot be placed in time, so their events could never be matched or merged. A
careful coder reads such a page next to the other reports of the same story; we do the same: the
stand-in date of an undated article is the publication date of the dated article whose words are
most like its own (TF-IDF cosine). An article like no dated one gets no estimate: a wrong date is
worse than none (its own text may still date it, see extract.stage.reference_date).

The result is a pure function of the whole set of articles (order-free); the pipeline recomputes
it after every run and re-extracts the articles whose estimate moved.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from sitrep.model import Article

# Below this cosine the "most similar" dated article is about something else; measured on the dev
# corpus, same-story pairs from different outlets score 0.1-0.8 and unrelated stories under 0.08.
MIN_SIMILARITY = 0.1
_WORD = re.compile(r"[a-z]{3,}")
_STOP_WORDS = (
    "the and for with from that this was were been has have had its their they his her not but"
    " also after over into than more which who about said says will would are our out can all"
    " one two three new other some such when where while there these those"
)
_STOP = frozenset(_STOP_WORDS.split())


def _terms(text: str) -> Counter[str]:
    return Counter(w for w in _WORD.findall(text.lower()) if w not in _STOP)


def estimate_publication_dates(
    undated: Sequence[Article], dated: Sequence[Article], *, min_similarity: float = MIN_SIMILARITY
) -> dict[str, tuple[dt.date, str]]:
    """{article_id: (estimated date, basis)} for each undated article that has a similar dated one;
    basis is that neighbour's id. Empty when nothing is dated."""
    real = [a for a in dated if a.published is not None]
    if not real:
        return {}
    bags = {a.article_id: _terms(a.text) for a in [*real, *undated]}
    df: Counter[str] = Counter(w for bag in bags.values() for w in bag)
    n_docs = len(bags)

    def vector(bag: Mapping[str, int]) -> dict[str, float]:
        weights = {w: (1 + math.log(c)) * math.log(n_docs / df[w]) for w, c in bag.items()}
        norm = math.sqrt(sum(x * x for x in weights.values())) or 1.0
        return {w: x / norm for w, x in weights.items() if x > 0}

    vectors = {aid: vector(bag) for aid, bag in bags.items()}
    index: dict[str, list[tuple[str, float]]] = {}
    for article in real:
        for word, weight in vectors[article.article_id].items():
            index.setdefault(word, []).append((article.article_id, weight))
    published = {a.article_id: a.published for a in real}
    estimates: dict[str, tuple[dt.date, str]] = {}
    for article in sorted(undated, key=lambda a: a.article_id):
        scores: dict[str, float] = defaultdict(float)
        for word, weight in vectors[article.article_id].items():
            for other, other_weight in index.get(word, ()):
                if other != article.article_id:
                    scores[other] += weight * other_weight
        ranked = sorted(scores.items(), key=lambda kv: (-round(kv[1], 9), kv[0]))
        if ranked and ranked[0][1] >= min_similarity:
            neighbour = ranked[0][0]
            estimates[article.article_id] = (published[neighbour], neighbour)  # type: ignore[assignment]
    return estimates
