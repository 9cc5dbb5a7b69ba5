"""The store on SQLite and PostgreSQL: round trips, article outcomes, atomic writes, queries, migrations."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from sitrep.errors import ConfigError, SchemaOutOfDate, StoreError
from sitrep.model import Article, Count, Discrepancy, Event, FactClaim, Mention, Rejected
from sitrep.store import EventQuery, Store, head_revision, migrate, open_store, schema, search
from sitrep.store.codec import event_row, mention_row
from sitrep.store.events import SORTS, _page
from sitrep.store.revisions import alembic_config
from sitrep.store.schema import is_described, metadata
from sitrep.store.search import prepare_text

# Test texts written for these tests; the facts echo the Nov-Dec 2025 Tajik-Afghan border crisis.
QUOTES = {
    "ev-1": ("a1", "Guards traded fire near Kavo and five people died."),
    "ev-2": ("a1", "A drone hit a camp of Chinese workers in Shamsiddin Shohin."),
    "ev-3": ("a2", "Rahmon spoke with Putin by telephone about the border."),
    "ev-4": ("a2", "Three fighters were killed in an ambush in Darwaz."),
    "ev-5": ("a3", "Crowds marched in Kabul against the closures."),
    "ev-6": ("a3", "Dushanbe blamed the Taliban for the Kavo shooting."),
}
# event_id: (event_type, country, admin1, date, killed best, lat, lon, actor1, actor2, block_key)
EVENT_FIELDS = {
    "ev-1": ("ASSAULT", "TJ", "Khatlon", dt.date(2025, 12, 24), 5, 37.5, 68.9, "Taliban guards", None, "b1"),
    "ev-2": ("ASSAULT", "TJ", "Khatlon", dt.date(2025, 11, 26), 1, 37.3, 68.5, "gunmen", None, "b2"),
    "ev-3": ("CONSULT", "TJ", "Dushanbe", dt.date(2025, 12, 1), None, 38.56, 68.78, "Rahmon", "Putin", "b3"),
    "ev-4": ("ASSAULT", "AF", "Badakhshan", dt.date(2025, 11, 30), 3, 37.1, 70.5, "Taliban", None, "b4"),
    "ev-5": ("PROTEST", "AF", "Kabul", None, None, None, None, "residents", None, "b5"),
    "ev-6": ("ACCUSE", "TJ", "Khatlon", dt.date(2025, 12, 24), 0, 37.4, 68.6, "Tajik MFA", "Taliban", "b1"),
}


def make_article(
    article_id: str, text: str = "Border guards exchanged fire overnight.", **fields: object
) -> Article:
    """An article whose raw text differs from its clean text, as after cleaning."""
    return Article(article_id=article_id, raw_text=f"Share this\n{text}\nRead more:", text=text, **fields)  # type: ignore[arg-type]


def article_texts() -> dict[str, str]:
    """The text of each test article: its events' quotes, one per line."""
    texts: dict[str, list[str]] = {}
    for article_id, quote in QUOTES.values():
        texts.setdefault(article_id, []).append(quote)
    return {article_id: "\n".join(lines) for article_id, lines in texts.items()}


def make_mention(name: str, **fields: object) -> Mention:
    """The mention behind test event `name`, offsets pointing into its article's text; `fields` override."""
    article_id, quote = QUOTES[name]
    start = article_texts()[article_id].index(quote)
    event_type, country, admin1, date, killed, lat, lon, actor1, actor2, block = EVENT_FIELDS[name]
    values: dict[str, object] = {
        "mention_id": f"{article_id}:{start}:{event_type}",
        "article_id": article_id,
        "event_type": event_type,
        "quote": quote,
        "start": start,
        "end": start + len(quote),
        "date": date,
        "country": country,
        "admin1": admin1,
        "lat": lat,
        "lon": lon,
        "actor1": actor1,
        "actor2": actor2,
        "killed": killed,
        "extractor": "extract.test.v1",
        "block_key": block,
    }
    values.update(fields)
    return Mention(**values)  # type: ignore[arg-type]


def make_event(name: str, **fields: object) -> Event:
    """Test event `name` (an EVENT_FIELDS key) with its one mention; `fields` override."""
    event_type, country, admin1, date, killed, lat, lon, actor1, actor2, block = EVENT_FIELDS[name]
    values: dict[str, object] = {
        "event_id": name,
        "event_type": event_type,
        "mentions": (make_mention(name),),
        "date": date,
        "country": country,
        "admin1": admin1,
        "lat": lat,
        "lon": lon,
        "actor1": actor1,
        "actor2": actor2,
        "fatalities": Count(killed, killed, killed) if killed is not None else None,
        "block_key": block,
        "merger": "resolve.test.v1",
    }
    values.update(fields)
    return Event(**values)  # type: ignore[arg-type]


