"""Wire the stages: sources -> articles -> mentions -> merged events, written to a store.

The only module that imports more than one stage package. Each stage keeps its own contract
(docs/architecture.md); this module decides order, batching and what is written when.

Resumable: every article records its work in the store (`articles.work`: extract -> merge -> done,
or failed), so a run that is killed leaves pending work that the next `sitrep ingest` or `sitrep
resume` finishes. A crash on one article (any exception while cleaning, extracting or geocoding
it) rejects that article with reason `crash` and the run goes on.

What runs per article with nothing shared goes through an `Extraction` backend: cleaning and
the article's neighbour rows (`clean_part`, on partitions of records as read) and extraction
(`extract_part`, on partitions of stored articles), each given back in the order given, as plain
dataclasses (never spaCy objects). `SerialExtraction` runs them in this process;
`sitrep.cluster.DaskExtraction` on Dask workers, where a dated article is also extracted while
the client still reads (its extraction needs nothing the read phase computes). Everything else
(storing, copies, publication-date estimates, blocks, merging, every write) stays here, in the
one process that writes the store, so every backend stores the same answer.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, overload

from sitrep.config import Settings
from sitrep.errors import SitrepError
from sitrep.ingest.sanity import sane_raw
from sitrep.model import Article, Event, FactClaim, Mention, RawArticle, Rejected

if TYPE_CHECKING:
    from sitrep.store.neighbours import IndexRows

log = logging.getLogger(__name__)

EXTRACT_BATCH = 500  # articles per extraction and merge batch: memory stays flat, re-merges stay few
# Records read, from the start of a run, whose extraction a backend that `extracts_ahead` runs with
# their cleaning; the results wait in this process for their batch (about 10 KB an article).
AHEAD_MAX = 4 * EXTRACT_BATCH


class Progress(Protocol):
    """What a run reports as it goes: phases `read`, `extract` and `merge`, each with a total if known."""

    def start(self, phase: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1) -> None: ...


class ArticleInfo(Protocol):
    """What the pipeline reads of an article's metadata (`sitrep.store.ArticleMeta`)."""

    @property
    def published(self) -> dt.date | None: ...

    @property
    def published_from(self) -> str | None: ...

    @property
    def copy_of(self) -> str | None: ...


class PipelineStore(Protocol):
    """The store as the pipeline uses it: the one seam every stage's output crosses (`sitrep.store.Store`
    implements it; mypy checks that it does wherever the CLI hands a Store to the pipeline)."""

    # runs and rejections
    def start_run(self, sources: Sequence[str]) -> str: ...
    def finish_run(self, run_id: str, counts: Mapping[str, int]) -> None: ...
    def add_rejections(self, rejected: Iterable[Rejected], run_id: str | None = None) -> int: ...

    # articles and their work
    def add_articles(self, items: Sequence[tuple[Article, IndexRows | None]]) -> Sequence[str]: ...
    def iter_articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]: ...
    def article_meta(self, ids: Iterable[str] | None = None) -> Mapping[str, ArticleInfo]: ...
    def set_copy_of(self, article_id: str, original_id: str | None) -> None: ...
    def set_published_estimate(
        self, article_id: str, published: dt.date | None, basis: str | None
    ) -> None: ...
    def pending_work(self) -> dict[str, str]: ...
    def set_work(self, article_ids: Iterable[str], state: str, *, only_from: str | None = None) -> None: ...

    # neighbour indexes
    def put_neighbour_rows(
        self, article_id: str, terms: Mapping[str, float], dated: bool, minhash: bytes, bands: Sequence[str]
    ) -> None: ...
    def unindexed_article_ids(self, limit: int = 1000) -> list[str]: ...
    def neighbour_scores(
        self,
        article_id: str,
        dated: bool,
        among: Iterable[str] | None = None,
        minimum: float = 0.0,
        limit: int | None = None,
    ) -> dict[str, float]: ...
    def own_dates(self, ids: Iterable[str]) -> dict[str, dt.date]: ...
    def estimated_from(self, ids: Iterable[str]) -> list[str]: ...
    def copy_candidates(self, band_keys: Sequence[str]) -> set[str]: ...
    def sketches(self, ids: Iterable[str]) -> Mapping[str, tuple[dt.date | None, bytes]]: ...

    # mentions, facts, events
    def replace_mentions(self, article_id: str, new: Sequence[Mention]) -> None: ...
    def replace_fact_claims(self, article_id: str, claims: Sequence[FactClaim]) -> None: ...
    def mentions_for_articles(self, ids: Iterable[str]) -> list[Mention]: ...
    def mentions_for_blocks(self, keys: Iterable[str]) -> list[Mention]: ...
    def replace_events(self, block_keys: Iterable[str], new: Sequence[Event]) -> None: ...

    # what a merge reaches (sitrep.resolve.reach.MentionIndex)
    def mention_candidates(self, windows: Sequence[Any]) -> list[Mention]: ...
    def event_members(self, mention_ids: Iterable[str]) -> dict[str, list[str]]: ...
    def mentions_by_id(self, ids: Iterable[str]) -> list[Mention]: ...
    def copy_origins(self, article_ids: Iterable[str]) -> dict[str, str]: ...
    def replace_merged_events(self, event_ids: Iterable[str], new: Sequence[Event]) -> None: ...


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
    changed: list[str] = field(default_factory=list)  # ids of the articles this run added or revised
    touched_events: set[str] = field(default_factory=set)  # events citing an article extracted or merged

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


