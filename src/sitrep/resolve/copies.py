"""Near-duplicate articles (wire copies, re-posts): MinHash over word 5-shingles, candidates by LSH.

Articles whose estimated Jaccard similarity reaches the threshold are linked; every article in a
linked group is a copy of the group's original: the earliest published (ties: smallest article_id;
unknown dates count as latest). The groups are a function of the set of texts, so the answer does not
depend on the order articles arrive in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

import numpy as np
from datasketch import MinHash, MinHashLSH

from sitrep.model import Article

log = logging.getLogger(__name__)

NUM_PERM = 128  # MinHash permutations: ±0.09 error on a Jaccard estimate at one sigma, cheap to hash
SHINGLE_WORDS = 5  # word 5-grams: long enough that shared boilerplate phrases do not make a copy
SEED = 1  # fixed so that minhashes rebuilt from the store equal the ones computed at ingest
CANDIDATE_THRESHOLD = 0.5  # LSH recall threshold, below any sensible copy threshold; pairs are re-checked
_WORD = re.compile(r"\w+")


def normalise_text(text: str) -> list[str]:
    """Return the words of `text`, NFKC-normalised and case-folded."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Return the word `size`-shingles of the normalised text (the whole text when shorter)."""
    words = normalise_text(text)
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def minhash_of(text: str) -> MinHash | None:
    """Return the MinHash of `text`'s shingles, or None for a text with no words."""
    grams = shingles(text)
    if not grams:
        return None
    sketch = MinHash(num_perm=NUM_PERM, seed=SEED)
    sketch.update_batch([g.encode("utf-8") for g in sorted(grams)])
    return sketch


# The LSH banding datasketch picks for CANDIDATE_THRESHOLD (25 bands of 5 rows for 128 permutations):
# two articles are candidates when all rows of one band agree. Stored band keys use the same banding,
# so the store finds exactly the candidates an in-memory MinHashLSH would.
_LSH = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM)
BANDS, ROWS = _LSH.b, _LSH.r


def sketch_bytes(sketch: MinHash) -> bytes:
    """The MinHash's hash values as stored: NUM_PERM little-endian uint64."""
    return np.asarray(sketch.hashvalues, dtype="<u8").tobytes()


def band_keys(minhash: bytes) -> list[str]:
    """The LSH band keys of a stored MinHash: band number and a digest of that band's rows."""
    width = ROWS * 8
    return [
        f"{band}:{hashlib.blake2b(minhash[band * width : (band + 1) * width], digest_size=8).hexdigest()}"
        for band in range(BANDS)
        if (band + 1) * width <= len(minhash)
    ]