@pytest.fixture
def filled(store: Store) -> Store:
    """The store with the three test articles, their mentions and the six test events."""
    for article_id, text in article_texts().items():
        assert store.add_article(make_article(article_id, text)) == "added"
    for article_id in article_texts():
        store.replace_mentions(
            article_id, [make_mention(e) for e, (a, _) in QUOTES.items() if a == article_id]
        )
    store.replace_events(
        {fields[-1] for fields in EVENT_FIELDS.values()}, [make_event(e) for e in EVENT_FIELDS]
    )
    return store


# migrations and opening


def test_open_store_reaches_head_on_empty_database(store_url: str) -> None:
    open_store(store_url).close()
    open_store(store_url, migrate=False).close()  # would raise SchemaOutOfDate below head
    assert migrate(store_url) == head_revision()


def test_open_store_without_migrate_raises_schema_out_of_date(store_url: str) -> None:
    with pytest.raises(SchemaOutOfDate, match="no sitrep schema") as caught:
        open_store(store_url, migrate=False)
    assert "sitrep db migrate" in caught.value.hint


def test_migrations_build_the_schema_module(store_url: str) -> None:
    migrate(store_url)
    engine = sa.create_engine(store_url)

    def built_here(item: object, _name: object, _kind: object, _reflected: object, _other: object) -> bool:
        only_for = getattr(getattr(item, "_ddl_if", None), "dialect", None)  # Index.ddl_if(dialect=...)
        return only_for in (None, engine.dialect.name)

    with engine.connect() as connection:
        opts = {"include_object": built_here, "include_name": is_described}  # FTS5 tables: raw DDL in 0002
        context = MigrationContext.configure(connection, opts=opts)
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []


@pytest.mark.parametrize("url", ["mysql://root@localhost/x", "not a url", "sqlite:////no/such/folder/x.db"])
def test_open_store_bad_url_raises_config_error(url: str) -> None:
    with pytest.raises(ConfigError):
        open_store(url)


def test_open_store_unreachable_postgres_raises_store_error() -> None:
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    with pytest.raises(StoreError, match="could not connect") as caught:
        open_store("postgresql+psycopg://postgres@127.0.0.1:1/sitrep")
    assert "server is running" in caught.value.hint


# articles


def test_add_article_round_trips_every_field(store: Store) -> None:
    article = make_article(
        "a1", url="https://example.org/a1", outlet="Example Times", published=dt.date(2025, 12, 25),
        published_from="dateline", outlet_from="record", title="Clash at Kavo", source="dev.jsonl",
        is_sample=True,
    )  # fmt: skip
    assert store.add_article(article) == "added"
    assert store.get_article("a1") == article
    assert store.get_article("nope") is None


def test_add_article_same_id_and_text_is_duplicate(store: Store) -> None:
    store.add_article(make_article("a1"))
    assert store.add_article(make_article("a1", title="re-scraped")) == "duplicate"
    assert store.stats()["articles"] == 1


def test_add_article_same_text_under_another_id_is_duplicate(store: Store) -> None:
    store.add_article(make_article("a1", url="https://one.example/x"))
    assert store.add_article(make_article("b7", url="https://two.example/y")) == "duplicate"
    assert store.get_article("b7") is None


def test_add_article_same_url_and_text_is_duplicate(store: Store) -> None:
    store.add_article(make_article("a1", url="https://one.example/x"))
    assert store.add_article(make_article("a2", "Border  guards exchanged fire overnight.",
                                          url="https://one.example/x")) == "duplicate"  # fmt: skip


def test_add_article_changed_text_at_same_url_is_revision(store: Store) -> None:
    store.add_article(make_article("a1", "Two guards died.", url="https://one.example/x"))
    assert (
        store.add_article(make_article("a9", "Three guards died.", url="https://one.example/x")) == "revision"
    )
    assert store.get_article("a1").text == "Three guards died."  # type: ignore[union-attr]
    assert store.get_article("a9") is None
    assert [(n, text) for n, text, _ in store.article_revisions("a1")] == [(1, "Two guards died.")]


def test_add_article_changed_text_at_same_id_counts_revisions(store: Store) -> None:
    for text in ("First version.", "Second version.", "Third version."):
        store.add_article(make_article("a1", text))
    revisions = store.article_revisions("a1")
    assert [(n, text) for n, text, _ in revisions] == [(1, "First version."), (2, "Second version.")]
    assert all(stored_at.tzinfo == dt.UTC for _, _, stored_at in revisions)
    assert store.stats()["revisions"] == 2


