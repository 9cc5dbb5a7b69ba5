"""Derived fields and discrepancies: only real disagreements between sources are listed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sitrep.model import Mention
from sitrep.resolve import derive_event
from sitrep.resolve.claims import is_aggregate_toll
from sitrep.resolve.similarity import is_stated, is_vague_actor, match_interval

D = dt.date
KEY = "TJ|verbal-conflict|2026-03"


def claim(article_id: str, event_type: str = "ACCUSE", **fields: Any) -> Mention:
    """Build one article's mention of a statement on 3 March 2026 (date stated unless overridden)."""
    fields.setdefault("date", D(2026, 3, 3))
    fields.setdefault("confidence", 0.8)  # a sentence that anchors its event by date and place
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
    assert is_vague_actor("Russian counterparts")
    assert is_vague_actor("Pakistan's envoy")
    assert is_vague_actor("Two Tajik officers")  # a count names no one
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


def test_actor_discrepancy_ignores_vague_names_of_other_countries() -> None:
    found = fields_of(
        claim("a", actor1="the Tajik foreign minister", actor1_country="TJ"),
        claim("b", actor1="Kabul", actor1_country="AF"),
        claim("c", actor2="Chinese nationals", actor2_country="CN"),
        claim("d", actor2="Afghanistan", actor2_country="AF"),
    )
    assert "actor1" not in found
    assert "actor2" not in found


def test_actor_discrepancy_lists_specific_names_of_other_countries() -> None:
    found = fields_of(
        claim("a", actor1="Sirojiddin Muhriddin", actor1_country="TJ"),
        claim("b", actor1="Amir Khan Muttaqi", actor1_country="AF"),
        claim("c", actor1="Kabul", actor1_country="AF"),
    )
    assert found["actor1"] == (("Amir Khan Muttaqi", ("b", "c")), ("Sirojiddin Muhriddin", ("a",)))


def test_actor_discrepancy_ignores_values_of_unanchored_mentions() -> None:
    found = fields_of(
        claim("a", "ASSAULT", actor1="drug smugglers", actor1_country="AF"),
        claim("b", "ASSAULT", actor1="drug smugglers", actor1_country="AF"),
        claim("c", "ASSAULT", actor1="militants", actor1_country="AF", confidence=0.5),
    )
    assert "actor1" not in found
    anchored = claim("c", "ASSAULT", actor1="militants", actor1_country="AF")
    found = fields_of(claim("a", "ASSAULT", actor1="drug smugglers", actor1_country="AF"), anchored)
    assert "actor1" in found


def test_actor_discrepancy_joins_authorities_of_one_country() -> None:
    found = fields_of(
        claim("a", actor1="Border Guard Service", actor1_country="TJ"),
        claim("b", actor1="State Committee for National Security", actor1_country="TJ"),
        claim("c", actor1="Emomali Rahmon", actor1_country="TJ"),
    )
    assert "actor1" not in found
    found = fields_of(
        claim("a", actor1="Border Guard Service", actor1_country="TJ"),
        claim("b", actor1="Amir Khan Muttaqi", actor1_country="AF"),
    )
    assert found["actor1"] == (("Amir Khan Muttaqi", ("b",)), ("Border Guard Service", ("a",)))


def test_actor_discrepancy_skips_name_read_in_the_other_role() -> None:
    clash = [
        claim(a, "ASSAULT", actor1="Tajik border guards", actor1_country="TJ", actor2="militants")
        for a in "abc"
    ]
    swapped = claim("d", "ASSAULT", actor1="militants", actor2="border guards", actor2_country="TJ")
    found = fields_of(*clash, swapped)
    assert "actor1" not in found
    assert "actor2" not in found
    third = claim("e", "ASSAULT", actor1="drug smugglers", actor1_country="AF", actor2="guards")
    assert fields_of(*clash, third)["actor1"] == (
        ("Tajik border guards", ("a", "b", "c")),
        ("drug smugglers", ("e",)),
    )


def test_actor_discrepancy_folds_labels_of_armed_groups() -> None:
    found = fields_of(
        claim("a", actor1="militants", actor1_country="AF"),
        claim("b", actor1="a terrorist organisation", actor1_country="AF"),
        claim("c", actor1="insurgents"),
    )
    assert "actor1" not in found
    found = fields_of(claim("a", actor1="militants"), claim("b", actor1="armed smugglers"))
    assert found["actor1"] == (("armed smugglers", ("b",)), ("militants", ("a",)))


