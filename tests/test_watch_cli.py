"""The watch verbs from the command line: SIGTERM finishes the current article, `sitrep feeds`,
`sitrep rules test`, `sitrep alerts`, `sitrep brief`, and the errors they give."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sitrep.cli.main import cli
from sitrep.store import open_store
from tests.test_watch_alerts import put_event
from tests.test_watch_polling import TEXT_A, TEXT_B
from tests.watch_servers import FeedSite

ROOT = Path(__file__).resolve().parents[1]
START = dt.datetime(2025, 12, 1, 8, 0, tzinfo=dt.UTC)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def site() -> Iterator[FeedSite]:
    server = FeedSite()
    server.page("/a", "Patrol fired on", TEXT_A)
    server.page("/b", "Talks to continue", TEXT_B)
    server.feed(
        "/feed", "Border news", [("/a", "Patrol fired on", START), ("/b", "Talks to continue", START)]
    )
    yield server
    server.close()


def write_toml(folder: Path, site: FeedSite, rules: str = "") -> None:
    (folder / "sitrep.toml").write_text(
        f'[ingest]\nallow_private = true\n\n[watch]\nhost_delay_s = 0.1\n\n[[feeds]]\nname = "border"\n'
        f'url = "{site.base}/feed"\ninterval = "1h"\n\n{rules}',
        encoding="utf-8",
    )


def test_sigterm_finishes_the_current_article_then_exits(
    site: FeedSite, store_url: str, tmp_path: Path
) -> None:
    write_toml(tmp_path, site)
    hold = site.routes["/a"].hold = threading.Event()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-c", "from sitrep.cli.main import main; main()", "watch", "--no-extract",
               "--db", store_url]  # fmt: skip
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE)
    try:
        assert site.arrived.wait(60)
        process.send_signal(signal.SIGTERM)
        hold.set()  # the page being fetched is answered after the signal
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err.decode()
    assert "stopped" in err.decode()
    with open_store(store_url) as store:
        assert [m.url for m in store.article_meta().values()] == [site.base + "/a"]
        (feed,) = store.list_feeds()
        assert feed.articles == 1
    assert site.count("/b") == 0  # not started after the signal
    # the next round fetches what the stopped one had not
    os.chdir(tmp_path)
    try:
        now = dt.datetime.now(dt.UTC).isoformat()  # the stopped watcher ran on the real clock
        result = invoke("watch", "--once", "--no-extract", "--now", now, "--db", store_url)
    finally:
        os.chdir(ROOT)
    assert result.exit_code == 0, result.output
    assert site.count("/b") == 1
    assert site.count("/a") == 1


def test_feeds_lists_health_after_a_round(
    site: FeedSite, store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_toml(tmp_path, site)
    monkeypatch.chdir(tmp_path)
    assert (
        invoke(
            "watch", "--once", "--no-extract", "--now", "2025-12-01T08:00:00Z", "--db", store_url
        ).exit_code
        == 0
    )
    assert (
        invoke(
            "watch", "--once", "--no-extract", "--now", "2025-12-01T09:00:00Z", "--db", store_url
        ).exit_code
        == 0
    )
    line = invoke("feeds", "--db", store_url).output
    assert "border  ok  HTTP 304  2 polls, 1 not modified, 2 articles, 0 failures in a row" in line
    assert "next 2025-12-01T10:00:00+00:00" in line


def test_watch_without_feeds_or_with_now_alone_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = f"sqlite:///{tmp_path / 'w.db'}"
    result = CliRunner().invoke(cli, ["watch", "--once", "--db", db])
    assert result.exit_code == 1
    assert "no [[feeds]]" in result.output
    assert CliRunner().invoke(cli, ["watch", "--now", "2025-12-01T08:00:00", "--db", db]).exit_code == 2


def test_rules_test_alerts_and_brief(store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sitrep.toml").write_text(
        '[[rules]]\nname = "deadly"\ncountries = ["TJ"]\nmin_killed = 1\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    with open_store(store_url) as store:
        put_event(store, "k", killed=[4])
        put_event(store, "z", killed=[None])
    result = invoke("rules", "test", "deadly", "--db", store_url)
    assert result.exit_code == 0
    assert "ev-k  ASSAULT  Khatlon, TJ  killed 4  [killed 1+]  1 sources" in result.output
    assert "ev-z" not in result.output
    unknown = CliRunner().invoke(cli, ["rules", "test", "nosuch", "--db", store_url])
    assert unknown.exit_code == 1
    assert "rules: deadly" in unknown.output
    assert invoke("alerts", "--failed", "--db", store_url).exit_code == 0
    out = tmp_path / "brief.html"
    assert (
        invoke(
            "brief", "--since", "2025-12-01", "--format", "html", "-o", str(out), "--db", store_url
        ).exit_code
        == 0
    )
    assert out.read_text(encoding="utf-8").count("<svg") == 2
    markdown = invoke("brief", "--since", "2025-12-01", "--country", "tj", "--db", store_url).output
    assert markdown.startswith("# Briefing in Tajikistan, 1 Dec 2025 – 9 Dec 2025")
