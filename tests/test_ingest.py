"""Tests for sitrep.ingest: files, folders, JSON Lines, feeds and URLs (a real HTTP server on loopback)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitrep.config import IngestConfig
from sitrep.ingest import read_sources
from sitrep.model import RawArticle, Rejected

DATA = Path(__file__).parent / "data" / "ingest"
FEED_HOST = "http://feed.example.test"  # placeholder in feed.rss, replaced by the test server's address
BIG_BYTES = 200_000


def _split(items: list[RawArticle | Rejected]) -> tuple[list[RawArticle], list[Rejected]]:
    return [i for i in items if isinstance(i, RawArticle)], [i for i in items if isinstance(i, Rejected)]


def _read(*sources: str | Path, **config: object) -> tuple[list[RawArticle], list[Rejected]]:
    return _split(list(read_sources([str(s) for s in sources], IngestConfig(**config))))


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves the fixture pages, redirect chains, a 404 and an oversized body."""

    def do_GET(self) -> None:
        path = self.path
        if path == "/article.html":
            self._send(200, (DATA / "good.html").read_bytes(), "text/html; charset=utf-8")
        elif path == "/feed.rss":
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            body = (DATA / "feed.rss").read_text(encoding="utf-8").replace(FEED_HOST, base)
            self._send(200, body.encode(), "application/rss+xml")
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            self.send_response(302)
            self.send_header("Location", "/article.html" if left == 0 else f"/hop/{left - 1}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/big":
            self._send(200, b"<html><body><p>" + b"x" * BIG_BYTES + b"</p></body></html>", "text/html")
        else:
            self._send(404, b"not here", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # "format" shadows a builtin: stdlib signature
        """Keep test output quiet."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 in a thread; yields its base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_jsonl_yields_every_good_record_and_one_rejection_per_bad_line() -> None:
    good, bad = _read(DATA / "mixed.jsonl")
    assert [a.article_id for a in good] == ["ok-1", "ok-2"]
    assert [(r.line, r.reason) for r in bad] == [
        (2, "invalid_json"),
        (3, "not_an_object"),
        (4, "no_text"),
        (5, "no_text"),
        (6, "bad_field"),
    ]
    assert all(r.source == str(DATA / "mixed.jsonl") for r in bad)
    assert "28th of Nov" in bad[-1].detail


def test_jsonl_keeps_record_fields_and_sample_flag() -> None:
    good, _ = _read(DATA / "mixed.jsonl")
    second = good[1]
    assert (second.outlet, str(second.published), second.is_sample, second.line) == (
        "Pamir Wire",
        "2025-12-02",
        True,
        8,
    )
    assert good[0].is_sample is False


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty_file"),
        ("binary.txt", "binary_file"),
        ("undecodable.txt", "undecodable"),
        ("table.csv", "unsupported_format"),
        ("does-not-exist.jsonl", "not_found"),
    ],
)
def test_bad_file_gives_one_rejection(name: str, reason: str) -> None:
    good, bad = _read(DATA / name)
    assert good == []
    assert [(r.reason, r.source) for r in bad] == [(reason, str(DATA / name))]
    assert bad[0].detail


def test_undecodable_file_reports_the_byte_offset() -> None:
    _, bad = _read(DATA / "undecodable.txt")
    offset = (DATA / "undecodable.txt").read_bytes().index(b"\xe9")  # the Latin-1 "é"
    assert f"byte {offset}" in bad[0].detail


def test_txt_file_uses_file_name_as_id() -> None:
    good, bad = _read(DATA / "good.txt")
    assert bad == []
    assert good[0].article_id == "good.txt"
    assert good[0].text is not None
    assert "Kavo" in good[0].text


def test_html_file_keeps_the_page_for_clean() -> None:
    good, _ = _read(DATA / "good.html")
    assert good[0].html is not None
    assert "<article>" in good[0].html
    assert good[0].text is None


def test_folder_is_read_recursively_skipping_unknown_types(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "one.txt").write_text("Border guards reported a clash on Tuesday.", encoding="utf-8")
    (tmp_path / "two.txt").write_text("The embassy urged citizens to leave.", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("secret", encoding="utf-8")
    good, bad = _read(tmp_path)
    assert sorted(a.article_id or "" for a in good) == ["one.txt", "two.txt"]
    assert bad == []


def test_fixture_folder_loses_no_good_record() -> None:
    good, bad = _read(DATA)
    assert {"ok-1", "ok-2", "good.txt", "good.html", "no_article.html"} <= {a.article_id for a in good}
    assert sorted(r.reason for r in bad) == sorted(
        ["invalid_json", "not_an_object", "no_text", "no_text", "bad_field", "empty_file", "binary_file",
         "undecodable", "unreachable", "unreachable"]  # the two dead feed links: feed.example.test
    )  # fmt: skip


def test_url_article_is_fetched_with_a_stable_id(server: str) -> None:
    good, bad = _read(f"{server}/article.html", allow_private=True)
    assert bad == []
    assert good[0].html is not None
    assert "Darvoz" in good[0].html
    assert good[0].article_id is not None
    assert good[0].article_id.startswith("url-")
    again, _ = _read(f"{server}/article.html", allow_private=True)
    assert again[0].article_id == good[0].article_id


def test_loopback_url_is_refused_without_allow_private(server: str) -> None:
    good, bad = _read(f"{server}/article.html")
    assert good == []
    assert [r.reason for r in bad] == ["unsafe_url"]
    assert "127.0.0.1" in bad[0].detail


def test_redirects_within_the_limit_are_followed(server: str) -> None:
    good, bad = _read(f"{server}/hop/2", allow_private=True, max_redirects=3)
    assert bad == []
    assert good[0].url == f"{server}/article.html"


def test_redirects_beyond_the_limit_are_rejected(server: str) -> None:
    good, bad = _read(f"{server}/hop/5", allow_private=True, max_redirects=2)
    assert good == []
    assert [r.reason for r in bad] == ["too_many_redirects"]


def test_body_over_the_size_cap_is_rejected(server: str) -> None:
    good, bad = _read(f"{server}/big", allow_private=True, max_bytes=50_000)
    assert good == []
    assert [r.reason for r in bad] == ["too_large"]


def test_http_error_status_is_rejected(server: str) -> None:
    _, bad = _read(f"{server}/nothing-here", allow_private=True)
    assert [(r.reason, r.source) for r in bad] == [("http_error", f"{server}/nothing-here")]
    assert "404" in bad[0].detail


def test_unreachable_url_is_rejected() -> None:
    # Port 9 (discard) on loopback: nothing listens there in a test environment.
    _, bad = _read("http://127.0.0.1:9/x", allow_private=True, timeout_s=2)
    assert [r.reason for r in bad] == ["unreachable"]


def test_feed_url_fetches_each_entry_and_falls_back_to_summary(server: str) -> None:
    good, bad = _read(f"{server}/feed.rss", allow_private=True)
    assert [a.title for a in good] == [
        "Beijing urges citizens to leave Tajik border areas",
        "Taliban minister calls Tajik counterpart",
    ]
    first, second = good
    assert first.html is not None
    assert first.outlet == "Pamir Wire"
    assert str(first.published) == "2025-12-01"
    assert second.text is not None
    assert second.text.startswith("Afghanistan's acting foreign minister")
    assert second.html is None
    assert "<p>" not in second.text
    assert [(r.reason, r.source) for r in bad] == [("http_error", f"{server}/gone.html")]


def test_feed_file_links_go_through_the_same_safe_fetch(tmp_path: Path, server: str) -> None:
    feed = tmp_path / "local.rss"
    feed.write_text(
        (DATA / "feed.rss").read_text(encoding="utf-8").replace(FEED_HOST, server), encoding="utf-8"
    )
    good, bad = _read(feed)  # allow_private is off: every loopback link is refused
    assert [r.reason for r in bad] == ["unsafe_url", "unsafe_url"]
    assert [a.title for a in good] == ["Taliban minister calls Tajik counterpart"]  # summary fallback


def test_non_http_scheme_is_rejected() -> None:
    _, bad = _read("ftp://example.org/feed.xml")
    assert [r.reason for r in bad] == ["unsupported_format"]
