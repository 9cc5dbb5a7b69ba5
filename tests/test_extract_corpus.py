"""The stage over the shared dev corpus: every quote is the text at its offsets (read at run time)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev" / "articles.jsonl"


@pytest.mark.model
@pytest.mark.corpus
def test_extract_events_quotes_equal_text_at_offsets_on_dev_corpus() -> None:
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} is absent (the shared corpus is not checked out beside the repo)")
    from sitrep.config import ExtractConfig
    from sitrep.extract import ExtractEvents, extract_facts
    from sitrep.model import Article, Mention

    articles = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        published = dt.date.fromisoformat(row["published"]) if row["published"] else None
        articles.append(Article(row["id"], row["text"], row["text"], published=published))
    texts = {a.article_id: a.text for a in articles}
    mentions = [m for m in ExtractEvents(ExtractConfig())(articles) if isinstance(m, Mention)]
    assert len({m.article_id for m in mentions}) >= len(articles) * 0.9  # nearly every article reports events
    for m in mentions:
        assert texts[m.article_id][m.start : m.end] == m.quote
        assert 0.0 <= m.confidence <= 1.0
    for article in articles:
        for claim in extract_facts(article):
            assert article.text[claim.start : claim.end] == claim.quote
