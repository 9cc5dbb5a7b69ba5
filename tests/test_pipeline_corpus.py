"""End to end on the real dev corpus (read from ../shared at run time): ingest, export, score."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli.main import cli
from tests.corpus import ARTICLES, require_corpus

pytestmark = [pytest.mark.corpus, pytest.mark.model]
GATE = Path(__file__).resolve().parent / "eval" / "gate.py"


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def dev_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Ingest the dev corpus once into a fresh SQLite file; export events and articles."""
    require_corpus()
    tmp = tmp_path_factory.mktemp("dev")
    db = f"sqlite:///{tmp / 'dev.db'}"
    first = run_cli("ingest", str(ARTICLES), "--db", db)
    second = run_cli("ingest", str(ARTICLES), "--db", db)
    events = tmp / "events.jsonl"
    articles = tmp / "articles.jsonl"
    assert run_cli("export", "--db", db, "--format", "jsonl", "-o", str(events))[0] == 0
    assert run_cli("export", "--db", db, "--articles", "-o", str(articles))[0] == 0
    return {"db": tmp / "dev.db", "first": first, "second": second, "events": events, "articles": articles}


def test_ingest_dev_corpus_stores_41_and_rejects_none(dev_run: dict[str, object]) -> None:
    code, _, err = dev_run["first"]  # type: ignore[misc]
    assert code == 0
    assert "41 ingested, 0 duplicates, 0 rejected" in err


def test_ingest_dev_corpus_twice_stores_nothing_new(dev_run: dict[str, object]) -> None:
    code, _, err = dev_run["second"]  # type: ignore[misc]
    assert code == 0
    assert "0 ingested, 41 duplicates, 0 rejected" in err
    with sqlite3.connect(dev_run["db"]) as conn:  # type: ignore[arg-type]
        assert conn.execute("select count(*) from articles").fetchone()[0] == 41


def test_export_articles_carries_ids_and_clean_text(dev_run: dict[str, object]) -> None:
    lines = Path(dev_run["articles"]).read_text(encoding="utf-8").splitlines()  # type: ignore[arg-type]
    records = {r["id"]: r for r in map(json.loads, lines)}
    assert len(records) == 41
    assert set(next(iter(records.values()))) == {
        "id",
        "url",
        "outlet",
        "published",
        "language",
        "title",
        "text",
    }
    seed = records["seed-001"]["text"]
    for phrase in ("President Emomali Rahmon", "bilateral ties", "Shamsiddin Shohin", "Dushanbe"):
        assert phrase in seed
    assert "ogimageimage-name" not in seed


def test_every_exported_quote_equals_its_article_span(dev_run: dict[str, object]) -> None:
    texts = {
        r["id"]: r["text"]
        for r in map(json.loads, Path(dev_run["articles"]).read_text(encoding="utf-8").splitlines())  # type: ignore[arg-type]
    }
    events = [json.loads(line) for line in Path(dev_run["events"]).read_text(encoding="utf-8").splitlines()]  # type: ignore[arg-type]
    assert events, "the dev corpus produced no events"
    checked = 0
    for event in events:
        for source in event["sources"]:
            assert texts[source["article_id"]][source["start"] : source["end"]] == source["quote"], source
            checked += 1
    assert checked >= len(events)


def test_eval_gate_meets_pinned_floors(dev_run: dict[str, object]) -> None:
    result = subprocess.run(
        [sys.executable, str(GATE), "dev", "--events", str(dev_run["events"])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, (
        "dev-corpus quality fell below its floors:\n" + result.stdout + result.stderr
    )
