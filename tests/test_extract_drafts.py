"""Grouping one article's drafts into one mention per act, on hand-built drafts."""

from __future__ import annotations

import datetime as dt

from sitrep.extract.actors import Actor
from sitrep.extract.dates import DateSpan
from sitrep.extract.drafts import Draft, group_drafts
from sitrep.extract.events import Trigger

DAY = dt.date(2025, 3, 12)


def _span(day: dt.date = DAY, precision: str = "day", end: dt.date | None = None) -> DateSpan:
    return DateSpan(day, precision, end, "", 0, 0, False)  # type: ignore[arg-type]


def _draft(
    event_type: str = "ACCUSE",
    mode: str | None = "statement",
    country: str | None = "KG",
    date: DateSpan | None = None,
    killed: int | None = None,
    start: int = 0,
) -> Draft:
    actor = Actor("ministry", 0, 8, country, "ministry") if country else None
    trig = Trigger(event_type, mode, 0, "x")
    draft = Draft(trig, start, start + 10, "x" * 10, date or _span(), None, None, actor, None)
    draft.killed = killed
    return draft


def test_group_drafts_statements_of_two_countries_on_one_day_are_two_acts() -> None:
    groups = group_drafts([_draft(country="KG"), _draft(country="UZ", start=20)], "KG")
    assert len(groups) == 2


def test_group_drafts_retold_statement_is_one_act() -> None:
    groups = group_drafts([_draft(country="KG"), _draft(country="KG", start=20)], "KG")
    assert len(groups) == 1


def test_group_drafts_advisory_is_apart_from_demand_of_same_embassy() -> None:
    demand = _draft("REQUEST", "statement", country="IN")
    advisory = _draft("REQUEST", "advisory", country="IN", start=20)
    assert len(group_drafts([demand, advisory], "KG")) == 2


def test_group_drafts_statement_without_actor_country_joins_the_only_match() -> None:
    groups = group_drafts([_draft(country="KG"), _draft(country=None, start=20)], "KG")
    assert [len(members) for _, _, _, members in groups] == [2]


def test_group_drafts_vague_retelling_of_attack_joins_day_dated_attack() -> None:
    week = _span(dt.date(2025, 3, 10), "range", dt.date(2025, 3, 16))
    groups = group_drafts(
        [_draft("ASSAULT", None, date=_span()), _draft("ASSAULT", None, date=week, killed=3, start=20)], "KG"
    )
    assert len(groups) == 1
    assert groups[0][2] is not None
    assert groups[0][2].precision == "day"


def test_group_drafts_vague_attack_with_other_toll_stays_apart() -> None:
    week = _span(dt.date(2025, 3, 10), "range", dt.date(2025, 3, 16))
    drafts = [_draft("ASSAULT", None, date=_span(), killed=2), _draft("ASSAULT", None, date=week, killed=3)]
    assert len(group_drafts(drafts, "KG")) == 2


def test_group_drafts_places_an_unplaced_clash_where_the_state_forces_are() -> None:
    guards = Actor("Kyrgyz border guards", 0, 20, "KG", "guards")
    raiders = Actor("gunmen from Tajikistan", 30, 52, "TJ", "gunmen")
    clash = Draft(
        Trigger("ASSAULT", "firearms", 0, "x"), 0, 10, "x" * 10, _span(), None, None, raiders, guards
    )
    ((_, country, _, _),) = group_drafts([clash], "TJ")
    assert country == "KG"  # not the article's focus, not where the gunmen came from


def test_group_drafts_keeps_the_focus_country_for_an_unplaced_clash_without_forces() -> None:
    raiders = Actor("gunmen from Tajikistan", 30, 52, "TJ", "gunmen")
    clash = Draft(Trigger("ASSAULT", "firearms", 0, "x"), 0, 10, "x" * 10, _span(), None, None, raiders, None)
    ((_, country, _, _),) = group_drafts([clash], "UZ")
    assert country == "UZ"


def _clash(*sides: tuple[str, str]) -> Draft:
    actors = [Actor(text, 0, len(text), country, "forces") for text, country in sides] + [None, None]
    return Draft(Trigger("ASSAULT", None, 0, "x"), 0, 10, "x" * 10, _span(), None, None, actors[0], actors[1])


def test_unplaced_clash_is_on_the_soil_of_the_forces_in_it() -> None:
    [(_, country, _, _)] = group_drafts([_clash(("Kyrgyz border guards", "KG"))], None)
    assert country == "KG"


def test_unplaced_clash_between_two_states_forces_has_no_country_of_its_own() -> None:
    [(_, country, _, _)] = group_drafts([_clash(("Kyrgyz troops", "KG"), ("Tajik troops", "TJ"))], None)
    assert country is None


def test_occupation_forces_and_peacekeepers_are_not_on_their_own_soil() -> None:
    for text in ("Russian occupation forces", "Russian peacekeeping troops"):
        [(_, country, _, _)] = group_drafts([_clash((text, "RU"))], "GE")
        assert country == "GE"
