"""Rows to `sitrep.model` dataclasses and back, so that what is read equals (==) what was written.

Scalar fields map to columns of the same name. Event counts are split into `*_best/low/high`
columns; discrepancies are JSON with tagged dates and tuples, because a merged event may disagree
on a date and the frozen dataclasses hold tuples, which plain JSON would turn into lists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sitrep.model import Article, Count, Discrepancy, Event, FactClaim, Mention, Rejected

MENTION_FIELDS = tuple(f.name for f in dataclasses.fields(Mention))
FACT_CLAIM_FIELDS = tuple(f.name for f in dataclasses.fields(FactClaim))
# Event fields stored as columns of the same name; counts, discrepancies and mentions are special.
EVENT_SCALARS = tuple(
    f.name
    for f in dataclasses.fields(Event)
    if f.name not in {"mentions", "fatalities", "injured", "discrepancies"}
)
ARTICLE_FIELDS = (
    "article_id", "raw_text", "text", "url", "outlet", "published", "published_from",
    "outlet_from", "title", "source", "is_sample", "copy_of", "language",
)  # fmt: skip


def utc(value: dt.datetime) -> dt.datetime:
    """Return `value` as tz-aware UTC (SQLite hands back naive datetimes that were stored as UTC)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def article_row(article: Article) -> dict[str, Any]:
    """Return the column values of `article` (without the bookkeeping columns)."""
    return {name: getattr(article, name) for name in ARTICLE_FIELDS}


def article_from_row(row: Mapping[Any, Any]) -> Article:
    """Return the Article stored in `row`."""
    return Article(**{name: row[name] for name in ARTICLE_FIELDS})


def mention_row(mention: Mention) -> dict[str, Any]:
    """Return the column values of `mention`."""
    return {name: getattr(mention, name) for name in MENTION_FIELDS}


def mention_from_row(row: Mapping[Any, Any]) -> Mention:
    """Return the Mention stored in `row`."""
    return Mention(**{name: row[name] for name in MENTION_FIELDS})


def fact_claim_row(claim: FactClaim) -> dict[str, Any]:
    """Return the column values of `claim`."""
    return {name: getattr(claim, name) for name in FACT_CLAIM_FIELDS}


def fact_claim_from_row(row: Mapping[Any, Any]) -> FactClaim:
    """Return the FactClaim stored in `row`."""
    return FactClaim(**{name: row[name] for name in FACT_CLAIM_FIELDS})


def rejected_from_row(row: Mapping[Any, Any]) -> Rejected:
    """Return the Rejected stored in `row`."""
    return Rejected(
        item_id=row["item_id"],
        stage=row["stage"],
        reason=row["reason"],
        detail=row["detail"],
        source=row["source"],
        line=row["line"],
    )


def event_row(event: Event) -> dict[str, Any]:
    """Return the column values of `event` (its mentions go to event_mentions)."""
    row = {name: getattr(event, name) for name in EVENT_SCALARS}
    for prefix, count in (("fatalities", event.fatalities), ("injured", event.injured)):
        row[f"has_{prefix}"] = count is not None
        row[f"{prefix}_best"] = count.best if count else None
        row[f"{prefix}_low"] = count.low if count else None
        row[f"{prefix}_high"] = count.high if count else None
    row["discrepancies"] = encode_discrepancies(event.discrepancies)
    return row


def event_from_row(row: Mapping[Any, Any], mentions: tuple[Mention, ...]) -> Event:
    """Return the Event stored in `row`, with `mentions` as its sources."""
    counts = {}
    for prefix in ("fatalities", "injured"):
        has_count = row[f"has_{prefix}"]
        counts[prefix] = (
            Count(row[f"{prefix}_best"], row[f"{prefix}_low"], row[f"{prefix}_high"]) if has_count else None
        )
    return Event(
        mentions=mentions,
        fatalities=counts["fatalities"],
        injured=counts["injured"],
        discrepancies=decode_discrepancies(row["discrepancies"]),
        **{name: row[name] for name in EVENT_SCALARS},
    )


def encode_discrepancies(discrepancies: tuple[Discrepancy, ...]) -> str:
    """Return `discrepancies` as JSON text that decode_discrepancies turns back into equal values."""
    payload = [
        {"field": d.field, "values": [[_tag(value), list(ids)] for value, ids in d.values]}
        for d in discrepancies
    ]
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def decode_discrepancies(text: str) -> tuple[Discrepancy, ...]:
    """Return the discrepancies encoded in `text` by encode_discrepancies."""
    return tuple(
        Discrepancy(
            field=item["field"],
            values=tuple((_untag(value), tuple(ids)) for value, ids in item["values"]),
        )
        for item in json.loads(text)
    )


def _tag(value: Any) -> Any:
    """Return `value` as JSON-able data, tagging what JSON would otherwise change (dates, tuples)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):  # before date: a datetime is a date too
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [_tag(item) for item in value]}
    if isinstance(value, list):
        return [_tag(item) for item in value]
    if isinstance(value, Count):
        return {"$count": [value.best, value.low, value.high]}
    if isinstance(value, dict) and all(isinstance(key, str) and not key.startswith("$") for key in value):
        return {key: _tag(item) for key, item in value.items()}
    raise TypeError(f"cannot store a discrepancy value of type {type(value).__name__}: {value!r}")


def _untag(value: Any) -> Any:
    """Return the value that `_tag` turned into `value`."""
    if isinstance(value, list):
        return [_untag(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$datetime" in value:
        return dt.datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    if "$tuple" in value:
        return tuple(_untag(item) for item in value["$tuple"])
    if "$count" in value:
        return Count(*value["$count"])
    return {key: _untag(item) for key, item in value.items()}
