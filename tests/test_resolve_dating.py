"""Stand-in publication dates for undated articles: from the most similar dated article."""

from __future__ import annotations

import datetime as dt

from sitrep.model import Article
from sitrep.resolve import best_neighbour, estimate_publication_dates, term_vector


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
    # A wrong date is worse than none: no collection-wide fallback.
    undated = article("web-2", "Orchestras rehearsed symphonies.")
    assert estimate_publication_dates([undated], DATED) == {}


def test_term_vector_depends_on_the_text_alone() -> None:
    # Weights come from English word frequencies, not from the other articles: so a new article can
    # change the estimate only of the undated articles it shares a term with.
    text = "Gunmen attacked a gold mine camp near the river; three miners died."
    vector = term_vector(text)
    assert vector == term_vector(text)
    assert abs(sum(w * w for w in vector.values()) - 1.0) < 1e-4
    assert vector["miners"] > vector.get("camp", 0.0) > 0  # the rarer word weighs more
    assert "the" not in vector


def test_best_neighbour_breaks_ties_by_id_and_needs_the_minimum() -> None:
    day = dt.date(2025, 1, 2)
    published = {"b": day, "a": day}
    assert best_neighbour({"b": 0.3, "a": 0.3}, published) == (day, "a")
    assert best_neighbour({"b": 0.3 + 1e-12, "a": 0.3}, published) == (day, "a")  # equal at 9 decimals
    assert best_neighbour({"a": 0.01}, published) is None
    assert best_neighbour({"c": 0.9}, published) is None  # not a dated article


def test_estimates_do_not_depend_on_input_order() -> None:
    undated = [article("u1", "Gunmen attacked miners."), article("u2", "Budget approved by parliament.")]
    forward = estimate_publication_dates(undated, DATED)
    assert forward == estimate_publication_dates(undated[::-1], DATED[::-1])


def test_nothing_dated_gives_no_estimates() -> None:
    assert estimate_publication_dates([article("u", "text")], []) == {}
