"""Nothing lost: a run killed with SIGKILL is finished by the next `sitrep ingest` or `sitrep resume`,
and a crash on one article rejects that article while the run goes on.

The kill test runs `sitrep ingest` in a subprocess, kills it at several points (while articles are
stored, while mentions are stored, at a seeded random moment), finishes the work and compares the
store with a clean run's: counts of articles, mentions, events and facts, and the JSON Lines export.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from sitrep.cli.main import cli
from sitrep.model import Article
from sitrep.store import open_store

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "articles.jsonl"
SITREP = (sys.executable, "-c", "from sitrep.cli.main import main; main()")
COUNTED = ("articles", "mentions", "events", "facts", "copies", "failed_articles")


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def repeated_samples(path: Path, copies: int) -> Path:
    """The bundled samples (written for this project) repeated with distinct ids and texts."""
    base = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    with path.open("w", encoding="utf-8") as fh:
        for copy in range(copies):
            for record in base:
                if copy:
                    record = {**record, "id": f"{record['id']}~{copy}", "url": None,
                              "text": f"Copy {copy}: {record['text']}"}  # fmt: skip
                fh.write(json.dumps(record) + "\n")
    return path


def snapshot(url: str, out: Path) -> dict[str, Any]:
    """Counts, the JSON Lines export (events, their ids, every source's claims, discrepancies) and
    the stated facts of the store at `url`."""
    with open_store(url) as store:
        stats = store.stats()
    invoke("export", "--db", url, "--format", "jsonl", "-o", str(out))
    return {
        "counts": {key: stats[key] for key in COUNTED},
        "pending": stats["pending_extract"] + stats["pending_merge"],
        "export": out.read_text(encoding="utf-8"),
        "facts": json.loads(invoke("facts", "--db", url, "--json")),
    }


def progress(engine: sa.Engine) -> dict[str, int]:
    """What a running ingest has stored so far (zeros before its schema exists)."""
    queries = {
        "articles": "SELECT count(*) FROM articles",
        "mentions": "SELECT count(*) FROM mentions",
        "events": "SELECT count(*) FROM events",
    }
    try:
        with engine.connect() as connection:
            return {key: int(connection.exec_driver_sql(q).scalar_one()) for key, q in queries.items()}
    except sa.exc.DBAPIError:
        return dict.fromkeys(queries, 0)


def kill_when(url: str, corpus: Path, ready: Callable[[dict[str, int], float], bool]) -> bool:
    """Start `sitrep ingest corpus` and SIGKILL it once `ready(progress, seconds)`; True if killed."""
    child = subprocess.Popen([*SITREP, "ingest", str(corpus), "--db", url, "-q"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    start = time.monotonic()
    try:
        while child.poll() is None:
            if ready(progress(engine), time.monotonic() - start):
                child.kill()
                child.wait()
                return True
            time.sleep(0.005)
        return False
    finally:
        engine.dispose()
        if child.poll() is None:
            child.kill()
            child.wait()


def test_killed_ingest_is_finished_by_ingest_again_or_resume(
    store_url_factory: Callable[[str], str], tmp_path: Path
) -> None:
    corpus = repeated_samples(tmp_path / "corpus.jsonl", copies=4)
    clean = store_url_factory("clean")
    invoke("ingest", str(corpus), "--db", clean, "-q")
    reference = snapshot(clean, tmp_path / "clean.jsonl")
    assert reference["counts"]["events"] > 0
    assert reference["pending"] == 0
    moment = random.Random(7).uniform(3.0, 6.0)
    points: dict[str, Callable[[dict[str, int], float], bool]] = {
        "storing articles": lambda seen, _: seen["articles"] >= 5,
        "storing mentions": lambda seen, _: seen["mentions"] > 0,
        "a random moment": lambda _, seconds: seconds >= moment,
    }
    left_pending = 0
    for n, (name, ready) in enumerate(points.items()):
        url = store_url_factory(f"killed-{n}")
        killed = kill_when(url, corpus, ready)
        with open_store(url) as store:
            pending = store.stats()["pending_extract"] + store.stats()["pending_merge"]
        left_pending += killed and pending > 0
        if n % 2:
            invoke("resume", "--db", url, "-q")
        else:
            invoke("ingest", str(corpus), "--db", url, "-q")  # the same command again
        finished = snapshot(url, tmp_path / f"killed-{n}.jsonl")
        assert finished["counts"] == reference["counts"], name
        assert finished["pending"] == 0, name
        assert finished["export"] == reference["export"], name
    assert left_pending >= 1  # at least one kill really interrupted work


def test_crash_on_one_article_rejects_it_and_the_run_goes_on(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitrep.clean import CleanArticles
    from sitrep.extract import ExtractEvents

    corpus = repeated_samples(tmp_path / "corpus.jsonl", copies=1)
    real_extract, real_clean = ExtractEvents.__call__, CleanArticles.clean_one

    def extract(self: Any, articles: Any) -> Any:
        articles = list(articles)  # an iterable: read it once
        for article in articles:
            if article.article_id == "sample-002":
                raise RuntimeError("a bug that only this article finds")
        return real_extract(self, articles)

    def clean(self: Any, raw: Any, changes: Any = None) -> Article | Any:
        if raw.article_id == "sample-003":
            raise ValueError("a cleaning bug")
        return real_clean(self, raw, changes)

    monkeypatch.setattr(ExtractEvents, "__call__", extract)
    monkeypatch.setattr(CleanArticles, "clean_one", clean)
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--db", store_url])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    with open_store(store_url) as store:
        rejected = {r.item_id: r for r in store.list_rejections()}
        stats = store.stats()
        mentions = {m.article_id for m in store.iter_mentions()}
    assert rejected["sample-002"].reason == "crash"
    assert "RuntimeError" in rejected["sample-002"].detail
    assert rejected["sample-003"].reason == "crash"
    assert rejected["sample-003"].line == 3
    assert stats["articles"] == 5
    assert stats["failed_articles"] == 1
    assert stats["pending_merge"] == 0
    assert "sample-002" not in mentions
    assert {"sample-001", "sample-004"} <= mentions
    assert stats["events"] > 0
