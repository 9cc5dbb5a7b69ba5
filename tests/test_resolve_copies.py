"""Near-duplicate articles: found with MinHash/LSH, original chosen the same way in any order."""

from __future__ import annotations

import datetime as dt
import itertools

from sitrep.model import Article
from sitrep.resolve import CopyIndex, find_copies

WIRE = (
    "Tajik border guards said on Thursday that five people were killed in an armed clash with a group "
    "that had crossed the river from Afghanistan late on Tuesday. Two officers died at the guard post and "
    "three of the intruders were shot during an operation the next morning, the agency said in a statement "
    "that also demanded an apology from the authorities in Kabul for failing to secure their side."
)
OTHER = (
    "Russia and Tajikistan held talks in Dushanbe on joint patrols of the mountain frontier, officials said, "
    "after a string of incidents this winter. The ministers also discussed supplies for the garrison and "
    "a new training centre near the capital, with a decision expected before the summer."
)


def article(article_id: str, text: str, published: dt.date | None) -> Article:
    """Build a cleaned Article with the given text."""
    return Article(article_id=article_id, raw_text=text, text=text, published=published)


def articles() -> list[Article]:
    """An original, a re-post with a new first line, a copy with no date, and an unrelated article."""
    return [
        article("a-2", WIRE, dt.date(2025, 12, 25)),
        article("a-7", "Re-posted from our partners. " + WIRE, dt.date(2025, 12, 26)),
        article("a-1", WIRE.replace("Thursday", "Thursday evening"), None),
        article("a-9", OTHER, dt.date(2025, 12, 25)),
    ]


def test_find_copies_links_copies_to_earliest() -> None:
    assert find_copies(articles()) == {"a-1": "a-2", "a-7": "a-2"}


def test_find_copies_same_result_in_any_order() -> None:
    results = {tuple(find_copies(list(order)).items()) for order in itertools.permutations(articles())}
    assert len(results) == 1


def test_find_copies_ties_go_to_smaller_id() -> None:
    day = dt.date(2025, 12, 25)
    assert find_copies([article("b-2", WIRE, day), article("b-10", WIRE, day)]) == {"b-2": "b-10"}


def test_find_copies_against_index_of_stored_articles() -> None:
    stored = articles()[1:]  # the earliest original arrives last
    index = CopyIndex.from_articles(stored)
    assert "a-2" not in index
    found = find_copies([articles()[0]], index=index)
    assert found == {"a-1": "a-2", "a-7": "a-2"}
    assert "a-2" in index


def test_find_copies_leaves_distinct_articles_alone() -> None:
    assert find_copies([article("c-1", WIRE, None), article("c-2", OTHER, None)]) == {}


def test_find_copies_ignores_empty_texts() -> None:
    assert find_copies([article("d-1", "", None), article("d-2", " ... ", None)]) == {}
