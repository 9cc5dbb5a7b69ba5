"""Derived fields and discrepancies: only real disagreements between sources are listed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sitrep.model import Mention
from sitrep.resolve import derive_event
from sitrep.resolve.similarity import is_stated, is_vague_actor, match_interval

D = dt.date
KEY = "TJ|verbal-conflict|2026-03"


def claim(article_id: str, event_type: str = "ACCUSE", **fields: Any) -> Mention:
    """Build one article's mention of a statement on 3 March 2026 (date stated unless overridden)."""
    fields.setdefault("date", D(2026, 3, 3))
    if "date_text" not in fields:
        fields["date_text"] = "on Tuesday"
    quote = f"{article_id} reports the statement."
    return Mention(f"{article_id}:0:{event_type}", article_id, event_type, quote, 0, len(quote), **fields)


def fields_of(*mentions: Mention) -> dict[str, Any]:
    """Return {field: values} of the discrepancies of the event built from `mentions`."""
    return {d.field: d.values for d in derive_event(list(mentions), KEY, {}).discrepancies}


def test_is_vague_actor_capitals_roles_and_demonyms() -> None:
    assert is_vague_actor("Dushanbe")
    assert is_vague_actor("the Kremlin")
    assert is_vague_actor("Tajik President")
    assert is_vague_actor("his press service")
    assert is_vague_actor("Afghanistan’s Foreign Minister")  # curly apostrophe
    assert not is_vague_actor("Border Troops of the State Committee")
    assert not is_vague_actor("Emomali Rahmon")


def test_actor_discrepancy_skips_capital_standing_for_its_government() -> None:
    found = fields_of(
        claim("a", actor1="Dushanbe", actor1_country="TJ"),
        claim("b", actor1="State Committee for National Security", actor1_country="TJ"),
        claim("c", actor1="the Tajik president"),
    )
    assert "actor1" not in found


def test_actor_discrepancy_lists_different_specific_actors() -> None:
    found = fields_of(
        claim("a", actor2="drug smugglers", actor2_country="AF"),
        claim("b", actor2="militants", actor2_country="AF"),
        claim("c", actor2="Afghan militants", actor2_country="AF"),
    )
    assert found["actor2"] == (("Afghan militants", ("b", "c")), ("drug smugglers", ("a",)))


def test_actor_discrepancy_lists_conflicting_countries_of_vague_names() -> None:
    found = fields_of(
        claim("a", actor1="the Tajik foreign minister", actor1_country="TJ"),
        claim("b", actor1="Kabul", actor1_country="AF"),
    )
    assert found["actor1"] == (("Kabul", ("b",)), ("the Tajik foreign minister", ("a",)))


def test_mode_discrepancy_ignores_generic_and_kindred_modes() -> None:
    assert "mode" not in fields_of(claim("a", mode="statement"), claim("b", mode="advisory"))
    assert "mode" not in fields_of(claim("a", mode="visit"), claim("b", mode="meeting"))
    found = fields_of(claim("a", mode="phone"), claim("b", mode="visit"), claim("c", mode="statement"))
    assert found["mode"] == (("phone", ("a",)), ("visit", ("b",)))


def test_date_discrepancy_only_between_stated_dates() -> None:
    stated = claim("a", date=D(2026, 3, 3))
    assumed = claim("b", date=D(2026, 3, 5), date_text=None)  # the article's date, not read from words
    event = derive_event([stated, assumed], KEY, {})
    assert event.date == D(2026, 3, 3)
    assert "date" not in {d.field for d in event.discrepancies}
    other = claim("c", date=D(2026, 3, 4))
    assert fields_of(stated, assumed, other)["date"] == (("2026-03-03", ("a",)), ("2026-03-04", ("c",)))


def test_assumed_date_used_when_no_source_states_one() -> None:
    event = derive_event([claim("a", date=D(2026, 3, 5), date_text=None)], KEY, {})
    assert event.date == D(2026, 3, 5)


def test_match_interval_of_assumed_date_covers_the_week_before() -> None:
    assumed = claim("a", date=D(2026, 3, 10), date_text=None)
    assert not is_stated(assumed)
    assert match_interval(assumed) == (D(2026, 3, 3), D(2026, 3, 10))
    assert match_interval(claim("b", date=D(2026, 3, 10))) == (D(2026, 3, 10), D(2026, 3, 10))