class StageConfig(NamedTuple):
    """What a process needs to build the extraction stages: small and picklable, so it travels with
    each task to a worker instead of the model (which each worker loads once)."""

    model: str
    batch_size: int
    min_confidence: float
    geo_dir: str

    @classmethod
    def of(cls, settings: Settings) -> StageConfig:
        cfg = settings.extract
        return cls(cfg.model, cfg.batch_size, cfg.min_confidence, str(settings.geo.path()))

    def stages(self) -> tuple[Any, Any]:
        """The extractor and geocoder of this process (built on first use, then cached)."""
        return _extraction_stages(self.model, self.batch_size, self.min_confidence, Path(self.geo_dir))


@dataclass
class ExtractedPart:
    """What extracting one partition of articles gives back: plain dataclasses, no spaCy objects.

    `mentions` are geocoded, without block keys (the client assigns those); `facts` has an entry for
    every article the fact extractor did not crash on; `rejected` lists the rest.
    """

    article_ids: list[str]
    mentions: list[Mention]
    facts: dict[str, list[FactClaim]]
    rejected: list[Rejected]


def extract_part(
    articles: Sequence[Article], stages: StageConfig, progress: Progress | None = None
) -> ExtractedPart:
    """Extract mentions and fact claims from `articles` (a task: runs in this process or on a worker)."""
    from sitrep.extract import extract_facts

    found, rejected = _extract_mentions(articles, stages, progress)
    facts: dict[str, list[FactClaim]] = {}
    for article in articles:
        try:
            facts[article.article_id] = list(extract_facts(article))
        except Exception as error:  # this article only
            rejected.append(crash_rejection(article.article_id, "extract.facts", error, article.source))
    return ExtractedPart([a.article_id for a in articles], found, facts, rejected)


class NeighbourRows(NamedTuple):
    """An article's neighbour-index rows (`PipelineStore.put_neighbour_rows`), a function of its text."""

    terms: dict[str, float]
    minhash: bytes
    bands: list[str]


def neighbour_rows(text: str) -> NeighbourRows:
    """The term vector, MinHash and LSH band keys of `text` (empty MinHash: a text with no words)."""
    from sitrep.resolve import band_keys, minhash_of, sketch_bytes, term_vector

    sketch = minhash_of(text)
    minhash = sketch_bytes(sketch) if sketch is not None else b""
    return NeighbourRows(term_vector(text), minhash, band_keys(minhash) if minhash else [])


class RawPart(NamedTuple):
    """A partition of records as read (a reader's rejections in place), and whether to extract its
    dated articles with their cleaning (`extract`)."""

    records: list[RawArticle | Rejected]
    extract: bool = False
    neighbours: bool = True  # make the articles' neighbour rows


@dataclass
class CleanedPart:
    """What cleaning one `RawPart` gives back, in the order read: each record's clean `Article` or
    `Rejected` (a reader's rejection passes through), the neighbour rows of each article (None for
    a rejection), and, when asked, the extraction of its dated articles (`ahead`; an article whose
    id occurs twice in the partition is left to the extraction phase)."""

    items: list[Article | Rejected]
    rows: list[NeighbourRows | None]
    ahead: ExtractedPart | None = None


def clean_part(part: RawPart, stages: StageConfig) -> CleanedPart:
    """Clean a partition of records, index each article, extract the dated ones if asked (a task:
    runs in this process or on a worker; needs nothing from the store)."""
    from sitrep.clean import CleanArticles

    cleaner = CleanArticles()
    items: list[Article | Rejected] = []
    for record in part.records:
        items.extend([record] if isinstance(record, Rejected) else _clean_each(cleaner, [record]))
    rows = [
        neighbour_rows(item.text) if part.neighbours and isinstance(item, Article) else None for item in items
    ]
    ahead = None
    if part.extract:
        seen = collections.Counter(item.article_id for item in items if isinstance(item, Article))
        dated = [
            item for item in items
            if isinstance(item, Article) and seen[item.article_id] == 1
            and not _is_undated(item.published, item.published_from)
        ]  # fmt: skip
        ahead = extract_part(dated, stages) if dated else None
    return CleanedPart(items, rows, ahead)


