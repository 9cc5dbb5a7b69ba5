"""Cluster mentions that describe one real-world event, and build the merged events.

Within each block (country | type family | month) mentions are clustered by average linkage with
cannot-link constraints: two clusters join only when no pair across them is impossible (dates too
far apart, different provinces on different days, two different acts of one article) and their mean
pairwise similarity reaches `threshold`. The constraints stop chaining; the average tolerates one
weak pair. Clusters near a month edge are then joined, one to one, with clusters near the same
edge of the next month. Everything is sorted first, so the result does not depend on input order.
"""

from __future__ import annotations

import calendar
import datetime as dt
import heapq
import logging
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from sitrep.model import Event, Mention
from sitrep.resolve.blocking import UNDATED, mention_block, shift_bucket, split_key
from sitrep.resolve.claims import derive_event
from sitrep.resolve.similarity import is_seat_only, similarity

log = logging.getLogger(__name__)

MERGER = "resolve.merge.v1"
THRESHOLD = 0.6  # mean similarity at which clusters join (ResolveConfig.merge_threshold)
WINDOW_DAYS = 4  # largest date gap inside one event (ResolveConfig.window_days)

Cluster = tuple[Mention, ...]


def _linkage(left: Cluster, right: Cluster, window_days: int) -> float | None:
    """Return the mean similarity across two clusters, or None when any pair cannot link."""
    total = 0.0
    for a in left:
        for b in right:
            score = similarity(a, b, window_days)
            if score is None:
                return None
            total += score
    return total / (len(left) * len(right))


def cluster_block(
    mentions: Sequence[Mention], threshold: float = THRESHOLD, window_days: int = WINDOW_DAYS
) -> list[Cluster]:
    """Cluster the mentions of one block by constrained average linkage; clusters sorted by first id.

    Mentions of two stated countries cannot link (unless one is a party's seat of a joint act,
    `similarity.is_seat_only`), so when every mention of the block states one and none is such,
    each country's mentions are clustered alone: the same clusters, without comparing every pair.
    """
    if len(mentions) > 1 and all(m.country and not is_seat_only(m) for m in mentions):
        by_country: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            by_country[(m.country or "").upper()].append(m)
        if len(by_country) > 1:
            clusters = [
                c for group in by_country.values() for c in _cluster_linked(group, threshold, window_days)
            ]
            return sorted(clusters, key=lambda c: c[0].mention_id)
    return _cluster_linked(mentions, threshold, window_days)


def _cluster_linked(mentions: Sequence[Mention], threshold: float, window_days: int) -> list[Cluster]:
    """Constrained average linkage over every pair of `mentions` (see `cluster_block`)."""
    items = sorted(mentions, key=lambda m: m.mention_id)
    n = len(items)
    # sums[i][j]: summed pair similarity between live clusters i and j; None = cannot link.
    sums: dict[int, dict[int, float | None]] = {i: {} for i in range(n)}
    for i in range(n):
        for j in range(i + 1, n):
            sums[i][j] = sums[j][i] = similarity(items[i], items[j], window_days)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    version = dict.fromkeys(range(n), 0)
    heap: list[tuple[float, str, str, int, int, int, int]] = []

    def push(i: int, j: int) -> None:
        total = sums[i][j]
        if total is None:
            return
        mean = round(total / (len(members[i]) * len(members[j])), 9)
        if mean >= threshold:
            first_i, first_j = items[members[i][0]].mention_id, items[members[j][0]].mention_id
            lo, hi = (i, j) if first_i <= first_j else (j, i)
            key = (min(first_i, first_j), max(first_i, first_j))
            heapq.heappush(heap, (-mean, key[0], key[1], lo, hi, version[lo], version[hi]))

    for i in range(n):
        for j in range(i + 1, n):
            push(i, j)
    while heap:
        _, _, _, i, j, vi, vj = heapq.heappop(heap)
        if i not in members or j not in members or version[i] != vi or version[j] != vj:
            continue  # stale: one side has merged since this pair was pushed
        members[i] = sorted(members[i] + members.pop(j))
        version[i] += 1
        for k in members:
            if k == i:
                continue
            a, b = sums[i].get(k), sums[j].get(k)
            sums[i][k] = sums[k][i] = None if a is None or b is None else a + b
            sums[k].pop(j, None)
        sums[i].pop(j, None)
        del sums[j]
        for k in members:
            if k != i:
                push(i, k)
    clusters = [tuple(items[x] for x in idx) for idx in members.values()]
    return sorted(clusters, key=lambda c: c[0].mention_id)


