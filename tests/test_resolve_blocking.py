"""Block keys, neighbours and the blocks an update must replace and load."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.model import Mention
from sitrep.resolve import (
    affected_blocks,
    assign_blocks,
    block_key,
    blocks_to_load,
    neighbour_blocks,
    plan_update,
)


def mention(event_type: str = "ASSAULT", day: dt.date | None = None, country: str | None = "TJ") -> Mention:
    """Build a minimal Mention of article a-1."""
    return Mention(
        f"a-1:0:{event_type}", "a-1", event_type, "Guards fought.", 0, 14, date=day, country=country
    )


@pytest.mark.parametrize(
    ("item", "published", "expected"),
    [
        (mention(day=dt.date(2025, 12, 24)), None, "*|violence|2025-12"),
        (mention("REJECT", dt.date(2025, 11, 27)), None, "*|verbal-conflict|2025-11"),
        (mention(day=None), dt.date(2026, 1, 2), "*|violence|2026-01"),
        (mention(day=None, country=None), None, "*|violence|undated"),
    ],
)
def test_block_key_family_month(item: Mention, published: dt.date | None, expected: str) -> None:
    assert block_key(item, published) == expected


def test_block_key_accuse_and_reject_share_a_block() -> None:
    day = dt.date(2025, 11, 27)
    assert block_key(mention("ACCUSE", day)) == block_key(mention("REJECT", day))


def test_neighbour_blocks_cross_the_year() -> None:
    assert neighbour_blocks("TJ|violence|2026-01") == {"TJ|violence|2025-12", "TJ|violence|2026-02"}


def test_neighbour_blocks_none_for_undated() -> None:
    assert neighbour_blocks("TJ|violence|undated") == set()


def test_assign_blocks_uses_published_for_undated() -> None:
    (item,) = assign_blocks([mention()], {"a-1": dt.date(2025, 12, 26)})
    assert item.block_key == "*|violence|2025-12"


def test_plan_update_and_blocks_to_load() -> None:
    new = assign_blocks([mention(day=dt.date(2025, 12, 24))])
    assert affected_blocks(new) == {"*|violence|2025-12"}
    keys = plan_update(new)
    assert keys == {"*|violence|2025-11", "*|violence|2025-12", "*|violence|2026-01"}
    assert blocks_to_load(keys) == keys | {"*|violence|2025-10", "*|violence|2026-02"}


def test_mention_without_country_shares_the_block_of_one_with_a_country() -> None:
    day = dt.date(2025, 12, 24)
    assert block_key(mention(day=day, country=None)) == block_key(mention(day=day, country="AM"))