class Extraction(Protocol):
    """Runs the per-article tasks: `clean_part` over partitions of records as read, `extract_part`
    over partitions of articles (`partition_size` each, settings `extract.partition_size`); yields
    one result per partition, in the order given. An empty partition of articles gives an empty
    `ExtractedPart` and runs nothing.

    It may read ahead of what was yielded (workers stay busy while the client stores and merges).
    `map` must advance `progress` (phase `extract`, in articles) as partitions finish. With
    `extracts_ahead`, the pipeline asks for the extraction of the first `AHEAD_MAX` records' dated
    articles with their cleaning (worth it where extraction runs beside this process).
    """

    extracts_ahead: bool

    def clean(self, parts: Iterable[RawPart], stages: StageConfig) -> Iterator[CleanedPart]: ...

    def map(
        self, parts: Iterable[Sequence[Article]], stages: StageConfig, progress: Progress
    ) -> Iterator[ExtractedPart]: ...

    def close(self) -> None: ...


class SerialExtraction:
    """Every partition in this process, one after the other (the default)."""

    extracts_ahead = False

    def clean(self, parts: Iterable[RawPart], stages: StageConfig) -> Iterator[CleanedPart]:
        for part in parts:
            yield clean_part(part, stages)

    def map(
        self, parts: Iterable[Sequence[Article]], stages: StageConfig, progress: Progress
    ) -> Iterator[ExtractedPart]:
        for part in parts:
            yield extract_part(part, stages, progress) if part else ExtractedPart([], [], {}, [])

    def close(self) -> None:
        pass


class _Held(NamedTuple):
    """One article's extraction run with its cleaning, and what it was run on."""

    inputs: tuple[Any, ...]
    mentions: list[Mention]
    facts: list[FactClaim] | None  # None: the fact extractor crashed on it
    rejected: list[Rejected]


def _inputs(article: Article) -> tuple[Any, ...]:
    """What extraction reads of an article: a held extraction serves a stored article only if equal."""
    return (article.article_id, article.text, article.published, article.published_from,
            article.language, article.source)  # fmt: skip


def _hold(part: ExtractedPart, articles: Sequence[Article], held: dict[str, _Held]) -> None:
    """Keep the extraction of `articles` (run ahead) by article id until their batch stores it."""
    pieces = {a.article_id: _Held(_inputs(a), [], part.facts.get(a.article_id), []) for a in articles}
    if any(bad.item_id not in pieces for bad in part.rejected):
        return  # a rejection of no one article: the extraction phase runs them again
    for mention in part.mentions:
        pieces[mention.article_id].mentions.append(mention)
    for bad in part.rejected:
        pieces[bad.item_id or ""].rejected.append(bad)
    held.update(pieces)


def _with_held(
    parts: Iterable[Sequence[Article]],
    held: dict[str, _Held],
    backend: Extraction,
    stages: StageConfig,
    progress: Progress,
) -> Iterator[ExtractedPart]:
    """`backend.map` over `parts`, where the articles of `held` (if unchanged since) take their held
    extraction and only the others are extracted: one `ExtractedPart` per partition, in order."""
    plan: collections.deque[tuple[list[Article], dict[str, _Held]]] = collections.deque()

    def missing() -> Iterator[list[Article]]:
        for part in parts:
            found = {}
            for article in part:
                piece = held.pop(article.article_id, None)
                if piece is not None and piece.inputs == _inputs(article):
                    found[article.article_id] = piece
            plan.append((list(part), found))
            yield [a for a in part if a.article_id not in found]

    reused = 0
    for result in backend.map(missing(), stages, progress):
        part, found = plan.popleft()
        if not found:
            yield result
            continue
        reused += len(found)
        log.debug("%d articles so far took the extraction run with their cleaning", reused)
        progress.advance(len(found))
        mentions: list[Mention] = []
        facts: dict[str, list[FactClaim]] = {}
        rejected: list[Rejected] = []
        by_article: dict[str, list[Mention]] = {a.article_id: [] for a in part if a.article_id not in found}
        for mention in result.mentions:
            by_article[mention.article_id].append(mention)
        for article in part:
            aid = article.article_id
            if aid in found:
                piece = found[aid]
                mentions += piece.mentions
                rejected += piece.rejected
                if piece.facts is not None:
                    facts[aid] = piece.facts
            else:
                mentions += by_article[aid]
                rejected += [r for r in result.rejected if r.item_id == aid]
                if aid in result.facts:
                    facts[aid] = result.facts[aid]
        rejected += [r for r in result.rejected if r.item_id not in by_article]
        yield ExtractedPart([a.article_id for a in part], mentions, facts, rejected)


