"""sitrep.web.cache: rendered pages valid until the store's files change; one rendering per page at once."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from sitrep.web.cache import ResponseCache, sqlite_files


def test_only_sqlite_files_are_watched(tmp_path: Path) -> None:
    assert sqlite_files(f"sqlite:///{tmp_path / 'a.db'}") == (
        str(tmp_path / "a.db"),
        str(tmp_path / "a.db-wal"),
    )
    assert sqlite_files("sqlite://") is None
    assert sqlite_files("postgresql+psycopg://u@h:5432/db") is None
    assert ResponseCache("postgresql+psycopg://u@h:5432/db").token() is None


def test_a_commit_changes_the_token(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("CREATE TABLE t (x)")
    cache = ResponseCache(f"sqlite:///{path}")
    before = cache.token()
    cache.put("k", before, b"old")
    assert cache.get("k", cache.token()) == b"old"
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO t VALUES (1)")
    after = cache.token()
    assert after != before
    assert cache.get("k", after) is None


def test_concurrent_misses_render_once(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    sqlite3.connect(path).close()
    cache = ResponseCache(f"sqlite:///{path}")
    calls: list[int] = []

    def render() -> bytes:
        calls.append(1)
        time.sleep(0.2)
        return b"page"

    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get_or_render("k", render))) for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [b"page"] * 6
    assert len(calls) == 1


def test_uncacheable_stores_render_every_time() -> None:
    cache = ResponseCache("sqlite://")
    calls: list[int] = []
    for _ in range(3):
        cache.get_or_render("k", lambda: calls.append(1) or b"x")
    assert len(calls) == 3


def test_the_cache_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    sqlite3.connect(path).close()
    cache = ResponseCache(f"sqlite:///{path}", max_entries=3)
    token = cache.token()
    for n in range(5):
        cache.put(n, token, b"x" * 10)
    assert [cache.get(n, token) for n in range(5)] == [None, None, b"x" * 10, b"x" * 10, b"x" * 10]
    cache.put("big", token, b"x" * 3_000_000)
    assert cache.get("big", token) is None
