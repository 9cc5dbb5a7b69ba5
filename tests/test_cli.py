"""The `sitrep` command end to end, on real SQLite files and (when available) a real PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from sitrep.cli.main import cli
from sitrep.store import open_store

GOOD = {
    "id": "good-1",
    "url": "https://example.org/a/1",
    "outlet": "Example Wire",
    "published": "2025-12-25",
    "title": "Border guards report a night clash",
    "text": "DUSHANBE - Border guards said on Wednesday that they fought armed men who crossed the river "
    "at night near a village in the south. Officials said two guards and three intruders died.",
}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write_bad_batch(folder: Path) -> dict[str, Path]:
    """A batch with good records and one of each failure, written fresh by this test."""
    lines = [
        json.dumps(GOOD),
        "{not json at all",
        json.dumps(["a", "list", "not", "an", "object"]),
        json.dumps({**GOOD, "id": "no-text", "text": None}),
        json.dumps({**GOOD, "id": "blank-text", "text": "   "}),
        json.dumps({**GOOD, "id": "good-2", "url": "https://ex.org/2", "text": GOOD["text"] + " More."}),
        json.dumps({**GOOD, "id": "bad-date", "published": "the day after tomorrow"}),
        json.dumps({**GOOD, "id": "good-3", "url": None, "text": "Officials in Kabul said on Monday they "
                    "had spoken with their Tajik counterparts by telephone about border security."}),
    ]  # fmt: skip
    paths = {
        "jsonl": folder / "batch.jsonl",
        "empty": folder / "empty.txt",
        "binary": folder / "picture.txt",
        "undecodable": folder / "latin.txt",
    }
    paths["jsonl"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    paths["empty"].write_bytes(b"")
    paths["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    paths["undecodable"].write_bytes(b"Caf\xe9 owners near the border said \xff\xfe that shops stayed shut.")
    return paths


def test_ingest_bad_batch_reports_each_bad_record_and_keeps_every_good_one(
    store_url: str, tmp_path: Path
) -> None:
    earlier = tmp_path / "earlier.jsonl"
    earlier.write_text(
        json.dumps({**GOOD, "id": "earlier", "url": None, "text": "Earlier report. " * 8}) + "\n"
    )
    assert invoke("ingest", str(earlier), "--db", store_url, "--no-extract").exit_code == 0
    paths = write_bad_batch(tmp_path)
    result = invoke("ingest", *(str(p) for p in paths.values()), "--db", store_url, "--no-extract")
    assert result.exit_code == 0
    rejected = [line for line in result.stderr.splitlines() if line.startswith("rejected:")]
    jsonl = str(paths["jsonl"])
    expected = [f"{jsonl}:2", f"{jsonl}:3", f"{jsonl}:4", f"{jsonl}:5", f"{jsonl}:7"]
    expected += [str(paths["empty"]), str(paths["binary"]), str(paths["undecodable"])]
    for where in expected:
        assert sum(where in line for line in rejected) == 1, (where, rejected)
    assert len(rejected) == len(expected)
    assert "3 ingested, 0 duplicates, 8 rejected" in result.stderr
    store = open_store(store_url)
    try:
        ids = {a.article_id for a in store.iter_articles()}
        assert ids == {"earlier", "good-1", "good-2", "good-3"}
        assert len(store.list_rejections()) == 8
    finally:
        store.close()


def test_ingest_exits_1_when_nothing_could_be_read(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    result = invoke("ingest", str(empty), "--db", f"sqlite:///{tmp_path / 'x.db'}", "--no-extract")
    assert result.exit_code == 1


def test_ingest_strict_exits_1_on_any_rejection(tmp_path: Path) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(json.dumps(GOOD) + "\n{broken\n")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert invoke("ingest", str(batch), "--db", db, "--no-extract").exit_code == 0
    assert (
        invoke(
            "ingest", str(batch), "--db", f"sqlite:///{tmp_path / 'y.db'}", "--no-extract", "--strict"
        ).exit_code
        == 1
    )


def test_ingest_same_file_twice_adds_nothing(tmp_path: Path) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(json.dumps(GOOD) + "\n")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    invoke("ingest", str(batch), "--db", db, "--no-extract")
    again = invoke("ingest", str(batch), "--db", db, "--no-extract")
    assert "0 ingested, 1 duplicates, 0 rejected" in again.stderr


def test_ingest_changed_text_at_same_url_is_kept_as_a_revision(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    first.write_text(json.dumps(GOOD) + "\n")
    second.write_text(json.dumps({**GOOD, "text": GOOD["text"] + " The toll was later raised."}) + "\n")
    invoke("ingest", str(first), "--db", db, "--no-extract")
    result = invoke("ingest", str(second), "--db", db, "--no-extract")
    assert "1 revised" in result.stderr
    store = open_store(db)
    try:
        kept = [text for _, text, _ in store.article_revisions("good-1")]
        assert GOOD["text"] in kept  # the earlier text is kept, not overwritten
        assert store.get_article("good-1").text.endswith("later raised.")  # type: ignore[union-attr]
    finally:
        store.close()


def test_unreadable_database_url_is_one_clear_error(tmp_path: Path) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(json.dumps(GOOD) + "\n")
    result = CliRunner().invoke(cli, ["ingest", str(batch), "--db", "nosuchdb://x"])
    assert result.exit_code == 1
    assert "Error:" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_articles_writes_clean_text_records(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    batch = tmp_path / "b.jsonl"
    batch.write_text(json.dumps(GOOD) + "\n")
    invoke("ingest", str(batch), "--db", db, "--no-extract")
    out = tmp_path / "articles.jsonl"
    assert invoke("export", "--db", db, "--articles", "-o", str(out)).exit_code == 0
    record = json.loads(out.read_text())
    assert record["id"] == "good-1"
    assert set(record) == {"id", "url", "outlet", "published", "title", "language", "text"}


def test_stats_json_counts_articles_and_rejections(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    batch = tmp_path / "b.jsonl"
    batch.write_text(json.dumps(GOOD) + "\n{broken\n")
    invoke("ingest", str(batch), "--db", db, "--no-extract")
    figures = json.loads(invoke("stats", "--db", db, "--json").stdout)
    assert figures["articles"] == 1
    assert figures["rejections"] == 1