def _month_edges(bucket: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a ``YYYY-MM`` bucket."""
    year, month = (int(part) for part in bucket.split("-"))
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _edge(cluster: Cluster, bucket: str, window_days: int) -> str | None:
    """Return which month edge `cluster` may join across: 'head', 'tail' or None.

    Only day and range dates place a cluster; one without them (undated, month-vague) may join the
    month before, since undated reports come after the event. A cluster near both edges counts as
    'head' only, so no cluster joins two edges and every join involves two adjacent months alone.
    """
    if bucket == UNDATED:
        return None
    first, last = _month_edges(bucket)
    days = [m.date for m in cluster if m.date is not None and m.date_precision in ("day", "range")]
    if not days or min(days) <= first + dt.timedelta(days=window_days):
        return "head"
    if max(days) >= last - dt.timedelta(days=window_days):
        return "tail"
    return None


def _join_edges(
    by_block: Mapping[str, list[Cluster]], threshold: float, window_days: int
) -> list[tuple[str, Cluster]]:
    """Join head clusters of each month to tail clusters of the month before; return (event key, mentions).

    Each head joins at most one tail, the best first; a tail may take several heads (reports of a
    late-month event published early the next month, each clustered apart), as long as the grown
    cluster still links: no impossible pair and mean similarity at least `threshold`.
    """
    joined: list[tuple[str, Cluster]] = []
    used: set[Cluster] = set()
    for key in sorted(by_block):
        country, family, bucket = split_key(key)
        following = shift_bucket(bucket, 1)
        next_key = f"{country}|{family}|{following}"
        if following is None or next_key not in by_block:
            continue
        tails = [c for c in by_block[key] if _edge(c, bucket, window_days) == "tail"]
        heads = [c for c in by_block[next_key] if _edge(c, following, window_days) == "head"]
        pairs = []
        for t in tails:
            for h in heads:
                score = _linkage(t, h, window_days)
                if score is not None and score >= threshold:
                    pairs.append((-round(score, 9), t[0].mention_id, h[0].mention_id, t, h))
        grown: dict[Cluster, Cluster] = {}
        for _, _, _, t, h in sorted(pairs, key=lambda p: p[:3]):
            if h in used:
                continue
            current = grown.get(t, t)
            score = _linkage(current, h, window_days)
            if score is None or score < threshold:
                continue
            used.update((t, h))
            grown[t] = current + h
        joined.extend((key, members) for members in grown.values())
    for key, clusters in by_block.items():
        joined.extend((key, c) for c in clusters if c not in used)
    return joined


def merge_mentions(
    mentions: Sequence[Mention],
    copies: Mapping[str, str] | None = None,
    *,
    threshold: float = THRESHOLD,
    window_days: int = WINDOW_DAYS,
) -> list[Event]:
    """Merge mentions into events; the same set gives the same events (ids included) in any order.

    `copies` maps a copy article id to its original; copies stay sources of an event but do not
    count as independent confirmation. Events come back sorted by event_id.
    """
    by_key: dict[str, list[Mention]] = defaultdict(list)
    seen: set[str] = set()
    for mention in sorted(mentions, key=lambda m: m.mention_id):
        if mention.mention_id in seen:
            continue  # the same mention loaded twice (e.g. new and stored) counts once
        seen.add(mention.mention_id)
        by_key[mention_block(mention)].append(mention)
    # A syndicated copy repeats its original's sentences word for word: its mentions are clustered
    # once, through one representative, and follow it. This keeps the cost of a block flat however
    # many copies of a wire story arrive (pairwise clustering is quadratic in mentions).
    followers: dict[str, list[Mention]] = {}
    reps_by_key: dict[str, list[Mention]] = {}
    for key, group in by_key.items():
        reps: dict[tuple[object, ...], Mention] = {}
        for mention in group:  # sorted by mention_id: the representative is the smallest id
            origin = (copies or {}).get(mention.article_id, mention.article_id)
            # the country and actor are part of the key: the two directions of "accused each other"
            # share a quote, type and date, and are two events
            same: tuple[object, ...] = (origin, mention.event_type, mention.quote, mention.date)
            same += (mention.country, mention.actor1_country)
            rep = reps.setdefault(same, mention)
            if rep is not mention:
                followers.setdefault(rep.mention_id, []).append(mention)
        reps_by_key[key] = list(reps.values())
    by_block = {key: cluster_block(group, threshold, window_days) for key, group in reps_by_key.items()}
    events = [
        derive_event(_with_followers(cluster, followers), key, copies or {}, merger=MERGER)
        for key, cluster in _join_edges(by_block, threshold, window_days)
    ]
    log.debug("merged %d mentions into %d events", len(seen), len(events))
    return sorted(events, key=lambda e: e.event_id)


def _with_followers(cluster: Cluster, followers: Mapping[str, list[Mention]]) -> Cluster:
    """The cluster with the copies' mentions that follow its representatives, sorted by id."""
    if not followers:
        return cluster
    extra = [f for m in cluster for f in followers.get(m.mention_id, ())]
    return tuple(sorted((*cluster, *extra), key=lambda m: m.mention_id)) if extra else cluster


def update_events(
    mentions: Sequence[Mention],
    keys: Collection[str],
    copies: Mapping[str, str] | None = None,
    *,
    threshold: float = THRESHOLD,
    window_days: int = WINDOW_DAYS,
) -> list[Event]:
    """Merge the mentions of `blocks_to_load(keys)`; return the events keyed in `keys` (to replace them)."""
    merged = merge_mentions(mentions, copies, threshold=threshold, window_days=window_days)
    return [e for e in merged if e.block_key in keys]