def test_actor_discrepancy_reads_ambassador_as_role_of_embassy() -> None:
    found = fields_of(
        claim("a", "REQUEST", actor1="the Chinese embassy in Tajikistan", actor1_country="CN"),
        claim("b", "REQUEST", actor1="Chinese Ambassador", actor1_country="CN"),
    )
    assert "actor1" not in found


def test_mode_discrepancy_ignores_generic_and_kindred_modes() -> None:
    assert "mode" not in fields_of(claim("a", mode="statement"), claim("b", mode="advisory"))
    assert "mode" not in fields_of(claim("a", mode="visit"), claim("b", mode="meeting"))
    found = fields_of(
        claim("a", mode="phone"),
        claim("b", mode="visit"),
        claim("c", mode="phone"),
        claim("d", mode="visit"),
        claim("e", mode="statement"),
    )
    assert found["mode"] == (("phone", ("a", "c")), ("visit", ("b", "d")))


def test_mode_of_one_outlet_does_not_disagree() -> None:
    # "Guards clashed with the intruders" (firearms) in two papers; a third says a drone struck the post.
    clashed = [claim(aid, "ASSAULT", mode="firearms") for aid in ("a", "b")]
    assert "mode" not in fields_of(*clashed, claim("c", "ASSAULT", mode="drone"))
    # Two outlets tell of the drone too: two accounts of how it was done.
    found = fields_of(*clashed, claim("c", "ASSAULT", mode="drone"), claim("d", "ASSAULT", mode="drone"))
    assert found["mode"] == (("drone", ("c", "d")), ("firearms", ("a", "b")))


def test_mode_sources_are_independent_not_copies() -> None:
    # A reprint of the drone story is the same outlet's claim: still one source against two.
    mentions = [
        claim(aid, "ASSAULT", mode=mode)
        for aid, mode in (("a", "firearms"), ("b", "firearms"), ("c", "drone"), ("c2", "drone"))
    ]
    event = derive_event(mentions, KEY, {"c2": "c"})
    assert "mode" not in {d.field for d in event.discrepancies}


def test_date_discrepancy_only_between_stated_dates() -> None:
    stated = claim("a", "ASSAULT", date=D(2026, 3, 3))
    assumed = claim("b", "ASSAULT", date=D(2026, 3, 5), date_text=None)  # the article's date, not read
    event = derive_event([stated, assumed], KEY, {})
    assert event.date == D(2026, 3, 3)
    assert "date" not in {d.field for d in event.discrepancies}
    other = claim("c", "ASSAULT", date=D(2026, 3, 4))
    assert fields_of(stated, assumed, other)["date"] == (("2026-03-03", ("a",)), ("2026-03-04", ("c",)))


def test_date_discrepancy_skips_one_day_spread_of_a_statement() -> None:
    said, reported = claim("a", date=D(2026, 3, 3)), claim("b", date=D(2026, 3, 4))
    assert "date" not in fields_of(said, claim("c", date=D(2026, 3, 3)), reported)
    later = claim("d", date=D(2026, 3, 6))
    assert fields_of(said, later)["date"] == (("2026-03-03", ("a",)), ("2026-03-06", ("d",)))


def test_assumed_date_used_when_no_source_states_one() -> None:
    event = derive_event([claim("a", date=D(2026, 3, 5), date_text=None)], KEY, {})
    assert event.date == D(2026, 3, 5)


def test_match_interval_of_assumed_date_covers_the_week_before() -> None:
    assumed = claim("a", date=D(2026, 3, 10), date_text=None)
    assert not is_stated(assumed)
    assert match_interval(assumed) == (D(2026, 3, 3), D(2026, 3, 10))
    assert match_interval(claim("b", date=D(2026, 3, 10))) == (D(2026, 3, 10), D(2026, 3, 10))


def test_count_ignores_toll_summed_over_several_attacks() -> None:
    own = [claim(a, "ASSAULT", killed=3, injured=1) for a in ("a", "b")]
    summed = Mention(
        "c:0:ASSAULT", "c", "ASSAULT", "Attacks over the past week killed five workers.", 0, 47,
        date=D(2026, 3, 3), date_text="on Tuesday", killed=5, injured=5, confidence=0.8,
    )  # fmt: skip
    event = derive_event([*own, summed], KEY, {})
    assert event.fatalities is not None
    assert event.fatalities.as_dict() == {"best": 3, "low": 3, "high": 3}
    assert not event.discrepancies
    assert is_aggregate_toll(summed)
    assert not is_aggregate_toll(claim("d", "ASSAULT", killed=2))


