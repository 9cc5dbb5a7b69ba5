"""Wire the stages: sources -> articles -> mentions -> merged events, written to a store.

The only module that imports more than one stage package. Each stage keeps its own contract
(docs/architecture.md); this module decides order, batching and what is written when.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sitrep.config import Settings
from sitrep.model import Article, Mention, RawArticle, Rejected

log = logging.getLogger(__name__)

EXTRACT_BATCH = 500  # articles per extraction and merge batch: memory stays flat, re-merges stay few


class Progress(Protocol):
    """What a run reports as it goes: phases `read`, `extract` and `merge`, each with a total if known."""

    def start(self, phase: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1) -> None: ...


class _Silent:
    def start(self, phase: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


@dataclass
class IngestSummary:
    """What one `sitrep ingest` run did; `rejections` keeps every message."""

    ingested: int = 0
    duplicates: int = 0
    revisions: int = 0
    rejections: list[Rejected] = field(default_factory=list)
    mentions: int = 0
    events: int = 0
    copies: int = 0
    run_id: str | None = None

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    @property
    def stored(self) -> int:
        return self.ingested + self.revisions

    def line(self) -> str:
        """The one-line summary printed at the end of a run."""
        parts = [f"{self.ingested} ingested", f"{self.duplicates} duplicates", f"{self.rejected} rejected"]
        if self.revisions:
            parts.insert(1, f"{self.revisions} revised")
        if self.mentions or self.events:
            parts.append(f"{self.mentions} event mentions, {self.events} events updated")
        return ", ".join(parts)


@functools.cache
def _extraction_stages(
    model_name: str, batch_size: int, min_confidence: float, geo_dir: Path
) -> tuple[Any, Any]:
    """Build the extractor and geocoder once per process (the model and gazetteer load lazily inside).

    `geo_dir` holds the places `sitrep geo import` added (settings `geo.dir`); absent means none.
    """
    from sitrep.config import ExtractConfig
    from sitrep.extract import ExtractEvents
    from sitrep.geo import GeocodeMentions, load_gazetteer, place_patterns

    gazetteer = load_gazetteer(geo_dir)
    config = ExtractConfig(model=model_name, batch_size=batch_size, min_confidence=min_confidence)
    extractor = ExtractEvents(
        config=config, gazetteer=gazetteer, place_patterns=tuple(place_patterns(gazetteer))
    )
    return extractor, GeocodeMentions(gazetteer)


def _split_rejections(items: Iterable[RawArticle | Rejected], sink: list[Rejected]) -> Iterator[RawArticle]:
    for item in items:
        if isinstance(item, Rejected):
            sink.append(item)
        else:
            yield item


def ingest_sources(
    sources: Sequence[str],
    store: Any,
    settings: Settings,
    *,
    extract: bool = True,
    progress: Progress | None = None,
    on_rejected: Callable[[Rejected], None] | None = None,
) -> IngestSummary:
    """Read, clean and store every article in `sources`; then extract, merge and store their events.

    Each article is written in its own transaction, so a bad record never costs a good one.
    """
    from sitrep.clean import CleanArticles
    from sitrep.ingest import count_records, read_sources
    from sitrep.resolve import CopyIndex

    progress = progress or _Silent()
    summary = IngestSummary(run_id=store.start_run(list(sources)))
    rejected: list[Rejected] = []
    changed: list[str] = []
    raws = _split_rejections(read_sources(sources, settings.ingest), rejected)

    def record_rejections() -> None:
        while rejected:
            bad = rejected.pop(0)
            summary.rejections.append(bad)
            store.add_rejections([bad], summary.run_id)
            progress.advance(1)
            if on_rejected:
                on_rejected(bad)

    progress.start("read", count_records(sources))
    for item in CleanArticles()(raws):
        if isinstance(item, Rejected):
            rejected.append(item)
        else:
            outcome = store.add_article(item)
            if outcome == "added":
                summary.ingested += 1
                changed.append(item.article_id)
            elif outcome == "revision":
                summary.revisions += 1
                changed.append(item.article_id)
            else:
                summary.duplicates += 1
            progress.advance(1)
        record_rejections()
    record_rejections()  # rejections after the last good record (e.g. a trailing empty file)
    if extract:
        # One read of the stored articles per run serves both whole-store steps below.
        stored, moved = refresh_publication_estimates(store, list(store.iter_articles()))
        # Undated articles get a stand-in date from their most similar dated neighbour; when the
        # neighbourhood changes, their events are extracted again (order-free: see resolve/dating.py).
        seen = set(changed)
        changed += [aid for aid in moved if aid not in seen]
    if extract and changed:
        # One copy index per run, built from what was stored before it; each batch adds to it.
        batch_ids = set(changed)
        copy_index = CopyIndex.from_articles(a for a in stored if a.article_id not in batch_ids)
        extract_total: int | None = len(changed)
        for start in range(0, len(changed), EXTRACT_BATCH):
            batch = list(store.iter_articles(changed[start : start + EXTRACT_BATCH]))
            progress.start("extract", extract_total)
            extract_total = None  # counted once: a later batch carries on with the same total
            update_events(batch, store, settings, summary, copy_index, progress)
    store.finish_run(
        summary.run_id,
        {
            "ingested": summary.ingested,
            "duplicates": summary.duplicates,
            "revisions": summary.revisions,
            "rejected": summary.rejected,
            "mentions": summary.mentions,
            "events": summary.events,
        },
    )
    return summary


def refresh_publication_estimates(store: Any, articles: list[Article]) -> tuple[list[Article], list[str]]:
    """Re-estimate the date of every undated article of `articles` (the whole store) and store it.

    Returns the articles as they now stand and the ids whose estimate moved.
    """
    from sitrep.resolve import estimate_publication_dates

    undated = [a for a in articles if a.published is None or _estimated_basis(a) is not None]
    if not undated:
        return articles, []
    undated_ids = {a.article_id for a in undated}
    estimates = estimate_publication_dates(undated, [a for a in articles if a.article_id not in undated_ids])
    updated: dict[str, Article] = {}
    for article in undated:
        new_date, basis = estimates.get(article.article_id, (None, None))
        if (article.published, _estimated_basis(article)) != (new_date, basis):
            store.set_published_estimate(article.article_id, new_date, basis)
            origin = f"estimated:{basis}" if new_date is not None else None
            updated[article.article_id] = dataclasses.replace(
                article, published=new_date, published_from=origin
            )
    return [updated.get(a.article_id, a) for a in articles], list(updated)


def _estimated_basis(article: Article) -> str | None:
    origin = article.published_from or ""
    return origin.split(":", 1)[1] if origin.startswith("estimated:") else None


def extract_mentions(
    articles: Sequence[Article], settings: Settings, progress: Progress | None = None
) -> tuple[list[Mention], list[Rejected]]:
    """Run extraction and geocoding over `articles`; return the mentions and any rejections."""
    cfg = settings.extract
    extractor, geocoder = _extraction_stages(
        cfg.model, cfg.batch_size, cfg.min_confidence, settings.geo.path()
    )
    mentions: list[Mention] = []
    rejected: list[Rejected] = []
    for item in extractor(_counted(articles, progress or _Silent())):
        (rejected if isinstance(item, Rejected) else mentions).append(item)
    return list(geocoder(mentions)), rejected


def _counted(articles: Iterable[Article], progress: Progress) -> Iterator[Article]:
    """Yield `articles`, advancing `progress` as the extractor takes each (it works in small batches)."""
    for article in articles:
        yield article
        progress.advance(1)


def update_events(
    articles: Sequence[Article],
    store: Any,
    settings: Settings,
    summary: IngestSummary,
    copy_index: Any | None = None,
    progress: Progress | None = None,
) -> None:
    """Extract `articles`, store their mentions and facts, and re-merge only the blocks they touch.

    The blocks re-merged are those of the new mentions, of the articles' earlier mentions (a
    revision) and of any stored article whose `copy_of` just changed; `blocks_to_load` widens
    them so that the result equals merging the whole store at once (docs/merging.md).
    """
    from sitrep.extract import extract_facts
    from sitrep.resolve import CopyIndex, assign_blocks, blocks_to_load, find_copies, plan_update
    from sitrep.resolve import update_events as merge_blocks

    index = copy_index if copy_index is not None else CopyIndex.from_articles(store.iter_articles())
    copies = find_copies(articles, index=index, threshold=settings.resolve.copy_threshold)
    for copy_id, original_id in copies.items():
        store.set_copy_of(copy_id, original_id)
    summary.copies += len(copies)
    progress = progress or _Silent()
    mentions, rejected = extract_mentions(articles, settings, progress)
    if rejected:
        store.add_rejections(rejected, summary.run_id)
        summary.rejections.extend(rejected)
    published = {a.article_id: a.published for a in articles}
    mentions = assign_blocks(mentions, published)
    by_article: dict[str, list[Mention]] = {a.article_id: [] for a in articles}
    for mention in mentions:
        by_article[mention.article_id].append(mention)
    # Earlier mentions of these articles (a revision) and of re-labelled copies must be re-merged too.
    previous = store.mentions_for_articles([*by_article, *(c for c in copies if c not in by_article)])
    for article in articles:
        store.replace_mentions(article.article_id, by_article[article.article_id])
        store.replace_fact_claims(article.article_id, extract_facts(article))
    keys = plan_update([*mentions, *previous])
    if not keys:
        return
    progress.start("merge", len(keys))
    block_mentions = store.mentions_for_blocks(blocks_to_load(keys))
    meta = store.article_meta({m.article_id for m in block_mentions})
    copy_map = {aid: info.copy_of for aid, info in meta.items() if info.copy_of}
    events = merge_blocks(block_mentions, keys, copy_map, window_days=settings.resolve.window_days)
    store.replace_events(keys, events)
    progress.advance(len(keys))
    summary.mentions += len(mentions)
    summary.events += len(events)
    log.info("merged %d mentions into %d events over %d blocks", len(block_mentions), len(events), len(keys))


def load_settings_for_bench() -> Settings:
    """Default settings with no database side effects (benchmarks build their own stores)."""
    from sitrep.config import load_settings

    return load_settings()
