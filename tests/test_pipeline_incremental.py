"""Per-run work follows the new articles: stand-in dates and copies come from stored, indexed rows,
and equal what the whole-set functions give, in any order and batch size, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import random

from sitrep.model import Article
from sitrep.pipeline import index_articles, refresh_publication_estimates
from sitrep.resolve import StoredCopyIndex, estimate_publication_dates, find_copies

STORIES = {
    "mine": "Gunmen raided a gold mine camp in the hills; three miners and a guard died in the gunfire.",
    "dam": "Engineers opened the sluice gates of the reservoir dam after heavy rain flooded two valleys.",
    "talks": "Foreign ministers met in the capital for talks on water sharing and a new trade corridor.",
    "drone": "A drone struck a customs depot at the frontier crossing, wounding four workers overnight.",
}


def _articles() -> list[Article]:
    """Dated and undated reports of four stories, plus a near-verbatim copy of one."""
    out = []
    day = dt.date(2025, 3, 1)
    for n, (story, text) in enumerate(STORIES.items()):
        for k in range(3):
            dated = k < 2
            body = f"{text} Report {k} by outlet {k} on the {story} story, with its own closing words {k}."
            out.append(
                Article(
                    article_id=f"{story}-{k}",
                    raw_text=body,
                    text=body,
                    published=day + dt.timedelta(days=3 * n + k) if dated else None,
                    published_from="record" if dated else None,
                )
            )
    copy = out[0]
    out.append(
        Article(
            article_id="zz-copy",
            raw_text=copy.text,
            text=copy.text + " Reposted.",
            published=copy.published + dt.timedelta(days=1) if copy.published else None,
            published_from="record",
        )
    )
    return out


def _ingest_in_batches(store, articles: list[Article], batches: int) -> None:  # type: ignore[no-untyped-def]
    size = -(-len(articles) // batches)
    for start in range(0, len(articles), size):
        part = articles[start : start + size]
        for article in part:
            store.add_article(article)
        ids = [a.article_id for a in part]
        index_articles(store, ids)
        refresh_publication_estimates(store, ids)


def _estimates(store) -> dict[str, tuple[dt.date | None, str | None]]:  # type: ignore[no-untyped-def]
    out = {}
    for article in store.iter_articles():
        origin = article.published_from or ""
        if article.published is None or origin.startswith("estimated:"):
            basis = origin.split(":", 1)[1] if origin.startswith("estimated:") else None
            out[article.article_id] = (article.published, basis)
    return out


def test_incremental_estimates_equal_the_whole_set_in_any_order(store_url_factory) -> None:  # type: ignore[no-untyped-def]
    from sitrep.store import open_store

    articles = _articles()
    undated = [a for a in articles if a.published is None]
    dated = [a for a in articles if a.published is not None]
    expected = {a.article_id: (None, None) for a in undated}
    expected.update(
        {aid: (day, basis) for aid, (day, basis) in estimate_publication_dates(undated, dated).items()}
    )
    assert sum(1 for day, _ in expected.values() if day) == 4  # every story's undated report placed
    for seed, batches in ((1, 1), (2, 3), (3, len(articles))):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        store = open_store(store_url_factory(f"est{seed}"))
        try:
            _ingest_in_batches(store, shuffled, batches)
            assert _estimates(store) == expected, (seed, batches)
        finally:
            store.close()


def test_stored_copy_index_finds_the_copy_without_reading_the_store(store_url_factory) -> None:  # type: ignore[no-untyped-def]
    from sitrep.store import open_store

    articles = _articles()
    store = open_store(store_url_factory("copies"))
    try:
        _ingest_in_batches(store, articles, 2)
        copies = find_copies([articles[-1]], index=StoredCopyIndex(store), threshold=0.6)
        assert copies == {"zz-copy": "mine-0"}
        assert find_copies([articles[5]], index=StoredCopyIndex(store), threshold=0.6) == {}
    finally:
        store.close()


def test_articles_stored_without_neighbour_rows_are_indexed_by_the_next_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sitrep.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        for article in _articles()[:4]:
            store.add_article(article)  # as a store from before migration 0003 holds them
        assert len(store.unindexed_article_ids()) == 4
        backlog = index_articles(store, [])
        assert sorted(backlog) == sorted(a.article_id for a in _articles()[:4])
        assert store.unindexed_article_ids() == []
    finally:
        store.close()


def test_best_neighbour_among_many_alike_equals_the_whole_set(store) -> None:  # type: ignore[no-untyped-def]
    """Dozens of like neighbours, several scoring exactly alike (ties go to the smaller id): the
    estimate read from the store is the whole set's."""
    text = STORIES["mine"]
    endings = ("alpha", "beta", "gamma")
    dated = []
    for k in range(48):
        body = f"{text} Closing {endings[k % 3]}. ({k})"  # the number: no term, yet another text
        day = dt.date(2025, 3, 1) + dt.timedelta(days=k)
        dated.append(Article(article_id=f"twin-{k:03d}", raw_text=body, text=body, published=day,
                             published_from="record"))  # fmt: skip
    undated = [Article(article_id="lone", raw_text=text + " Closing gamma.", text=text + " Closing gamma.")]
    for article in [*undated, *dated]:
        assert store.add_article(article) == "added"
    ids = [a.article_id for a in [*undated, *dated]]
    index_articles(store, ids)
    refresh_publication_estimates(store, ids)
    expected = estimate_publication_dates(undated, dated)
    assert expected["lone"][1] == "twin-002"  # the first of the ones scoring alike: a real tie-break
    assert _estimates(store) == {"lone": expected["lone"]}