def jaccard(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored MinHashes (the share of equal hash values)."""
    left, right = np.frombuffer(a, dtype="<u8"), np.frombuffer(b, dtype="<u8")
    return float(np.count_nonzero(left == right)) / float(len(left)) if len(left) else 0.0


class SketchSource(Protocol):
    """Where stored MinHashes live (sitrep.store.Store): candidates by band key, sketches by id."""

    def copy_candidates(self, band_keys: Sequence[str]) -> set[str]: ...

    def sketches(self, ids: Iterable[str]) -> Mapping[str, tuple[dt.date | None, bytes]]: ...


class StoredCopyIndex:
    """The copy index of a store: candidates come from the stored band keys, never from a scan.

    The pipeline stores each article's MinHash and band keys (made from its current text) before it
    looks for copies, so `add_many` reads the new articles' MinHashes from the store, one query for
    the lot, and computes one only for an article the store has none for.
    """

    def __init__(self, source: SketchSource) -> None:
        self.source = source
        self._minhash: dict[str, bytes] = {}
        self._published: dict[str, dt.date | None] = {}

    def add(self, article_id: str, published: dt.date | None, text: str) -> None:
        sketch = minhash_of(text)
        self._minhash[article_id] = sketch_bytes(sketch) if sketch is not None else b""
        self._published[article_id] = published

    def add_many(self, articles: Sequence[Article]) -> None:
        """`add` each of `articles`, with the MinHash stored for it where there is one."""
        stored = self.source.sketches([a.article_id for a in articles])
        for article in articles:
            if article.article_id in stored:
                self._minhash[article.article_id] = stored[article.article_id][1]
                self._published[article.article_id] = article.published
            else:
                self.add(article.article_id, article.published, article.text)

    def similar(self, article_id: str, threshold: float) -> list[str]:
        """Return the other stored articles whose estimated Jaccard with `article_id` is >= threshold."""
        minhash = self._load([article_id]).get(article_id, b"")
        if not minhash:
            return []
        candidates = sorted(self.source.copy_candidates(band_keys(minhash)) - {article_id})
        found = self._load(candidates)
        return [o for o in candidates if found.get(o) and jaccard(minhash, found[o]) >= threshold]

    def order_key(self, article_id: str) -> tuple[dt.date, str]:
        """Return the sort key that picks an original: published (unknown = latest), then id."""
        self._load([article_id])
        return self._published.get(article_id) or dt.date.max, article_id

    def _load(self, ids: Sequence[str]) -> dict[str, bytes]:
        missing = [i for i in ids if i not in self._minhash]
        if missing:
            for article_id, (published, minhash) in self.source.sketches(missing).items():
                self._minhash[article_id] = minhash
                self._published[article_id] = published
        return {i: self._minhash[i] for i in ids if i in self._minhash}


class CopyIndex:
    """MinHashes of articles seen so far, with an LSH index to find candidate copies quickly."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM)
        self._sketches: dict[str, MinHash] = {}
        self._published: dict[str, dt.date | None] = {}

    @classmethod
    def from_articles(cls, articles: Iterable[Article]) -> CopyIndex:
        """Build an index from stored articles (their clean text)."""
        return cls.from_texts((a.article_id, a.published, a.text) for a in articles)

    @classmethod
    def from_texts(cls, items: Iterable[tuple[str, dt.date | None, str]]) -> CopyIndex:
        """Build an index from (article_id, published, text) triples."""
        index = cls()
        for article_id, published, text in items:
            index.add(article_id, published, text)
        return index

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._sketches

    def __len__(self) -> int:
        return len(self._sketches)

    def add(self, article_id: str, published: dt.date | None, text: str) -> None:
        """Add (or replace) one article; texts without words are skipped (they copy nothing)."""
        if article_id in self._sketches:
            self._lsh.remove(article_id)
            del self._sketches[article_id]
        self._published[article_id] = published
        sketch = minhash_of(text)
        if sketch is None:
            return
        self._sketches[article_id] = sketch
        self._lsh.insert(article_id, sketch)

    def add_many(self, articles: Sequence[Article]) -> None:
        """`add` each of `articles`, in order."""
        for article in articles:
            self.add(article.article_id, article.published, article.text)

    def similar(self, article_id: str, threshold: float) -> list[str]:
        """Return the other indexed articles whose estimated Jaccard with `article_id` is >= threshold."""
        sketch = self._sketches.get(article_id)
        if sketch is None:
            return []
        found = (other for other in self._lsh.query(sketch) if other != article_id)
        return sorted(o for o in found if sketch.jaccard(self._sketches[o]) >= threshold)

    def order_key(self, article_id: str) -> tuple[dt.date, str]:
        """Return the sort key that picks an original: published (unknown = latest), then id."""
        return self._published.get(article_id) or dt.date.max, article_id


def find_copies(
    articles: Sequence[Article], index: CopyIndex | StoredCopyIndex | None = None, threshold: float = 0.6
) -> dict[str, str]:
    """Return {copy_article_id: original_article_id} for the groups of near-duplicates `articles` touch.

    `index` holds previously stored articles and is updated in place with `articles`. A stored article
    may appear as a key when a new, earlier original of it arrives; set `copy_of` for every key.
    """
    index = index if index is not None else CopyIndex()
    index.add_many(sorted(articles, key=lambda a: a.article_id))
    result: dict[str, str] = {}
    visited: set[str] = set()
    for start in sorted({a.article_id for a in articles}):
        if start in visited:
            continue
        group, frontier = {start}, [start]
        while frontier:
            current = frontier.pop()
            for other in index.similar(current, threshold):
                if other not in group:
                    group.add(other)
                    frontier.append(other)
        visited |= group
        if len(group) < 2:
            continue
        original = min(group, key=index.order_key)
        result.update({member: original for member in group if member != original})
    log.debug("found %d copies among %d articles", len(result), len(articles))
    return dict(sorted(result.items()))
