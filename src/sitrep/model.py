"""The plain values that flow between stages.

Every stage takes and yields these frozen dataclasses and nothing else, so stages never import
each other (see docs/architecture.md). Offsets (`start`, `end`) always index the *clean* text
of the article (`Article.text`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

DatePrecision = Literal["day", "range", "month", "year"]

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip

# Types that merge with each other: outlets call the same act a condemnation or a denial, a
# meeting or talks. Blocking by family (not exact type) lets the merge compare them at all.
TYPE_FAMILY = {
    "ASSAULT": "violence", "COERCE": "violence",
    "ACCUSE": "verbal-conflict", "REJECT": "verbal-conflict", "THREATEN": "verbal-conflict",
    "PROTEST": "verbal-conflict", "SANCTION": "material-conflict", "MOBILIZE": "material-conflict",
    "CONSULT": "verbal-cooperation", "AGREE": "verbal-cooperation", "REQUEST": "request",
    "SUPPORT": "verbal-cooperation", "CONCEDE": "material-cooperation",
    "COOPERATE": "material-cooperation", "AID": "material-cooperation",
    "RETREAT": "material-cooperation",
}  # fmt: skip


# Languages (ISO 639-1) extraction reads, each by its own reader; an article detected in any other
# language is stored and counted (`sitrep stats`: not_extracted), never read by another language's rules.
EXTRACTED_LANGUAGES = frozenset({"en", "ru"})


def content_hash(text: str) -> str:
    """Return the sha256 of `text` with whitespace collapsed: re-scrapes that differ in spacing match."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RawArticle:
    """One article as read from a source, before cleaning.

    `source` is the file path or URL it came from and `line` the 1-based line in a JSON Lines
    file (None otherwise), so every later message can point at the input.
    """

    source: str
    line: int | None = None
    article_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    title: str | None = None
    text: str | None = None  # plain text as given (JSON Lines, .txt)
    html: str | None = None  # the page, when the input was HTML
    is_sample: bool = False


@dataclass(frozen=True)
class Article:
    """A cleaned article: `raw_text` as received, `text` after boilerplate removal and repairs."""

    article_id: str
    raw_text: str
    text: str
    url: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    published_from: str | None = None  # record | dateline | byline | trailer | url | html | stamp
    outlet_from: str | None = None  # record | byline | domain | html
    title: str | None = None
    source: str | None = None
    is_sample: bool = False
    copy_of: str | None = None  # set by resolve.copies when this is a near-duplicate of another article
    language: str | None = None  # ISO 639-1, detected by clean.language (None: too little text to tell)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


@dataclass(frozen=True)
class Rejected:
    """An input that a stage dropped, and why. Data, not an exception: runners count and store it."""

    item_id: str | None
    stage: str
    reason: str  # stable snake_case: invalid_json, no_text, binary_file, empty_file, ...
    detail: str
    source: str | None = None
    line: int | None = None

    def message(self) -> str:
        """One line for a person: where (file:line or URL), what, and why."""
        where = self.source or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        ident = f" [{self.item_id}]" if self.item_id else ""
        return f"{where}{ident}: {self.reason}: {self.detail}"


@dataclass(frozen=True)
class Place:
    """A gazetteer entry. `kind`: country | admin1 | admin2 | city | village | feature."""

    name: str
    kind: str
    country: str | None
    admin1: str | None = None
    admin2: str | None = None
    lat: float | None = None
    lon: float | None = None
    place_id: str = ""
    population: int = 0


class Gazetteer(Protocol):
    """What extraction and geocoding need from a place table (implemented in sitrep.geo)."""

    def lookup(self, name: str) -> list[Place]:
        """Places whose name or alternate name equals `name` (case- and accent-insensitive), best first."""
        ...

    def names(self) -> Iterable[tuple[str, str]]:
        """Every (name, kind) pair, for building an entity ruler."""
        ...


@dataclass(frozen=True)
class Mention:
    """One event as one article states it, with the quote that says so.

    `quote == article.text[start:end]` always holds. `block_key` is set by resolve.blocking.
    """

    mention_id: str  # f"{article_id}:{start}:{event_type}" — stable across re-runs
    article_id: str
    event_type: str
    quote: str
    start: int
    end: int
    mode: str | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    date: dt.date | None = None
    date_precision: DatePrecision = "day"
    date_end: dt.date | None = None
    date_text: str | None = None  # the words the date was read from
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    lat: float | None = None
    lon: float | None = None
    place_text: str | None = None  # the words the place was read from
    actor1: str | None = None
    actor1_country: str | None = None
    actor2: str | None = None
    actor2_country: str | None = None
    killed: int | None = None
    injured: int | None = None
    confidence: float = 0.5
    extractor: str = ""  # registered, versioned name of what produced it
    block_key: str | None = None


@dataclass(frozen=True)
class Count:
    """A count across sources: `best` by the rule in docs/merging.md, `low`/`high` span the reports."""

    best: int | None
    low: int | None
    high: int | None

    def as_dict(self) -> dict[str, int | None]:
        return {"best": self.best, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class Discrepancy:
    """Sources disagree on `field`: each value with the article ids that gave it."""

    field: str
    values: tuple[tuple[Any, tuple[str, ...]], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "values": [{"value": v, "article_ids": list(ids)} for v, ids in self.values],
        }


@dataclass(frozen=True)
class Event:
    """One real-world event merged from one or more mentions (its sources)."""

    event_id: str
    event_type: str
    mentions: tuple[Mention, ...]
    mode: str | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    date: dt.date | None = None
    date_precision: DatePrecision = "day"
    date_end: dt.date | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    lat: float | None = None
    lon: float | None = None
    actor1: str | None = None
    actor1_country: str | None = None
    actor2: str | None = None
    actor2_country: str | None = None
    fatalities: Count | None = None
    injured: Count | None = None
    discrepancies: tuple[Discrepancy, ...] = ()
    confidence: float = 0.5
    block_key: str | None = None
    merger: str = ""  # registered, versioned name of the merge that built it


@dataclass(frozen=True)
class FactClaim:
    """A stated quantity about a subject ("TJ-AF border length" = 1350 km), with its words."""

    subject: str
    unit: str
    value: float
    article_id: str
    quote: str
    start: int
    end: int
    stated: str  # the figure as written: "850 miles"


@dataclass(frozen=True)
class Fact:
    """Claims about one subject that disagree: each normalised value with its article ids."""

    subject: str
    unit: str
    values: tuple[tuple[float, tuple[str, ...]], ...]
    claims: tuple[FactClaim, ...] = field(default=())