def test_add_article_failing_write_leaves_nothing(store: Store) -> None:
    store.add_article(make_article("a1"))
    with pytest.raises(StoreError):
        store.add_article(make_article("a2", "Other text.", copy_of="missing"))  # foreign key fails
    assert store.get_article("a2") is None
    assert store.get_article("a1") == make_article("a1")


def test_add_article_failing_revision_keeps_old_text(store: Store) -> None:
    store.add_article(make_article("a1", "Old text."))
    with pytest.raises(StoreError):
        store.add_article(make_article("a1", "New text.", copy_of="missing"))
    assert store.get_article("a1").text == "Old text."  # type: ignore[union-attr]
    assert store.article_revisions("a1") == []


def test_add_articles_stores_a_partition_in_one_transaction(store: Store) -> None:
    """In order, in one transaction: an added article gets its rows, a duplicate and a revision do
    not (the revision's rows are remade from the store later); a failing one leaves none of them."""
    rows = ({"guards": 0.8, "border": 0.6}, True, b"\x01" * 8, ["0:ab"])
    outcomes = store.add_articles([
        (make_article("a1", "Two guards died."), rows),
        (make_article("a2", "Two guards died."), rows),  # same text: a duplicate of a1
        (make_article("a1", "Three guards died."), rows),  # changed text: a1's revision
        (make_article("a3", "Shelling was heard.", published=dt.date(2025, 12, 1)), None),
    ])  # fmt: skip
    assert outcomes == ["added", "duplicate", "revision", "added"]
    assert store.get_article("a1").text == "Three guards died."  # type: ignore[union-attr]
    assert store.copy_candidates(["0:ab"]) == {"a1"}  # rows of the added version only
    assert store.neighbour_scores("a1", True) == {}  # no other article has rows
    assert store.unindexed_article_ids() == ["a3"]
    with pytest.raises(StoreError):
        store.add_articles([(make_article("a4", "Four."), rows),
                            (make_article("a5", "Five.", copy_of="missing"), None)])  # fmt: skip
    assert store.get_article("a4") is None
    assert store.get_article("a5") is None
    assert store.copy_candidates(["0:ab"]) == {"a1"}


def test_iter_articles_and_meta_follow_ids(store: Store) -> None:
    for article_id in ("a3", "a1", "a2"):
        store.add_article(make_article(article_id, f"Text of {article_id}.", outlet="Wire"))
    assert [a.article_id for a in store.iter_articles()] == ["a1", "a2", "a3"]
    assert [a.article_id for a in store.iter_articles(["a2", "zz", "a1"])] == ["a2", "a1"]
    meta = store.article_meta(["a2", "zz"])
    assert list(meta) == ["a2"]
    assert meta["a2"].outlet == "Wire"
    assert meta["a2"].is_sample is False
    assert len(store.article_meta()) == 3


def test_set_copy_of_marks_and_unmarks(store: Store) -> None:
    store.add_article(make_article("a1", "Original."))
    store.add_article(make_article("a2", "Copy of the original."))
    store.set_copy_of("a2", "a1")
    assert store.article_meta(["a2"])["a2"].copy_of == "a1"
    assert store.stats()["copies"] == 1
    store.set_copy_of("a2", None)
    assert store.get_article("a2").copy_of is None  # type: ignore[union-attr]
    with pytest.raises(StoreError, match="no article"):
        store.set_copy_of("zz", "a1")


# runs and rejections


def test_rejections_round_trip_by_run(store: Store) -> None:
    run_id = store.start_run(["bad.jsonl"])
    bad = [
        Rejected("x1", "ingest.jsonl.v1", "invalid_json", "Expecting value", source="bad.jsonl", line=3),
        Rejected(None, "ingest.files.v1", "empty_file", "0 bytes", source="empty.txt"),
    ]
    assert store.add_rejections(bad, run_id) == 2
    store.add_rejections([Rejected("y", "clean.v1", "no_text", "blank")])
    store.finish_run(run_id, {"ingested": 0, "rejected": 2})
    assert store.list_rejections(run_id) == bad
    assert len(store.list_rejections()) == 3
    with pytest.raises(StoreError, match="no run"):
        store.finish_run("nope", {})


# mentions


def test_replace_mentions_round_trips_and_replaces_whole_article(filled: Store) -> None:
    full = make_mention("ev-1", mode="firearms", date_precision="range", date_end=dt.date(2025, 12, 25),
                        date_text="Dec 24-25", admin2="Kavo", location="Kavo", place_text="near Kavo",
                        actor1_country="AF", actor2_country="TJ", injured=2, confidence=0.8)  # fmt: skip
    filled.replace_mentions("a1", [full])
    assert filled.mentions_for_articles(["a1"]) == [full]
    assert filled.mentions_for_blocks(["b1"]) == sorted(
        [full, make_mention("ev-6")], key=lambda m: m.mention_id
    )
    assert len(list(filled.iter_mentions())) == 5


