"""Repair words that a scraper glued together ("PresidentEmomali", "bilateralties", "nations.Amid").

How a token is judged, in order:

1. Only letter runs are candidates; a run touching a digit, hyphen, apostrophe-t, underscore, slash,
   "@" or a dotted domain is left alone ("1,350-kilometer", "Shamsiddin-Shohin", "asiaplus.tj").
2. The *gate*: a token whose lower-case form is in symspellpy's bundled 82k frequency list or in
   wordninja's 126k Wikipedia list is a word and stays as it is. The union matters: the 82k list alone
   lacks "kilometer", "deescalating" and many names ("Rahmon"); ../shared/DEPENDENCIES.md measured
   0 false changes with the union.
3. A token that occurs elsewhere in the same article exactly as written is a name or term, not glue.
4. camelCase boundaries first: "PresidentEmomali" -> "President Emomali", "fromAfghanistan" ->
   "from Afghanistan". The left part must be a common word (or itself split into common words); the right
   part may be an unknown capitalised name. Known camel brands ("WeChat", "YouTube") are kept.
5. Otherwise a dynamic-programming split into dictionary words (lowest sum of -log frequency): every piece
   must be a real, common word ("bilateralties" -> "bilateral ties", "aspecialized" -> "a specialized").
   Capitalised tokens need commoner pieces (names like "Emomali" would otherwise read as "Emo mali").
6. A capitalised unknown token that ends in a long common word becomes name + word
   ("Shohindistrict" -> "Shohin district").

Sentences glued at a full stop ("nations.Amid") get a space unless the left side is an initial or
abbreviation ("U.S.", "D.C."), a number ("1.5") or part of a URL or domain.

Two gates keep correct words whole ("HomePod", "noncompete", "composto"):

* Language: repairs run only on English text (`looks_english`: enough of its words are English
  function words, `data/english_function_words.txt`); the dictionaries are English, so words of other
  languages would be cut into English pieces ("questa" -> "quest a").
* Evidence: token splits (steps 4-6) run only when the text shows the scraper glued something, i.e. at
  least one sentence glued at a full stop was repaired. Text with clean sentence boundaries was not
  glued, and its unknown tokens are brands, names and compounds, not glue.
"""

from __future__ import annotations

import bisect
import functools
import gzip
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import symspellpy
import wordninja

# Longest dictionary piece we try; longer pieces are vanishingly rare in glued news text.
_MAX_PIECE = 20
# Candidates shorter than this are never split: "inthe" is the shortest glue we saw worth fixing.
_MIN_TOKEN = 5
# Letter runs longer than this are never split (rule long_token): no words run together are this
# long, and the split's cost grows with the run (a hash, a base64 blob, junk stays as it is).
_MAX_TOKEN = 80
# Frequencies (Google n-gram counts in symspellpy's list) a piece needs to count as a common word.
# Long pieces are rarely accidental ("firefight" has 140k); 4-letter ones need more ("econ" has 2.4M).
_MIN_COUNT_LONG = 10_000
_MIN_COUNT_FOUR = 5_000_000
# Capitalised tokens without a camel boundary are mostly names, so their pieces must be very common.
_MIN_COUNT_CAPITAL = 5_000_000


def _word_set(words: str) -> frozenset[str]:
    """Return the whitespace-separated words of `words` as a set (keeps long word lists readable)."""
    return frozenset(words.split())


# Two-letter words allowed as a piece (others like "mo", "al" turn names into nonsense).
_SHORT_WORDS = _word_set("a an as at be by do he if in is it me my no of on or so to up us we")
# Three-letter pieces must be everyday words: counts cannot tell "tel" (60M) from "bag" (40M).
_THREE_LETTER_WORDS = _word_set(
    """the and for are but not you all any can had her was one our out day get has him his how man new
    now old see two way who did its let put say she too use war yet few far per via key oil act aid air arm
    law cut hit led ran set six ten top win end big bad low due age ago ask buy car eye fit fly gas got
    job lay leg lie lot map net nor off pay red run sea sit son sun tax tie try why won yes met own gun
    ban bid row spy men"""
)
# Suffix words that end "Name+word" joins ("Shohindistrict"); must be at least this long.
_MIN_NAME_SUFFIX = 5
# Known camelCase spellings that are single names.
_CAMEL_NAMES = _word_set(
    "wechat youtube tiktok paypal iphone ipad linkedin whatsapp javascript mcdonald mcdonalds "
    "desantis playstation macbook powerpoint livejournal pubmed biontech asiaplus"
)