class MergeFailed(SitrepError):
    """Merging a batch raised; its articles stay pending, so `sitrep resume` can try them again."""


def _sane_records(items: Iterable[RawArticle | Rejected]) -> Iterator[RawArticle | Rejected]:
    for item in items:
        # lone surrogates and NUL replaced before anything hashes or parses
        yield item if isinstance(item, Rejected) else sane_raw(item)


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
    store: PipelineStore,
    settings: Settings,
    *,
    extract: bool = True,
    progress: Progress | None = None,
    on_rejected: Callable[[Rejected], None] | None = None,
    extraction: Extraction | None = None,
) -> IngestSummary:
    """Read, clean and store every article in `sources`; then extract, merge and store their events.

    Each article is written in its own transaction, so a bad record never costs a good one. The
    extraction and merge cover every article with pending work, those an interrupted earlier run
    left included; with `sources` empty that is all the run does (`sitrep resume`). `extraction`
    says where extraction runs (`SerialExtraction`, in this process, by default); the result is
    the same wherever it runs.
    """
    from sitrep.ingest import count_records, read_sources

    progress = progress or _Silent()
    progress.start("read", count_records(sources))
    raws = read_sources(sources, settings.ingest)
    return ingest_articles(
        raws,
        store,
        settings,
        label=list(sources),
        extract=extract,
        progress=progress,
        on_rejected=on_rejected,
        extraction=extraction,
    )