def test_replace_mentions_failing_write_keeps_earlier_rows(filled: Store) -> None:
    before = filled.mentions_for_articles(["a1"])
    bad = make_mention("ev-2", mention_id="a1:bad", start=10, end=5)  # violates start <= end
    with pytest.raises(StoreError):
        filled.replace_mentions("a1", [make_mention("ev-1", quote="changed"), bad])
    assert filled.mentions_for_articles(["a1"]) == before


def test_replace_mentions_keeps_event_links_of_kept_mentions(filled: Store) -> None:
    filled.replace_mentions("a1", [make_mention("ev-1")])  # ev-2's mention is gone
    assert filled.get_event("ev-1") == make_event("ev-1")
    assert filled.get_event("ev-2").mentions == ()  # type: ignore[union-attr]


# events


def test_event_round_trips_with_mentions_and_discrepancies(filled: Store) -> None:
    event = make_event(
        "ev-1", mentions=(make_mention("ev-1"), make_mention("ev-6")), mode="firearms",
        acled_event_type="Battles", acled_sub_event_type="Armed clash", date_precision="range",
        date_end=dt.date(2025, 12, 25), admin2="Shamsiddin Shohin", location="Kavo",
        actor1_country="AF", actor2="Tajik guards", actor2_country="TJ",
        fatalities=Count(5, 3, 5), injured=Count(None, None, None), confidence=0.72,
        discrepancies=(
            Discrepancy("fatalities", ((3, ("a3",)), (5, ("a1", "a2")))),
            Discrepancy("date", ((dt.date(2025, 12, 24), ("a1",)), (dt.date(2025, 12, 25), ("a3",)))),
            Discrepancy("location", (("Kavo", ("a1",)), (None, ("a3",)), (("a", 1.5), ()))),
        ),
    )  # fmt: skip
    filled.replace_events(["b1"], [event])
    assert filled.get_event("ev-1") == event
    assert filled.get_event("ev-6") is None  # same block, not in the new set
    assert filled.get_event("missing") is None


def test_replace_events_replaces_only_named_blocks(filled: Store) -> None:
    merged = make_event("ev-2", event_id="ev-2b", fatalities=Count(2, 1, 2))
    filled.replace_events(["b2"], [merged])
    assert filled.get_event("ev-2") is None
    assert filled.get_event("ev-2b") == merged
    assert sorted(e.event_id for e in filled.iter_events()) == [
        "ev-1",
        "ev-2b",
        "ev-3",
        "ev-4",
        "ev-5",
        "ev-6",
    ]
    assert filled.event_ids_for_article("a1") == ["ev-1", "ev-2b"]


def test_replace_events_failing_write_keeps_old_events(filled: Store) -> None:
    orphan = make_mention("ev-2", mention_id="zz:0:ASSAULT", article_id="zz")  # no such article
    with pytest.raises(StoreError):
        filled.replace_events(["b2"], [make_event("ev-2", mentions=(orphan,))])
    assert filled.get_event("ev-2") == make_event("ev-2")


def _ids(store: Store, **filters: object) -> list[str]:
    events, _ = store.query_events(EventQuery(**filters))  # type: ignore[arg-type]
    return [e.event_id for e in events]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"since": dt.date(2025, 12, 1)}, ["ev-1", "ev-3", "ev-6"]),
        ({"until": dt.date(2025, 11, 30)}, ["ev-2", "ev-4"]),
        ({"country": "AF"}, ["ev-4", "ev-5"]),
        ({"admin1": "Khatlon"}, ["ev-1", "ev-2", "ev-6"]),
        ({"event_type": "ASSAULT"}, ["ev-1", "ev-2", "ev-4"]),
        ({"min_killed": 3}, ["ev-1", "ev-4"]),
        ({"text": "chinese"}, ["ev-2"]),  # only in the quote
        ({"text": "PUTIN"}, ["ev-3"]),  # actor2
        ({"text": "badakh"}, ["ev-4"]),  # admin1
        ({"text": "100%"}, []),  # % is a character, not a wildcard
        ({"bbox": (68.0, 37.0, 69.0, 38.0)}, ["ev-1", "ev-2", "ev-6"]),
        ({"bbox": (70.0, 37.0, 68.6, 38.0)}, ["ev-2", "ev-4", "ev-6"]),  # across the antimeridian
        ({"country": "TJ", "event_type": "ASSAULT", "since": dt.date(2025, 12, 1)}, ["ev-1"]),
    ],
)
def test_query_events_filters(filled: Store, filters: dict[str, object], expected: list[str]) -> None:
    assert _ids(filled, sort="id", **filters) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-date", ["ev-6", "ev-1", "ev-3", "ev-4", "ev-2", "ev-5"]),  # ties by id, no date last
        ("date", ["ev-2", "ev-4", "ev-3", "ev-1", "ev-6", "ev-5"]),
        ("killed", ["ev-6", "ev-2", "ev-4", "ev-1", "ev-3", "ev-5"]),
        ("-killed", ["ev-1", "ev-4", "ev-2", "ev-6", "ev-5", "ev-3"]),
        ("id", ["ev-1", "ev-2", "ev-3", "ev-4", "ev-5", "ev-6"]),
    ],
)
def test_query_events_sorts(filled: Store, sort: str, expected: list[str]) -> None:
    assert _ids(filled, sort=sort) == expected


