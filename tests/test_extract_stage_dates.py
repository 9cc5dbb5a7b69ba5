"""The whole stage on a short article written for these tests: how mentions get their dates."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.extract.stage import reference_date
from sitrep.model import Article

ARTICLE = (
    "Armed men crossed into Kyrgyzstan from Uzbekistan on Monday and were spotted near the village "
    "on Tuesday.\n"
    "The border service said the gunmen refused to surrender and opened fire, killing two guards.\n"
    "The Kyrgyz foreign ministry said on Wednesday that it condemned the raid.\n"
    "Later in the day the ministry also urged Tashkent to punish those responsible.\n"
    "On Wednesday, the Kazakh president said that the raid on the village had worried his government."
)


@pytest.mark.model
def test_extract_events_dates_a_written_article() -> None:
    from sitrep.config import ExtractConfig
    from sitrep.extract import ExtractEvents
    from sitrep.model import Mention

    published = dt.date(2025, 12, 4)  # a Thursday
    article = Article(article_id="t-2", raw_text=ARTICLE, text=ARTICLE, published=published)
    mentions = [m for m in ExtractEvents(ExtractConfig())([article]) if isinstance(m, Mention)]
    by_type = {m.event_type: m for m in mentions}
    assault = by_type["ASSAULT"]
    # dated by the sentence that narrates its course, as a stated date
    assert (assault.date, assault.date_text) == (dt.date(2025, 12, 2), "on Tuesday")
    # the battle's state side first
    assert assault.acled_sub_event_type == "Armed clash"
    request = by_type["REQUEST"]
    # a demand retold after the same ministry's dated announcement keeps that day as stated
    assert request.date == dt.date(2025, 12, 3)
    assert request.date_text is not None
    for m in mentions:
        assert article.text[m.start : m.end] == m.quote


def _undated(published: dt.date) -> Article:
    text = "Gunmen attacked a post on December 20, and the ministry spoke on December 21, 2025."
    return Article("t-3", text, text, published=published, published_from="estimated:t-9")


def test_reference_date_takes_a_later_estimate_over_the_texts_lower_bound() -> None:
    assert reference_date(_undated(dt.date(2025, 12, 30))) == dt.date(2025, 12, 30)


def test_reference_date_never_falls_before_the_latest_date_the_text_names() -> None:
    assert reference_date(_undated(dt.date(2025, 12, 10))) == dt.date(2025, 12, 21)
