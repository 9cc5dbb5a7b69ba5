"""The dashboard's "Changed since" control and alerts panel in real headless Chromium over loopback."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from sitrep.config import Settings
from sitrep.store import open_store
from sitrep.watch.alerts import Evaluator
from sitrep.web.app import create_app
from tests.test_api import LiveServer, fill_store
from tests.test_dashboard import TIMEOUT_MS, Watched, browser  # noqa: F401 (the browser fixture)
from tests.test_watch_alerts import NOW, put_event

pytestmark = pytest.mark.browser


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[LiveServer, dt.datetime]]:
    """The test events, then (after a cut second) one new event and a new source for an old one."""
    store = open_store(f"sqlite:///{tmp_path / 'sitrep.db'}")
    fill_store(store)
    put_event(store, "one", killed=[2])
    cut = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=1)
    while dt.datetime.now(dt.UTC) < cut:  # articles stored before the cut second, the rest after it
        time.sleep(0.05)
    put_event(store, "one", killed=[2, 5])
    put_event(store, "late", killed=[3], date=dt.date(2025, 12, 9))
    settings = Settings(
        database_url=store.url, rules=[{"name": "tj", "countries": ["TJ"], "event_types": ["ASSAULT"]}]
    )
    Evaluator(store, settings).evaluate(["ev-one"], NOW)
    with LiveServer(create_app(settings, store)) as server:
        yield server, cut
    store.close()


def test_changed_since_highlights_new_and_changed_and_alerts_open_their_event(
    browser: Browser,  # noqa: F811
    live: tuple[LiveServer, dt.datetime],
) -> None:
    server, cut = live
    context = browser.new_context(viewport={"width": 1440, "height": 1200}, timezone_id="UTC")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watched = Watched(page, server.url)
    page.goto(f"{server.url}/")
    page.wait_for_selector("body[data-ready='true']")
    expect(page.get_by_test_id("change-badge")).to_have_count(0)
    page.get_by_test_id("filter-changed").fill(cut.strftime("%Y-%m-%dT%H:%M:%S"))
    page.get_by_test_id("filter-changed").dispatch_event("change")
    expect(page.locator("tr.row-new")).to_have_attribute("data-event-id", "ev-late")
    expect(page.locator("tr.row-changed")).to_have_attribute("data-event-id", "ev-one")
    expect(page.get_by_test_id("change-badge")).to_have_count(2)
    expect(page.locator("path.marker-new, path.marker-changed")).to_have_count(2)
    expect(page.get_by_test_id("status")).to_contain_text("1 new, 1 changed")
    # an hour earlier: everything the store holds is new
    earlier = (cut - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
    page.get_by_test_id("filter-changed").fill(earlier)
    page.get_by_test_id("filter-changed").dispatch_event("change")
    expect(page.locator("tr.row-changed")).to_have_count(0)
    expect(page.locator("tr.row-new")).to_have_count(page.get_by_test_id("event-row").count())
    # the alerts panel: one alert; clicking it opens its event
    items = page.get_by_test_id("alert-item")
    expect(items).to_have_count(1)
    expect(items).to_contain_text("New ASSAULT event matching 'tj'")
    items.click()
    expect(page.locator("tr.selected")).to_have_attribute("data-event-id", "ev-one")
    expect(page.get_by_test_id("event-panel").get_by_test_id("source")).to_have_count(2)
    assert watched.foreign == []
    assert watched.errors == []
    context.close()
