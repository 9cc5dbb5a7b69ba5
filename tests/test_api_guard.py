"""The API's guards: allowed Host names, safety headers on every response, bounded numbers, HEAD,
CSV cells neutralised against formula injection, and event lists with a bounded summary of sources."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sitrep.config import Settings
from sitrep.export import csv_row, neutralise_cell
from sitrep.model import Article, Event, Mention
from sitrep.store import Store
from sitrep.web.app import create_app, host_name
from tests.test_api import fill_store

LOCAL = "http://127.0.0.1"


@pytest.fixture
def app_store(store: Store) -> Store:
    fill_store(store)
    return store


def _client(store: Store, base_url: str = LOCAL, **web: Any) -> TestClient:
    settings = Settings(database_url=store.url, web=web) if web else Settings(database_url=store.url)
    return TestClient(create_app(settings, store), base_url=base_url, raise_server_exceptions=False)


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.nip.example", "localhost.evil.example"])
def test_other_host_names_get_400(app_store: Store, host: str) -> None:
    with _client(app_store) as client:
        response = client.get("/api/events", headers={"Host": host})
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": response.json()["error"], "status": 400}
    assert "web.allowed_hosts" in response.json()["error"]
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:9", "[::1]:8000", "LOCALHOST"])
def test_loopback_host_names_are_served(app_store: Store, host: str) -> None:
    with _client(app_store) as client:
        assert client.get("/api/stats", headers={"Host": host}).status_code == 200


def test_allowed_hosts_are_settable_and_star_allows_any(app_store: Store) -> None:
    with _client(app_store, allowed_hosts=["sitrep.lan"]) as client:
        assert client.get("/api/stats", headers={"Host": "sitrep.lan:8000"}).status_code == 200
        assert client.get("/api/stats", headers={"Host": "localhost"}).status_code == 400
    with _client(app_store, allowed_hosts=["*"]) as client:
        assert client.get("/api/stats", headers={"Host": "anything.example"}).status_code == 200


def test_the_bind_address_is_an_allowed_name(app_store: Store) -> None:
    with _client(app_store, host="192.168.7.7", allowed_hosts=[]) as client:
        assert client.get("/api/stats", headers={"Host": "192.168.7.7:8000"}).status_code == 200
        assert client.get("/api/stats", headers={"Host": "localhost"}).status_code == 400


def test_host_name_parsing() -> None:
    assert host_name("Example.ORG:80") == "example.org"
    assert host_name("[::1]:8000") == "::1"
    assert host_name("::1") == "::1"
    assert host_name("") == ""


@pytest.mark.parametrize(
    ("path", "csp_word"),
    [
        ("/api/events", "default-src 'none'"),
        ("/api/events/no-such-event", "default-src 'none'"),
        ("/api/events?min_killed=-1", "default-src 'none'"),
        ("/api/export.csv", "default-src 'none'"),
        ("/openapi.json", "default-src 'none'"),
        ("/no/such/path", "default-src 'none'"),
        ("/docs", "script-src 'self'"),
        ("/", "script-src 'self'"),
        ("/static/app.js", "script-src 'self'"),
    ],
)
def test_every_response_carries_the_safety_headers(app_store: Store, path: str, csp_word: str) -> None:
    with _client(app_store) as client:
        response = client.get(path)
    assert csp_word in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "unsafe-eval" not in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_docs_page_has_no_inline_script(app_store: Store) -> None:
    with _client(app_store) as client:
        page = client.get("/docs").text
    assert "<script>" not in page
    assert '<script src="/static/swagger-init.js"></script>' in page


@pytest.mark.parametrize(
    "query",
    ["min_killed=1000000000000000000000000000000", "offset=1000000000000000000000000000000",
     "limit=1001", "sources=101", "sources=-1", "min_killed=1e3"],
)  # fmt: skip
def test_out_of_range_numbers_get_400(app_store: Store, query: str) -> None:
    with _client(app_store) as client:
        response = client.get(f"/api/events?{query}")
        assert response.status_code == 400, response.text
        assert query.split("=")[0] in response.json()["error"]
        assert client.get(f"/api/export.csv?{query}").status_code in (200, 400)


@pytest.mark.parametrize(
    "path", ["/api/events", "/api/stats", "/api/export.csv", "/docs", "/", "/openapi.json"]
)
def test_head_is_answered_where_get_is(app_store: Store, path: str) -> None:
    with _client(app_store) as client:
        got = client.get(path)
        head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert "content-security-policy" in head.headers


def test_write_methods_still_refused(app_store: Store) -> None:
    with _client(app_store) as client:
        response = client.post("/api/events")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


# ---- bounded sources in lists ----


def _many_sources_event(store: Store, outlets: int) -> Event:
    mentions = []
    for n in range(outlets):
        text = f"Outlet number {n} reported that a patrol was ambushed near the ford on Monday."
        article = Article(article_id=f"many-{n:03d}", raw_text=text, text=text, outlet=f"Outlet {n}")
        store.add_article(article)
        quote = "a patrol was ambushed"
        start = text.index(quote)
        mentions.append(
            Mention(mention_id=f"many-{n:03d}:{start}", article_id=article.article_id, event_type="ASSAULT",
                    quote=quote, start=start, end=start + len(quote), date=dt.date(2025, 11, 3))
        )  # fmt: skip
    event = Event(
        event_id="ev-many", event_type="ASSAULT", mentions=tuple(mentions), date=dt.date(2025, 11, 3),
        country="TJ", confidence=0.7, block_key="TJ|many|2025-11", merger="test",
    )  # fmt: skip
    store.replace_events({"TJ|many|2025-11"}, [event])
    return event


def test_event_lists_carry_a_bounded_summary_of_sources(app_store: Store) -> None:
    _many_sources_event(app_store, 40)
    with _client(app_store) as client:
        listed = client.get("/api/events", params={"since": "2025-11-01", "until": "2025-11-30"}).json()
        few = client.get("/api/events", params={"since": "2025-11-01", "sources": 2}).json()
        full = client.get("/api/events/ev-many").json()["event"]
    (event,) = listed["events"]
    assert event["source_count"] == 40
    assert [s["article_id"] for s in event["sources"]] == [f"many-{n:03d}" for n in range(5)]
    assert event["sources"][0]["outlet"] == "Outlet 0"
    assert len(few["events"][0]["sources"]) == 2
    assert len(full["sources"]) == 40
    assert len(full["mentions"]) == 40


def test_list_summaries_match_the_full_events(app_store: Store) -> None:
    _many_sources_event(app_store, 9)
    with _client(app_store) as client:
        listed = client.get("/api/events", params={"sources": 3, "sort": "id"}).json()["events"]
        for event in listed:
            full = client.get(f"/api/events/{event['id']}").json()["event"]
            for source in full["sources"]:
                del source["title"], source["is_sample"]
            assert event["sources"] == full["sources"][:3]
            assert event["source_count"] == len(full["sources"])
            rest = {k: v for k, v in full.items() if k not in ("sources", "mentions")}
            assert {k: v for k, v in event.items() if k not in ("sources", "source_count")} == rest


# ---- CSV formula injection ----


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+31 6", "'+31 6"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
     ("\rx", "'\rx"), ("plain", "plain"), ("", ""), (-70.5, -70.5), (-3, -3), (0, 0)],
)  # fmt: skip
def test_neutralise_cell(value: object, expected: object) -> None:
    assert neutralise_cell(value) == expected


@pytest.fixture
def hostile_event() -> Event:
    text = '=HYPERLINK("http://bad.example") said the post, and -2+3 was painted on the wall.'
    mention = Mention(mention_id="h:0", article_id="h", event_type="PROTEST", quote=text[:30], start=0,
                      end=30)  # fmt: skip
    return Event(
        event_id="ev-h", event_type="PROTEST", mentions=(mention,), actor1="@group", actor2="-faction",
        location="+place", lat=-12.5, lon=-70.25, confidence=0.4, merger="test",
    )  # fmt: skip


def test_csv_rows_have_no_formula_cells_but_keep_numbers(hostile_event: Event) -> None:
    row = csv_row(hostile_event, {})
    assert row["notes"].startswith("'=HYPERLINK")
    assert (row["actor1"], row["actor2"], row["location"]) == ("'@group", "'-faction", "'+place")
    assert (row["latitude"], row["longitude"]) == (-12.5, -70.25)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(row))
    writer.writerow(row)
    cells = next(csv.reader(io.StringIO(buffer.getvalue())))
    formulas = [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not _number(c))]
    assert not formulas


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_api_csv_export_is_neutralised(app_store: Store, hostile_event: Event) -> None:
    text = '=HYPERLINK("http://bad.example") said the post, and -2+3 was painted on the wall.'
    app_store.add_article(Article(article_id="h", raw_text=text, text=text))
    app_store.replace_events({"h|x"}, [dataclasses.replace(hostile_event, block_key="h|x")])
    with _client(app_store) as client:
        rows = list(csv.DictReader(io.StringIO(client.get("/api/export.csv").text)))
    (row,) = [r for r in rows if r["event_id_cnty"] == "ev-h"]
    assert row["notes"].startswith("'=")
    assert row["actor1"] == "'@group"
    assert row["longitude"] == "-70.25"


# ---- cached event lists ----


def test_event_lists_are_cached_until_the_store_changes(
    app_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = app_store.query_event_summaries
    monkeypatch.setattr(app_store, "query_event_summaries", lambda q, n: calls.append(q) or real(q, n))
    with _client(app_store) as client:
        first = client.get("/api/events").json()
        again = client.get("/api/events").json()
        other = client.get("/api/events", params={"limit": 2}).json()
        expected_calls = 1 if app_store.url.startswith("sqlite") else 2
        assert len(calls) == expected_calls + 1
        assert first == again
        assert len(other["events"]) == 2
        _many_sources_event(app_store, 3)  # a write: the cached pages are stale now
        after = client.get("/api/events").json()
    assert after["total"] == first["total"] + 1
    assert "ev-many" in [e["id"] for e in after["events"]]
