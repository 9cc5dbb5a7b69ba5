"""The read-only JSON API: events (filtered, paged, sorted), one event, one article, facts, stats, exports.

Records are built by `sitrep.export` (the same JSON as `sitrep export`, except that event lists carry
the first `sources` sources and a `source_count`); this module only parses parameters, calls the
store and renders. Bad parameters answer 400 with the one error shape. See docs/api.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel

from sitrep.export import (
    ACLED_COLUMNS,
    SITREP_COLUMNS,
    SourceInfo,
    article_record,
    csv_row,
    event_record,
    geojson_feature,
    mention_claims,
    source_ids,
    write_events,
)
from sitrep.model import PLOVER_TYPES, Event, Fact
from sitrep.store import EventQuery, Store
from sitrep.store.events import COUNT_CAP
from sitrep.web.cache import ResponseCache

MAX_LIMIT = 1000  # largest page; the dashboard pages through more
MAX_COUNT = 1_000_000_000  # largest count or offset a parameter may give (the store's integers are 64-bit)
LIST_SOURCES = 5  # sources shown per event in lists by default; the event's own page has them all
MAX_LIST_SOURCES = 100
EXPORT_PAGE = 500  # events fetched per store query while streaming an export

Sort = Literal["date", "-date", "killed", "-killed", "id"]


class ErrorBody(BaseModel):
    """The one error shape (documented in OpenAPI)."""

    ok: Literal[False]
    error: str
    status: int


router = APIRouter(
    prefix="/api",
    tags=["api"],
    responses={400: {"model": ErrorBody}, 404: {"model": ErrorBody}, 500: {"model": ErrorBody}},
)


def get_store(request: Request) -> Store:
    """The store the app was built with."""
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]


def bad_parameter(name: str, message: str) -> HTTPException:
    """A 400 whose message starts with the parameter's name."""
    return HTTPException(status_code=400, detail=f"invalid parameter {name}: {message}")


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """Parse `minlon,minlat,maxlon,maxlat` into floats, checking ranges and order."""
    if value is None or value == "":
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise bad_parameter(
            "bbox", f"expected 4 comma-separated numbers minlon,minlat,maxlon,maxlat, got {value!r}"
        )
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError:
        raise bad_parameter("bbox", f"expected numbers, got {value!r}") from None
    if not all(math.isfinite(v) for v in (min_lon, min_lat, max_lon, max_lat)):
        raise bad_parameter("bbox", f"numbers must be finite, got {value!r}")
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise bad_parameter(
            "bbox", "longitudes must lie in -180..180 (minlon > maxlon crosses the antimeridian)"
        )
    if not (-90 <= min_lat <= max_lat <= 90):
        raise bad_parameter("bbox", "latitudes must satisfy -90 <= minlat <= maxlat <= 90")
    return (min_lon, min_lat, max_lon, max_lat)


@dataclass(frozen=True)
class EventFilters:
    """Validated filters shared by /api/events and the exports."""

    since: dt.date | None
    until: dt.date | None
    country: str | None
    admin1: str | None
    event_type: str | None
    min_killed: int | None
    text: str | None
    bbox: tuple[float, float, float, float] | None
    language: str | None = None

    def query(self, limit: int, offset: int, sort: str, count_cap: int | None = None) -> EventQuery:
        """The store's EventQuery for these filters and one page (counting at most `count_cap`)."""
        return EventQuery(
            since=self.since,
            until=self.until,
            country=self.country,
            admin1=self.admin1,
            event_type=self.event_type,
            min_killed=self.min_killed,
            text=self.text,
            bbox=self.bbox,
            language=self.language,
            limit=limit,
            offset=offset,
            sort=sort,
            count_cap=count_cap,
        )


def event_filters(
    since: Annotated[dt.date | None, Query(description="Events on or after this day (YYYY-MM-DD).")] = None,
    until: Annotated[dt.date | None, Query(description="Events on or before this day (YYYY-MM-DD).")] = None,
    country: Annotated[
        str | None, Query(description="ISO 3166-1 alpha-2 code, e.g. TJ.", pattern="^[A-Za-z]{2}$")
    ] = None,
    admin1: Annotated[str | None, Query(description="Region name, e.g. Khatlon.", max_length=200)] = None,
    event_type: Annotated[
        str | None, Query(alias="type", description=f"PLOVER type: {', '.join(PLOVER_TYPES)}.")
    ] = None,
    min_killed: Annotated[
        int | None, Query(ge=0, le=MAX_COUNT, description="Best fatality count at least this.")
    ] = None,
    q: Annotated[
        str | None,
        Query(
            description="Words, each the start of a word in the quotes, places, actors or type "
            "(any order, case and accents ignored): tajik guard finds Tajikistan's border guards.",
            max_length=200,
        ),
    ] = None,
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat (WGS84 degrees).")] = None,
    language: Annotated[
        str | None,
        Query(
            description="ISO 639-1 code: events with a source in this language, e.g. ru.",
            pattern="^[A-Za-z]{2}$",
        ),
    ] = None,
) -> EventFilters:
    """Parse and check the event filters; 400 names the first bad one."""
    if since and until and since > until:
        raise bad_parameter("since", f"since ({since}) is after until ({until})")
    kind = event_type.strip().upper() if event_type else None
    if kind and kind not in PLOVER_TYPES:
        raise bad_parameter(
            "type", f"unknown event type {event_type!r}; use one of {', '.join(PLOVER_TYPES)}"
        )
    return EventFilters(
        since=since,
        until=until,
        country=country.upper() if country else None,
        admin1=admin1 or None,
        event_type=kind,
        min_killed=min_killed,
        text=q.strip() or None if q else None,
        bbox=parse_bbox(bbox),
        language=language.lower() if language else None,
    )


