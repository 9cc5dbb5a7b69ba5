"""Across sources, over whole sets: copies, blocking, merging mentions into events, and facts.

Pure functions: no SQL and no I/O. The pipeline loads what they need from the store and writes
back what they return (docs/merging.md describes the rules and the incremental-update invariant).
"""

from sitrep.resolve.bench import bench_merge_cost
from sitrep.resolve.blocking import (
    affected_blocks,
    assign_blocks,
    block_key,
    blocks_to_load,
    neighbour_blocks,
    plan_update,
)
from sitrep.resolve.claims import derive_event, event_id_for
from sitrep.resolve.copies import (
    CopyIndex,
    StoredCopyIndex,
    band_keys,
    find_copies,
    minhash_of,
    sketch_bytes,
)
from sitrep.resolve.dating import (
    MIN_SIMILARITY,
    best_neighbour,
    estimate_publication_dates,
    term_vector,
)
from sitrep.resolve.facts import group_facts
from sitrep.resolve.merge import MERGER, merge_mentions, update_events
from sitrep.resolve.reach import MentionIndex, Window, candidate_windows, reach
from sitrep.resolve.similarity import similarity

__all__ = [
    "MERGER",
    "MIN_SIMILARITY",
    "CopyIndex",
    "MentionIndex",
    "StoredCopyIndex",
    "Window",
    "affected_blocks",
    "assign_blocks",
    "band_keys",
    "bench_merge_cost",
    "best_neighbour",
    "block_key",
    "blocks_to_load",
    "candidate_windows",
    "derive_event",
    "estimate_publication_dates",
    "event_id_for",
    "find_copies",
    "group_facts",
    "merge_mentions",
    "minhash_of",
    "neighbour_blocks",
    "plan_update",
    "reach",
    "similarity",
    "sketch_bytes",
    "term_vector",
    "update_events",
]
