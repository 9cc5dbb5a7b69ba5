"""Stated quantities that sources disagree on, grouped by subject and unit."""

from __future__ import annotations

from sitrep.model import FactClaim
from sitrep.resolve import group_facts

BORDER = "TJ-AF border length"


def claim(article_id: str, value: float, stated: str, subject: str = BORDER, unit: str = "km") -> FactClaim:
    """Build a FactClaim with a quote written for the test."""
    quote = f"The frontier runs for {stated}."
    return FactClaim(subject, unit, value, article_id, quote, 0, len(quote), stated)


def test_group_facts_lists_border_lengths_with_sources() -> None:
    claims = [
        claim("a-3", 1368.0, "nearly 850 miles"),
        claim("a-1", 1350.0, "1,350 kilometres"),
        claim("a-2", 1344.0, "1,344 km"),
        claim("a-4", 1350.0, "1350 km"),
    ]
    (fact,) = group_facts(claims)
    assert fact.subject == BORDER
    assert fact.unit == "km"
    assert fact.values == ((1344.0, ("a-2",)), (1350.0, ("a-1", "a-4")), (1368.0, ("a-3",)))
    assert len(fact.claims) == 4


def test_group_facts_values_within_half_percent_are_one() -> None:
    claims = [claim("a-1", 1350.0, "1,350 km"), claim("a-2", 1351.8, "840 miles")]
    assert group_facts(claims) == []


def test_group_facts_keeps_subjects_apart() -> None:
    claims = [claim("a-1", 1350.0, "1,350 km"), claim("a-2", 5.0, "five", subject="injured", unit="persons")]
    assert group_facts(claims) == []


def test_group_facts_is_order_free() -> None:
    claims = [
        claim("a-1", 1350.0, "1,350 km"),
        claim("a-2", 1344.0, "1,344 km"),
        claim("a-3", 1300.0, "1300"),
    ]
    assert group_facts(claims) == group_facts(claims[::-1])