FiltersDep = Annotated[EventFilters, Depends(event_filters)]


def sources_of(store: Store, events: list[Event], limit: int | None = None) -> Mapping[str, SourceInfo]:
    """Metadata of the articles the events cite (the first `limit` of each event's), by article id."""
    return store.article_meta(sorted({a for e in events for a in source_ids(e)[:limit]}))


def get_cache(request: Request) -> ResponseCache:
    """The app's cache of rendered responses."""
    cache: ResponseCache = request.app.state.response_cache
    return cache


CacheDep = Annotated[ResponseCache, Depends(get_cache)]


@router.get("/events", summary="Merged events, filtered, paged and sorted")
def list_events(
    store: StoreDep,
    cache: CacheDep,
    filters: FiltersDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_COUNT, description="Events to skip.")] = 0,
    sort: Annotated[Sort, Query(description="Order; a leading '-' means descending.")] = "-date",
    sources: Annotated[
        int,
        Query(
            ge=0,
            le=MAX_LIST_SOURCES,
            description="Sources listed per event (the first, by article id); `source_count` gives "
            "the total and /api/events/{id} lists them all.",
        ),
    ] = LIST_SOURCES,
) -> Response:
    """One page of events as export records, with the total that match; sources bounded per event.

    The total counts at most COUNT_CAP events: past it, `total` is COUNT_CAP and `total_exact` false
    (page on while `next_offset` is not null). Rendered pages are cached until the store changes
    (`sitrep.web.cache`).
    """

    def render() -> bytes:
        query = filters.query(limit, offset, sort, count_cap=COUNT_CAP)
        summaries, total, exact = store.query_event_summaries(query, sources)
        meta = sources_of(store, [event for event, _ in summaries], sources)
        more = len(summaries) == limit and (not exact or offset + limit < total)
        payload = {
            "ok": True,
            "total": total,
            "total_exact": exact,
            "next_offset": offset + limit if more else None,
            "limit": limit,
            "offset": offset,
            "events": [event_record(e, meta, sources, count) for e, count in summaries],
        }
        return json.dumps(payload, ensure_ascii=False).encode()

    body = cache.get_or_render(("events", filters, limit, offset, sort, sources), render)
    return Response(body, media_type="application/json")


@router.get("/events/{event_id:path}", summary="One event with its sources, quotes, claims and discrepancies")
def get_event(store: StoreDep, event_id: Annotated[str, Path(max_length=500)]) -> dict[str, Any]:
    """The export record plus every mention and each source's title."""
    event = store.get_event(event_id)
    if event is None:
        raise HTTPException(status_code=404, detail=f"no event with id {event_id!r}")
    meta = store.article_meta(sorted({m.article_id for m in event.mentions}))
    record = event_record(event, meta)
    for source in record["sources"]:
        info = meta.get(source["article_id"])
        source["title"] = info.title if info else None
        source["is_sample"] = info.is_sample if info else False
    record["mentions"] = [
        {
            "mention_id": m.mention_id,
            "article_id": m.article_id,
            "quote": m.quote,
            "start": m.start,
            "end": m.end,
            "claims": mention_claims(m),
        }
        for m in sorted(event.mentions, key=lambda m: (m.article_id, m.start))
    ]
    return {"ok": True, "event": record}


@router.get("/articles/{article_id:path}", summary="One article's clean text and the spans events cite")
def get_article(store: StoreDep, article_id: Annotated[str, Path(max_length=500)]) -> dict[str, Any]:
    """Clean text (offsets index it) and [{event_id, mention_id, start, end, event_type}]."""
    article = store.get_article(article_id)
    if article is None:
        raise HTTPException(status_code=404, detail=f"no article with id {article_id!r}")
    spans = []
    for event_id in store.event_ids_for_article(article_id):
        event = store.get_event(event_id)
        for mention in event.mentions if event else ():
            if mention.article_id == article_id:
                spans.append(
                    {
                        "event_id": event_id,
                        "mention_id": mention.mention_id,
                        "start": mention.start,
                        "end": mention.end,
                        "event_type": mention.event_type,
                    }
                )
    spans.sort(key=lambda s: (s["start"], s["end"], s["event_id"]))
    record = article_record(article)
    record.update(
        copy_of=article.copy_of,
        is_sample=article.is_sample,
        published_from=article.published_from,
        outlet_from=article.outlet_from,
    )
    return {"ok": True, "article": record, "spans": spans}


