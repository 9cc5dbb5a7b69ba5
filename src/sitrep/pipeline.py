"""Wire the stages: sources -> articles -> mentions -> merged events, written to a store.

The only module that imports more than one stage package. Each stage keeps its own contract
(docs/architecture.md); this module decides order, batching and what is written when.

Resumable: every article records its work in the store (`articles.work`: extract -> merge -> done,
or failed), so a run that is killed leaves pending work that the next `sitrep ingest` or `sitrep
resume` finishes. A crash on one article (any exception while cleaning, extracting or geocoding
it) rejects that article with reason `crash` and the run goes on.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitrep.config import Settings
from sitrep.errors import SitrepError
from sitrep.ingest.sanity import sane_raw
from sitrep.model import Article, Mention, RawArticle, Rejected

log = logging.getLogger(__name__)

EXTRACT_BATCH = 500  # articles per extraction and merge batch: memory stays flat, re-merges stay few
STORE_CHUNK = 50  # articles extracted and stored at a time inside a batch: a kill loses at most these

Progress = Callable[[int], None]


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
def _extraction_stages(model_name: str, batch_size: int, min_confidence: float) -> tuple[Any, Any]:
    """Build the extractor and geocoder once per process (the model and gazetteer load lazily inside)."""
    from sitrep.config import ExtractConfig
    from sitrep.extract import ExtractEvents
    from sitrep.geo import GeocodeMentions, load_gazetteer, place_patterns

    gazetteer = load_gazetteer()
    config = ExtractConfig(model=model_name, batch_size=batch_size, min_confidence=min_confidence)
    extractor = ExtractEvents(
        config=config, gazetteer=gazetteer, place_patterns=tuple(place_patterns(gazetteer))
    )
    return extractor, GeocodeMentions(gazetteer)


class MergeFailed(SitrepError):
    """Merging a batch raised; its articles stay pending, so `sitrep resume` can try them again."""


def _split_rejections(items: Iterable[RawArticle | Rejected], sink: list[Rejected]) -> Iterator[RawArticle]:
    for item in items:
        if isinstance(item, Rejected):
            sink.append(item)
        else:
            yield sane_raw(item)  # lone surrogates and NUL replaced before anything hashes or parses


def crash_rejection(item_id: str | None, stage: str, error: BaseException, source: str | None = None,
                    line: int | None = None) -> Rejected:  # fmt: skip
    """The rejection of an item that a stage raised on: reason `crash`, the exception as detail."""
    log.warning("%s crashed on %s: %r", stage, item_id, error, exc_info=log.isEnabledFor(logging.DEBUG))
    detail = f"{type(error).__name__}: {error}"
    return Rejected(item_id, stage, "crash", detail[:500], source, line)


def _clean_each(cleaner: Any, raws: Iterable[RawArticle]) -> Iterator[Article | Rejected]:
    """Clean each article on its own: one that makes the cleaner raise is rejected, the rest go on."""
    for raw in raws:
        try:
            yield cleaner.clean_one(raw)
        except Exception as error:  # any bug on one article costs that article only
            yield crash_rejection(
                raw.article_id or raw.url or raw.source, cleaner.name, error, raw.source, raw.line
            )


def ingest_sources(
    sources: Sequence[str],
    store: Any,
    settings: Settings,
    *,
    extract: bool = True,
    on_article: Progress | None = None,
    on_rejected: Callable[[Rejected], None] | None = None,
) -> IngestSummary:
    """Read, clean and store every article in `sources`; then extract, merge and store their events.

    Each article is written in its own transaction, so a bad record never costs a good one. The
    extraction and merge cover every article with pending work, those an interrupted earlier run
    left included; with `sources` empty that is all the run does (`sitrep resume`).
    """
    from sitrep.clean import CleanArticles
    from sitrep.ingest import read_sources
    from sitrep.resolve import CopyIndex

    summary = IngestSummary(run_id=store.start_run(list(sources)))
    rejected: list[Rejected] = []
    changed: list[str] = []
    raws = _split_rejections(read_sources(sources, settings.ingest), rejected)

    def record_rejections() -> None:
        while rejected:
            bad = rejected.pop(0)
            summary.rejections.append(bad)
            store.add_rejections([bad], summary.run_id)
            if on_rejected:
                on_rejected(bad)

    for item in _clean_each(CleanArticles(), raws):
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
            if on_article:
                on_article(1)
        record_rejections()
    record_rejections()  # rejections after the last good record (e.g. a trailing empty file)
    if extract:
        # One read of the stored articles per run serves both whole-store steps below.
        stored, moved = refresh_publication_estimates(store, list(store.iter_articles()))
        # Undated articles get a stand-in date from their most similar dated neighbour; when the
        # neighbourhood changes, their events are extracted again (order-free: see resolve/dating.py).
        # Pending work: this run's articles first, in the order read, then what earlier runs left.
        pending = store.pending_work()
        work = [aid for aid in dict.fromkeys([*changed, *moved, *pending]) if aid in pending]
    if extract and work:
        # One copy index per run, built from what was stored before it; each batch adds to it.
        batch_ids = set(work)
        copy_index = CopyIndex.from_articles(a for a in stored if a.article_id not in batch_ids)
        for start in range(0, len(work), EXTRACT_BATCH):
            ids = work[start : start + EXTRACT_BATCH]
            batch = list(store.iter_articles(ids))
            merged_only = {aid for aid in ids if pending[aid] == "merge"}
            update_events(batch, store, settings, summary, copy_index, merged_only)
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


def extract_mentions(articles: Sequence[Article], settings: Settings) -> tuple[list[Mention], list[Rejected]]:
    """Run extraction and geocoding over `articles`; return the mentions and any rejections.

    When the batch raises, each article is run on its own and the ones that raise are rejected
    (reason `crash`): one bad article never costs the others.
    """
    cfg = settings.extract
    extractor, geocoder = _extraction_stages(cfg.model, cfg.batch_size, cfg.min_confidence)

    def run(some: Sequence[Article]) -> tuple[list[Mention], list[Rejected]]:
        mentions: list[Mention] = []
        rejected: list[Rejected] = []
        for item in extractor(some):
            (rejected if isinstance(item, Rejected) else mentions).append(item)
        return list(geocoder(mentions)), rejected

    try:
        return run(articles)
    except Exception:  # find the article it was, below
        log.info("extraction raised on a batch of %d articles: running them one by one", len(articles))
    mentions: list[Mention] = []
    rejected: list[Rejected] = []
    for article in articles:
        try:
            found, bad = run([article])
        except Exception as error:  # this article only
            rejected.append(crash_rejection(article.article_id, extractor.name, error, article.source))
            continue
        mentions += found
        rejected += bad
    return mentions, rejected


def update_events(
    articles: Sequence[Article],
    store: Any,
    settings: Settings,
    summary: IngestSummary,
    copy_index: Any | None = None,
    merged_only: Iterable[str] = (),
) -> None:
    """Extract `articles`, store their mentions and facts, and re-merge only the blocks they touch.

    The blocks re-merged are those of the new mentions, of the articles' earlier mentions (a
    revision) and of any stored article whose `copy_of` just changed; `blocks_to_load` widens
    them so that the result equals merging the whole store at once (docs/merging.md). Articles of
    `merged_only` already have their mentions stored (an interrupted run): only their blocks are
    merged. At the end every article's work is done, or failed where extraction crashed on it.
    """
    from sitrep.resolve import CopyIndex, blocks_to_load, find_copies, plan_update
    from sitrep.resolve import update_events as merge_blocks

    index = copy_index if copy_index is not None else CopyIndex.from_articles(store.iter_articles())
    copies = find_copies(articles, index=index, threshold=settings.resolve.copy_threshold)
    for copy_id, original_id in copies.items():
        store.set_copy_of(copy_id, original_id)
    summary.copies += len(copies)
    skip = set(merged_only)
    to_extract = [a for a in articles if a.article_id not in skip]
    published = {a.article_id: a.published for a in articles}
    # Earlier mentions of these articles (a revision, or stored by an interrupted run) and of
    # re-labelled copies must be re-merged too: read before this batch stores any.
    every = [a.article_id for a in articles]
    previous = store.mentions_for_articles([*every, *(c for c in copies if c not in published)])
    mentions: list[Mention] = []
    for start in range(0, len(to_extract), STORE_CHUNK):
        part = to_extract[start : start + STORE_CHUNK]
        mentions += _extract_and_store(part, store, settings, summary, published)
    keys = plan_update([*mentions, *previous])
    if keys:
        block_mentions = store.mentions_for_blocks(blocks_to_load(keys))
        meta = store.article_meta({m.article_id for m in block_mentions})
        copy_map = {aid: info.copy_of for aid, info in meta.items() if info.copy_of}
        try:
            events = merge_blocks(block_mentions, keys, copy_map)
        except Exception as error:
            raise MergeFailed(
                f"merging {len(keys)} blocks failed: {type(error).__name__}: {error}",
                "their articles stay pending; `sitrep resume` tries again (`--debug` shows where)",
            ) from error
        store.replace_events(keys, events)
        summary.events += len(events)
        log.info(
            "merged %d mentions into %d events over %d blocks", len(block_mentions), len(events), len(keys)
        )
    summary.mentions += len(mentions)
    store.set_work([*every, *copies], "done", only_from="merge")


def _extract_and_store(
    articles: Sequence[Article],
    store: Any,
    settings: Settings,
    summary: IngestSummary,
    published: dict[str, Any],
) -> list[Mention]:
    """Extract `articles`, store their fact claims and mentions; return the mentions (blocks assigned).

    An article extraction crashed on keeps no mentions or facts, and its work becomes failed.
    """
    from sitrep.extract import extract_facts
    from sitrep.resolve import assign_blocks

    found, rejected = extract_mentions(articles, settings)
    facts: dict[str, list[Any]] = {}
    for article in articles:
        try:
            facts[article.article_id] = list(extract_facts(article))
        except Exception as error:  # this article only
            rejected.append(crash_rejection(article.article_id, "extract.facts", error, article.source))
    failed = {r.item_id for r in rejected if r.reason == "crash"}
    if rejected:
        store.add_rejections(rejected, summary.run_id)
        summary.rejections.extend(rejected)
    mentions = assign_blocks([m for m in found if m.article_id not in failed], published)
    by_article: dict[str, list[Mention]] = {a.article_id: [] for a in articles}
    for mention in mentions:
        by_article[mention.article_id].append(mention)
    for article in articles:
        aid = article.article_id
        # Facts first: storing the mentions moves the article's work on to "merge".
        store.replace_fact_claims(aid, facts.get(aid, []) if aid not in failed else [])
        store.replace_mentions(aid, by_article[aid])  # a failed article keeps no mentions
    if failed:
        store.set_work(failed, "failed")
    return mentions


def resume(
    store: Any,
    settings: Settings,
    *,
    on_rejected: Callable[[Rejected], None] | None = None,
) -> IngestSummary:
    """Finish the work interrupted runs left in `store` (`sitrep resume`): extract and merge it."""
    return ingest_sources([], store, settings, on_rejected=on_rejected)


def load_settings_for_bench() -> Settings:
    """Default settings with no database side effects (benchmarks build their own stores)."""
    from sitrep.config import load_settings

    return load_settings()