def test_query_events_pages_with_total(filled: Store) -> None:
    page, total = filled.query_events(EventQuery(limit=2, offset=2, sort="id"))
    assert ([e.event_id for e in page], total) == (["ev-3", "ev-4"], 6)
    assert page[0] == make_event("ev-3")
    assert filled.query_events(EventQuery(offset=10)) == ([], 6)
    assert filled.query_events(EventQuery(country="AF", limit=1))[1] == 2


def test_query_events_bounds_the_count_but_not_the_page(filled: Store) -> None:
    page, total = filled.query_events(EventQuery(limit=2, offset=2, sort="id", count_cap=2))
    assert ([e.event_id for e in page], total) == (["ev-3", "ev-4"], 2)  # a page past the cap is read
    last = filled.query_event_summaries(EventQuery(limit=5, offset=3, sort="id", count_cap=2), 1)
    assert ([e.event_id for e, _ in last[0]], last[1:]) == (["ev-4", "ev-5", "ev-6"], (6, True))  # all seen
    assert filled.query_event_summaries(EventQuery(count_cap=2, limit=2), 1)[1:] == (2, False)
    assert filled.query_event_summaries(EventQuery(count_cap=6), 1)[1:] == (6, True)
    assert filled.query_event_summaries(EventQuery(offset=10, count_cap=6), 1) == ([], 6, True)


@pytest.mark.parametrize(
    "filters",
    [{"bbox": (68.0, 37.0, 69.0, 39.0)}, {"bbox": (70.0, -90.0, 68.7, 90.0)}, {"text": "taliban"},
     {"text": "taliban", "bbox": (68.0, 37.0, 71.0, 38.0)}],
)  # fmt: skip
@pytest.mark.parametrize("sort", SORTS)
def test_query_events_past_the_count_cap_finds_the_same_page(
    filled: Store, filters: dict[str, Any], sort: str
) -> None:
    """Past the cap, SQLite tests the box and the text row by row: the same events, in order."""
    exact, _ = filled.query_events(EventQuery(**filters, sort=sort, limit=3, offset=1))
    capped, _ = filled.query_events(EventQuery(**filters, sort=sort, limit=3, offset=1, count_cap=0))
    assert len(exact) >= 1  # each case keeps a page after the offset
    assert [e.event_id for e in capped] == [e.event_id for e in exact]


