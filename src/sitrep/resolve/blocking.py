"""Blocking: which mentions may be compared at all, and which blocks an update must re-merge.

A block key is ``"*|{family}|{YYYY-MM}"``: the family of its PLOVER type (`sitrep.model.TYPE_FAMILY`)
and the calendar month of its date (of the article's published date when the mention is undated;
``undated`` when neither is known). The first part, once the mention's country, is ``*`` for every
mention: many reports do not say where an act happened, and an unknown country is not a mismatch,
so a mention without one must meet the reports that give it. Two *stated* countries that differ
cannot be one event (`sitrep.resolve.similarity`). Keys keep three parts so stored keys parse alike.

Mentions are clustered within their own month; clusters near a month edge may then be joined with
clusters near the same edge of the adjacent month (see `sitrep.resolve.merge`). A cluster joins at
most one edge, so the result for month ``b`` depends only on months ``b-2 .. b+2``. That gives the
update rule documented in docs/merging.md:

- `plan_update(new)` returns K: the months of the new mentions and their neighbours;
- load the mentions of `blocks_to_load(K)` (K and its neighbours), merge them, and keep only the
  events whose `block_key` is in K (`update_events` does both);
- `store.replace_events(K, events)` then leaves the store exactly as a merge of everything would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from sitrep.model import TYPE_FAMILY, Mention

UNDATED = "undated"
UNKNOWN_COUNTRY = "XX"  # the country part of keys stored before blocking ignored countries
ANY_COUNTRY = "*"


def month_bucket(day: dt.date | None) -> str:
    """Return the time bucket of `day`: ``YYYY-MM``, or ``undated`` for None."""
    return UNDATED if day is None else f"{day.year:04d}-{day.month:02d}"


def type_family(event_type: str) -> str:
    """Return the merge family of a PLOVER type (unknown types are their own family)."""
    return TYPE_FAMILY.get(event_type, event_type.lower())


def block_country(mention: Mention) -> str:  # noqa: ARG001 - one signature for any blocking
    """Return the country part of a mention's block key: always ``*`` (see the module docstring).

    Kept as a function so that a narrower blocking (a region, a country group) has one place to go.
    """
    return ANY_COUNTRY


def block_key(mention: Mention, published: dt.date | None = None) -> str:
    """Return the block key of `mention`: country | type family | month of its date (or of `published`)."""
    country = block_country(mention)
    return f"{country}|{type_family(mention.event_type)}|{month_bucket(mention.date or published)}"


def mention_block(mention: Mention) -> str:
    """Return the key already set on `mention`, or compute it from the mention alone."""
    return mention.block_key or block_key(mention)


def assign_blocks(
    mentions: Iterable[Mention], published_by_article: Mapping[str, dt.date | None] | None = None
) -> list[Mention]:
    """Return `mentions` with `block_key` set; undated ones fall back on their article's published date.

    Where the published date is unknown, the latest exact day among the article's mentions stands
    in for it: an article appears on or after the last day it reports. Pass all of an article's
    mentions in one call so that this does not depend on batching.
    """
    items = list(mentions)
    published = dict(published_by_article or {})
    latest: dict[str, dt.date] = {}
    for m in items:
        if m.date is not None and m.date_precision == "day":
            latest[m.article_id] = max(latest.get(m.article_id, m.date), m.date)
    for article_id, day in latest.items():
        published[article_id] = published.get(article_id) or day
    return [replace(m, block_key=block_key(m, published.get(m.article_id))) for m in items]


def split_key(key: str) -> tuple[str, str, str]:
    """Split a block key into (country, family, bucket)."""
    country, family, bucket = key.split("|", 2)
    return country, family, bucket


def shift_bucket(bucket: str, months: int) -> str | None:
    """Return the month `months` away from `bucket` (``YYYY-MM``), or None for ``undated``."""
    if bucket == UNDATED:
        return None
    year, month = (int(part) for part in bucket.split("-"))
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def neighbour_blocks(key: str) -> set[str]:
    """Return the keys of the months just before and after `key` (same country and family)."""
    country, family, bucket = split_key(key)
    shifted = (shift_bucket(bucket, step) for step in (-1, 1))
    return {f"{country}|{family}|{b}" for b in shifted if b is not None}


def affected_blocks(mentions: Iterable[Mention]) -> set[str]:
    """Return the block keys the given mentions sit in."""
    return {mention_block(m) for m in mentions}


def plan_update(new_mentions: Sequence[Mention]) -> set[str]:
    """Return K, the blocks whose events must be replaced when `new_mentions` arrive (or leave).

    A new mention in month b can change every cluster of b, the edge clusters of b-1 and b+1 that
    were (or now can be) joined to them, and so the events keyed b-1, b and b+1. Events keyed
    elsewhere cannot change. Load `blocks_to_load(K)` to recompute K exactly.
    """
    touched = affected_blocks(new_mentions)
    keys = set(touched)
    for key in touched:
        keys |= neighbour_blocks(key)
    return keys


def blocks_to_load(keys: Iterable[str]) -> set[str]:
    """Return `keys` and their neighbours: the mentions needed to recompute the events of `keys` exactly."""
    wanted = set(keys)
    for key in list(wanted):
        wanted |= neighbour_blocks(key)
    return wanted
