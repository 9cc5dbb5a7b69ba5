"""Which date and which actors belong to a trigger, on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

from sitrep.extract.actors import Actor, anaphor_head, canonical_name, find_actors, origin_country
from sitrep.extract.attribution import battle_sides, home_side, pick_actors, pick_date
from sitrep.extract.dates import days_before_referent, find_dates, scene_date
from sitrep.extract.events import Trigger

MON = dt.date(2025, 12, 1)  # a Monday


def _trigger(sentence: str, word: str, event_type: str) -> Trigger:
    return Trigger(event_type, "statement", sentence.index(word), word)


def test_pick_date_statement_after_a_clause_break_keeps_its_own_date() -> None:
    sentence = "Little is known about Saturday's raid, but officials last week blamed smugglers for it."
    date, _ = pick_date(find_dates(sentence, MON), _trigger(sentence, "blamed", "ACCUSE"), sentence)
    assert date is not None
    assert date.text == "last week"


def test_pick_date_possessive_date_of_an_attack_does_not_date_a_statement() -> None:
    sentence = "Officials blamed smugglers for Saturday's raid on the post."
    date, _ = pick_date(find_dates(sentence, MON), _trigger(sentence, "blamed", "ACCUSE"), sentence)
    assert date is None


def test_pick_date_opening_announcement_dates_the_statement_not_the_act() -> None:
    sentence = (
        "On Sunday, the Kazakh foreign minister said that from November 20 to 21 rebels had shelled a depot."
    )
    date, speech = pick_date(find_dates(sentence, MON), _trigger(sentence, "shelled", "ACCUSE"), sentence)
    assert date is not None
    assert date.date == dt.date(2025, 11, 30)
    assert speech is date


def test_find_dates_opening_date_before_an_act_is_not_an_announcement() -> None:
    spans = find_dates("On Sunday, gunmen raided a post and the ministry said two died.", MON)
    assert [s.is_speech for s in spans] == [False]


def test_find_dates_opening_date_before_a_named_speaker_is_an_announcement() -> None:
    spans = find_dates("On Friday, the Kyrgyz border service reported a clash near the river.", MON)
    assert [(s.date, s.is_speech) for s in spans] == [(dt.date(2025, 11, 28), True)]


def test_scene_date_takes_the_latest_day_of_a_narrated_incident() -> None:
    before = [(0, "Armed men crossed the river on Friday and were spotted on Saturday near the post.")]
    found = scene_date(before, MON)
    assert found is not None
    assert found[1].date == dt.date(2025, 11, 29)


def test_scene_date_ignores_announcements_and_quiet_sentences() -> None:
    before = [
        (0, "The service said on Sunday that the valley was calm."),
        (60, "The harvest began on Saturday in the valley."),
    ]
    assert scene_date(before, MON) is None


def test_scene_date_ignores_an_old_incident() -> None:
    assert scene_date([(0, "Gunmen crossed the border on March 3, 2019.")], MON) is None


def test_find_actors_bare_demonym_is_no_actor() -> None:
    actors = find_actors("The ministry condemned the raid on Kyrgyz territory.", [])
    assert [a.text for a in actors] == ["The ministry"]


def test_pick_actors_press_service_speaks_for_the_named_leader() -> None:
    sentence = "His press service said Mirziyoyev condemned the raid and ordered an inquiry."
    a1, _ = pick_actors(find_actors(sentence, []), _trigger(sentence, "condemned", "ACCUSE"))
    assert a1 is not None
    assert (a1.text, a1.country) == ("Mirziyoyev", "UZ")


def test_pick_actors_victims_are_not_the_target_of_a_condemnation() -> None:
    sentence = "The Kazakh ministry condemned the attack on Indian workers."
    a1, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "condemned", "ACCUSE"))
    assert a1 is not None
    assert a1.country == "KZ"
    assert a2 is None


def test_pick_actors_own_country_named_as_place_is_not_the_target() -> None:
    sentence = "The Kyrgyz ministry said smugglers had stirred unrest in Kyrgyzstan for months."
    a1, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "said", "ACCUSE"))
    assert a1 is not None
    assert a1.country == "KG"
    assert a2 is None


def test_find_actors_role_takes_the_holders_name_in_apposition() -> None:
    actors = find_actors("Kazakh President Kassym-Jomart Tokayev condemned the raid.", [(16, 38)])
    assert [(a.text, a.country) for a in actors] == [("Kazakh President Kassym-Jomart Tokayev", "KZ")]


def test_find_actors_counterpart_named_after_takes_the_names_country() -> None:
    actors = find_actors("Putin met his counterpart Tokayev in Moscow.", [])
    assert ("counterpart Tokayev", "KZ") in [(a.text, a.country) for a in actors]


def test_find_actors_keeps_the_longer_of_nested_names() -> None:
    actors = find_actors("The Taliban Foreign Ministry condemned the raid.", [])
    assert [a.text for a in actors] == ["The Taliban Foreign Ministry"]


def test_anaphor_head_reads_a_capitalised_leading_article() -> None:
    assert anaphor_head("The ministry said it would help.") == "ministry"


def test_canonical_name_unifies_transliterations() -> None:
    assert canonical_name("Tajik President Emomali Rakhmon") == "Tajik President Emomali Rahmon"


def test_pick_actors_reported_subject_acts_not_the_reporter() -> None:
    sentence = "The Indian embassy said Kyrgyz authorities pledged to protect the workers."
    a1, _ = pick_actors(find_actors(sentence, []), _trigger(sentence, "pledged", "SUPPORT"))
    assert a1 is not None
    assert a1.country == "KG"


def test_pick_actors_owner_of_an_attacked_place_is_not_the_target() -> None:
    sentence = "The Kazakh president condemned the drone attack on the residence of the Uzbek president."
    _, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "condemned", "ACCUSE"))
    assert a2 is None


def test_pick_actors_partner_after_with_is_not_the_accused() -> None:
    sentence = "Kyrgyz officials blamed a criminal group and promised cooperation with Uzbek counterparts."
    _, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "blamed", "ACCUSE"))
    assert a2 is None or a2.country != "UZ"


def test_days_before_referent_reads_a_day_after() -> None:
    found = days_before_referent("The cabinet meeting came a day after the envoy phoned the minister.")
    assert found is not None
    assert found[:2] == ("meeting", 1)


def test_find_dates_date_after_an_opening_phrase_and_before_the_speaker_is_an_announcement() -> None:
    sentence = "In a notice posted by the agency, on Friday, the ministry said gunmen crossed the river."
    assert [s.is_speech for s in find_dates(sentence, MON)] == [True]


def test_find_dates_date_after_an_act_and_before_the_speaker_dates_the_act() -> None:
    sentence = "Gunmen raided a post near the river, on Friday, the ministry said."
    assert [s.is_speech for s in find_dates(sentence, MON)] == [False]


def test_battle_sides_puts_the_state_force_first() -> None:
    sentence = "Militants clashed with Kyrgyz border guards near the river."
    a1, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "clashed", "ASSAULT"))
    first, second = battle_sides(a1, a2)
    assert first is not None
    assert first.country == "KG"
    assert second is not None
    assert second.head == "militants"


def test_battle_sides_unnamed_force_leaves_the_group_second() -> None:
    sentence = "The militants opened fire and were killed."
    a1, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "opened fire", "ASSAULT"))
    assert battle_sides(a1, a2)[0] is None


def test_pick_actors_reporter_of_violence_takes_no_part() -> None:
    sentence = "The Kyrgyz border service said the militants opened fire on a patrol."
    a1, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "opened fire", "ASSAULT"))
    assert a1 is not None
    assert a1.head == "militants"
    assert a2 is None


def test_pick_actors_first_of_two_coordinated_subjects_leads() -> None:
    sentence = "Uzbekistan and Kyrgyzstan agreed to reopen the crossing."
    a1, _ = pick_actors(find_actors(sentence, []), _trigger(sentence, "agreed", "AGREE"))
    assert a1 is not None
    assert a1.country == "UZ"


def test_pick_actors_accused_civilians_stay_the_target() -> None:
    sentence = "The Kyrgyz president condemned the provocative actions of Uzbek citizens."
    _, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "condemned", "ACCUSE"))
    assert a2 is not None
    assert a2.country == "UZ"


def test_pick_actors_own_side_is_not_the_accused() -> None:
    sentence = "The Kyrgyz president condemned the raid and ordered Kyrgyz border guards to respond."
    _, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "condemned", "ACCUSE"))
    assert a2 is None


def test_pick_actors_accused_named_before_the_trigger() -> None:
    sentence = "The Kyrgyz ministry said the Uzbek government's failures showed serious irresponsibility."
    _, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "irresponsibility", "ACCUSE"))
    assert a2 is not None
    assert a2.country == "UZ"


def test_origin_country_reads_where_attackers_came_from() -> None:
    assert origin_country("The raid was launched from Kyrgyz territory at night.") == "KG"
    assert origin_country("Gunmen fired on a patrol near the river.") is None


def test_pick_actors_passive_subject_of_violence_is_attacked() -> None:
    sentence = "Two smugglers crossing the river were neutralised by Kyrgyz border guards."
    a1, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "neutralised", "ASSAULT"))
    assert a1 is not None
    assert a1.country == "KG"
    assert a2 is not None
    assert a2.head == "smugglers"


def test_pick_actors_named_force_before_an_attack_noun_is_the_attacker() -> None:
    sentence = "An Uzbek army attack on a Kyrgyz post left three dead."
    a1, _ = pick_actors(find_actors(sentence, []), _trigger(sentence, "attack", "ASSAULT"))
    assert a1 is not None
    assert a1.country == "UZ"


def test_pick_actors_attacker_after_by() -> None:
    sentence = "A recent raid on Kazakh police by Uzbeks drew protests."
    a1, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "raid", "ASSAULT"))
    assert a1 is not None
    assert a1.country == "UZ"
    assert a2 is not None
    assert a2.country == "KZ"


def test_find_actors_leaves_leading_time_words_out_of_the_name() -> None:
    from sitrep.extract.actors import find_actors

    actors = find_actors("On Thursday Kyrgyzstan's foreign ministry blamed smugglers for the raid.", [])
    assert actors[0].text == "Kyrgyzstan's foreign ministry"
    assert actors[0].country == "KG"


def test_international_organisations_are_actors_without_a_country() -> None:
    from sitrep.extract.actors import ORGANISATION, find_actors

    actors = find_actors("The UN Security Council called for an immediate halt to the fighting.", [])
    assert [(a.text, a.country, a.head) for a in actors] == [("UN Security Council", None, ORGANISATION)]
    assert [a.text for a in find_actors("The CSTO said it would send observers.", [])] == ["CSTO"]
    assert all(a.head != ORGANISATION for a in find_actors("An un-named group of men waited.", []))


def test_an_organisation_speaks_as_actor1() -> None:
    from sitrep.extract.actors import find_actors
    from sitrep.extract.attribution import pick_actors
    from sitrep.extract.events import classify

    sentence = "The OSCE said on Monday it condemned the shelling of the villages."
    trig = next(t for t in classify(sentence) if t.event_type == "ACCUSE")
    a1, _ = pick_actors(find_actors(sentence, []), trig)
    assert a1 is not None
    assert (a1.text, a1.country) == ("OSCE", None)


def test_every_organisation_example_names_it() -> None:
    from importlib import resources

    from sitrep.extract.actors import ORGANISATION, find_actors

    text = resources.files("sitrep.extract").joinpath("data", "organisations.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines()[1:] if line and not line.startswith("#")][1:]
    assert len(rows) >= 10
    for _name, _aliases, example in rows:
        assert any(a.head == ORGANISATION for a in find_actors(example, [])), example


def test_a_party_named_after_a_rejection_is_its_object() -> None:
    from sitrep.extract.actors import find_actors
    from sitrep.extract.attribution import pick_actors
    from sitrep.extract.events import classify

    sentence = "The minister rejected the claims of Azerbaijan's defence ministry."
    trig = next(t for t in classify(sentence) if t.event_type == "REJECT")
    a1, a2 = pick_actors(find_actors(sentence, []), trig)
    assert a1 is None
    assert a2 is not None
    assert a2.country == "AZ"


def test_pick_actors_a_country_speaks_through_the_body_it_possesses() -> None:
    from sitrep.extract.events import classify

    sentence = "Kyrgyzstan's state broadcaster, however, claimed that Tajik troops had opened fire first."
    accuse = next(t for t in classify(sentence) if t.event_type == "ACCUSE")
    a1, a2 = pick_actors(find_actors(sentence, []), accuse)
    assert (a1 and a1.country, a2 and a2.country) == ("KG", "TJ")
    # a place named without a possessive is no speaker
    sentence = "In Kyrgyzstan, state media claimed that the rebels had opened fire first."
    accuse = next(t for t in classify(sentence) if t.event_type == "ACCUSE")
    a1, _ = pick_actors(find_actors(sentence, []), accuse)
    assert a1 is None or a1.country != "KG" or a1.head != "place"


def test_pick_date_a_date_of_a_noun_does_not_date_another_act() -> None:
    sentence = "The side keeps breaking the truce of March 2, 2024 by blocking the mountain road."
    protest = _trigger(sentence, "blocking", "PROTEST")
    date, _ = pick_date(find_dates(sentence, MON), protest, sentence)
    assert date is None
    sentence = "The premier raised the March 2 closure of the pass at a meeting with the envoy."
    date, _ = pick_date(find_dates(sentence, MON), _trigger(sentence, "meeting", "CONSULT"), sentence)
    assert date is None
    # the noun's own act keeps its date
    sentence = "Both sides signed the truce of March 2 in the capital."
    date, _ = pick_date(find_dates(sentence, MON), _trigger(sentence, "truce", "AGREE"), sentence)
    assert date is not None


def test_pick_actors_a_possessive_country_opening_the_sentence_is_its_subject() -> None:
    from sitrep.extract.events import classify

    sentence = "Kyrgyzstan's Frontier Directorate issued a statement on the unprovoked raid by Tajik troops."
    accuse = next(t for t in classify(sentence) if t.event_type == "ACCUSE")
    a1, a2 = pick_actors(find_actors(sentence, []), accuse)
    assert (a1 and a1.country, a2 and a2.country) == ("KG", "TJ")


def test_home_side_foreign_strike_on_unnamed_targets_is_on_the_home_country() -> None:
    sentence = "Uzbek forces shelled two villages in the valley overnight."
    a1, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "shelled", "ASSAULT"))
    assert a1 is not None
    assert a1.country == "UZ"
    assert home_side("KG", a1, a2) == ("UZ", "KG")


def test_home_side_foreign_border_guards_attacked_were_fought_by_the_home_side() -> None:
    sentence = "Three Kazakh border guards were wounded in the exchange of fire."
    a1, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "exchange of fire", "ASSAULT"))
    assert a1 is None
    assert a2 is not None
    assert home_side("KG", a1, a2) == ("KG", "KZ")


def test_home_side_leaves_workers_armed_groups_and_named_countries_alone() -> None:
    workers = find_actors("Gunmen from Afghanistan shot two road workers.", [])
    gunmen, road_workers = workers[0], workers[-1]
    assert road_workers.country is None
    assert home_side("TJ", gunmen, road_workers) == ("AF", None)  # workers are often foreigners
    sentence = "Kyrgyz troops fought militants near the border."
    troops, militants = find_actors(sentence, [])[0], find_actors(sentence, [])[-1]
    assert home_side("TJ", troops, militants) == ("KG", None)  # a group of no stated country stays so
    place = Actor("Beijing", 0, 7, "CN", "place")
    assert home_side("TJ", None, place) == (None, "CN")  # a country named is no side
    assert home_side(None, troops, None) == ("KG", None)  # no place, nothing inferred


def test_statement_against_a_country_takes_it_as_the_target() -> None:
    sentence = "Kazakhstan vowed retaliation against Kyrgyzstan after the incident."
    a1, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "vowed", "THREATEN"))
    assert a1 is not None
    assert a1.country == "KZ"
    assert a2 is not None
    assert a2.country == "KG"


def test_reporter_of_its_own_losses_in_clashes_with_a_country_is_a_side() -> None:
    sentence = "The Kazakh defence ministry said four soldiers died in clashes with Kyrgyzstan on Monday."
    a1, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "clashes", "ASSAULT"))
    assert a1 is not None
    assert a1.country == "KZ"
    assert a2 is not None
    assert a2.country == "KG"


def test_battle_sides_killed_troops_are_not_moved_to_the_first_side() -> None:
    sentence = "Twelve Uzbek border guards were killed in the fighting."
    a1, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "fighting", "ASSAULT"))
    assert a1 is None
    assert a2 is not None
    assert battle_sides(a1, a2) == (None, a2)


def test_a_country_acting_with_an_irregular_past_tense_is_an_actor() -> None:
    actors = find_actors("Uzbekistan cut off the water supply to the enclave.", [])
    assert next((a.text, a.head, a.country) for a in actors) == ("Uzbekistan", "country", "UZ")


def test_mediators_and_the_venue_of_talks_are_no_party() -> None:
    sentence = "Envoys held talks mediated by Oman and Egypt in Muscat, officials said."
    _, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "talks", "CONSULT"))
    assert a2 is None


def test_a_place_after_in_is_still_the_object_of_an_appeal() -> None:
    sentence = "The Chinese embassy urged its nationals to avoid travel in Kyrgyzstan."
    a1, a2 = pick_actors(find_actors(sentence, []), _trigger(sentence, "urged", "REQUEST"))
    assert a1 is not None
    assert a2 is not None
    assert a2.country == "KG"
