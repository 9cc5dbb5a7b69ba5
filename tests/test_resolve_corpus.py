"""Merging on the dev corpus's own gold mentions (oracle extraction): does the merge regroup them?

Each gold mention becomes a Mention carrying what its article says (date, toll, quote) and its
event's type, place and actors; the gold grouping is hidden from the merge. This isolates merging
from extraction errors, so its floor is higher than the end-to-end gate's.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from sitrep.model import DatePrecision, Mention
from sitrep.resolve import assign_blocks, merge_mentions
from tests.corpus import ARTICLES, GOLD, require_corpus

pytestmark = pytest.mark.corpus
MERGE_JACCARD_FLOOR = 0.80  # measured 0.83: mean over ALL gold events of the best article Jaccard


def parse_date(text: str | None) -> tuple[dt.date | None, DatePrecision, dt.date | None]:
    """Read a gold mention date: YYYY-MM-DD, YYYY-MM or start/end."""
    if not text:
        return None, "day", None
    if "/" in text:
        start, end = text.split("/")
        return dt.date.fromisoformat(start), "range", dt.date.fromisoformat(end)
    if len(text) == 7:
        return dt.date.fromisoformat(text + "-01"), "month", None
    return dt.date.fromisoformat(text), "day", None


def oracle_mentions(gold: dict[str, Any], published: dict[str, dt.date | None]) -> list[Mention]:
    """Return one Mention per gold (article, event), ids not revealing the event."""
    out: list[Mention] = []
    for number, event in enumerate(gold["events"].values()):
        for article_id, said in event["mentions"].items():
            day, precision, end = parse_date(said.get("date"))
            quote = said["quote"]
            out.append(
                Mention(
                    mention_id=f"{article_id}:{number:03d}:{event['event_type']}", article_id=article_id,
                    event_type=event["event_type"], quote=quote, start=number, end=number + len(quote),
                    mode=event.get("mode"), date=day, date_precision=precision, date_end=end,
                    date_text=said.get("date"),
                    country=event["country"], admin1=event["admin1"], admin2=event["admin2"],
                    location=event["location"], actor1=event["actor1"], actor2=event["actor2"],
                    actor1_country=event["actor1_country"], actor2_country=event["actor2_country"],
                    killed=said.get("fatalities"), injured=said.get("injured"), confidence=0.6,
                )
            )  # fmt: skip
    # Articles without a published date: the latest exact day they report stands in for it.
    for m in out:
        if published.get(m.article_id) is None and m.date and m.date_precision == "day":
            latest = [
                x.date for x in out if x.article_id == m.article_id and x.date and x.date_precision == "day"
            ]
            published[m.article_id] = max(d for d in latest if d is not None)
    return assign_blocks(out, published)


def test_merge_regroups_gold_mentions_of_dev_corpus() -> None:
    require_corpus()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    published: dict[str, dt.date | None] = {}
    for line in ARTICLES.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        published[record["id"]] = dt.date.fromisoformat(record["published"]) if record["published"] else None
    events = merge_mentions(oracle_mentions(gold, published))
    found = [{m.article_id for m in e.mentions} for e in events]
    scores = []
    for event in gold["events"].values():
        truth = set(event["mentions"])
        scores.append(max(len(truth & f) / len(truth | f) for f in found))
    mean = sum(scores) / len(scores)
    assert mean >= MERGE_JACCARD_FLOOR, f"mean merge Jaccard {mean:.2f}"
