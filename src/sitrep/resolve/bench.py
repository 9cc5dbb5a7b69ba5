"""Micro-benchmark: the cost of merging one new article into a store of n synthetic events.

The store stand-in is two dicts (block key -> mentions, block key -> events), so the figure is the
cost of the algorithm alone; `make bench` times the same steps against a real store. Synthetic
events keep a fixed density per block (EVENTS_PER_BLOCK over MONTHS months per country and type
family) and a bigger store has more countries and families, as a growing store has more places and
time: the cost should stay flat because an update touches only a fixed number of blocks.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import time
from collections import defaultdict
from dataclasses import replace

from sitrep.model import Event, Mention
from sitrep.resolve.blocking import assign_blocks, blocks_to_load, plan_update
from sitrep.resolve.merge import update_events

EVENTS_PER_BLOCK = 10  # a busy month for one country and type family in our corpus
MENTIONS_PER_EVENT = 3  # typical number of outlets per event in the dev corpus
MONTHS = 12  # the synthetic timeline: one year per country and family
TYPES = ("ASSAULT", "CONSULT", "ACCUSE", "REQUEST", "MOBILIZE", "AID")  # one per family, so blocks differ
PLACES = (("Khatlon", "Shamsiddin Shohin", "Kavo"), ("Gorno-Badakhshan", "Darvoz", "Shodak"),
          ("Dushanbe", None, "Dushanbe"), ("Sughd", "Isfara", "Vorukh"))  # fmt: skip


def synthetic_mentions(n_events: int, seed: int = 7) -> list[Mention]:
    """Return MENTIONS_PER_EVENT mentions for each of `n_events` events, blocks kept at fixed density."""
    rng = random.Random(seed)
    per_combo = EVENTS_PER_BLOCK * MONTHS
    mentions: list[Mention] = []
    for number in range(n_events):
        combo, slot = divmod(number, per_combo)
        event_type = TYPES[combo % len(TYPES)]
        country = f"C{combo // len(TYPES):04d}"
        day = dt.date(2025, slot // EVENTS_PER_BLOCK + 1, rng.randint(1, 28))
        admin1, admin2, location = PLACES[rng.randrange(len(PLACES))]
        killed = rng.randint(0, 9) if event_type == "ASSAULT" else None
        for source in range(MENTIONS_PER_EVENT):
            article_id = f"syn-{number:06d}-{source}"
            mentions.append(
                Mention(
                    mention_id=f"{article_id}:0:{event_type}", article_id=article_id, event_type=event_type,
                    quote=f"actor{number} met or fought actor{number + 1} near {location}", start=0, end=40,
                    date=day + dt.timedelta(days=rng.randint(-1, 1)), country=country,
                    admin1=admin1, admin2=admin2, location=location, actor1=f"Actor {number}",
                    actor2=f"Target {number}", killed=killed, confidence=0.6,
                )
            )  # fmt: skip
    return assign_blocks(mentions)


def bench_merge_cost(n_events: int, repeats: int = 7) -> float:
    """Return the seconds to merge one new article's mentions into a store of `n_events` events.

    The best of `repeats` runs: the usual micro-benchmark figure, least disturbed by other load.
    """
    stored: dict[str, list[Mention]] = defaultdict(list)
    for mention in synthetic_mentions(n_events):
        assert mention.block_key is not None
        stored[mention.block_key].append(mention)
    events: dict[str, list[Event]] = defaultdict(list)
    # The new article reports one stored event again and one new clash, mid-year, in the first block.
    target = stored.get(f"C0000|violence|2025-{MONTHS // 2:02d}", [None])[0]
    timings: list[float] = []
    for attempt in range(repeats + 1):  # attempt 0 warms caches and is not counted
        article_id = f"new-{attempt}"
        new = [
            replace(target, mention_id=f"{article_id}:0:{target.event_type}", article_id=article_id)
            if target else Mention(f"{article_id}:0:ASSAULT", article_id, "ASSAULT", "x", 0, 1),
            Mention(f"{article_id}:99:ASSAULT", article_id, "ASSAULT", "a separate clash", 99, 115,
                    date=dt.date(2025, MONTHS // 2, 15), country="C0000", admin1="Sughd"),
        ]  # fmt: skip
        new = assign_blocks(new)
        gc.collect()  # a collection of the big synthetic store inside the timed part would swamp it
        gc.disable()
        started = time.perf_counter()
        keys = plan_update(new)
        loaded = [m for key in sorted(blocks_to_load(keys)) for m in stored.get(key, ())] + new
        merged = update_events(loaded, keys)
        for key in keys:  # replace_events(keys, merged)
            events.pop(key, None)
        for event in merged:
            events[event.block_key or ""].append(event)
        if attempt:
            timings.append(time.perf_counter() - started)
        gc.enable()
    return min(timings)