def fact_record(fact: Fact) -> dict[str, Any]:
    """One fact: each stated value with the articles that gave it, and the quotes."""
    return {
        "subject": fact.subject,
        "unit": fact.unit,
        "values": [{"value": value, "article_ids": list(ids)} for value, ids in fact.values],
        "claims": [
            {
                "article_id": c.article_id,
                "value": c.value,
                "stated": c.stated,
                "quote": c.quote,
                "start": c.start,
                "end": c.end,
            }
            for c in fact.claims
        ],
    }


@router.get("/facts", summary="Stated quantities (border length, ...) grouped by subject")
def list_facts(store: StoreDep) -> dict[str, Any]:
    """Every fact subject with the values sources gave."""
    import sitrep.resolve  # imported here: only this endpoint needs the resolve stage

    group_facts = getattr(sitrep.resolve, "group_facts", None)
    if group_facts is None:
        raise HTTPException(
            status_code=503, detail="fact grouping (sitrep.resolve.group_facts) is not installed"
        )
    facts: list[Fact] = group_facts(list(store.iter_fact_claims()))
    return {"ok": True, "facts": [fact_record(f) for f in facts]}


@router.get("/stats", summary="Counts of what the store holds")
def get_stats(store: StoreDep) -> dict[str, Any]:
    """The store's own statistics."""
    return {"ok": True, "stats": store.stats()}


def _pages(
    store: Store, filters: EventFilters, sort: str
) -> Iterator[tuple[list[Event], Mapping[str, SourceInfo]]]:
    """Every matching event, a page at a time, with the metadata of the articles it cites."""
    offset = 0
    while True:  # no total needed: a short page is the last (count_cap=0 only asks "any at all?")
        events, _ = store.query_events(filters.query(EXPORT_PAGE, offset, sort, count_cap=0))
        if not events:
            return
        yield events, sources_of(store, events)
        offset += len(events)
        if len(events) < EXPORT_PAGE:
            return


def _jsonl_chunks(store: Store, filters: EventFilters, sort: str) -> Iterator[str]:
    for events, meta in _pages(store, filters, sort):
        buffer = io.StringIO()
        write_events(events, meta, "jsonl", buffer)
        yield buffer.getvalue()


def _csv_chunks(store: Store, filters: EventFilters, sort: str) -> Iterator[str]:
    buffer = io.StringIO()
    write_events([], {}, "csv", buffer)  # the header row, even when nothing matches
    yield buffer.getvalue()
    for events, meta in _pages(store, filters, sort):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=[*ACLED_COLUMNS, *SITREP_COLUMNS])
        for event in events:
            writer.writerow(csv_row(event, meta))
        yield buffer.getvalue()


def _geojson_chunks(store: Store, filters: EventFilters, sort: str) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for events, meta in _pages(store, filters, sort):
        for event in events:
            feature = geojson_feature(event, meta)
            if feature is not None:
                yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
                first = False
    yield "]}\n"


_EXPORTS = {
    "jsonl": (_jsonl_chunks, "application/x-ndjson; charset=utf-8"),
    "csv": (_csv_chunks, "text/csv; charset=utf-8"),
    "geojson": (_geojson_chunks, "application/geo+json; charset=utf-8"),
}


def _export(store: Store, filters: EventFilters, sort: str, fmt: str) -> StreamingResponse:
    chunks, media_type = _EXPORTS[fmt]
    return StreamingResponse(
        chunks(store, filters, sort),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="sitrep-events.{fmt}"'},
    )


ExportSort = Annotated[Sort, Query(description="Order of the rows.")]


@router.get("/export.jsonl", summary="Every matching event as JSON Lines (the `sitrep export` format)")
def export_jsonl(store: StoreDep, filters: FiltersDep, sort: ExportSort = "date") -> StreamingResponse:
    """Streamed JSON Lines, one export record a line."""
    return _export(store, filters, sort, "jsonl")


@router.get("/export.csv", summary="Every matching event as CSV with ACLED's column names")
def export_csv(store: StoreDep, filters: FiltersDep, sort: ExportSort = "date") -> StreamingResponse:
    """Streamed CSV: ACLED's columns in ACLED's order, then sitrep's."""
    return _export(store, filters, sort, "csv")


@router.get("/export.geojson", summary="Every matching event with coordinates as a GeoJSON FeatureCollection")
def export_geojson(store: StoreDep, filters: FiltersDep, sort: ExportSort = "date") -> StreamingResponse:
    """Streamed GeoJSON; events without coordinates are left out."""
    return _export(store, filters, sort, "geojson")