@pytest.mark.parametrize("bad", [{"sort": "name"}, {"limit": -1}, {"offset": -5}, {"bbox": (0, 10, 1, 5)}])
def test_event_query_rejects_bad_parameters(bad: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        EventQuery(**bad)  # type: ignore[arg-type]


# facts and stats


def test_fact_claims_round_trip_and_replace(filled: Store) -> None:
    claims = [
        FactClaim("TJ-AF border length", "km", 1344.0, "a1", "a 1,344 km border", 0, 17, "1,344 km"),
        FactClaim("TJ-AF border length", "km", 1367.9, "a1", "850 miles of border", 20, 39, "850 miles"),
    ]
    filled.replace_fact_claims("a1", claims)
    filled.replace_fact_claims("a2", [dataclasses.replace(claims[0], article_id="a2", value=1350.0)])
    filled.replace_fact_claims("a1", claims[1:])
    assert list(filled.iter_fact_claims()) == [
        dataclasses.replace(claims[0], article_id="a2", value=1350.0), claims[1]
    ]  # fmt: skip


def test_stats_counts_everything(filled: Store) -> None:
    stats = filled.stats()
    assert (stats["articles"], stats["mentions"], stats["events"]) == (3, 6, 6)
    assert stats["events_by_type"] == {"ASSAULT": 3, "ACCUSE": 1, "CONSULT": 1, "PROTEST": 1}
    assert stats["events_by_country"] == {"TJ": 4, "AF": 2}
    assert (stats["first_date"], stats["last_date"]) == ("2025-11-26", "2025-12-24")


def test_replace_events_bulk_round_trips(filled: Store) -> None:
    # 1,200 events: past the PostgreSQL COPY threshold for upserting mentions (bulk.COPY_UPSERT_FROM).
    many = [
        make_event("ev-4", event_id=f"bulk-{i:04d}", mentions=(make_mention("ev-4", mention_id=f"a2:{i}:X"),))
        for i in range(1200)
    ]
    filled.replace_events(["b4"], many)
    assert filled.get_event("bulk-0777") == many[777]
    assert filled.query_events(EventQuery(country="AF", limit=0))[1] == 1201  # and ev-5
    assert filled.get_event("ev-4") is None


# text search (the API's q): words as prefixes, over actors, places, types and quotes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("taliban", ["ev-1", "ev-4", "ev-6"]),  # actor1 of ev-1/ev-4, actor2 and quote of ev-6
        ("putin", ["ev-3"]),  # actor2 and quote
        ("drone", ["ev-2"]),  # only in the quote
        ("darwaz", ["ev-4"]),  # only in the quote
        ("badakhshan", ["ev-4"]),  # admin1
        ("dushanbe", ["ev-3", "ev-6"]),  # admin1 of ev-3, quote of ev-6
        ("khatl", ["ev-1", "ev-2", "ev-6"]),  # a prefix of admin1
        ("KAVO", ["ev-1", "ev-6"]),  # case ignored
        ("Dushanbé", ["ev-3", "ev-6"]),  # accents ignored
        ("af", ["ev-4", "ev-5"]),  # country code
        ("protest", ["ev-5"]),  # event type
        ("kavo taliban", ["ev-1", "ev-6"]),  # every word must match, in any order or field
        ("taliban darwaz", ["ev-4"]),
        ("kavo putin", []),
        ("avo", []),  # words match from their start, not inside
    ],
)
def test_query_events_text_matches_word_prefixes(filled: Store, text: str, expected: list[str]) -> None:
    assert _ids(filled, sort="id", text=text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("taliban", ["ev-1", "ev-4", "ev-6"]), ("kavo taliban", ["ev-1", "ev-6"]),
     ("d", ["ev-1", "ev-2", "ev-3", "ev-4", "ev-6"]), ("avo", []), ("Dushanbé", ["ev-3", "ev-6"])],
)  # fmt: skip
def test_query_events_text_past_the_count_cap_tests_each_document(
    filled: Store, text: str, expected: list[str]
) -> None:
    # count_cap 0: the total is never exact, so the page walks the sort's index and tests each
    # event's own document (SQLite: words in the body; PostgreSQL: the stored vector) instead of
    # asking the full-text index: the same events either way.
    found, _, _ = filled.query_event_summaries(EventQuery(sort="id", text=text, count_cap=0), 5)
    assert sorted(event.event_id for event, _ in found) == sorted(_ids(filled, sort="id", text=text))
    assert sorted(event.event_id for event, _ in found) == expected


def test_query_events_text_word_beginning_many_terms(filled: Store) -> None:
    # More stored words begin with the query's word than search.MAX_EXPANSION: searched as a prefix.
    names = [f"Kargil{i}" for i in range(12)]
    filled.replace_events(["b5"], [make_event("ev-5", actor1=" ".join(names))])
    assert _ids(filled, sort="id", text="kargil") == ["ev-5"]
    assert _ids(filled, sort="id", text="kargil1") == ["ev-5"]  # 1, 10, 11: three terms
    assert _ids(filled, sort="id", text="kargil12") == []


def test_query_events_text_prefix_finds_longer_word(filled: Store) -> None:
    filled.replace_events(["b5"], [make_event("ev-5", actor1="Tajikistan border troops")])
    assert _ids(filled, sort="id", text="Tajik") == ["ev-5", "ev-6"]  # Tajikistan, Tajik MFA


@pytest.mark.parametrize(
    "text",
    [
        '"kavo"',
        "kavo*",
        "'kavo'",
        "kavo%",
        "(kavo)",
        "kavo:",
        "-kavo",
        "^kavo",
        '+"kavo"~',
        "{kavo}",
        "kavo;--",
    ],
)
def test_query_events_text_ignores_query_syntax(filled: Store, text: str) -> None:
    assert _ids(filled, sort="id", text=text) == ["ev-1", "ev-6"]


@pytest.mark.parametrize("text", ['"', "*", "%", "'", "\\", "&|!:*", '" -- ;', "()"])
def test_query_events_text_without_words_filters_nothing(filled: Store, text: str) -> None:
    assert filled.query_events(EventQuery(text=text, limit=0))[1] == 6


@pytest.mark.parametrize(
    "text", ["and kavo", "or", "not guards", "near", "100%", "x_y", "北京", "½", "٣", "ǅ", "x²", "e\u0301"]
)
def test_query_events_text_operators_are_words(filled: Store, text: str) -> None:
    filled.query_events(EventQuery(text=text))  # FTS5's AND/OR/NOT/NEAR are plain words here: no error


