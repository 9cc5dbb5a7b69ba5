"""Border-length claims from articles written for these tests."""

from __future__ import annotations

import pytest

from sitrep.extract.facts import extract_facts
from sitrep.model import Article


def _article(text: str) -> Article:
    return Article(article_id="t-1", raw_text=text, text=text)


@pytest.mark.parametrize(
    ("sentence", "value", "stated"),
    [
        ("Uzbekistan and Afghanistan share a 144-km border.", 144.0, "144-km"),
        ("Patrols cover the roughly 1,206-kilometre frontier between Kyrgyzstan and China.", 1206.0,
         "roughly 1,206-kilometre"),
        ("Tajikistan's border with China runs for nearly 300 miles.", 483.0, "nearly 300 miles"),
        ("The frontier between Iran and Afghanistan is over 900 kilometers.", 900.0, "over 900 kilometers"),
    ],
)  # fmt: skip
def test_extract_facts_reads_border_length(sentence: str, value: float, stated: str) -> None:
    [claim] = extract_facts(_article(f"Officials met on Monday. {sentence}"))
    assert (claim.value, claim.unit, claim.stated) == (value, "km", stated)


def test_extract_facts_quote_matches_offsets() -> None:
    article = _article("Intro line here. The 1,000-km border between Tajikistan and Kyrgyzstan is tense.")
    [claim] = extract_facts(article)
    assert article.text[claim.start : claim.end] == claim.quote


def test_extract_facts_subject_uses_fixed_country_order() -> None:
    [claim] = extract_facts(_article("The frontier between Afghanistan and Tajikistan is 1,200 km long."))
    assert claim.subject == "TJ-AF border length"


def test_extract_facts_takes_the_first_figure_of_a_conversion() -> None:
    claims = extract_facts(
        _article("Guards watch the 1,000 kilometres (621 miles) border of Iran and Turkmenistan.")
    )
    assert [c.value for c in claims] == [1000.0]


def test_extract_facts_ignores_numbers_without_border() -> None:
    assert extract_facts(_article("Tajikistan and Afghanistan traded 1,500 tonnes of flour.")) == []
