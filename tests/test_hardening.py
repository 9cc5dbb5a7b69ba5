"""Text sanity at the door, linear regexes and a seeded fuzz of cleaning and extraction.

Hostile input costs one rejection with its file, line and reason, or is repaired by a named rule;
it never raises and never takes time that grows faster than its length.
"""

from __future__ import annotations

import codecs
import importlib
import json
import pkgutil
import random
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import sitrep.clean
import sitrep.extract
from sitrep.clean import CleanArticles
from sitrep.cli.main import cli
from sitrep.extract.nlp import MAX_SENTENCE_CHARS, split_sentences
from sitrep.ingest.files import MAX_JSON_DEPTH, read_jsonl
from sitrep.ingest.sanity import sane_text
from sitrep.model import Article, RawArticle, Rejected, content_hash
from sitrep.store import open_store

REPORT = "Border guards said on Monday that two smugglers were killed in a clash near the river."


def ingest(*args: str) -> Any:
    return CliRunner().invoke(cli, ["ingest", *args], catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


def test_lone_surrogates_and_nul_are_replaced_at_the_door(tmp_path: Path, db: str) -> None:
    path = tmp_path / "odd.jsonl"
    # JSON escapes decode to a lone surrogate and a NUL: neither can be hashed or stored as is.
    path.write_text(f'{{"id": "odd", "title": "Clash \\udc00", "text": "{REPORT} \\ud800 end\\u0000."}}\n')
    result = ingest(str(path), "--db", db, "--no-extract")  # extraction: see the fuzz test below
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        article = store.get_article("odd")
    assert article is not None
    assert "\ufffd" in article.text
    assert "\x00" not in article.text
    assert article.title == "Clash \ufffd"
    assert sane_text("plain") == "plain"
    assert content_hash(sane_text("a\ud800")) == content_hash("a\ufffd")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_wide_encodings_with_a_bom_are_read(tmp_path: Path, db: str, encoding: str) -> None:
    record = json.dumps({"id": "wide", "text": REPORT + " Дозор."}, ensure_ascii=False) + "\n"
    bom = {"utf-16-be": codecs.BOM_UTF16_BE, "utf-32-be": codecs.BOM_UTF32_BE}.get(encoding, b"")
    (tmp_path / "wide.jsonl").write_bytes(bom + record.encode(encoding))
    (tmp_path / "wide.txt").write_bytes(bom + (REPORT + " Дозор.").encode(encoding))
    result = ingest(str(tmp_path / "wide.jsonl"), str(tmp_path / "wide.txt"), "--db", db, "--no-extract")
    assert result.exit_code == 0, result.output
    assert "1 ingested, 1 duplicates, 0 rejected" in result.output
    with open_store(db) as store:
        texts = {a.article_id: a.text for a in store.iter_articles()}
    assert texts["wide"].endswith("Дозор.")
    assert len(texts) == 1  # the .txt holds the same text: a duplicate


def test_deep_json_line_is_rejected_with_its_line_and_the_rest_is_read(tmp_path: Path, db: str) -> None:
    deep = '{"id": "deep", "text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    lines = [
        json.dumps({"id": "a", "text": REPORT}),
        deep,
        json.dumps({"id": "b", "text": REPORT + " Later."}),
    ]
    path = tmp_path / "deep.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = ingest(str(path), "--db", db, "--no-extract")
    assert f"{path}:2: too_deep: JSON nested deeper than {MAX_JSON_DEPTH} levels" in result.output
    assert "1 rejected" in result.output
    assert "2 ingested" in result.output
    # Brackets inside strings are text, not nesting.
    fine = json.dumps({"id": "c", "text": "[" * 500 + REPORT})
    assert [type(x) for x in read_jsonl(fine.encode(), "x.jsonl")] == [RawArticle]
    wrapped = ("[" * 40 + "]" * 40).encode()
    assert [r.reason for r in read_jsonl(wrapped, "x.json") if isinstance(r, Rejected)] == ["too_deep"]


def test_overlong_sentence_is_cut_by_the_long_sentence_rule() -> None:
    text = "Patrols " + "moved along the river bank " * 45_000 + "and two smugglers were killed. " + REPORT
    assert len(text) > 1_200_000
    pieces = list(split_sentences(text))
    assert all(end - start <= MAX_SENTENCE_CHARS for start, end in pieces)
    assert text[pieces[-1][0] : pieces[-1][1]] == REPORT
    token = "x" * 30_000  # no space to cut at: cut at the limit
    assert [e - s for s, e in split_sentences(token)] == [MAX_SENTENCE_CHARS] * 15


@pytest.mark.model
def test_extraction_survives_a_1_2m_character_sentence() -> None:
    from sitrep.config import Settings
    from sitrep.pipeline import extract_mentions

    text = "Patrols moved along the river bank " * 35_000 + "and two smugglers were killed. " + REPORT
    article = Article("long", raw_text=text, text=text)
    mentions, rejected = extract_mentions([article], Settings())
    assert rejected == []
    assert mentions
    assert all(text[m.start : m.end] == m.quote for m in mentions)


