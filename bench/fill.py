"""Fill a store with background articles in bulk, as earlier runs would have left them, without ingest.

Each background article is a mix of sentences drawn from a pool of real news text (the caller's:
the bench reads the dev corpus from ../shared at run time), published at a steady rate before a
given day, with its neighbour rows (terms, MinHash, band keys), one mention and its event. Every
`STORY_ARTICLES` articles make one story: the rarer names in their sentences (words no English word
list knows, found in under a fifth of the source texts) are replaced by names of that story's own,
while the region's names (the capital, the country, the movement) stay, as a store that grows over
the years holds new stories with new names on the same subjects in the same places. So a store of any size holds articles like the new
ones at the same density per month, and a run that scanned the store would show it.

`fill_events` fills the other kind of store, for the API's benchmark: a million one-mention events
written straight into the tables (no articles' text to speak of, no merge), in minutes.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

COUNTRIES = ["TJ", "AF", "KG", "UZ", "PK", "IR", "RU", "CN", "TM", "KZ"]
TYPES = ["ASSAULT", "ACCUSE", "CONSULT", "REQUEST", "SUPPORT", "MOBILIZE", "THREATEN", "AGREE"]
PER_DAY = 40  # background articles a day: a busy regional monitor
SENTENCES_PER_ARTICLE = 8
_SENTENCE = re.compile(r"[^.!?]+[.!?]")
ROWS_PER_WRITE = 5000
STORY_ARTICLES = 25
_TOKEN = re.compile(r"[A-Za-z]{3,}")


@dataclass(frozen=True)
class SentencePool:
    """Sentences to draw background articles from, and the region's names that every story keeps."""

    sentences: tuple[str, ...]
    region_names: frozenset[str]


