"""Merged events do not depend on ingest order, and their ids are stable across runs (dev corpus)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli.main import cli
from sitrep.store import open_store
from tests.corpus import ARTICLES, require_corpus

pytestmark = [pytest.mark.corpus, pytest.mark.model]


def event_signature(db_url: str) -> set[tuple[object, ...]]:
    """Each event as (id, type, date, country, killed best, sorted source articles)."""
    store = open_store(db_url)
    try:
        return {
            (
                e.event_id,
                e.event_type,
                e.date,
                e.country,
                e.fatalities.best if e.fatalities else None,
                tuple(sorted({m.article_id for m in e.mentions})),
            )
            for e in store.iter_events()
        }
    finally:
        store.close()


def ingest_in_chunks(lines: list[str], folder: Path, db_url: str, chunks: int) -> None:
    """Ingest `lines` as `chunks` separate runs, so later articles merge into stored events."""
    size = -(-len(lines) // chunks)
    for n in range(chunks):
        part = folder / f"part-{n}.jsonl"
        part.write_text("".join(lines[n * size : (n + 1) * size]), encoding="utf-8")
        result = CliRunner().invoke(cli, ["ingest", str(part), "--db", db_url, "-q"], catch_exceptions=False)
        assert result.exit_code == 0


def test_merged_events_are_the_same_in_three_shuffled_orders(store_url_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    require_corpus()
    lines = ARTICLES.read_text(encoding="utf-8").splitlines(keepends=True)
    signatures = []
    for seed in (1, 2, 3):
        shuffled = lines[:]
        random.Random(seed).shuffle(shuffled)
        folder = tmp_path / f"order-{seed}"
        folder.mkdir()
        url = store_url_factory(f"order{seed}")
        ingest_in_chunks(shuffled, folder, url, chunks=3)
        signatures.append(event_signature(url))
    assert signatures[0], "no events were produced"
    assert signatures[0] == signatures[1] == signatures[2]


def test_event_ids_are_stable_across_reruns(tmp_path: Path) -> None:
    require_corpus()
    urls = [f"sqlite:///{tmp_path / f'run{n}.db'}" for n in (1, 2)]
    for url in urls:
        CliRunner().invoke(cli, ["ingest", str(ARTICLES), "--db", url, "-q"], catch_exceptions=False)
    first, second = (event_signature(url) for url in urls)
    assert {s[0] for s in first} == {s[0] for s in second}
    assert len(first) == len(json.loads(json.dumps([list(map(str, s)) for s in first])))


BACKGROUND = 5000  # stored articles before the dev corpus arrives: the old whole-store code took minutes


def test_merged_events_and_dates_are_the_same_in_any_order_over_a_large_store(
    store_url_factory, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Over 5,000 stored articles on the same subjects (filled in bulk, as earlier runs would have
    left them), three orders and batch sizes of the dev corpus give the same events and dates."""
    import datetime as dt

    from bench.fill import fill_store, sentence_pool

    require_corpus()
    lines = ARTICLES.read_text(encoding="utf-8").splitlines(keepends=True)
    pool = sentence_pool([json.loads(line)["text"] for line in lines])
    results = []
    for seed, chunks in ((4, 1), (5, 3), (6, 5)):
        shuffled = lines[:]
        random.Random(seed).shuffle(shuffled)
        url = store_url_factory(f"big{seed}")
        fill_store(url, BACKGROUND, pool, before=dt.date(2025, 11, 20))
        folder = tmp_path / f"big-{seed}"
        folder.mkdir()
        ingest_in_chunks(shuffled, folder, url, chunks=chunks)
        store = open_store(url)
        try:
            dates = {
                a.article_id: (a.published, a.published_from)
                for a in store.iter_articles()
                if not a.article_id.startswith("bg-")
            }
        finally:
            store.close()
        results.append((event_signature(url), dates))
    signatures, dates = zip(*results, strict=True)
    assert len(signatures[0]) > BACKGROUND // 2, "no events were produced"
    assert signatures[0] == signatures[1] == signatures[2]
    assert dates[0] == dates[1] == dates[2]
    assert sum(1 for _, origin in dates[0].values() if (origin or "").startswith("estimated:")) >= 10