def test_query_events_text_counts_all_matches(filled: Store) -> None:
    page, total = filled.query_events(EventQuery(text="khatlon", limit=1, sort="id"))
    assert ([e.event_id for e in page], total) == (["ev-1"], 3)


def test_postgres_index_reads_narrow_words_from_shares_read_once(
    filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: a word in more than search.BROAD_SHARE of the documents (by pg_stats) is left out
    of the index's query and tested row by row; the shares are read once per SHARES_TTL_S."""
    if not filled.url.startswith("postgresql"):
        pytest.skip("PostgreSQL's planner statistics")
    engine = sa.create_engine(filled.url)
    reads: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if "pg_stats" in statement:
            reads.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE event_search")
        with engine.connect() as connection:
            both = prepare_text("darwaz taliban", connection)  # taliban: 3 of 6 documents
            again = prepare_text("Taliban, Darwaz", connection)
            assert len(reads) == 1
            monkeypatch.setattr(search, "SHARES_TTL_S", 0.0)
            prepare_text("darwaz", connection)
            assert len(reads) == 2
    finally:
        engine.dispose()
    assert both is not None
    assert again is not None
    assert (both.words, both.index_words) == (("darwaz", "taliban"), ("darwaz",))
    assert (again.words, again.index_words) == (("taliban", "darwaz"), ("darwaz",))
    assert _ids(filled, sort="id", text="darwaz taliban") == ["ev-4"]
    assert _ids(filled, sort="id", text="taliban") == ["ev-1", "ev-4", "ev-6"]  # broad words alone
    # kavo (ev-1, ev-6) is broad too: counting the text alone, the index finds ev-4 (AF) by darwaz
    # and the row test drops it; with another filter the count reads the whole query's matches.
    with engine.connect() as connection:
        kavo = prepare_text("darwaz kavo", connection)
    assert kavo is not None
    assert kavo.index_words == ("darwaz",)
    assert filled.query_events(EventQuery(text="darwaz kavo")) == ([], 0)
    assert filled.query_events(EventQuery(text="darwaz kavo", country="AF")) == ([], 0)
    assert _ids(filled, text="darwaz taliban", country="AF") == ["ev-4"]


def test_postgres_page_past_a_positive_cap_runs_without_parallel_workers(filled: Store) -> None:
    """PostgreSQL: past a count cap above 0 the page walks the sort's index in this transaction
    without parallel workers (their start costs more than the short walk); the same events."""
    if not filled.url.startswith("postgresql"):
        pytest.skip("PostgreSQL's parallel query")
    engine = sa.create_engine(filled.url)
    show = "SHOW max_parallel_workers_per_gather"
    try:
        with engine.connect() as connection:
            default = connection.exec_driver_sql(show).scalar()
            rows, total, exact = _page(connection, EventQuery(text="d", sort="id", count_cap=5))
            assert (total, exact, connection.exec_driver_sql(show).scalar()) == (5, True, default)
            capped, total, exact = _page(connection, EventQuery(text="d", sort="id", limit=4, count_cap=2))
            assert (total, exact, connection.exec_driver_sql(show).scalar()) == (2, False, "0")
            assert [row["event_id"] for row in capped] == [row["event_id"] for row in rows][:4]
        with engine.connect() as connection:  # the next transaction has the server's setting again
            assert connection.exec_driver_sql(show).scalar() == default != "0"
    finally:
        engine.dispose()


def test_replace_events_removes_replaced_events_from_search(filled: Store) -> None:
    filled.replace_events(["b2"], [make_event("ev-2", event_id="ev-2b", actor1="Unknown assailants")])
    filled.replace_events(["b1"], [])  # ev-1 and ev-6 deleted
    assert _ids(filled, sort="id", text="kavo") == []
    assert _ids(filled, sort="id", text="gunmen") == []  # ev-2's old actor
    assert _ids(filled, sort="id", text="assailants") == ["ev-2b"]
    assert _ids(filled, sort="id", text="chinese") == ["ev-2b"]  # the same quote, now under ev-2b


def test_replace_mentions_updates_search_of_citing_events(filled: Store) -> None:
    changed = make_mention("ev-1", quote="Guards traded fire near Vose and five people died.")
    filled.replace_mentions("a1", [changed])  # ev-1's quote changes, ev-2's mention is gone
    assert _ids(filled, sort="id", text="vose") == ["ev-1"]
    assert _ids(filled, sort="id", text="drone") == []
    assert _ids(filled, sort="id", text="kavo") == ["ev-6"]


def test_migration_0002_backfills_search_from_stored_events(store_url: str) -> None:
    engine = sa.create_engine(store_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        stored_at = dt.datetime.now(dt.UTC)
        connection.execute(sa.insert(schema.articles), [
            {"article_id": a, "raw_text": t, "text": t, "content_hash": a, "stored_at": stored_at}
            for a, t in article_texts().items()
        ])  # fmt: skip
        chosen = [make_event("ev-3"), make_event("ev-4")]
        connection.execute(sa.insert(schema.mentions), [mention_row(e.mentions[0]) for e in chosen])
        connection.execute(sa.insert(schema.events), [event_row(e) for e in chosen])
        connection.execute(sa.insert(schema.event_mentions), [
            {"event_id": e.event_id, "position": 0, "mention_id": e.mentions[0].mention_id} for e in chosen
        ])  # fmt: skip
    engine.dispose()
    with open_store(store_url) as store:  # migrates 0001 -> head
        assert _ids(store, sort="id", text="putin") == ["ev-3"]  # actor and quote
        assert _ids(store, sort="id", text="ambush badakh") == ["ev-4"]  # quote and admin1
        store.replace_events(["b4"], [])
        assert _ids(store, sort="id", text="ambush") == []  # backfilled rows go with their events


def test_migration_0002_downgrades_and_upgrades_again(filled: Store) -> None:
    engine = sa.create_engine(filled.url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0001")
        assert "event_search" not in sa.inspect(connection).get_table_names()
        command.upgrade(alembic_config(connection), "head")
    engine.dispose()
    assert _ids(filled, sort="id", text="kavo") == ["ev-1", "ev-6"]


def test_search_index_stays_consistent_after_rewrites(filled: Store) -> None:
    filled.replace_events(["b2"], [make_event("ev-2", event_id="ev-2b")])
    filled.replace_mentions("a1", [make_mention("ev-1", quote="Guards traded fire near Vose.")])
    filled.replace_events(["b1"], [])
    engine = sa.create_engine(filled.url)
    with engine.connect() as connection:
        search_rows = connection.execute(sa.select(sa.func.count()).select_from(schema.event_search))
        assert search_rows.scalar_one() == filled.stats()["events"]  # one document per event, no orphans
        if connection.dialect.name == "sqlite":  # FTS5 compares its index with event_search; raises if off
            check = f"INSERT INTO {schema.FTS_TABLE}({schema.FTS_TABLE}, rank) VALUES ('integrity-check', 1)"
            connection.exec_driver_sql(check)
    engine.dispose()


def test_migration_0006_adds_language_and_old_articles_read_as_unknown(filled: Store) -> None:
    engine = sa.create_engine(filled.url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0005")
        assert "language" not in {c["name"] for c in sa.inspect(connection).get_columns("articles")}
        command.upgrade(alembic_config(connection), "head")
    engine.dispose()
    meta = filled.article_meta()
    assert meta
    assert {m.language for m in meta.values()} == {None}  # stored before 0006: the English path reads them


def test_postgres_short_words_read_from_the_prefixes_index_match_as_prefixes(filled: Store) -> None:
    """PostgreSQL: a query word of at most search.PREFIX_LETTERS ASCII letters or digits is read
    as its marked lexeme from the prefixes' index (migration 0009); every query still keeps the
    events with, for each of its words, a word of the document beginning with it (1, 2, 3 and 4
    letters, a word the parser splits, digits, none). Words as PostgreSQL splits them: "3e10x" is
    two, "3e10" and "x", there as before 0009."""
    if not filled.url.startswith("postgresql"):
        pytest.skip("PostgreSQL's prefixes index")
    filled.replace_events(
        ["b2"], [make_event("ev-2", event_id="ev-2b", actor1="Zq 3e10x", actor2="Zqxw 407")]
    )
    engine = sa.create_engine(filled.url)
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE event_search")
        bodies = dict(
            connection.execute(sa.select(schema.event_search.c.event_id, schema.event_search.c.body)).all()
        )
        zq = prepare_text("zqx 4", connection)
    engine.dispose()
    assert zq is not None
    assert set(zq.short_words) == {"zqx", "4"}  # read as marked lexemes (narrow, short)
    queries = ["z", "zq", "zqx", "zqxw", "zqxwv", "zqx 40", "3e10x", "3e", "e10x", "4", "40", "407",
               "4070", "ta", "tal darw", "kav 3", "q"]  # fmt: skip
    for text in queries:
        words = search.search_words(text)
        expected = sorted(
            event_id
            for event_id, body in bodies.items()
            if all(any(stored.startswith(word) for stored in body.split()) for word in words)
        )
        assert _ids(filled, sort="id", text=text) == expected, text
        assert filled.query_events(EventQuery(text=text, count_cap=100))[1] == len(expected), text
    assert _ids(filled, sort="id", text="zqx") == ["ev-2b"]
    assert _ids(filled, sort="id", text="zqxwv") == []