def ingest_articles(
    raws: Iterable[RawArticle | Rejected],
    store: PipelineStore,
    settings: Settings,
    *,
    label: Sequence[str] = (),
    extract: bool = True,
    progress: Progress | None = None,
    on_rejected: Callable[[Rejected], None] | None = None,
    on_stored: Callable[[Article, str], None] | None = None,
    backfill: bool = True,
    extraction: Extraction | None = None,
) -> IngestSummary:
    """Clean and store `raws` (already read: `sitrep watch` fetches its own), then extract and merge.

    `label` names the run's sources in the store; `on_stored(article, outcome)` is called after the
    transaction that stored the article with its partition (outcome "added", "duplicate" or
    "revision"). The summary lists the
    articles added or revised (`changed`) and the events that cite them after the merge
    (`touched_events`): what later steps (watch rules) look at, whatever the size of the store.
    `backfill=False` skips looking for stored articles that lack neighbour rows (a query over the
    articles table): `sitrep watch` looks once per process, not every round. `extraction` says where
    extraction runs (`SerialExtraction`, in this process, by default); the result is the same
    wherever it runs.
    """
    from sitrep.resolve import StoredCopyIndex

    progress = progress or _Silent()
    run_id = store.start_run(list(label))
    summary = IngestSummary(run_id=run_id)
    changed = summary.changed
    backend = extraction or SerialExtraction()
    stages = StageConfig.of(settings)
    size = max(1, settings.extract.partition_size)
    # Neighbour rows stored with their article (ids, and by url: a revision may match by url),
    # and extractions run ahead, waiting for their batch.
    indexed: dict[str, str | None] = {}
    held: dict[str, _Held] = {}

    def record_rejection(bad: Rejected) -> None:
        summary.rejections.append(bad)
        store.add_rejections([bad], summary.run_id)
        progress.advance(1)
        if on_rejected:
            on_rejected(bad)

    def raw_parts() -> Iterator[RawPart]:
        ahead = AHEAD_MAX if extract and backend.extracts_ahead else 0
        records = _sane_records(raws)
        while part := list(itertools.islice(records, size)):
            yield RawPart(part, extract=ahead > 0, neighbours=extract)
            ahead -= len(part)

    for cleaned in backend.clean(raw_parts(), stages):
        # The partition's articles in one transaction, each added one with its neighbour rows (those
        # of this text and date: it is stored as it is).
        good = [(item, rows) for item, rows in zip(cleaned.items, cleaned.rows, strict=True)
                if not isinstance(item, Rejected)]  # fmt: skip
        outcomes = iter(store.add_articles([(item, _index_rows(item, rows)) for item, rows in good]))
        for item, rows in zip(cleaned.items, cleaned.rows, strict=True):
            if isinstance(item, Rejected):
                record_rejection(item)
                continue
            outcome = next(outcomes)
            if outcome == "added":
                summary.ingested += 1
                changed.append(item.article_id)
                if rows is not None:
                    indexed[item.article_id] = item.url
            elif outcome == "revision":
                summary.revisions += 1
                changed.append(item.article_id)
                # The stored article (this id, or the one with this url) keeps some old fields:
                # its rows are made from the store, below.
                for aid in [
                    aid for aid, url in indexed.items() if aid == item.article_id or (url and url == item.url)
                ]:
                    del indexed[aid]
            else:
                summary.duplicates += 1
            if on_stored:
                on_stored(item, outcome)
            progress.advance(1)
        if cleaned.ahead is not None:
            articles = {a.article_id: a for a in cleaned.items if isinstance(a, Article)}
            _hold(cleaned.ahead, [articles[aid] for aid in cleaned.ahead.article_ids], held)
    work: list[str] = []
    if extract:
        # Pending work: this run's articles first, in the order read, then what earlier runs left.
        pending = store.pending_work()
        todo = list(dict.fromkeys([*changed, *pending]))
        backlog = index_articles(store, [aid for aid in todo if aid not in indexed], backfill=backfill)
        # Undated articles get a stand-in date from their most similar dated neighbour; when it
        # moves, their events are extracted again (order-free: see resolve/dating.py). Only the
        # undated articles that share a term with the articles just indexed can move.
        moved = refresh_publication_estimates(store, [*todo, *backlog])
        if moved:
            pending = store.pending_work()  # a moved estimate sets the article's work to extract
        work = [aid for aid in dict.fromkeys([*changed, *moved, *pending]) if aid in pending]
    if extract and work:
        copy_index = StoredCopyIndex(store)  # candidates through the stored band keys; one per run
        batches = [work[start : start + EXTRACT_BATCH] for start in range(0, len(work), EXTRACT_BATCH)]
        loaded: dict[int, list[Article]] = {}

        def articles_of(k: int) -> list[Article]:
            if k not in loaded:
                loaded[k] = list(store.iter_articles(batches[k]))
            return loaded[k]

        def parts_of(k: int) -> list[list[Article]]:
            todo = [a for a in articles_of(k) if pending[a.article_id] != "merge"]
            return [todo[start : start + size] for start in range(0, len(todo), size)]

        # One stream of partitions over every batch, so a backend can extract the next batch's
        # partitions while this process stores and merges the batch before it.
        progress.start("extract", len(work))
        every_part = (part for k in range(len(batches)) for part in parts_of(k))
        extracted = _with_held(every_part, held, backend, stages, progress)
        for k, ids in enumerate(batches):
            batch = articles_of(k)
            merged_only = {aid for aid in ids if pending[aid] == "merge"}
            progress.start("extract")  # a batch's merge phase came in between
            update_events(
                batch, store, settings, summary, copy_index, merged_only, progress,
                extracted=itertools.islice(extracted, len(parts_of(k))),
            )  # fmt: skip
            loaded.pop(k, None)
    store.finish_run(
        run_id,
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


@overload
def _index_rows(article: Article, rows: NeighbourRows) -> IndexRows: ...
@overload
def _index_rows(article: Article, rows: None) -> None: ...
def _index_rows(article: Article, rows: NeighbourRows | None) -> IndexRows | None:
    """`put_neighbour_rows`'s (terms, dated, MinHash, band keys) of `article`, from its `rows`."""
    if rows is None:
        return None
    return rows.terms, not _is_undated(article.published, article.published_from), rows.minhash, rows.bands


def index_articles(store: PipelineStore, ids: Sequence[str], *, backfill: bool = True) -> list[str]:
    """Store the neighbour rows (terms, MinHash, band keys) of the articles `ids` and of any stored
    article that lacks them (stored before migration 0003); return the ids of the latter, whose
    neighbours this run must then look at too."""

    def index(batch: Sequence[str]) -> None:
        for article in store.iter_articles(batch):
            store.put_neighbour_rows(article.article_id, *_index_rows(article, neighbour_rows(article.text)))

    for start in range(0, len(ids), EXTRACT_BATCH):
        index(ids[start : start + EXTRACT_BATCH])
    backlog: list[str] = []
    while backfill and (batch := store.unindexed_article_ids(EXTRACT_BATCH)):
        index(batch)
        backlog += batch
    return backlog


def refresh_publication_estimates(store: PipelineStore, ids: Sequence[str]) -> list[str]:
    """Re-estimate the stand-in dates that the (indexed) articles `ids` can move; return those moved.

    An undated article among `ids`, or one whose date was borrowed from one of `ids` (its text may
    have changed), is estimated afresh from its indexed neighbours. For any other undated article,
    a dated article of `ids` can only take over as its neighbour, and only if it is at least as
    similar as the neighbour it has: one indexed query per dated article finds those. So the result
    equals estimating the whole store at once, at a cost that follows the new articles.
    """
    from sitrep.resolve import best_neighbour, dating

    least = dating.MIN_SIMILARITY  # read at call time, so tests/eval/loto.py can vary it
    meta = store.article_meta(ids)
    afresh = set(store.estimated_from(ids))
    challengers: dict[str, dict[str, float]] = {}  # undated id -> {dated id of this run: similarity}
    for article_id, info in sorted(meta.items()):
        if _is_undated(info.published, info.published_from):
            afresh.add(article_id)
            continue
        # the database drops pairs far below the minimum; rounding decides at the edge
        for other, score in store.neighbour_scores(article_id, False, minimum=least - 1e-6).items():
            if round(score, 9) >= least:
                challengers.setdefault(other, {})[article_id] = score
    moved: list[str] = []
    for article_id, info in sorted(store.article_meta(afresh | set(challengers)).items()):
        if not _is_undated(info.published, info.published_from):
            continue
        basis = _basis(info.published_from)
        if article_id in afresh or basis is None:
            found = _best_dated_neighbour(store, article_id)
        else:  # the neighbour it has against this run's dated articles like it
            scores = store.neighbour_scores(article_id, True, among={basis, *challengers[article_id]})
            found = best_neighbour(scores, store.own_dates(scores), least)
        new_date, new_basis = found if found is not None else (None, None)
        if (info.published, basis) != (new_date, new_basis):
            store.set_published_estimate(article_id, new_date, new_basis)
            moved.append(article_id)
    return moved


BEST_FIRST = 16  # neighbours read at first when only the best counts


def _best_dated_neighbour(store: PipelineStore, article_id: str) -> tuple[dt.date, str] | None:
    """`best_neighbour` over every dated article sharing a term with `article_id`, reading only the
    best-scoring few: a story's articles may share terms with thousands, and only the best counts.

    Exact: when fewer than asked come back they are all there is; when the best found scores above
    the lowest read (beyond rounding) no article left unread can beat or tie it; otherwise (copies
    of one wire story score alike) one more query reads every article scoring within rounding of
    the best found, which holds any that could tie it. At most two queries: the database sums
    every posting whatever LIMIT says, so reading four times more each time (as before) summed
    them three or four times for a story with many copies; reading all above the minimum at once
    returned thousands of rows at 100k stored articles (a 10-article run 8-9 s -> 11-14 s).
    """
    from sitrep.resolve import best_neighbour, dating

    least = dating.MIN_SIMILARITY
    scores = store.neighbour_scores(article_id, True, minimum=least - 1e-6, limit=BEST_FIRST)
    found = best_neighbour(scores, store.own_dates(scores), least)
    if len(scores) < BEST_FIRST:
        return found
    lowest = round(min(scores.values()), 9)
    if found is not None and round(scores[found[1]], 9) > lowest + 2e-9:
        return found
    floor = round(scores[found[1]], 9) - 2e-9 if found is not None else least - 1e-6
    scores = store.neighbour_scores(article_id, True, minimum=floor)
    return best_neighbour(scores, store.own_dates(scores), least)


def _is_undated(published: dt.date | None, published_from: str | None) -> bool:
    """Whether an article's own date is unknown (it has none, or only an estimate)."""
    return published is None or _basis(published_from) is not None


def _basis(published_from: str | None) -> str | None:
    origin = published_from or ""
    return origin.split(":", 1)[1] if origin.startswith("estimated:") else None


def extract_mentions(
    articles: Sequence[Article], settings: Settings, progress: Progress | None = None
) -> tuple[list[Mention], list[Rejected]]:
    """Run extraction and geocoding over `articles`; return the mentions and any rejections.

    When the batch raises, each article is run on its own and the ones that raise are rejected
    (reason `crash`): one bad article never costs the others.
    """
    return _extract_mentions(articles, StageConfig.of(settings), progress)


def _extract_mentions(
    articles: Sequence[Article], stages: StageConfig, progress: Progress | None = None
) -> tuple[list[Mention], list[Rejected]]:
    extractor, geocoder = stages.stages()
    silent = _Silent()

    def run(some: Sequence[Article], counter: Progress) -> tuple[list[Mention], list[Rejected]]:
        mentions: list[Mention] = []
        rejected: list[Rejected] = []
        for item in extractor(_counted(some, counter)):
            (rejected if isinstance(item, Rejected) else mentions).append(item)
        return list(geocoder(mentions)), rejected

    try:
        return run(articles, progress or silent)
    except Exception:  # find the article it was, below (progress already counted some: not again)
        log.info("extraction raised on a batch of %d articles: running them one by one", len(articles))
    mentions: list[Mention] = []
    rejected: list[Rejected] = []
    for article in articles:
        try:
            one, bad = run([article], silent)
        except Exception as error:  # this article only
            rejected.append(crash_rejection(article.article_id, extractor.name, error, article.source))
        else:
            mentions += one
            rejected += bad
    return mentions, rejected


def _counted(articles: Iterable[Article], progress: Progress) -> Iterator[Article]:
    """Yield `articles`, advancing `progress` as the extractor takes each (it works in small batches)."""
    for article in articles:
        yield article
        progress.advance(1)


def update_events(
    articles: Sequence[Article],
    store: PipelineStore,
    settings: Settings,
    summary: IngestSummary,
    copy_index: Any | None = None,
    merged_only: Iterable[str] = (),
    progress: Progress | None = None,
    extracted: Iterable[ExtractedPart] | None = None,
) -> None:
    """Extract `articles`, store their mentions and facts, and re-merge only what they can reach.

    `extracted` gives the extraction of the articles to extract (all but `merged_only`), partition
    by partition, when a backend ran it; without it they are extracted here, in this process.

    What is re-merged is what the new mentions, the articles' earlier mentions (a revision) and
    those of any stored article whose `copy_of` just changed can link with (`merge_reached`), so
    the result equals merging the whole store at once (docs/merging.md). Articles of
    `merged_only` already have their mentions stored (an interrupted run): their blocks are
    re-merged whole. At the end every article's work is done, or failed where extraction crashed.
    """
    from sitrep.resolve import StoredCopyIndex, find_copies

    progress = progress or _Silent()
    index = copy_index if copy_index is not None else StoredCopyIndex(store)
    copies = find_copies(articles, index=index, threshold=settings.resolve.copy_threshold)
    # A group's members come back every time one joins: only labels that change are written. All
    # are re-merged with the batch, as before: with the group's stored mentions among the changed
    # ones, `reach` need not find them one probe at a time (measured: 5.4 s against 15 s of a
    # 2,000-article run of 41 stories' copies).
    stored = store.copy_origins(copies)
    relabelled = [copy_id for copy_id, original in copies.items() if stored.get(copy_id) != original]
    for copy_id in relabelled:
        store.set_copy_of(copy_id, copies[copy_id])
    summary.copies += len(relabelled)
    skip = set(merged_only)
    to_extract = [a for a in articles if a.article_id not in skip]
    published = {a.article_id: a.published for a in articles}
    # Earlier mentions of these articles (a revision, or stored by an interrupted run) and of
    # re-labelled copies must be re-merged too: read before this batch stores any.
    every = [a.article_id for a in articles]
    previous = store.mentions_for_articles([*every, *(c for c in copies if c not in published)])
    previous_events = store.event_members(m.mention_id for m in previous)
    if extracted is None:
        size = max(1, settings.extract.partition_size)
        parts = [to_extract[start : start + size] for start in range(0, len(to_extract), size)]
        extracted = SerialExtraction().map(parts, StageConfig.of(settings), progress)
    by_id = {a.article_id: a for a in to_extract}
    mentions: list[Mention] = []
    for part in extracted:
        mentions += _store_part(part, [by_id[aid] for aid in part.article_ids], store, summary, published)
    progress.advance(len(skip & set(published)))  # merged only: nothing to extract
    if skip & set(published):
        # An interrupted run stored these mentions and lost the versions they replaced: re-merge
        # their blocks whole, which needs no old versions (the store's events keyed there go).
        merged = _merge_blocks(store, settings, summary, [*mentions, *previous], progress)
    elif mentions or previous:
        merged = merge_reached(
            store, settings, summary, [*every, *copies], previous, previous_events, progress
        )
    else:
        merged = []
    batch_ids = set(every)
    summary.touched_events.update(
        e.event_id for e in merged if any(m.article_id in batch_ids for m in e.mentions)
    )
    summary.mentions += len(mentions)
    store.set_work([*every, *copies], "done", only_from="merge")


def _merge_failed(what: str, error: Exception) -> MergeFailed:
    return MergeFailed(
        f"merging {what} failed: {type(error).__name__}: {error}",
        "their articles stay pending; `sitrep resume` tries again (`--debug` shows where)",
    )


def merge_reached(
    store: PipelineStore,
    settings: Settings,
    summary: IngestSummary,
    article_ids: Sequence[str],
    previous: Sequence[Mention],
    previous_events: Mapping[str, Sequence[str]],
    progress: Progress,
) -> list[Event]:
    """Re-merge what the stored mentions of `article_ids` (new, revised or re-labelled copies) and
    the versions they replaced (`previous`, cited by the events `previous_events`, both read before
    the new versions were stored) can reach (`sitrep.resolve.reach`), and replace the stored events
    it met: the same events as a merge of the whole store, read through indexes."""
    from sitrep.resolve import merge_mentions, reach

    window_days, threshold = settings.resolve.window_days, settings.resolve.merge_threshold
    progress.start("merge", 1)
    try:
        current = store.mentions_for_articles(article_ids)
        reached, replaced = reach(
            current, previous, store, old_events=previous_events, threshold=threshold, window_days=window_days
        )
        copy_map = store.copy_origins({m.article_id for m in reached})
        events = merge_mentions(reached, copy_map, threshold=threshold, window_days=window_days)
    except Exception as error:
        raise _merge_failed(f"{len(article_ids)} articles' mentions", error) from error
    store.replace_merged_events(replaced, events)
    progress.advance(1)
    summary.events += len(events)
    log.info(
        "merged %d reached mentions into %d events (%d replaced)", len(reached), len(events), len(replaced)
    )
    return events


def _merge_blocks(
    store: PipelineStore,
    settings: Settings,
    summary: IngestSummary,
    changed: Sequence[Mention],
    progress: Progress,
) -> list[Event]:
    """Re-merge the blocks of `changed` whole (`plan_update`, `blocks_to_load`: docs/merging.md)."""
    from sitrep.resolve import blocks_to_load, plan_update
    from sitrep.resolve import update_events as merge_blocks

    keys = plan_update(changed)
    if not keys:
        return []
    progress.start("merge", len(keys))
    block_mentions = store.mentions_for_blocks(blocks_to_load(keys))
    copy_map = store.copy_origins({m.article_id for m in block_mentions})
    try:
        events = merge_blocks(
            block_mentions,
            keys,
            copy_map,
            threshold=settings.resolve.merge_threshold,
            window_days=settings.resolve.window_days,
        )
    except Exception as error:
        raise _merge_failed(f"{len(keys)} blocks", error) from error
    store.replace_events(keys, events)
    progress.advance(len(keys))
    summary.events += len(events)
    log.info("merged %d mentions into %d events over %d blocks", len(block_mentions), len(events), len(keys))
    return events


def _store_part(
    part: ExtractedPart,
    articles: Sequence[Article],
    store: PipelineStore,
    summary: IngestSummary,
    published: dict[str, Any],
) -> list[Mention]:
    """Store the fact claims and mentions of one extracted partition; return the mentions (blocks
    assigned). An article extraction crashed on keeps no mentions or facts, and its work becomes failed.
    """
    from sitrep.resolve import assign_blocks

    rejected = part.rejected
    failed = {r.item_id for r in rejected if r.reason == "crash" and r.item_id is not None}
    if rejected:
        store.add_rejections(rejected, summary.run_id)
        summary.rejections.extend(rejected)
    mentions = assign_blocks([m for m in part.mentions if m.article_id not in failed], published)
    by_article: dict[str, list[Mention]] = {a.article_id: [] for a in articles}
    for mention in mentions:
        by_article[mention.article_id].append(mention)
    for article in articles:
        aid = article.article_id
        # Facts first: storing the mentions moves the article's work on to "merge".
        store.replace_fact_claims(aid, part.facts.get(aid, []) if aid not in failed else [])
        store.replace_mentions(aid, by_article[aid])  # a failed article keeps no mentions
    if failed:
        store.set_work(failed, "failed")
    return mentions


def resume(
    store: PipelineStore,
    settings: Settings,
    *,
    progress: Progress | None = None,
    on_rejected: Callable[[Rejected], None] | None = None,
    extraction: Extraction | None = None,
) -> IngestSummary:
    """Finish the work interrupted runs left in `store` (`sitrep resume`): extract and merge it."""
    return ingest_sources(
        [], store, settings, progress=progress, on_rejected=on_rejected, extraction=extraction
    )


def load_settings_for_bench() -> Settings:
    """Default settings with no database side effects (benchmarks build their own stores)."""
    from sitrep.config import load_settings

    return load_settings()
