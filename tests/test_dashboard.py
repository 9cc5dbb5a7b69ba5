"""The dashboard in real headless Chromium (Debian's, driven by Playwright) over real HTTP on loopback.

Needs /usr/bin/chromium (`apt-get install -y chromium`; never `playwright install`) and the vendored
map files (`make setup`); each test skips with the reason when either is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from sitrep.config import Settings
from sitrep.store import open_store
from sitrep.web.app import create_app
from sitrep.web.dashboard import STATIC_DIR, missing_vendor_files
from tests.test_api import LiveServer, fill_store
from tests.test_api_guard import _many_sources_event

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# Flags so Chromium runs as root in a container and never tries to reach the network on its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000  # generous: the first load parses 0.75 MB of borders
# Assertions wait as long as actions do (Playwright's own default is 5 s): on a loaded 2-core CI
# machine the event panel once took longer than 5 s to fill after a marker click.
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: apt-get update && apt-get install -y chromium")
    missing = missing_vendor_files(STATIC_DIR)
    if missing:
        pytest.skip(f"dashboard vendor files missing ({', '.join(missing)}): run make setup")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    """The app over a SQLite store of the test events, served on a free loopback port."""
    store = open_store(f"sqlite:///{tmp_path / 'sitrep.db'}")
    fill_store(store)
    with LiveServer(create_app(Settings(database_url=store.url), store)) as server:
        yield server
    store.close()


class Watched:
    """A page plus what it did: requests to anywhere but our server, and script errors."""

    def __init__(self, page: Page, origin: str) -> None:
        self.page = page
        self.foreign: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(origin) else self.foreign.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)


@pytest.fixture
def dashboard(browser: Browser, live: LiveServer) -> Iterator[Watched]:
    """The dashboard loaded and ready (events fetched, borders drawn)."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watched = Watched(page, live.url)
    page.goto(f"{live.url}/")
    page.wait_for_selector("body[data-ready='true']")
    yield watched
    context.close()


def test_dashboard_draws_markers_rows_timeline_and_borders_offline(dashboard: Watched) -> None:
    page = dashboard.page
    expect(page.get_by_test_id("event-marker")).to_have_count(3)  # the undated event has no coordinates
    expect(page.get_by_test_id("event-row")).to_have_count(4)
    expect(page.get_by_test_id("legend-row")).to_have_count(4)
    assert page.get_by_test_id("timeline-bar").count() == 3
    assert page.locator(".leaflet-borders-pane path").count() > 100  # world-atlas countries
    expect(page.get_by_test_id("status")).to_contain_text("4 of 4 events")
    assert dashboard.foreign == []  # nothing fetched from anywhere but sitrep itself
    assert dashboard.errors == []


def test_dashboard_event_panel_shows_sources_quotes_and_disagreement(dashboard: Watched) -> None:
    page = dashboard.page
    page.locator("[data-testid='event-marker'][data-event-id='ev-clash']").click()
    panel = page.get_by_test_id("event-panel")
    expect(panel.get_by_test_id("source")).to_have_count(2)
    badges = panel.get_by_test_id("discrepancy-badge")
    expect(badges).to_have_text(
        ["sources disagree: 3 vs 5 killed", "sources disagree on date: 2025-12-24 vs 2025-12-25"]
    )
    expect(panel.get_by_test_id("source-outlet")).to_have_text(["Border Monitor", "Valley Wire"])
    expect(panel.get_by_test_id("source-language")).to_have_text(["en", "en"])  # beside the outlet
    expect(panel.get_by_test_id("quote-mark")).to_have_text(
        ["three armed men were killed", "five intruders died in a firefight"]
    )
    expect(panel.get_by_test_id("panel-killed")).to_have_text("5 (3–5)")
    expect(page.locator("tr.selected")).to_have_attribute("data-event-id", "ev-clash")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert dashboard.errors == []


def test_dashboard_filters_update_map_table_and_timeline(dashboard: Watched) -> None:
    page = dashboard.page
    page.get_by_test_id("filter-country").select_option("TJ")
    expect(page.get_by_test_id("event-row")).to_have_count(2)
    expect(page.get_by_test_id("event-marker")).to_have_count(2)
    assert page.get_by_test_id("timeline-bar").count() == 2
    page.get_by_test_id("filter-type").select_option("ASSAULT")
    expect(page.get_by_test_id("event-row")).to_have_count(1)
    page.get_by_test_id("filter-reset").click()
    expect(page.get_by_test_id("event-row")).to_have_count(4)
    page.get_by_test_id("filter-since").fill("2025-12-21")
    expect(page.get_by_test_id("event-row")).to_have_count(2)
    expect(page.get_by_test_id("event-marker")).to_have_count(2)


def test_dashboard_shows_hostile_article_text_literally_and_runs_none_of_it(dashboard: Watched) -> None:
    page = dashboard.page
    page.locator("[data-testid='event-row'][data-event-id='ev-hostile']").click()
    panel = page.get_by_test_id("event-panel")
    expect(panel.get_by_test_id("quote-mark")).to_have_text("police detained a local activist")
    text = panel.get_by_test_id("article-text").text_content() or ""
    assert "<script>window.__pwned=1</script>" in text
    assert '<img src=x onerror="window.__pwned=2">' in text
    expect(panel.get_by_test_id("source-outlet")).to_have_text("<b>Evil</b> Outlet")
    expect(page.locator("[data-testid='event-row'][data-event-id='ev-hostile']")).to_contain_text(
        '<img src=x onerror="window.__pwned=3">activist'
    )
    page.wait_for_timeout(300)  # give any injected onerror handler the time to fire
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#panel script, #panel img, #events-table img, #events-table b").count() == 0


def test_docs_page_renders_under_its_csp(browser: Browser, live: LiveServer) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watched = Watched(page, live.url)
    page.goto(f"{live.url}/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() >= 8  # every endpoint drawn by the vendored Swagger UI
    csp = httpx.get(f"{live.url}/docs", timeout=10).headers["content-security-policy"]
    assert "script-src 'self';" in csp  # no inline or eval'd script allowed, and still it runs
    assert watched.foreign == []
    assert watched.errors == []  # a CSP violation would show as a console error
    context.close()


def test_event_rows_show_the_full_source_count_from_a_bounded_list(browser: Browser, tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'many.db'}")
    fill_store(store)
    _many_sources_event(store, 12)
    with LiveServer(create_app(Settings(database_url=store.url), store)) as server:
        context = browser.new_context(viewport={"width": 1440, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        watched = Watched(page, server.url)
        page.goto(f"{server.url}/")
        page.wait_for_selector("body[data-ready='true']")
        row = page.locator("[data-testid='event-row'][data-event-id='ev-many']")
        expect(row.locator("td.num").last).to_have_text("12")
        row.click()
        expect(page.get_by_test_id("event-panel").get_by_test_id("source")).to_have_count(12)
        assert watched.errors == []
        context.close()
    store.close()