def test_count_discrepancy_between_own_tolls() -> None:
    found = fields_of(claim("a", "ASSAULT", killed=5), claim("b", "ASSAULT", killed=2))
    assert found["fatalities"] == ((2, ("b",)), (5, ("a",)))


def test_place_of_field_act_prefers_scene_to_capital() -> None:
    dateline = claim("a", "ASSAULT", country="TJ", admin1="Dushanbe", location="Dushanbe")
    scene = claim("b", "ASSAULT", country="TJ", admin1="Khatlon", admin2="Shamsiddin Shohin")
    capital = claim("c", "ASSAULT", location="Dushanbe", admin1="Dushanbe")
    event = derive_event([dateline, capital, scene], KEY, {})
    assert (event.admin1, event.admin2) == ("Khatlon", "Shamsiddin Shohin")
    assert "location" not in {d.field for d in event.discrepancies}
    said = [claim("d", location="Dushanbe", admin1="Dushanbe"), claim("e", admin1="Khatlon")]
    statement = derive_event(said, KEY, {})
    assert statement.admin1 == "Dushanbe"


def test_earliest_assumed_date_wins_when_no_source_states_one() -> None:
    later = [claim(a, date=D(2026, 3, 6), date_text=None) for a in ("b", "c")]
    event = derive_event([claim("a", date=D(2026, 3, 5), date_text=None), *later], KEY, {})
    assert event.date == D(2026, 3, 5)  # each assumed date says "by then": the earliest bounds it


def test_calendar_date_beats_a_worked_out_one_on_a_tie() -> None:
    worked_out = claim("a", date=D(2026, 3, 2), date_text="a day after the attack")
    calendar = claim("b", date=D(2026, 3, 3), date_text="on March 3")
    assert derive_event([worked_out, calendar], KEY, {}).date == D(2026, 3, 3)


def test_one_day_range_is_a_date_not_a_crash() -> None:
    # "this week" read on a Monday is the range Monday..Monday: one day, labelled as a day.
    monday = D(2026, 3, 2)
    week = {"date": monday, "date_end": monday, "date_precision": "range", "date_text": "this week"}
    event = derive_event([claim("a", **week), claim("b", **week)], KEY, {})
    assert event.date == monday
    wider = {"date": monday, "date_end": D(2026, 3, 4), "date_precision": "range", "date_text": "this week"}
    event = derive_event([claim("a", **week), claim("b", **wider), claim("c", **wider)], KEY, {})
    assert event.date == monday


def test_count_best_goes_to_the_larger_figure_on_a_tie_of_sources() -> None:
    early = claim("a", "ASSAULT", killed=12, confidence=0.9)
    later = claim("b", "ASSAULT", killed=20, confidence=0.6)
    event = derive_event([early, later], KEY, {})
    assert event.fatalities is not None
    assert event.fatalities.as_dict() == {"best": 20, "low": 12, "high": 20}
    more = derive_event([early, later, claim("c", "ASSAULT", killed=12)], KEY, {})
    assert more.fatalities is not None
    assert more.fatalities.best == 12  # more sources still win


def test_relative_period_makes_no_date_discrepancy() -> None:
    day = claim("a", "ASSAULT", date=D(2026, 3, 10))
    week = claim("b", "ASSAULT", date=D(2026, 3, 2), date_end=D(2026, 3, 8), date_precision="range",
                 date_text="last week")  # fmt: skip
    assert "date" not in fields_of(day, week)
    written = claim("c", "ASSAULT", date=D(2026, 3, 2), date_end=D(2026, 3, 8), date_precision="range",
                    date_text="March 2-8")  # fmt: skip
    assert fields_of(day, written)["date"] == (("2026-03-02/2026-03-08", ("c",)), ("2026-03-10", ("a",)))


def test_town_named_like_its_province_gives_way_to_another_town_in_it() -> None:
    seat = [claim(a, "ASSAULT", country="AF", admin1="Kunduz", location="Kunduz") for a in ("a", "b")]
    town = claim("c", "ASSAULT", country="AF", admin1="Kunduz", location="Imam Sahib")
    assert derive_event([*seat, town], KEY, {}).location == "Imam Sahib"
    assert derive_event(seat, KEY, {}).location == "Kunduz"


# -- the event's place: a venue beats its city named alone (our own mentions) --------------------

from sitrep.resolve.claims import Votes, choose_place  # noqa: E402


