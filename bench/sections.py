"""One benchmark section per process (see bench/run.py); prints one JSON line of figures."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """CPU seconds this process has used (user + system): unlike wall time, other load barely moves it."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def corpus_lines(shared: Path, n: int, corpus: str = "dev") -> list[dict[str, Any]]:
    """A corpus repeated to `n` records; each copy gets its own id and one distinguishing line."""
    base = [
        json.loads(line) for line in (shared / "corpus" / corpus / "articles.jsonl").open(encoding="utf-8")
    ]
    records = []
    for i in range(n):
        record = dict(base[i % len(base)])
        copy = i // len(base)
        if copy:
            record["id"] = f"{record['id']}~{copy}"
            record["url"] = None
            record["text"] = f"Bench copy {copy}: " + record["text"]  # distinct hash, same story
        records.append(record)
    return records


def section_ingest(args: argparse.Namespace) -> dict[str, Any]:
    """`sitrep ingest` over the repeated corpus: store only, end to end, and end to end with
    `--workers 2`; then bare spaCy-sm's full pipeline over the same texts in this same process
    (`n_process` 1 and 2), as the baselines of the ratios."""
    import spacy
    from click.testing import CliRunner

    from sitrep.cli.main import cli
    from sitrep.config import ExtractConfig

    tmp = Path(tempfile.mkdtemp())
    path = tmp / "corpus.jsonl"
    records = corpus_lines(args.shared, args.articles)
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record) + "\n")
    runner = CliRunner()
    start = time.perf_counter()
    result = runner.invoke(
        cli, ["ingest", str(path), "--db", f"sqlite:///{tmp / 'store.db'}", "--no-extract", "-q"]
    )
    store_only_s = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    start = time.perf_counter()
    result = runner.invoke(cli, ["ingest", str(path), "--db", f"sqlite:///{tmp / 'full.db'}", "-q"])
    full_s = time.perf_counter() - start  # includes loading the model and gazetteer once
    assert result.exit_code == 0, result.output
    # The same, extraction on a LocalCluster of two workers (`--workers 2`), in its own process:
    # end to end on both cores, cluster start and the workers' model loads included.
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from sitrep.cli.main import main; main()", "ingest", str(path),
         "--db", f"sqlite:///{tmp / 'workers.db'}", "-q", "--workers", "2"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    workers_s = time.perf_counter() - start
    nlp = spacy.load(ExtractConfig().model)  # bare: tok2vec, tagger, parser, ner, lemmatizer, ...
    texts = [r["text"] for r in records]
    bare: dict[str, float] = {}
    for n_process in (1, 2):
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64, n_process=n_process):
            pass
        bare[f"n_process_{n_process}"] = time.perf_counter() - start
    return {
        "articles": args.articles,
        "store_only_articles_per_s": round(args.articles / store_only_s, 1),
        "end_to_end_articles_per_s": round(args.articles / full_s, 1),
        "end_to_end_2_workers_articles_per_s": round(args.articles / workers_s, 1),
        "bare_spacy_full_pipeline_articles_per_s": {k: round(args.articles / v, 1) for k, v in bare.items()},
        "ratio_end_to_end_to_bare_spacy": round(bare["n_process_1"] / full_s, 2),
        "ratio_2_workers_end_to_end_to_bare_spacy": {k: round(v / workers_s, 2) for k, v in bare.items()},
        "end_to_end_s": round(full_s, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def section_extract(args: argparse.Namespace) -> dict[str, Any]:
    import spacy

    from sitrep.clean import CleanArticles
    from sitrep.config import ExtractConfig
    from sitrep.ingest import read_sources
    from sitrep.model import Article
    from sitrep.pipeline import extract_mentions, load_settings_for_bench

    settings = load_settings_for_bench()
    tmp = Path(tempfile.mkdtemp())
    path = tmp / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for record in corpus_lines(args.shared, args.extract_articles):
            fh.write(json.dumps(record) + "\n")
    articles = [a for a in CleanArticles()(r for r in read_sources([str(path)], settings.ingest) if hasattr(r, "text"))
                if isinstance(a, Article)]  # fmt: skip
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    extract_mentions(articles[:2], settings)  # load model and gazetteer outside the timing
    start = time.perf_counter()
    mentions, _ = extract_mentions(articles, settings)
    ours_s = time.perf_counter() - start
    nlp = spacy.load(ExtractConfig().model)  # the bare full pipeline: tok2vec, tagger, parser, ner, ...
    list(nlp.pipe(texts[:2]))
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    bare_s = time.perf_counter() - start
    return {
        "articles": len(texts),
        "words": words,
        "mentions": len(mentions),
        "sitrep_extract_articles_per_s": round(len(texts) / ours_s, 1),
        "bare_spacy_full_pipeline_articles_per_s": round(len(texts) / bare_s, 1),
        "ratio_sitrep_to_bare_spacy": round(bare_s / ours_s, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def section_languages(args: argparse.Namespace) -> dict[str, Any]:
    """Extraction (and geocoding) of Russian articles beside English ones, in one process: the ru
    corpus and the dev corpus, each repeated to --extract-articles; articles/s and characters/s of
    each, and the Russian reader's speed as a ratio to the English one."""
    from sitrep.clean import CleanArticles
    from sitrep.ingest import read_sources
    from sitrep.model import Article
    from sitrep.pipeline import extract_mentions, load_settings_for_bench

    settings = load_settings_for_bench()
    tmp = Path(tempfile.mkdtemp())
    figures: dict[str, Any] = {}
    for corpus in ("dev", "ru"):
        path = tmp / f"{corpus}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for record in corpus_lines(args.shared, args.extract_articles, corpus):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        raws = (r for r in read_sources([str(path)], settings.ingest) if hasattr(r, "text"))
        articles = [a for a in CleanArticles()(raws) if isinstance(a, Article)]
        chars = sum(len(a.text) for a in articles)
        extract_mentions(articles[:2], settings)  # load models and gazetteer outside the timing
        start = time.perf_counter()
        mentions, _ = extract_mentions(articles, settings)
        took = time.perf_counter() - start
        lang = "en" if corpus == "dev" else "ru"
        figures[f"{lang}_articles"] = len(articles)
        figures[f"{lang}_mentions"] = len(mentions)
        figures[f"{lang}_articles_per_s"] = round(len(articles) / took, 1)
        figures[f"{lang}_kchars_per_s"] = round(chars / took / 1000, 1)
    figures["ratio_ru_to_en_articles_per_s"] = round(
        figures["ru_articles_per_s"] / figures["en_articles_per_s"], 2
    )
    figures["ratio_ru_to_en_chars_per_s"] = round(figures["ru_kchars_per_s"] / figures["en_kchars_per_s"], 2)
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return figures


MENTIONS_PER_ARTICLE = 1000  # synthetic articles carry many mentions: the store needs an article per mention


def synthetic_mentions(n: int, seed: int = 7) -> list[Any]:
    """`n` one-mention events at a steady rate (12 a day), like a store that grows over time.

    At 12 a day even the 1k store spans more than the five months a merge loads around a new
    article (blocks_to_load), so every size is compared at the same local density.
    """
    from sitrep.model import Mention

    rng = random.Random(seed)
    countries = ["TJ", "AF", "KG", "UZ", "PK", "IR", "RU", "CN", "TM", "KZ"]
    types = ["ASSAULT", "ACCUSE", "CONSULT", "REQUEST", "SUPPORT", "MOBILIZE", "THREATEN", "AGREE"]
    day0 = dt.date(2015, 1, 1)
    out = []
    for i in range(n):
        date = day0 + dt.timedelta(days=i // 12)
        etype = rng.choice(types)
        quote = f"Synthetic report {i} of an event."
        article_id = f"syn-{i // MENTIONS_PER_ARTICLE}"
        out.append(
            Mention(
                mention_id=f"{article_id}:{i}:{etype}", article_id=article_id, event_type=etype, quote=quote,
                start=0, end=len(quote), date=date, date_text=date.isoformat(), country=rng.choice(countries),
                actor1=f"Actor {rng.randrange(500)}", actor2=f"Actor {rng.randrange(500)}",
                killed=rng.choice([None, None, 1, 2, 5]) if etype == "ASSAULT" else None, confidence=0.6,
            )
        )  # fmt: skip
    return out


def filled_store(n: int, tmp: Path) -> tuple[Any, list[Any]]:
    """A SQLite store holding `n` synthetic events (merged), each from one mention."""
    from sitrep.model import Article
    from sitrep.resolve import assign_blocks, merge_mentions
    from sitrep.store import open_store

    store = open_store(f"sqlite:///{tmp / f'store-{n}.db'}")
    mentions = synthetic_mentions(n)
    mentions = assign_blocks(mentions, {m.article_id: m.date for m in mentions})
    by_article: dict[str, list[Any]] = {}
    for m in mentions:
        by_article.setdefault(m.article_id, []).append(m)
    for article_id, ms in by_article.items():
        text = "Synthetic article " + article_id
        store.add_article(Article(article_id=article_id, raw_text=text, text=text))
        store.replace_mentions(article_id, ms)
    events = merge_mentions(mentions)
    store.replace_events({m.block_key for m in mentions if m.block_key}, events)
    return store, mentions


MERGE_ARTICLES = 20  # new one-mention articles merged per round and store size
MERGE_ROUNDS = 3  # rounds over all sizes in turn; the median round counts


def section_merge(args: argparse.Namespace) -> dict[str, Any]:
    """The cost of merging one new article (as the pipeline does: store its mention, reach what it
    can link with, merge that, replace the events met) into stores of 1k, 10k and 100k events.

    The sizes take turns, round after round, so a burst of load on the machine hits them alike;
    each round's figure is the median over MERGE_ARTICLES articles, and the median round counts.
    """
    from sitrep.config import load_settings
    from sitrep.model import Article, Mention
    from sitrep.pipeline import IngestSummary, merge_reached
    from sitrep.resolve import assign_blocks

    class Quiet:
        def start(self, phase: str, total: int | None = None) -> None:
            pass

        def advance(self, n: int = 1) -> None:
            pass

    settings = load_settings()
    tmp = Path(tempfile.mkdtemp())
    sizes = [int(s) for s in args.sizes.split(",")]
    stores = {n: filled_store(n, tmp) for n in sizes}
    rounds: dict[int, list[float]] = {n: [] for n in sizes}
    for r in range(MERGE_ROUNDS):
        for n, (store, existing) in stores.items():
            last = existing[-1].date
            timings = []
            for k in range(MERGE_ARTICLES):
                article_id = f"new-{r}-{k}"
                quote = "Border guards clashed with armed men; two were killed."
                new = [
                    Mention(mention_id=f"{article_id}:0:ASSAULT", article_id=article_id, event_type="ASSAULT",
                            quote=quote, start=0, end=len(quote), date=last, country="TJ", killed=2,
                            actor1=f"Actor {k}", confidence=0.7)
                ]  # fmt: skip
                start = time.perf_counter()
                new = assign_blocks(new, {article_id: last})
                previous = store.mentions_for_articles([article_id])
                store.add_article(
                    Article(article_id=article_id, raw_text=quote + article_id, text=quote + article_id)
                )
                store.replace_mentions(article_id, new)
                merge_reached(store, settings, IngestSummary(), [article_id], previous, {}, Quiet())
                timings.append(time.perf_counter() - start)
            rounds[n].append(statistics.median(timings) * 1000)
    for store, _ in stores.values():
        store.close()
    base = min(sizes)
    ratios = [{str(n): rounds[n][r] / rounds[base][r] for n in sizes} for r in range(MERGE_ROUNDS)]
    return {
        "median_ms_per_new_article": {str(n): round(statistics.median(rounds[n]), 2) for n in sizes},
        "ratio_to_smallest": {
            str(n): round(statistics.median(ratio[str(n)] for ratio in ratios), 2) for n in sizes
        },
        "rounds_ms": {str(n): [round(x, 2) for x in rounds[n]] for n in sizes},
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


API_QUERIES: list[dict[str, Any]] = [
    {}, {"country": "TJ"}, {"type": "ASSAULT", "min_killed": 1}, {"since": "2016-01-01", "until": "2016-03-01"},
    {"q": "Actor 42"}, {"bbox": "60,30,80,45"}, {"sort": "-killed", "limit": 50}, {"offset": 500},
]  # fmt: skip
API_REQUESTS = 20  # per query shape and store


def _postgres_server(tmp: Path) -> tuple[str, Path] | None:
    """A throwaway PostgreSQL server (scripts/pgtest.sh): (its URL, its folder), or None without binaries."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp / "pg"
    tmp.chmod(0o755)  # the server runs as `postgres` when we are root: it must reach its folder
    script = Path(__file__).resolve().parents[1] / "scripts" / "pgtest.sh"
    proc = subprocess.run(
        ["bash", str(script), "start", str(folder), str(port)], capture_output=True, text=True
    )
    return (proc.stdout.strip().splitlines()[-1], folder) if proc.returncode == 0 else None


def _postgres_database(server_url: str, name: str) -> str:
    import sqlalchemy as sa

    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    engine.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name


def _serve_and_time(url: str) -> dict[str, Any]:
    """p50/p95 of `/api/events` over real HTTP against the store at `url`, each query shape alike."""
    import httpx
    import uvicorn

    from sitrep.config import load_settings
    from sitrep.web.app import create_app, freeze_startup_heap

    settings = load_settings(database_url=url)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="error"))
    freeze_startup_heap()  # as `sitrep serve` does before serving
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    latencies: list[float] = []
    per_shape: dict[str, list[float]] = {}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        for query in API_QUERIES:  # once each, untimed: the first request opens the store
            assert client.get("/api/events", params=query).status_code == 200
        for i in range(API_REQUESTS * len(API_QUERIES)):
            query = API_QUERIES[i % len(API_QUERIES)]
            # a page size this shape did not use before, so no answer comes from the response cache
            params = {**query, "limit": query.get("limit", 100) + i // len(API_QUERIES)}
            start = time.perf_counter()
            response = client.get("/api/events", params=params)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, response.text
            latencies.append(elapsed)
            per_shape.setdefault(json.dumps(query, sort_keys=True), []).append(elapsed)
    server.should_exit = True
    thread.join()

    def pct(values: list[float], p: float) -> float:
        ordered = sorted(values)
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000, 1)

    return {
        "p50_ms": pct(latencies, 0.5),
        "p95_ms": pct(latencies, 0.95),
        "p50_ms_by_query": {shape: pct(values, 0.5) for shape, values in per_shape.items()},
        "p95_ms_by_query": {shape: pct(values, 0.95) for shape, values in per_shape.items()},
    }


def section_api(args: argparse.Namespace) -> dict[str, Any]:
    """`/api/events` latency over real HTTP at each of `--api-sizes` events (filled in bulk by
    bench/fill.py's fill_events), on SQLite and, where its binaries are installed, PostgreSQL."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fill import fill_events

    tmp = Path(tempfile.mkdtemp())
    sizes = sorted(int(s) for s in args.api_sizes.split(","))
    results: dict[str, Any] = {}
    postgres = _postgres_server(tmp)
    try:
        backends: dict[str, Any] = {"sqlite": lambda n: f"sqlite:///{tmp / f'api-{n}.db'}"}
        if postgres is not None:
            backends["postgresql"] = lambda n: _postgres_database(postgres[0], f"sitrep_api_{n}")
        for backend, make_url in backends.items():
            figures: dict[str, Any] = {}
            for n in sizes:
                url = make_url(n)
                start = time.perf_counter()
                fill_events(url, n)
                figures[str(n)] = {"fill_s": round(time.perf_counter() - start, 1), **_serve_and_time(url)}
                if backend == "sqlite":
                    (tmp / f"api-{n}.db").unlink()
            small, big = figures[str(sizes[0])], figures[str(sizes[-1])]
            figures["p95_ratio_largest_to_smallest"] = round(big["p95_ms"] / small["p95_ms"], 2)
            results[backend] = figures
    finally:
        if postgres is not None:
            script = Path(__file__).resolve().parents[1] / "scripts" / "pgtest.sh"
            subprocess.run(["bash", str(script), "stop", str(postgres[1])], capture_output=True, check=False)
    return results


NEW_ARTICLES = 10  # per incremental run
INCREMENTAL_REPEATS = 3  # runs per store size, each on a fresh copy of the filled store; the median counts


def section_incremental(args: argparse.Namespace) -> dict[str, Any]:
    """`NEW_ARTICLES` new articles into stores of each size (background articles with their neighbour
    rows, mentions and events, filled in bulk): wall time and peak RSS of each run, in its own process."""
    import shutil

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fill import fill_store, sentence_pool

    dev = [json.loads(line) for line in (args.shared / "corpus" / "dev" / "articles.jsonl").open()]
    pool = sentence_pool([r["text"] for r in dev])
    new = dev[:: max(1, len(dev) // NEW_ARTICLES)][:NEW_ARTICLES]  # dated and undated, several stories
    tmp = Path(tempfile.mkdtemp())
    batch = tmp / "new.jsonl"
    batch.write_text("".join(json.dumps(r) + "\n" for r in new), encoding="utf-8")
    figures: dict[str, Any] = {
        "new_articles": len(new),
        "undated_new": sum(1 for r in new if not r.get("published")),
    }
    for n in [int(s) for s in args.sizes.split(",")]:
        template = tmp / f"filled-{n}.db"
        start = time.perf_counter()
        fill_store(f"sqlite:///{template}", n, pool, before=dt.date(2025, 11, 20))
        fill_s = time.perf_counter() - start
        runs = []
        for k in range(INCREMENTAL_REPEATS):
            db = tmp / f"run-{n}-{k}.db"
            shutil.copy(template, db)
            proc = subprocess.run(
                [sys.executable, __file__, "incremental_run", "--db", f"sqlite:///{db}", "--batch", str(batch)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            db.unlink()
        template.unlink()
        figures[str(n)] = {
            "fill_s": round(fill_s, 1),
            "ingest_s_median": round(statistics.median(r["ingest_s"] for r in runs), 2),
            "process_wall_s_median": round(statistics.median(r["wall_s"] for r in runs), 2),
            "peak_rss_mb_median": round(statistics.median(r["peak_rss_mb"] for r in runs), 1),
            "events_updated": runs[0]["events"],
        }
    sizes = sorted(int(k) for k in figures if k.isdigit())
    small, big = figures[str(sizes[0])], figures[str(sizes[-1])]
    figures["ratio_largest_to_smallest"] = {
        "ingest_s": round(big["ingest_s_median"] / small["ingest_s_median"], 2),
        "process_wall_s": round(big["process_wall_s_median"] / small["process_wall_s_median"], 2),
        "peak_rss_mb": round(big["peak_rss_mb_median"] / small["peak_rss_mb_median"], 2),
    }
    return figures


def section_incremental_run(args: argparse.Namespace) -> dict[str, Any]:
    """One incremental run (a child of section_incremental): load the model and gazetteer first, then
    time `ingest_sources` of the new batch into the filled store."""
    from sitrep.config import load_settings
    from sitrep.model import Article
    from sitrep.pipeline import extract_mentions, ingest_sources
    from sitrep.store import open_store

    wall = time.perf_counter()
    settings = load_settings(database_url=args.db)
    extract_mentions(
        [Article(article_id="warm", raw_text="Guards clashed.", text="Guards clashed.")], settings
    )
    # Imported here, outside the timing like the model: seconds of imports (and regexes compiled at
    # import) on a loaded machine are no part of what a run costs per article.
    import sitrep.clean
    import sitrep.ingest
    import sitrep.resolve  # noqa: F401

    store = open_store(args.db)
    start = time.perf_counter()
    summary = ingest_sources([str(args.batch)], store, settings)
    ingest_s = time.perf_counter() - start
    store.close()
    assert summary.ingested > 0, summary.line()
    return {
        "ingest_s": ingest_s,
        "wall_s": time.perf_counter() - wall,
        "peak_rss_mb": peak_rss_mb(),
        "events": summary.events,
    }


WATCH_FEEDS = 5
WATCH_REPEATS = 5


def section_watch(args: argparse.Namespace) -> dict[str, Any]:
    """A `sitrep watch` round against a loopback feed site (5 feeds): with nothing new (every feed
    answers 304) and with 10 new dev-corpus articles; median of repeated rounds, clock injected."""
    import random
    import statistics as stats

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.watch_servers import FeedSite

    from sitrep.config import Settings
    from sitrep.model import Article
    from sitrep.pipeline import extract_mentions
    from sitrep.store import open_store
    from sitrep.watch.clock import ManualClock
    from sitrep.watch.watcher import Watcher

    dev = [json.loads(line) for line in (args.shared / "corpus" / "dev" / "articles.jsonl").open()]
    site = FeedSite()
    when = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    entries: dict[int, list[tuple[str, str, dt.datetime]]] = {n: [] for n in range(WATCH_FEEDS)}

    def publish(number: int, record: dict[str, Any]) -> None:
        path = f"/article/{number}"
        site.page(
            path, record.get("title") or "untitled", [p for p in record["text"].split("\n") if p.strip()]
        )
        entries[number % WATCH_FEEDS].insert(0, (path, record.get("title") or "untitled", when))

    def refresh_feeds() -> None:
        for n in range(WATCH_FEEDS):
            site.feed(f"/feed/{n}", f"Feed {n}", entries[n])

    tmp = Path(tempfile.mkdtemp())
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'watch.db'}",
        feeds=[{"url": f"{site.base}/feed/{n}", "name": f"f{n}", "interval": 60} for n in range(WATCH_FEEDS)],
        ingest={"allow_private": True},
        watch={"host_delay_s": 0, "refetch_after": []},
        rules=[{"name": "all", "triggers": ["new", "toll_revised", "disagreement"]}],
    )
    warm = Article(article_id="warm", raw_text="Guards clashed.", text="Guards clashed.")
    extract_mentions([warm], settings)  # the model loads once, before anything is timed
    clock = ManualClock(when)
    store = open_store(settings.database_url)
    watcher = Watcher(store, settings, clock, rng=random.Random(1))
    primed = dev[: len(dev) - 10 * (WATCH_REPEATS // 2 + 1)]
    for number, record in enumerate(primed):
        publish(number, record)
    refresh_feeds()
    watcher.run_round()
    quiet: list[float] = []
    busy: list[float] = []
    fresh = iter(enumerate(dev[len(primed) :], start=len(primed)))
    for _ in range(WATCH_REPEATS):
        clock.advance(61)
        start = time.perf_counter()
        report = watcher.run_round()
        quiet.append(time.perf_counter() - start)
        assert report.polling.not_modified == WATCH_FEEDS, report.line()
    for _ in range(WATCH_REPEATS // 2 + 1):
        for _k in range(10):
            number, record = next(fresh)
            publish(number, record)
        refresh_feeds()
        clock.advance(61)
        start = time.perf_counter()
        report = watcher.run_round()
        busy.append(time.perf_counter() - start)
        assert report.ingest.ingested + report.ingest.duplicates == 10, report.line()
    watcher.close()
    store.close()
    # The same nothing-new round over stores of background articles (bench/fill.py): flat?
    from fill import fill_store, sentence_pool

    pool = sentence_pool([r["text"] for r in dev])
    by_size: dict[str, float] = {}
    for n in [int(s) for s in args.sizes.split(",")][:2]:
        url = f"sqlite:///{tmp / f'filled-{n}.db'}"
        fill_store(url, n, pool, before=dt.date(2025, 11, 20))
        filled = open_store(url)
        sized = Watcher(
            filled, settings.model_copy(update={"database_url": url}), clock, rng=random.Random(2)
        )
        clock.advance(61)
        sized.run_round()  # the first round: feeds new to this store, and its backfill check
        times = []
        for _ in range(WATCH_REPEATS):
            clock.advance(61)
            start = time.perf_counter()
            report = sized.run_round()
            times.append(time.perf_counter() - start)
            assert report.polling.not_modified == WATCH_FEEDS, report.line()
        by_size[str(n)] = round(stats.median(times), 4)
        sized.close()
        filled.close()
    site.close()
    quiet_s, busy_s = stats.median(quiet), stats.median(busy)
    sizes = list(by_size)
    return {
        "round_nothing_new_s_by_stored_articles": by_size,
        "ratio_nothing_new_largest_to_smallest": round(by_size[sizes[-1]] / by_size[sizes[0]], 2),
        "feeds": WATCH_FEEDS,
        "stored_before": len(primed),
        "round_nothing_new_s_median": round(quiet_s, 4),
        "round_10_new_s_median": round(busy_s, 3),
        "ratio_10_new_to_nothing_new": round(busy_s / quiet_s, 1),
        "peak_rss_mb": peak_rss_mb(),
    }


SCALE_WORKERS = (1, 2)


def varied_lines(shared: Path, n: int) -> list[dict[str, Any]]:
    """The dev corpus repeated to `n` records, every copy its own article: three fifths of its
    sentences, shuffled and mixed with sentences of another story, its date moved on by five weeks a
    copy. So no copy is a duplicate and few are near-copies (MinHash Jaccard about 0.2-0.4; the copy
    threshold is 0.6), while the words stay real (invented names cost the glue repair more than real
    text does)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fill import _SENTENCE

    base = [
        json.loads(line) for line in (shared / "corpus" / "dev" / "articles.jsonl").open(encoding="utf-8")
    ]
    records = []
    for i in range(n):
        record = dict(base[i % len(base)])
        copy = i // len(base)
        if copy:
            rng = random.Random(i)
            sentences = [m.strip() for m in _SENTENCE.findall(record["text"])] or [record["text"]]
            rng.shuffle(sentences)
            kept = sentences[: max(3, len(sentences) * 3 // 5)]
            other = [m.strip() for m in _SENTENCE.findall(rng.choice(base)["text"])]
            kept += rng.sample(other, min(len(other), len(kept) * 2 // 3))  # another story's sentences
            rng.shuffle(kept)
            record.update(id=f"{record['id']}~{copy}", url=None, text=" ".join(kept))
            if record.get("published"):
                day = dt.date.fromisoformat(str(record["published"])[:10]) + dt.timedelta(days=35 * copy)
                record["published"] = day.isoformat()
        records.append(record)
    return records


def section_scale(args: argparse.Namespace) -> dict[str, Any]:
    """The same varied articles end to end (read, clean, store, extract, merge into a fresh SQLite
    store) in this process and on a LocalCluster of 1 and of 2 workers, each run in its own process;
    then bare spaCy's `nlp.pipe` (the model's full pipeline) over the same texts, in one process and
    with n_process=2, as the baseline of the end-to-end ratio."""
    import spacy

    from sitrep.config import ExtractConfig

    tmp = Path(tempfile.mkdtemp())
    corpus = tmp / "varied.jsonl"
    records = varied_lines(args.shared, args.articles)
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    runs: dict[str, Any] = {}
    for workers in (0, *SCALE_WORKERS):
        proc = subprocess.run(
            [sys.executable, __file__, "scale_run", "--db", f"sqlite:///{tmp / f'scale-{workers}.db'}",
             "--batch", str(corpus), "--workers", str(workers)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        runs["serial" if workers == 0 else f"workers_{workers}"] = json.loads(
            proc.stdout.strip().splitlines()[-1]
        )
    texts = [r["text"] for r in records]
    nlp = spacy.load(ExtractConfig().model)
    bare: dict[str, float] = {}
    for n_process in (1, 2):
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64, n_process=n_process):
            pass
        bare[f"n_process_{n_process}"] = len(texts) / (time.perf_counter() - start)
    rate = {name: run["articles_per_s"] for name, run in runs.items()}
    two = rate["workers_2"]
    return {
        "articles": len(records),
        "copies_found": runs["serial"]["copies"],
        "runs": runs,
        "ratio_2_workers_to_1": round(two / rate["workers_1"], 2),
        "ratio_2_workers_to_serial": round(two / rate["serial"], 2),
        "bare_spacy_full_pipeline_articles_per_s": {k: round(v, 1) for k, v in bare.items()},
        "ratio_2_workers_end_to_end_to_bare_spacy": {k: round(two / v, 2) for k, v in bare.items()},
        "ratio_serial_end_to_end_to_bare_spacy_1": round(rate["serial"] / bare["n_process_1"], 2),
    }


def section_scale_run(args: argparse.Namespace) -> dict[str, Any]:
    """One run of section_scale: `ingest_sources` of the corpus into a fresh store, timed from before
    the cluster starts (and the models load) until everything is stored; peak RSS of the client and
    of each worker."""
    from sitrep.config import load_settings
    from sitrep.pipeline import ingest_sources
    from sitrep.store import open_store

    settings = load_settings(database_url=args.db)
    start, cpu0 = time.perf_counter(), cpu_s()
    backend = None
    if args.workers:
        from sitrep.cluster import DaskExtraction
        from sitrep.pipeline import StageConfig

        backend = DaskExtraction.local(args.workers)
        backend.prepare(StageConfig.of(settings))
    started_s = time.perf_counter() - start
    store = open_store(args.db)
    phases = PhaseClock(start)
    summary = ingest_sources([str(args.batch)], store, settings, progress=phases, extraction=backend)
    wall_s, client_cpu_s = time.perf_counter() - start, cpu_s() - cpu0
    store.close()
    workers_mb: list[float] = []
    workers_cpu: list[float] = []
    if backend is not None:
        workers_mb = sorted(round(v, 1) for v in backend.client.run(peak_rss_mb).values())
        workers_cpu = sorted(round(v, 1) for v in backend.client.run(cpu_s).values())
        backend.close()
    return {
        "articles_per_s": round(summary.ingested / wall_s, 1),
        "wall_s": round(wall_s, 1),
        "cluster_start_s": round(started_s, 2),
        "mentions": summary.mentions,
        "events": summary.events,
        "copies": summary.copies,
        "client_peak_rss_mb": round(peak_rss_mb(), 1),
        "worker_peak_rss_mb": workers_mb,
        "client_cpu_s": round(client_cpu_s, 1),
        "worker_cpu_s": workers_cpu,  # model load included
        "phase_first_started_s": phases.first,
    }


class PhaseClock:
    """Progress that notes when each phase (read, extract, merge) first started, in seconds since `t0`."""

    def __init__(self, t0: float) -> None:
        self.t0 = t0
        self.first: dict[str, float] = {}

    def start(self, phase: str, total: int | None = None) -> None:  # noqa: ARG002 (Progress protocol)
        self.first.setdefault(phase, round(time.perf_counter() - self.t0, 1))

    def advance(self, n: int = 1) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("section")
    parser.add_argument("--db")
    parser.add_argument("--batch", type=Path)
    parser.add_argument("--shared", type=Path)
    parser.add_argument("--articles", type=int)
    parser.add_argument("--extract-articles", type=int)
    parser.add_argument("--sizes")
    parser.add_argument("--api-sizes", default="1000,1000000")
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    figures = globals()[f"section_{args.section}"](args)
    sys.stdout.write(json.dumps(figures) + "\n")


if __name__ == "__main__":
    main()
