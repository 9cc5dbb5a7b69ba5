"""The stored mentions an update can reach: what a run must re-merge, found through indexes.

Merging decomposes. Average linkage joins two clusters only when their mean similarity reaches the
threshold, so at least one pair across them does; the month-edge joins ask the same of a pair across
adjacent months. So every event is connected in the graph whose edges are the pairs of mentions
that score at least the threshold (in one block, or in adjacent months of one family), and the
events of one connected part of that graph depend on that part alone (`merge.merge_mentions` sorts
everything, so the order in which parts are clustered does not matter). A syndicated copy's
mention follows its original's (same type, quote and date): the two count as linked too.

So a new, changed or removed mention can change only the events of the parts it touches. `reach`
finds them: from the new and changed mentions, and from the old versions of changed or removed ones
(whose edges have gone), it follows edges to the stored mentions that may link (the same family in
the month before, the month and the month after, with dates within twice the window; see
`candidate_windows`), adds every mention of each stored event it meets, and stops when nothing is
added. Merging what it returns and replacing the events it met leaves the store as a merge of
everything would, at a cost that follows the mentions near the new ones, not the store's size.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from sitrep.model import Mention
from sitrep.resolve.blocking import UNDATED, mention_block, shift_bucket, split_key
from sitrep.resolve.merge import THRESHOLD, WINDOW_DAYS
from sitrep.resolve.similarity import ASSUMED_LOOKBACK_DAYS, match_interval, similarity

# Similarities are rounded to 9 decimals and means of them compared after rounding; an edge a little
# below the threshold only makes a part bigger (still exact), never splits one.
SLACK = 1e-6


@dataclass(frozen=True)
class Window:
    """The stored mentions of block `key` that may link with a probe: those dated `first`..`last`
    and every one without a day date; `first` None means every mention of the block."""

    key: str
    first: dt.date | None = None
    last: dt.date | None = None


class MentionIndex(Protocol):
    """What `reach` reads from the store (`sitrep.store.Store` implements it)."""

    def mention_candidates(self, windows: Sequence[Window]) -> list[Mention]: ...
    def event_members(self, mention_ids: Iterable[str]) -> dict[str, list[str]]: ...
    def mentions_by_id(self, ids: Iterable[str]) -> list[Mention]: ...
    def copy_origins(self, article_ids: Iterable[str]) -> dict[str, str]: ...


def _adjacent_keys(key: str) -> list[str]:
    """`key` and the same family's keys of the months before and after (only `key` for undated)."""
    country, family, bucket = split_key(key)
    shifted = [shift_bucket(bucket, step) for step in (-1, 1)]
    return [key, *(f"{country}|{family}|{b}" for b in shifted if b is not None)]


def candidate_windows(probe: Mention, window_days: int = WINDOW_DAYS) -> list[Window]:
    """The windows holding every stored mention that `probe` may link with (a superset).

    `similarity` is None for two intervals more than twice `window_days` apart; a stored day-dated
    mention's interval starts up to ASSUMED_LOOKBACK_DAYS before its date, so its date lies within
    [first - 2w, last + 2w + lookback]. Mentions without a day date are always candidates.
    """
    keys = _adjacent_keys(mention_block(probe))
    interval = match_interval(probe)
    if interval is None:
        return [Window(key) for key in keys]
    reach_days = 2 * window_days
    first = interval[0] - dt.timedelta(days=reach_days)
    last = interval[1] + dt.timedelta(days=reach_days + ASSUMED_LOOKBACK_DAYS)
    return [Window(key, first, last) for key in keys]


def _months_apart(a: str, b: str) -> bool:
    """Whether blocks `a` and `b` are one family in the same or adjacent months (they may link)."""
    if a == b:
        return True
    ca, fa, ba = split_key(a)
    cb, fb, bb = split_key(b)
    if ca != cb or fa != fb or UNDATED in (ba, bb):
        return False
    return bb in (shift_bucket(ba, -1), shift_bucket(ba, 1))


def _linked(a: Mention, b: Mention, origins: Mapping[str, str], threshold: float, window_days: int) -> bool:
    key_a, key_b = mention_block(a), mention_block(b)
    if not _months_apart(key_a, key_b):
        return False
    if (
        key_a == key_b
        and (a.event_type, a.quote, a.date) == (b.event_type, b.quote, b.date)
        and origins.get(a.article_id, a.article_id) == origins.get(b.article_id, b.article_id)
    ):
        return True  # one copy group: clustered through one representative
    score = similarity(a, b, window_days)
    return score is not None and score >= threshold - SLACK


def reach(
    changed: Sequence[Mention],
    old: Sequence[Mention],
    index: MentionIndex,
    *,
    old_events: Mapping[str, Sequence[str]] | None = None,
    threshold: float = THRESHOLD,
    window_days: int = WINDOW_DAYS,
) -> tuple[list[Mention], set[str]]:
    """Return (the mentions to merge, the ids of the stored events to replace by their events).

    `changed`: the stored mentions that are new or changed (or whose article's copy status changed);
    `old`: the versions they replaced, and mentions since removed, as they were when last merged;
    `old_events`: {event_id: mention ids} of the stored events that cited them, read before they
    were replaced (an event whose every mention was removed cites none now, yet must go).
    """
    found: dict[str, Mention] = {m.mention_id: m for m in changed}
    events: set[str] = set(old_events or {})
    for mention in index.mentions_by_id({i for ids in (old_events or {}).values() for i in ids} - set(found)):
        found[mention.mention_id] = mention
    unasked = list(found.values())  # mentions whose stored events are not yet looked up
    probes = [*unasked, *old]
    while probes:
        windows = sorted({w for p in probes for w in candidate_windows(p, window_days)},
                         key=lambda w: (w.key, w.first or dt.date.min))  # fmt: skip
        candidates = index.mention_candidates(windows)
        by_key: dict[str, list[Mention]] = defaultdict(list)
        for c in candidates:
            by_key[mention_block(c)].append(c)
        origins = index.copy_origins({m.article_id for m in (*candidates, *probes)})
        added: list[Mention] = []
        for probe in probes:
            for key in _adjacent_keys(mention_block(probe)):
                for other in by_key.get(key, ()):
                    if other.mention_id not in found and _linked(
                        probe, other, origins, threshold, window_days
                    ):
                        found[other.mention_id] = other
                        added.append(other)
        met = index.event_members(m.mention_id for m in (*unasked, *added))
        missing: set[str] = set()
        for event_id, members in met.items():
            if event_id not in events:
                events.add(event_id)
                missing.update(mid for mid in members if mid not in found)
        for mention in index.mentions_by_id(missing):
            found[mention.mention_id] = mention
            added.append(mention)
        unasked = []  # the mentions of met events are asked about through their own probes' round
        probes = added
    return sorted(found.values(), key=lambda m: m.mention_id), events