def _story_name(word: str, story: int) -> str:
    """A name for `word` in story `story`: its first letters and the story number in letters."""
    letters, n = "", story + 1
    while n:
        n, digit = divmod(n, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[digit]
    return word[:4] + letters


def story_text(sentences: Sequence[str], story: int, region_names: frozenset[str] = frozenset()) -> str:
    """`sentences` with each name (a word the English frequency list lacks, not one of the region's
    names) made the story's own."""
    from sitrep.resolve.dating import _rarity

    known = _rarity()[0]
    text = " ".join(sentences)

    def rename(match: re.Match[str]) -> str:
        word = match[0].lower()
        return match[0] if word in known or word in region_names else _story_name(match[0], story)

    return _TOKEN.sub(rename, text)


def sentence_pool(texts: Sequence[str]) -> SentencePool:
    """The sentences of `texts` long enough to carry words, in order, and the names common to at
    least a fifth of `texts` (kept in every story, see `story_text`)."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in {w.lower() for w in _TOKEN.findall(text)}:
            counts[word] = counts.get(word, 0) + 1
    return SentencePool(
        tuple(s.strip() for text in texts for s in _SENTENCE.findall(text) if len(s.split()) >= 6),
        frozenset(w for w, c in counts.items() if c * 5 >= len(texts)),
    )


def fill_store(url: str, n: int, pool: SentencePool, before: dt.date, seed: int = 11) -> None:
    """Write `n` background articles, published `PER_DAY` a day up to the day before `before`, and
    leave the store analysed as autovacuum (PostgreSQL) or `Store.close` (SQLite) would."""
    from sitrep.model import Mention
    from sitrep.resolve import (
        assign_blocks,
        band_keys,
        merge_mentions,
        minhash_of,
        sketch_bytes,
        term_vector,
    )
    from sitrep.store import open_store
    from sitrep.store.bulk import insert_rows
    from sitrep.store.codec import mention_row
    from sitrep.store.connection import create_store_engine
    from sitrep.store.schema import article_bands, article_sketches, article_terms, articles, mentions

    rng = random.Random(seed)
    store = open_store(url)
    engine = create_store_engine(url)
    stored_at = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    all_mentions: list[Mention] = []
    rows: dict[str, list[dict[str, Any]]] = {"a": [], "t": [], "s": [], "b": [], "m": []}

    def flush() -> None:
        with engine.begin() as connection:
            for key, table in (("a", articles), ("t", article_terms), ("s", article_sketches),
                               ("b", article_bands), ("m", mentions)):  # fmt: skip
                insert_rows(connection, table, rows[key])
                rows[key] = []

    for i in range(n):
        article_id = f"bg-{i:07d}"
        published = before - dt.timedelta(days=1 + i // PER_DAY)
        sentences = rng.sample(pool.sentences, SENTENCES_PER_ARTICLE)
        text = story_text(sentences, i // STORY_ARTICLES, pool.region_names) + f" Background item {i}."
        rows["a"].append(
            {"article_id": article_id, "url": None, "outlet": f"Outlet {i % 50}", "published": published,
             "published_from": "record", "outlet_from": "record", "title": None, "raw_text": text,
             "text": text, "content_hash": f"{i:064x}", "revision": 1, "source": "bench",
             "is_sample": False, "copy_of": None, "stored_at": stored_at}
        )  # fmt: skip
        rows["t"] += [
            {"article_id": article_id, "term": t, "weight": w, "dated": True}
            for t, w in term_vector(text).items()
        ]
        sketch = minhash_of(text)
        minhash = sketch_bytes(sketch) if sketch is not None else b""
        rows["s"].append({"article_id": article_id, "minhash": minhash})
        rows["b"] += [{"band_key": k, "article_id": article_id} for k in band_keys(minhash)]
        etype = rng.choice(TYPES)
        quote = text.split(".")[0] + "."
        mention = Mention(
            mention_id=f"{article_id}:0:{etype}", article_id=article_id, event_type=etype, quote=quote,
            start=0, end=len(quote), date=published, date_text=published.isoformat(),
            country=rng.choice(COUNTRIES), actor1=f"Actor {rng.randrange(500)}",
            killed=rng.choice([None, None, 1, 2, 5]) if etype == "ASSAULT" else None, confidence=0.6,
        )  # fmt: skip
        (mention,) = assign_blocks([mention], {article_id: published})
        all_mentions.append(mention)
        rows["m"].append(mention_row(mention))
        if len(rows["t"]) >= ROWS_PER_WRITE * 10:
            flush()
    flush()
    events = merge_mentions(all_mentions)
    store.replace_events({m.block_key for m in all_mentions if m.block_key}, events)
    store.close()  # SQLite: PRAGMA optimize refreshes the statistics
    if engine.dialect.name == "postgresql":
        _vacuum_analyze(engine)  # the article tables too, not only the events write_events analyses
    engine.dispose()


EVENTS_PER_ARTICLE = 1000  # synthetic events cite few articles: the API's tables are what is measured
EVENT_ROWS_PER_WRITE = 20_000  # events per transaction while filling


def fill_events(url: str, n: int, seed: int = 7, per_day: int = 40) -> None:
    """Write `n` one-mention events straight into the store's tables, a transaction per
    EVENT_ROWS_PER_WRITE (COPY on PostgreSQL, one prepared INSERT on SQLite): the store the API
    reads, `per_day` events a day back from 2025-11-19, without merging (a million events in
    minutes). Each event has a type, a country, an actor of 500, a place inside or outside the
    bench's bounding box, and a death toll for assaults."""
    from sitrep.model import Count, Event, Mention
    from sitrep.store import open_store
    from sitrep.store.bulk import insert_rows
    from sitrep.store.codec import event_row, mention_row
    from sitrep.store.connection import create_store_engine
    from sitrep.store.schema import articles, event_mentions, event_search, events, mentions
    from sitrep.store.search import event_body

    open_store(url).close()  # migrated
    engine = create_store_engine(url)
    rng = random.Random(seed)
    last = dt.date(2025, 11, 19)
    stored_at = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    for first in range(0, n, EVENT_ROWS_PER_WRITE):
        rows: dict[str, list[dict[str, Any]]] = {"a": [], "m": [], "e": [], "l": [], "s": []}
        for i in range(first, min(n, first + EVENT_ROWS_PER_WRITE)):
            article_id = f"ev-bg-{i // EVENTS_PER_ARTICLE:06d}"
            if i % EVENTS_PER_ARTICLE == 0:
                text = f"Synthetic article {article_id}."
                rows["a"].append(
                    {"article_id": article_id, "url": None, "outlet": None, "published": last,
                     "published_from": "record", "outlet_from": None, "title": None, "raw_text": text,
                     "text": text, "content_hash": f"e{i:063x}", "revision": 1, "source": "bench",
                     "is_sample": False, "copy_of": None, "stored_at": stored_at}
                )  # fmt: skip
            day = last - dt.timedelta(days=i // per_day)
            etype = rng.choice(TYPES)
            killed = rng.choice([None, None, 1, 2, 5]) if etype == "ASSAULT" else None
            inside = rng.random() < 0.3
            lat, lon = (
                (rng.uniform(30, 45), rng.uniform(60, 80))
                if inside
                else (rng.uniform(0, 29), rng.uniform(0, 59))
            )
            quote = f"Synthetic report {i} of an event."
            mention = Mention(
                mention_id=f"{article_id}:{i}:{etype}", article_id=article_id, event_type=etype, quote=quote,
                start=0, end=len(quote), date=day, date_text=day.isoformat(), country=rng.choice(COUNTRIES),
                actor1=f"Actor {rng.randrange(500)}", killed=killed, lat=lat, lon=lon, confidence=0.6,
                block_key=f"*|bench|{day.year:04d}-{day.month:02d}",
            )  # fmt: skip
            event = Event(
                event_id=f"ev-{i:012x}", event_type=etype, mentions=(mention,), date=day,
                country=mention.country, lat=lat, lon=lon, actor1=mention.actor1,
                fatalities=Count(killed, killed, killed) if killed is not None else None,
                confidence=0.6, block_key=mention.block_key, merger="bench.fill",
            )  # fmt: skip
            rows["m"].append(mention_row(mention))
            rows["e"].append(event_row(event))
            rows["l"].append({"event_id": event.event_id, "position": 0, "mention_id": mention.mention_id})
            rows["s"].append({"event_id": event.event_id, "body": event_body(event)})
        with engine.begin() as connection:
            for key, table in (("a", articles), ("m", mentions), ("e", events), ("l", event_mentions),
                               ("s", event_search)):  # fmt: skip
                insert_rows(connection, table, rows[key])
    if engine.dialect.name == "postgresql":
        _vacuum_analyze(engine)
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    engine.dispose()


def _vacuum_analyze(engine: Any) -> None:
    """PostgreSQL: what autovacuum does to tables soon after a bulk load: planner statistics, and
    the visibility map that lets counts read indexes alone. VACUUM runs outside a transaction."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