def _placed(article_id: str, location: str) -> Mention:
    return Mention(
        mention_id=f"{article_id}:0:AGREE", article_id=article_id, event_type="AGREE", quote="q",
        start=0, end=1, country="US", admin1="District of Columbia", location=location,
        actor1_country="AM",
    )  # fmt: skip


def test_a_venue_beats_its_city_named_alone_whatever_the_votes() -> None:
    mentions = [
        _placed("a", "Washington"),
        _placed("b", "Washington"),
        _placed("c", "White House, Washington"),
    ]
    (admin1, _, location, _, _), _ = choose_place(Votes(mentions, {}))
    assert (admin1, location) == ("District of Columbia", "White House, Washington")


def test_the_most_named_city_wins_without_a_venue() -> None:
    mentions = [_placed("a", "Washington"), _placed("b", "Washington"), _placed("c", "Baltimore")]
    (_, _, location, _, _), _ = choose_place(Votes(mentions, {}))
    assert location == "Washington"


def _in_district(article_id: str, location: str) -> Mention:
    return Mention(
        mention_id=f"{article_id}:0:ASSAULT", article_id=article_id, event_type="ASSAULT", quote="q",
        start=0, end=1, country="TJ", admin1="Gorno-Badakhshan", admin2="Darvoz", location=location,
    )  # fmt: skip


def test_a_village_beats_its_district_named_alone_whatever_the_votes() -> None:
    mentions = [_in_district("a", "Darvoz"), _in_district("b", "Darvoz"), _in_district("c", "Shodak")]
    (_, admin2, location, _, _), _ = choose_place(Votes(mentions, {}), field_act=True)
    assert (admin2, location) == ("Darvoz", "Shodak")


def test_actor_discrepancy_skips_state_side_read_in_the_other_role_of_a_battle() -> None:
    # "Kyrgyz and Tajik border troops exchanged fire": outlets list the two sides either way round
    battle = {"acled_event_type": "Battles", "acled_sub_event_type": "Armed clash"}
    found = fields_of(
        claim("a", "ASSAULT", actor1="Kyrgyz border troops", actor1_country="KG",
              actor2="Tajik border guards", actor2_country="TJ", **battle),
        claim("b", "ASSAULT", actor1="Tajik forces", actor1_country="TJ",
              actor2="Kyrgyz border service", actor2_country="KG", **battle),
    )  # fmt: skip
    assert "actor1" not in found
    assert "actor2" not in found
    # an armed group is no state's side; and outside a battle who attacked whom is a claim
    group = fields_of(
        claim("a", "ASSAULT", actor1="Tajik border guards", actor1_country="TJ",
              actor2="smugglers", actor2_country="AF", **battle),
        claim("b", "ASSAULT", actor1="smugglers", actor1_country="AF",
              actor2="militants", actor2_country="TJ", **battle),
    )  # fmt: skip
    assert "actor2" in group
    attack = {"acled_event_type": "Explosions/Remote violence", "acled_sub_event_type": "Air/drone strike"}
    found = fields_of(
        claim("a", "ASSAULT", actor1="Batken garrison", actor1_country="KG",
              actor2="Isfara detachment", actor2_country="TJ", **attack),
        claim("b", "ASSAULT", actor1="Isfara detachment", actor1_country="TJ",
              actor2="Batken garrison", actor2_country="KG", **attack),
        claim("c", "ASSAULT", actor1="Batken garrison", actor1_country="KG", **attack),
    )  # fmt: skip
    assert "actor1" in found


def test_a_toll_from_a_source_dating_its_fighting_days_away_is_no_claim_about_the_event() -> None:
    on_day = [claim(a, "ASSAULT", killed=6) for a in ("a", "b")]
    earlier = claim("c", "ASSAULT", killed=90, date=D(2026, 2, 28), date_text="on Saturday")
    event = derive_event([*on_day, earlier], KEY, {})
    assert event.fatalities is not None
    assert (event.fatalities.best, event.fatalities.high) == (6, 6)
    assert "fatalities" not in {d.field for d in event.discrepancies}
    # a day off is the same fighting (reported the next day), and an assumed date says nothing
    next_day = claim("d", "ASSAULT", killed=8, date=D(2026, 3, 4), date_text="on Wednesday")
    assumed = claim("e", "ASSAULT", killed=9, date=D(2026, 2, 20), date_text=None)
    event = derive_event([*on_day, next_day, assumed], KEY, {})
    assert event.fatalities is not None
    assert (event.fatalities.low, event.fatalities.high) == (6, 9)