_TOKEN = re.compile(r"[A-Za-z]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
# "nations.Amid", "injured.The", 'said."This': a lower-case word of 2+ letters, a full stop, then a capital.
# Written to start with plain characters (no leading lookbehind) so the scan stays fast.
_SENTENCE_GLUE = re.compile(r"[a-z]{2}(?:[.!?][\"”’)]?|[\"”’)][.!?]|:)(?=[\"“]?[A-Z][a-z])")
# "2025,when" or "readiness,and": a comma glued to the next lower-case word (never "1,350").
_COMMA_GLUE = re.compile(r"(?<=[A-Za-z0-9])([,;])(?=[a-z]{2,})")
_URLISH = re.compile(
    r"(?:[Hh]ttps?://|www\.)\S+|(?<!\S)(?=\S+@\S)\S+"  # an address: tried at token starts only
    r"|(?<![\w-])[\w-]+\.(?:com|org|net|tj|kz|af|ru|ua|tv|pk|in|cn|ir|az|kg|uz|io|co|info|news|gov|uk)\b\S*"
)  # case-sensitive on purpose: "week.In" is a glued sentence, not an Indian domain


_DATA = Path(__file__).resolve().parent / "data"
_WORDS = re.compile(r"[^\W\d_]+")
# Share of words that must be English function words for a text to count as English; English news
# prose scores 0.17 to 0.35, other Latin-script languages under 0.1 (lists of names score low).
_MIN_ENGLISH_SHARE = 0.12
# Texts with fewer words than this are judged English when any function word appears.
_MIN_JUDGED_WORDS = 30


@functools.cache
def english_function_words() -> frozenset[str]:
    """The words of data/english_function_words.txt (lines starting with # are comments)."""
    lines = (_DATA / "english_function_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def looks_english(text: str) -> bool:
    """True when `text` reads as English: its share of English function words is high enough."""
    words = [w.lower() for w in _WORDS.findall(text)]
    if not words:
        return False
    common = english_function_words()
    hits = sum(1 for w in words if w in common)
    if len(words) < _MIN_JUDGED_WORDS:
        return hits > 0
    return hits / len(words) >= _MIN_ENGLISH_SHARE


@dataclass(frozen=True)
class GlueChange:
    """One repaired token: what it was and what it became."""

    before: str
    after: str


@functools.cache
def load_words() -> tuple[dict[str, int], frozenset[str]]:
    """Load (symspellpy 82k word -> count, wordninja word set) once per process."""
    counts: dict[str, int] = {}
    freq_path = Path(symspellpy.__file__).parent / "frequency_dictionary_en_82_765.txt"
    with freq_path.open(encoding="utf-8") as fh:
        for line in fh:
            word, _, count = line.partition(" ")
            counts[word] = int(count)
    ninja_path = Path(wordninja.__file__).parent / "wordninja" / "wordninja_words.txt.gz"
    with gzip.open(ninja_path, "rt", encoding="utf-8") as fh:
        ninja = frozenset(fh.read().split())
    return counts, ninja


def is_word(token: str) -> bool:
    """Return True when `token` (any case) is in either dictionary: the gate in step 2."""
    counts, ninja = load_words()
    lower = token.lower()
    return lower in counts or lower in ninja


def _piece_ok(piece: str, min_count: int) -> bool:
    counts, _ = load_words()
    if len(piece) <= 2:
        return piece in _SHORT_WORDS
    if len(piece) == 3:
        return piece in _THREE_LETTER_WORDS
    count = counts.get(piece, 0)
    if len(piece) == 4:
        return count >= max(min_count, _MIN_COUNT_FOUR)
    return count >= min_count


@functools.lru_cache(maxsize=65_536)
def segment(lower: str, min_count: int = _MIN_COUNT_LONG) -> tuple[str, ...] | None:
    """Split a lower-case string into common dictionary words, or None when no full split exists."""
    counts, _ = load_words()
    total = 1e12  # rough corpus size; only differences between splits matter
    n = len(lower)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(math.inf, 0)] * n
    for end in range(1, n + 1):
        for start in range(max(0, end - _MAX_PIECE), end):
            if best[start][0] == math.inf:
                continue
            piece = lower[start:end]
            if not _piece_ok(piece, min_count):
                continue
            cost = best[start][0] + math.log(total / max(counts.get(piece, 1), 1)) + 5.0  # 5: per-piece cost
            if cost < best[end][0]:
                best[end] = (cost, start)
    if best[n][0] == math.inf:
        return None
    pieces: list[str] = []
    end = n
    while end > 0:
        start = best[end][1]
        pieces.append(lower[start:end])
        end = start
    pieces.reverse()
    return tuple(pieces) if len(pieces) > 1 else None


def _restore_case(original: str, pieces: tuple[str, ...]) -> str:
    out: list[str] = []
    pos = 0
    for piece in pieces:
        out.append(original[pos : pos + len(piece)])
        pos += len(piece)
    return " ".join(out)


def _split_lower_run(run: str, min_count: int) -> str | None:
    """Split a run with no camel boundary, keeping its case; None when it must stay."""
    pieces = segment(run.lower(), min_count)
    if pieces is not None:
        return _restore_case(run, pieces)
    return None


def split_token(token: str) -> str | None:
    """Return the repaired form of one letter token, or None to keep it (steps 2 and 4-6 above)."""
    if len(token) < _MIN_TOKEN or len(token) > _MAX_TOKEN or token.isupper() or is_word(token):
        return None
    lower = token.lower()
    if lower in _CAMEL_NAMES:
        return None
    parts = _CAMEL.split(token)
    if len(parts) > 1:
        fixed: list[str] = []
        for index, part in enumerate(parts):
            if is_word(part) or (index > 0 and part[:1].isupper()):
                # Unknown capitalised right-hand parts are names ("Emomali").
                fixed.append(part)
                continue
            repaired = _split_lower_run(part, _MIN_COUNT_LONG)
            if repaired is None:
                return None  # "McDonald"-like or a real name with an odd inner capital
            fixed.append(repaired)
        # The left-most part must be a genuine word, not a name prefix like "Mc" or "De".
        if not is_word(fixed[0].split()[-1]) or len(fixed[0]) < 2:
            return None
        return " ".join(fixed)
    if token[0].isupper():
        repaired = _split_lower_run(token, _MIN_COUNT_CAPITAL)
        if repaired is not None and min(len(piece) for piece in repaired.split()) >= 3:
            return repaired  # no 1-2 letter pieces: "Baghei" is not "Bag he i"
        return _split_name_suffix(token)
    return _split_lower_run(token, _MIN_COUNT_LONG)


def _split_name_suffix(token: str) -> str | None:
    """'Shohindistrict' -> 'Shohin district': an unknown capitalised name glued to a long common word."""
    for cut in range(3, len(token) - _MIN_NAME_SUFFIX + 1):
        suffix = token[cut:]
        if suffix.islower() and _piece_ok(suffix, _MIN_COUNT_CAPITAL) and not is_word(token[:cut]):
            return f"{token[:cut]} {suffix}"
    return None


def _protected_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _URLISH.finditer(text)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `pos` falls in one of `spans` (sorted, not overlapping: finditer's order)."""
    at = bisect.bisect_right(spans, (pos, math.inf)) - 1
    return at >= 0 and spans[at][0] <= pos < spans[at][1]


def repair_glue(text: str, on_change: Callable[[GlueChange], None] | None = None) -> str:
    """Return `text` with glued words and glued sentences separated; report each change to `on_change`.

    Text that is not English is returned unchanged; tokens are split only in text where a glued
    sentence was found (see the module docstring).
    """
    if not looks_english(text):
        return text
    spans = _protected_spans(text)
    sentence_repairs = 0

    def sentence_fix(match: re.Match[str]) -> str:
        right = re.match(r"[\"“]?([A-Za-z]+)", text[match.end() :])
        word = right.group(1).lower() if right else ""
        if _inside(match.start(), spans) or (
            len(word) <= 3 and word not in _SHORT_WORDS and word not in _THREE_LETTER_WORDS
        ):  # "News.Az", "Amu.Tv": a dotted name, not two sentences
            return match.group(0)
        nonlocal sentence_repairs
        sentence_repairs += 1
        if on_change is not None:
            start = max(0, match.start() - 12)
            on_change(GlueChange(text[start : match.end() + 6], "<sentence break>"))
        return match.group(0) + " "

    text = _SENTENCE_GLUE.sub(sentence_fix, text)
    text = _COMMA_GLUE.sub(lambda m: m.group(0) if _inside(m.start(), spans) else m.group(1) + " ", text)
    if not sentence_repairs:
        return text  # no glued sentence: the scraper did not glue, so no token is glue either
    spans = _protected_spans(text)
    seen = Counter(_TOKEN.findall(text))
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        start, end = match.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        after2 = text[end + 1] if end + 1 < len(text) else " "
        if (
            seen[token] > 1
            or before in "-_/@.\\" or before.isdigit()
            or after in "-_/@\\" or after.isdigit()
            or (after == "." and after2.isalpha() and after2.islower())
            or (after in "'’" and after2 == "t")
            or _inside(start, spans)
        ):  # fmt: skip
            continue
        repaired = split_token(token)
        if repaired is None:
            continue
        if on_change is not None:
            on_change(GlueChange(token, repaired))
        out.append(text[last:start])
        out.append(repaired)
        last = end
    out.append(text[last:])
    return "".join(out)