# Every compiled pattern of the cleaning and extraction packages, over runs of one kind of
# character and over word starts mixed with punctuation, built to make a backtracking matcher retry
# from every offset. Cleaning patterns see whole texts: 1 MB. Extraction patterns see a sentence
# (at most MAX_SENTENCE_CHARS) or a short window, so 256 kB is already far past their inputs;
# there, too, a quadratic pattern takes minutes while a linear one takes milliseconds. Patterns
# used only at one offset are run the way their module uses them.
ADVERSARIAL = {
    "letters": "a" * 1_000_000,
    "capitals": "A" * 1_000_000,
    "digits": "1" * 1_000_000,
    "spaces": " " * 1_000_000,
    "newlines": "\n" * 1_000_000,
    "full stops": "." * 1_000_000,
    "at signs": "a@" * 500_000,
    "mixed": "aA1 .,@-'\"(/:" * 77_000,
}
SIZE = {"sitrep.clean": 1_000_000, "sitrep.extract": 256_000}
# used as .match(sentence, end): one offset, so a leading \s* is linear
ANCHORED = {
    "sitrep.extract.actors._APPOSED",
    "sitrep.extract.places._FEATURE_AFTER",
    "sitrep.extract.places._DATELINE_AFTER",
    "sitrep.extract.ru._NOT_COUNT_AFTER",
    "sitrep.extract.ru._PLACE_NOUN",
    "sitrep.extract.ru._PRONOUN",
}
BUDGET_S = 10.0  # per pattern and text: generous for a loaded machine, hopeless for a quadratic one (minutes)


def patterns() -> Iterator[tuple[str, int, re.Pattern[str]]]:
    """(name, text size, pattern) for each distinct pattern; one imported by several modules once."""
    seen: set[tuple[str, int]] = set()
    for package in (sitrep.clean, sitrep.extract):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, value in sorted(vars(module).items()):
                if not isinstance(value, re.Pattern) or not isinstance(value.pattern, str):
                    continue
                if (value.pattern, value.flags) not in seen:
                    seen.add((value.pattern, value.flags))
                    yield f"{module.__name__}.{name}", SIZE[package.__name__], value


class Slow(Exception):
    pass


def timed(seconds: float, fn: Any, *args: Any) -> float:
    """Run fn(*args) and return how long it took; raise Slow past `seconds` (the matcher checks signals)."""

    def stop(*_: Any) -> None:
        raise Slow

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.perf_counter()
    try:
        fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return time.perf_counter() - start


def test_every_regex_is_linear_on_adversarial_text() -> None:
    slow = []
    found = list(patterns())
    assert len(found) > 50
    for name, size, pattern in found:
        for shape, text in ADVERSARIAL.items():
            run = pattern.match if name in ANCHORED else (lambda s, p=pattern: sum(1 for _ in p.finditer(s)))
            try:
                timed(BUDGET_S, run, text[:size])
            except Slow:
                slow.append(f"{name} on {size:,} characters of {shape}")
    assert slow == []


def test_cleaning_a_1mb_token_is_fast() -> None:
    cleaner = CleanArticles()
    for shape in ("letters", "at signs", "mixed"):
        raw = RawArticle(source="adversarial", article_id=shape, text=(ADVERSARIAL[shape] * 8)[:1_000_000])
        assert timed(4 * BUDGET_S, cleaner.clean_one, raw) < 4 * BUDGET_S


# Seeded fuzz: texts assembled from our own sentences, broken words, odd characters and runs.
PIECES = [
    REPORT, "Officials in Kabul condemned the shelling of a border post on 3 December.", "The ministry said",
    "killed", "injured", "12", "1,350", "Dec 25, 2025", "Tajikistan", "Khatlon", "—", "…", "“", "”", "’",
    "(Reuters)", "www.example.org/x", "name@example.org", "\n", "\n\n", "  ", "\t", ".", ",", "!?", "%",
    "<b>", "&amp;", "\u200b", "\ufeff", "\u202e", "\ud800", "\x00", "\x07", "٣", "東京", "🙂", "e\u0301",
]  # fmt: skip


def fuzz_texts(seed: int, n: int) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(n):
        parts = [rng.choice(PIECES) for _ in range(rng.randint(1, 60))]
        if rng.random() < 0.1:
            parts.append(rng.choice("a.@ 1\n") * rng.randint(1_000, 50_000))
        yield (" " if rng.random() < 0.5 else "").join(parts)


def test_fuzzed_cleaning_never_raises_and_stays_fast() -> None:
    cleaner = CleanArticles()
    for i, text in enumerate(fuzz_texts(seed=2026, n=300)):
        raw = RawArticle(source="fuzz", line=i, article_id=f"f{i}", text=sane_text(text))
        got = cleaner.clean_one(raw)
        assert isinstance(got, Article | Rejected)
        if isinstance(got, Article):
            got.text.encode("utf-8")  # and so it hashes and stores


@pytest.mark.model
def test_fuzzed_extraction_never_raises_and_quotes_slice_text() -> None:
    from sitrep.config import Settings
    from sitrep.pipeline import extract_mentions

    cleaner = CleanArticles()
    articles = []
    for i, text in enumerate(fuzz_texts(seed=11, n=120)):
        got = cleaner.clean_one(RawArticle(source="fuzz", article_id=f"f{i}", text=sane_text(text)))
        if isinstance(got, Article):
            articles.append(got)
    mentions, rejected = extract_mentions(articles, Settings())
    assert [r for r in rejected if r.reason == "crash"] == []
    texts = {a.article_id: a.text for a in articles}
    assert mentions
    assert all(texts[m.article_id][m.start : m.end] == m.quote for m in mentions)


def test_a_byte_order_mark_outranks_a_declared_charset() -> None:
    from sitrep.ingest.files import decode_bytes

    page = "<p>Дозор on the river</p>"
    assert decode_bytes(page.encode("utf-16"), "https://example.org/a", "utf-16") == page
    assert decode_bytes(page.encode("utf-32"), "https://example.org/a", "iso-8859-1") == page
    assert decode_bytes(page.encode("utf-8"), "https://example.org/a", None) == page
