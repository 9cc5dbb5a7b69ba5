"""Render merged events and stored articles as JSON Lines, ACLED-column CSV or GeoJSON.

The JSON Lines record follows ../shared/corpus/EXPORT.md, plus `claims` on each source: what that
source itself said (date, place, counts, actors), so every merged value can be traced to its words.
CSV text cells that a spreadsheet would run as a formula are prefixed with `'` (`neutralise_cell`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import IO, Any, Protocol

import pycountry

from sitrep.model import Article, Event, Mention

FORMATS = ("jsonl", "csv", "geojson")


class SourceInfo(Protocol):
    """What export needs to know about an article (store.ArticleMeta satisfies it); read-only."""

    @property
    def url(self) -> str | None: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def published(self) -> dt.date | None: ...
    @property
    def copy_of(self) -> str | None: ...
    @property
    def language(self) -> str | None: ...


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def mention_claims(mention: Mention) -> dict[str, Any]:
    """What one source said about the event, field by field."""
    return {
        "event_type": mention.event_type,
        "mode": mention.mode,
        "date": _iso(mention.date),
        "date_precision": mention.date_precision,
        "date_end": _iso(mention.date_end),
        "date_text": mention.date_text,
        "country": mention.country,
        "admin1": mention.admin1,
        "admin2": mention.admin2,
        "location": mention.location,
        "place_text": mention.place_text,
        "actor1": mention.actor1,
        "actor1_country": mention.actor1_country,
        "actor2": mention.actor2,
        "actor2_country": mention.actor2_country,
        "killed": mention.killed,
        "injured": mention.injured,
        "confidence": round(mention.confidence, 3),
    }


def source_ids(event: Event) -> list[str]:
    """The ids of the articles that report `event`, sorted (the order of its `sources`)."""
    return sorted({m.article_id for m in event.mentions})


def event_sources(
    event: Event, articles: Mapping[str, SourceInfo], limit: int | None = None
) -> list[dict[str, Any]]:
    """One entry per reporting article: its best-supported mention's quote, offsets and claims.

    `limit`: only the first that many articles, in article-id order.
    """
    best: dict[str, Mention] = {}
    for mention in event.mentions:
        current = best.get(mention.article_id)
        if current is None or (-mention.confidence, mention.start) < (-current.confidence, current.start):
            best[mention.article_id] = mention
    sources = []
    for article_id in sorted(best)[:limit]:
        mention = best[article_id]
        info = articles.get(article_id)
        sources.append(
            {
                "article_id": article_id,
                "url": info.url if info else None,
                "outlet": info.outlet if info else None,
                "language": info.language if info else None,
                "published": _iso(info.published) if info else None,
                "copy_of": info.copy_of if info else None,
                "quote": mention.quote,
                "start": mention.start,
                "end": mention.end,
                "mention_id": mention.mention_id,
                "claims": mention_claims(mention),
            }
        )
    return sources


def event_record(
    event: Event,
    articles: Mapping[str, SourceInfo],
    max_sources: int | None = None,
    source_count: int | None = None,
) -> dict[str, Any]:
    """The EXPORT.md record of one merged event.

    With `max_sources`, `sources` holds only the first that many (in article-id order) and
    `source_count` says how many there are in all (the API's event lists use this; pass
    `source_count` when `event` is a summary carrying only some of its mentions).
    """
    record = {
        "id": event.event_id,
        "event_type": event.event_type,
        "mode": event.mode,
        "acled_event_type": event.acled_event_type,
        "acled_sub_event_type": event.acled_sub_event_type,
        "date": _iso(event.date),
        "date_precision": event.date_precision,
        "date_end": _iso(event.date_end),
        "country": event.country,
        "admin1": event.admin1,
        "admin2": event.admin2,
        "location": event.location,
        "latitude": event.lat,
        "longitude": event.lon,
        "actor1": event.actor1,
        "actor1_country": event.actor1_country,
        "actor2": event.actor2,
        "actor2_country": event.actor2_country,
        "fatalities": event.fatalities.as_dict() if event.fatalities else None,
        "injured": event.injured.as_dict() if event.injured else None,
        "sources": event_sources(event, articles, max_sources),
        "discrepancies": [d.as_dict() for d in event.discrepancies],
        "confidence": round(event.confidence, 3),
        "merger": event.merger,
    }
    if max_sources is not None:
        record["source_count"] = len(source_ids(event)) if source_count is None else source_count
    return record


def article_record(article: Article) -> dict[str, Any]:
    """The `--articles` export line: the stored article with its *clean* text."""
    return {
        "id": article.article_id,
        "url": article.url,
        "outlet": article.outlet,
        # An estimated date (resolve/dating.py) is not the article's: it is not exported as one.
        "published": None
        if (article.published_from or "").startswith("estimated:")
        else _iso(article.published),
        "title": article.title,
        "language": article.language,
        "text": article.text,
    }


# ACLED's public column names, in ACLED's order; sitrep's own extras follow them.
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip
SITREP_COLUMNS = (
    "plover_event_type", "plover_mode", "date_end", "fatalities_low", "fatalities_high",
    "injured_best", "injured_low", "injured_high", "actor1_country", "actor2_country",
    "article_ids", "discrepancies", "confidence",
)  # fmt: skip

# ACLED codes non-violent developments as "Strategic developments"; these sub-types are ACLED's own.
_STRATEGIC_SUBTYPE = {"AGREE": "Agreement", "COERCE": "Arrests", "MOBILIZE": "Change to group/activity"}
# ACLED time_precision: 1 = day, 2 = week or range, 3 = month or vaguer.
_TIME_PRECISION = {"day": 1, "range": 2, "month": 3, "year": 3}


def _country_fields(code: str | None) -> tuple[str, str]:
    country = pycountry.countries.get(alpha_2=code) if code else None
    if country is None:
        return "", code or ""
    return str(int(country.numeric)), country.name


def csv_row(event: Event, articles: Mapping[str, SourceInfo]) -> dict[str, Any]:
    """One ACLED-style row; violent events keep their ACLED type, others are Strategic developments."""
    iso, country = _country_fields(event.country)
    sources = event_sources(event, articles)
    violent = bool(event.acled_event_type)
    fatalities = event.fatalities.best if event.fatalities and event.fatalities.best is not None else 0
    quote = sources[0]["quote"] if sources else ""
    row: dict[str, Any] = {
        "event_id_cnty": event.event_id,
        "event_date": _iso(event.date) or "",
        "year": event.date.year if event.date else "",
        "time_precision": _TIME_PRECISION.get(event.date_precision, 3),
        "disorder_type": "Political violence" if violent else "Strategic developments",
        "event_type": event.acled_event_type or "Strategic developments",
        "sub_event_type": event.acled_sub_event_type or _STRATEGIC_SUBTYPE.get(event.event_type, "Other"),
        "actor1": event.actor1 or "",
        "actor2": event.actor2 or "",
        "iso": iso,
        "country": country,
        "admin1": event.admin1 or "",
        "admin2": event.admin2 or "",
        "location": event.location or "",
        "latitude": event.lat if event.lat is not None else "",
        "longitude": event.lon if event.lon is not None else "",
        "geo_precision": 1 if event.location else (2 if event.admin2 or event.admin1 else 3),
        "source": "; ".join(sorted({s["outlet"] or s["article_id"] for s in sources})),
        "notes": quote,
        "fatalities": fatalities,
        "plover_event_type": event.event_type,
        "plover_mode": event.mode or "",
        "date_end": _iso(event.date_end) or "",
        "fatalities_low": event.fatalities.low if event.fatalities else "",
        "fatalities_high": event.fatalities.high if event.fatalities else "",
        "injured_best": event.injured.best if event.injured else "",
        "injured_low": event.injured.low if event.injured else "",
        "injured_high": event.injured.high if event.injured else "",
        "actor1_country": event.actor1_country or "",
        "actor2_country": event.actor2_country or "",
        "article_ids": " ".join(s["article_id"] for s in sources),
        "discrepancies": json.dumps([d.as_dict() for d in event.discrepancies], ensure_ascii=False),
        "confidence": round(event.confidence, 3),
    }
    return {column: neutralise_cell(row.get(column, "")) for column in (*ACLED_COLUMNS, *SITREP_COLUMNS)}


# A text cell starting with one of these is read as a formula by spreadsheets (OWASP, CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would run as a formula with `'` (OWASP's advice).

    Only text is changed: numbers sitrep writes itself (a negative longitude, a count) are numbers,
    not formulas, and stay numbers for pandas and ACLED tools. A text that merely looks like a
    negative number ("-5" as an actor name) is text, so it is prefixed like any other.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def geojson_feature(event: Event, articles: Mapping[str, SourceInfo]) -> dict[str, Any] | None:
    """A GeoJSON Point feature, or None when the event has no coordinates."""
    if event.lat is None or event.lon is None:
        return None
    properties = event_record(event, articles)
    properties.pop("latitude")
    properties.pop("longitude")
    return {
        "type": "Feature",
        "id": event.event_id,
        "geometry": {"type": "Point", "coordinates": [event.lon, event.lat]},
        "properties": properties,
    }


def write_events(events: Iterable[Event], articles: Mapping[str, SourceInfo], fmt: str, fh: IO[str]) -> int:
    """Write `events` to `fh` in `fmt` (jsonl | csv | geojson); return how many were written."""
    written = 0
    if fmt == "jsonl":
        for event in events:
            fh.write(json.dumps(event_record(event, articles), ensure_ascii=False) + "\n")
            written += 1
    elif fmt == "csv":
        writer = csv.DictWriter(fh, fieldnames=[*ACLED_COLUMNS, *SITREP_COLUMNS])
        writer.writeheader()
        for event in events:
            writer.writerow(csv_row(event, articles))
            written += 1
    elif fmt == "geojson":
        features = [f for f in (geojson_feature(e, articles) for e in events) if f is not None]
        json.dump({"type": "FeatureCollection", "features": features}, fh, ensure_ascii=False)
        fh.write("\n")
        written = len(features)
    else:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    return written


def write_articles(articles: Iterable[Article], fh: IO[str]) -> int:
    """Write stored articles as JSON Lines (clean text); return how many."""
    count = 0
    for article in articles:
        fh.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
        count += 1
    return count
