"""A merge that reads only what its new mentions reach (`sitrep.resolve.reach`) leaves the store
exactly as a merge of every stored mention would: in any order and batch size, through revisions
that change, move or drop mentions, and copies marked late; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from sitrep.config import load_settings
from sitrep.model import Article, Mention
from sitrep.pipeline import IngestSummary, merge_reached
from sitrep.resolve import assign_blocks, candidate_windows, merge_mentions
from sitrep.resolve.bench import synthetic_mentions
from sitrep.store import Store


class _Quiet:
    def start(self, phase: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


QUOTES = [
    "Shots were fired at the post.",
    "A clash was reported at the border.",
    "Guards came under fire overnight.",
    "Officials blamed the other side.",
]


def sparse_mentions(seed: int) -> list[Mention]:
    """Reports that say little (no actors, often no place): they link widely and chain, near a month
    edge, some undated, some month-vague, some with a stated country and some without."""
    rng = random.Random(seed)
    out = []
    for i in range(70):
        day = dt.date(2025, 1, 24) + dt.timedelta(days=rng.randrange(14))
        precision = rng.choice(["day"] * 6 + ["month", "range"])
        date: dt.date | None = None if rng.random() < 0.1 else day
        etype = rng.choice(["ASSAULT", "ASSAULT", "FIGHT", "ACCUSE"])
        quote = rng.choice(QUOTES)
        article_id = f"sp-{i:03d}"
        out.append(
            Mention(
                mention_id=f"{article_id}:0:{etype}", article_id=article_id, event_type=etype, quote=quote,
                start=0, end=len(quote), date=date, date_precision=precision if date else "day",
                date_end=date + dt.timedelta(days=2) if date and precision == "range" else None,
                date_text=None if rng.random() < 0.3 else "stated", confidence=0.6,
                country=rng.choice([None, "C0000", "C0001"]), location=rng.choice([None, "Kavo", "Darvoz"]),
                killed=rng.choice([None, 1, 2]),
            )
        )  # fmt: skip
    published = {m.article_id: dt.date(2025, 1, 20) + dt.timedelta(days=k % 20) for k, m in enumerate(out)}
    return assign_blocks(out, published)


def signature(store: Store) -> list[tuple[object, ...]]:
    return sorted(
        (e.event_id, e.block_key, e.event_type, e.date, e.country, tuple(m.mention_id for m in e.mentions))
        for e in store.iter_events()
    )


def expected(store: Store) -> list[tuple[object, ...]]:
    stored = list(store.iter_mentions())
    events = merge_mentions(stored, store.copy_origins({m.article_id for m in stored}))
    return sorted(
        (e.event_id, e.block_key, e.event_type, e.date, e.country, tuple(m.mention_id for m in e.mentions))
        for e in events
    )


def store_batch(
    store: Store, by_article: dict[str, list[Mention]], copies: dict[str, str] | None = None
) -> None:
    """What `pipeline.update_events` does for one batch: read the old versions, store, mark copies, merge."""
    settings = load_settings()
    copies = copies or {}
    ids = list(by_article)
    previous = store.mentions_for_articles([*ids, *copies])
    previous_events = store.event_members(m.mention_id for m in previous)
    for article_id, ms in by_article.items():
        text = f"Text of {article_id} " + " ".join(m.quote for m in ms)
        store.add_article(Article(article_id=article_id, raw_text=text, text=text))
        store.replace_mentions(article_id, ms)
    for copy_id, original in copies.items():
        store.set_copy_of(copy_id, original)
    merge_reached(store, settings, IngestSummary(), [*ids, *copies], previous, previous_events, _Quiet())


def grouped(mentions: list[Mention]) -> dict[str, list[Mention]]:
    out: dict[str, list[Mention]] = {}
    for m in mentions:
        out.setdefault(m.article_id, []).append(m)
    return out


def test_reached_merge_equals_merging_everything_in_any_order(store: Store) -> None:
    mentions = synthetic_mentions(40) + sparse_mentions(3)
    articles = list(grouped(mentions).items())
    for seed in (1, 2):
        random.Random(seed).shuffle(articles)
    at = 0
    rng = random.Random(5)
    while at < len(articles):
        size = rng.choice([1, 3, 10, 40])
        store_batch(store, dict(articles[at : at + size]))
        at += size
        assert signature(store) == expected(store)
    assert len(signature(store)) < len(mentions), "nothing merged: the test shows nothing"


def test_reached_merge_follows_revisions_and_copies(store: Store) -> None:
    mentions = synthetic_mentions(20) + sparse_mentions(4)
    store_batch(store, grouped(mentions))
    assert signature(store) == expected(store)
    rng = random.Random(8)
    by_article = grouped(mentions)
    ids = sorted(by_article)
    for round_ in range(4):
        changed: dict[str, list[Mention]] = {}
        for article_id in rng.sample(ids, 6):
            ms = by_article[article_id]
            choice = rng.randrange(3)
            if choice == 0:  # dropped: its events lose it
                changed[article_id] = []
            elif (
                choice == 1
            ):  # moved in time (same ids): the old neighbours must be found from the old version
                changed[article_id] = [replace(m, date=m.date + dt.timedelta(days=9), block_key=None)
                                       if m.date else m for m in ms]  # fmt: skip
            else:  # another act with a new id
                changed[article_id] = [
                    replace(m, mention_id=f"{m.mention_id}-r{round_}", event_type="PROTEST", block_key=None)
                    for m in ms
                ]
            changed[article_id] = assign_blocks(changed[article_id], {article_id: dt.date(2025, 1, 30)})
            by_article[article_id] = changed[article_id]
        store_batch(store, changed)
        assert signature(store) == expected(store)
    # A copy marked late: its mentions follow its original's and count once.
    original = next(a for a in ids if by_article[a])
    copy_mentions = [replace(m, mention_id=m.mention_id.replace(original, "copy-1"), article_id="copy-1")
                     for m in by_article[original]]  # fmt: skip
    store_batch(store, {"copy-1": copy_mentions})
    store_batch(store, {}, copies={"copy-1": original})
    assert signature(store) == expected(store)


def test_candidate_windows_cover_every_linkable_date() -> None:
    (probe,) = assign_blocks(
        [Mention("a:0:ASSAULT", "a", "ASSAULT", "x", 0, 1, date=dt.date(2025, 3, 1), date_text="1 March")]
    )
    windows = candidate_windows(probe, window_days=4)
    keys = {w.key for w in windows}
    assert keys == {"*|violence|2025-02", "*|violence|2025-03", "*|violence|2025-04"}
    # an assumed date reaches a week back: a stored one dated 15 days later may still link
    assert all(w.first == dt.date(2025, 2, 21) and w.last == dt.date(2025, 3, 16) for w in windows)
    (undated,) = assign_blocks([replace(probe, date=None, block_key=None)], {"a": dt.date(2025, 3, 5)})
    assert all(w.first is None for w in candidate_windows(undated))
