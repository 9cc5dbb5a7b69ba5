"""The dashboard on the real dev corpus (read from ../shared at run time), in headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, expect

from sitrep.cli.main import cli
from sitrep.config import Settings
from sitrep.store import EventQuery, open_store
from sitrep.web.app import create_app
from tests.corpus import ARTICLES, require_corpus
from tests.test_api import LiveServer
from tests.test_dashboard import ARTIFACTS, TIMEOUT_MS, Watched, browser

pytestmark = [pytest.mark.browser, pytest.mark.corpus, pytest.mark.model]
__all__ = ["browser"]  # the module-scoped Chromium fixture, shared with test_dashboard


@pytest.fixture(scope="module")
def corpus_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    require_corpus()
    url = f"sqlite:///{tmp_path_factory.mktemp('dash') / 'dev.db'}"
    result = CliRunner().invoke(cli, ["ingest", str(ARTICLES), "--db", url, "-q"], catch_exceptions=False)
    assert result.exit_code == 0
    return url


@pytest.fixture
def live(corpus_url: str) -> Iterator[LiveServer]:
    store = open_store(corpus_url)
    with LiveServer(create_app(Settings(database_url=corpus_url), store)) as server:
        yield server
    store.close()


def test_dashboard_on_dev_corpus_shows_an_events_sources_and_disagreement(
    browser: Browser, live: LiveServer, corpus_url: str
) -> None:
    store = open_store(corpus_url)
    try:
        events, _ = store.query_events(EventQuery(limit=1000))
    finally:
        store.close()
    disputed = [e for e in events if e.discrepancies and len({m.article_id for m in e.mentions}) > 1]
    assert disputed, "the dev corpus should yield at least one event whose sources disagree"
    target = max(disputed, key=lambda e: len({m.article_id for m in e.mentions}))
    n_sources = len({m.article_id for m in target.mentions})
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watched = Watched(page, live.url)
    page.goto(live.url + "/")
    expect(page.get_by_test_id("status")).to_contain_text("events")
    row = page.locator(f"[data-testid='event-row'][data-event-id='{target.event_id}']")
    row.scroll_into_view_if_needed()
    row.click()
    panel = page.get_by_test_id("event-panel")
    expect(panel.get_by_test_id("source")).to_have_count(n_sources)
    expect(panel.get_by_test_id("discrepancy-badge").first).to_contain_text("sources disagree")
    expect(panel.get_by_test_id("quote-mark").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(Path(ARTIFACTS) / "dashboard-dev-corpus.png"), full_page=False)
    assert not watched.foreign, f"requests left the machine: {watched.foreign}"
    assert not watched.errors, watched.errors
    context.close()
