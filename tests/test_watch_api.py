"""The alerts and briefing endpoints: JSON, Atom per rule and for all, the brief in three forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import feedparser
import pytest
from fastapi.testclient import TestClient

from sitrep.config import Settings
from sitrep.model import Discrepancy
from sitrep.store import Store
from sitrep.watch.alerts import Evaluator
from sitrep.web.app import create_app
from tests.test_api import assert_error
from tests.test_watch_alerts import NOW, put_event

RULES = [
    {"name": "tj", "countries": ["TJ"], "triggers": ["new", "toll_revised"]},
    {"name": "quiet", "countries": ["KG"]},
]


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    settings = Settings(database_url=store.url, rules=RULES)
    evaluator = Evaluator(store, settings)
    put_event(store, "prev", killed=[1], date=dt.date(2025, 11, 28))
    event = put_event(store, "one", killed=[2], date=dt.date(2025, 12, 8))
    evaluator.evaluate([event.event_id], NOW)
    disputed = (Discrepancy("fatalities", ((2, ("one-0",)), (5, ("one-1",)))),)
    event = put_event(store, "one", killed=[2, 5], date=dt.date(2025, 12, 8), discrepancies=disputed)
    evaluator.evaluate([event.event_id], NOW + dt.timedelta(hours=1))
    put_event(store, "two", killed=[None], date=dt.date(2025, 12, 9), country="AF")
    with TestClient(
        create_app(settings, store), base_url="http://127.0.0.1", raise_server_exceptions=False
    ) as c:
        yield c


def test_alerts_json_lists_alerts_with_why_and_sources(client: TestClient) -> None:
    body = client.get("/api/alerts").json()
    assert body["ok"] is True
    (alert,) = body["alerts"]
    assert (alert["rule"], alert["trigger"], alert["why"]) == ("tj", "toll_revised", "Toll revised 2 → 5.")
    assert {s["url"] for s in alert["detail"]["sources"]} == {
        "https://news.example/one-0",
        "https://news.example/one-1",
    }
    assert client.get("/api/alerts", params={"rule": "quiet"}).json()["alerts"] == []
    assert_error(client.get("/api/alerts", params={"since": "yesterday"}), 400, "since")


def test_atom_for_all_and_per_rule(client: TestClient) -> None:
    response = client.get("/api/alerts.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert len(feedparser.parse(response.content).entries) == 1
    assert len(feedparser.parse(client.get("/api/alerts/tj.atom").content).entries) == 1
    assert feedparser.parse(client.get("/api/alerts/quiet.atom").content).entries == []
    assert_error(client.get("/api/alerts/nosuch.atom"), 404, "nosuch")


def test_brief_in_markdown_html_and_json(client: TestClient) -> None:
    figures = client.get("/api/brief", params={"since": "2025-12-01", "format": "json"}).json()["brief"]
    assert (figures["events"], figures["killed"], figures["previous_events"]) == (2, 5, 1)
    assert figures["until"] == "2025-12-09"
    markdown = client.get("/api/brief", params={"since": "2025-12-01", "format": "md"}).text
    assert "**2 events**" in markdown
    assert "[Outlet 0](https://news.example/one-0)" in markdown
    assert "2 per [Outlet 0](https://news.example/one-0)" in markdown  # who said what
    assert "Toll revised 2 → 5." in markdown
    page = client.get("/api/brief", params={"since": "2025-12-01", "country": "TJ"}).text
    assert page.startswith("<!doctype html>")
    assert page.count("<svg") == 2
    assert '<a href="https://news.example/one-1">' in page
    assert_error(client.get("/api/brief", params={"since": "Dec 1"}), 400, "since")


def test_changes_since_tells_new_from_changed(client: TestClient) -> None:
    everything = client.get("/api/changes", params={"since": "2000-01-01"}).json()
    assert everything["events"] == {"ev-prev": "new", "ev-one": "new", "ev-two": "new"}
    assert client.get("/api/changes", params={"since": "2999-01-01T00:00:00Z"}).json()["events"] == {}
    assert_error(client.get("/api/changes", params={"since": "soon"}), 400, "since")
