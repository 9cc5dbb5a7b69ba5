"""Stand-in publication dates for undated articles: from the most similar dated article."""

from __future__ import annotations

import datetime as dt

from sitrep.model import Article
from sitrep.resolve import estimate_publication_dates


def article(article_id: str, text: str, published: dt.date | None = None) -> Article:
    return Article(article_id=article_id, raw_text=text, text=text, published=published)


DATED = [
    article(
        "wire-1", "Gunmen attacked a gold mine camp near the river; three miners died.", dt.date(2025, 3, 4)
    ),
    article("wire-2", "The parliament approved the annual budget after a long debate.", dt.date(2025, 6, 9)),
]


def test_undated_article_takes_the_date_of_its_most_similar_dated_article() -> None:
    undated = article("web-1", "Three miners died when gunmen attacked their camp near the river on Monday.")
    assert estimate_publication_dates([undated], DATED) == {"web-1": (dt.date(2025, 3, 4), "wire-1")}


def test_undated_article_like_no_dated_one_gets_no_date() -> None:
    undated = article("web-2", "Orchestras rehearsed symphonies.")
    assert estimate_publication_dates([undated], DATED) == {}


def test_estimates_do_not_depend_on_input_order() -> None:
    undated = [article("u1", "Gunmen attacked miners."), article("u2", "Budget approved by parliament.")]
    forward = estimate_publication_dates(undated, DATED)
    assert forward == estimate_publication_dates(undated[::-1], DATED[::-1])


def test_nothing_dated_gives_no_estimates() -> None:
    assert estimate_publication_dates([article("u", "text")], []) == {}
