"""Estimate when undated articles were published, from the dated articles most like them.

About a third of scraped news pages carry no date the cleaner can find. Their "on Thursday" and
"December 25" cannot be placed in time, so their events could never be matched or merged. A
careful coder reads such a page next to the other reports of the same story; we do the same: the
stand-in date of an undated article is the publication date of the dated article whose words are
most like its own. When no dated article is like it, it gets no date: a wrong date is worse than none.

Words are weighted by how rare they are in English at large (symspellpy's bundled frequency list,
82,765 words; a word it does not know, usually a name, counts as rarest), not by how rare they are
in the store. So an article's vector depends on its own text only, the similarity of two articles
on the pair only, and an estimate on the set of dated articles only: it is order-free, and a new
article can move the estimate of only the undated articles that share one of its terms. Each
article's top `TOP_TERMS` terms are stored and indexed by term (`sitrep.store`), so a run finds
the neighbours of its new articles without reading the store.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from sitrep.model import Article

# Below this cosine the "most similar" dated article is about something else. Measured on the dev
# and broad corpora: an undated article's best same-story neighbour scores 0.33-0.81, the best
# article of the other theatres 0.02-0.17.
MIN_SIMILARITY = 0.25
# Terms kept per article. On dev, 64 terms pick the same neighbour as full-length vectors for all but
# one undated article; 24 terms miss several. Each term is one indexed row in the store.
TOP_TERMS = 64
_WORD = re.compile(r"[a-z]{3,}")
_STOP_WORDS = (
    "the and for with from that this was were been has have had its their they his her not but"
    " also after over into than more which who about said says will would are our out can all"
    " one two three new other some such when where while there these those"
)
_STOP = frozenset(_STOP_WORDS.split())
_FREQUENCIES = "frequency_dictionary_en_82_765.txt"

TermVector = dict[str, float]


@functools.cache
def _rarity() -> tuple[dict[str, float], float]:
    """{word: weight} from the English frequency list (0 for the most common word) and the weight
    of a word the list does not know (just above its rarest word)."""
    text = (importlib.resources.files("symspellpy") / _FREQUENCIES).read_text(encoding="utf-8")
    counts = {}
    for line in text.splitlines():
        word, _, count = line.partition(" ")
        if count.isdigit():
            counts[word] = int(count)
    top = max(counts.values())
    unknown = math.log(top / (min(counts.values()) / 2))
    return {w: math.log(top / c) for w, c in counts.items()}, unknown


def term_vector(text: str, top: int = TOP_TERMS) -> TermVector:
    """The article's `top` most distinctive terms, weighted (1 + log tf) * rarity, unit length."""
    rarity, unknown = _rarity()
    bag = Counter(w for w in _WORD.findall(text.lower()) if w not in _STOP)
    weights = {w: (1 + math.log(c)) * rarity.get(w, unknown) for w, c in bag.items()}
    kept = sorted(((x, w) for w, x in weights.items() if x > 0), key=lambda xw: (-xw[0], xw[1]))[:top]
    norm = math.sqrt(sum(x * x for x, _ in kept)) or 1.0
    return {w: round(x / norm, 6) for x, w in kept}


def best_neighbour(
    scores: Mapping[str, float],
    published: Mapping[str, dt.date],
    min_similarity: float = MIN_SIMILARITY,
) -> tuple[dt.date, str] | None:
    """(date, id) of the best-scoring dated article in `scores` ({other_id: cosine}); None when none
    reaches `min_similarity`. Scores are compared at 9 decimals (sums in another order may differ in
    the last bits), ties going to the smaller id."""
    ranked = sorted(
        ((round(s, 9), other) for other, s in scores.items() if other in published),
        key=lambda so: (-so[0], so[1]),
    )
    if not ranked or ranked[0][0] < min_similarity:
        return None
    return published[ranked[0][1]], ranked[0][1]


def estimate_publication_dates(
    undated: Sequence[Article], dated: Sequence[Article], *, min_similarity: float = MIN_SIMILARITY
) -> dict[str, tuple[dt.date, str]]:
    """{article_id: (estimated date, neighbour id)} for each undated article that has a dated
    neighbour; the whole-set reference that the store-backed incremental estimate must equal."""
    real = {a.article_id: a.published for a in dated if a.published is not None}
    vectors = {a.article_id: term_vector(a.text) for a in [*dated, *undated]}
    postings: dict[str, list[tuple[str, float]]] = {}
    for article_id in sorted(real):
        for term, weight in vectors[article_id].items():
            postings.setdefault(term, []).append((article_id, weight))
    estimates: dict[str, tuple[dt.date, str]] = {}
    for article in sorted(undated, key=lambda a: a.article_id):
        scores: dict[str, float] = {}
        for term, weight in sorted(vectors[article.article_id].items()):
            for other, other_weight in postings.get(term, ()):
                if other != article.article_id:
                    scores[other] = scores.get(other, 0.0) + weight * other_weight
        found = best_neighbour(scores, real, min_similarity)
        if found is not None:
            estimates[article.article_id] = found
    return estimates
