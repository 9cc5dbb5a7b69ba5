"""Reading killed and injured counts from sentences written for these tests."""

from __future__ import annotations

import pytest

from sitrep.extract.numbers import read_casualties


@pytest.mark.parametrize(
    ("sentence", "killed", "injured"),
    [
        ("Four soldiers were killed and six wounded in the ambush.", 4, 6),
        ("The raid left two smugglers and one customs officer dead.", 3, None),
        ("Police said the blast killed seven and injured a dozen.", 7, 12),
        ("Troops neutralised four gunmen but lost one officer.", 5, None),
        ("The explosion caused the deaths of two farmers and three herders.", 5, None),
        ("One more villager was badly wounded.", None, 1),
        ("Twenty-one people died when the bus was shelled.", 21, None),
        # a long subject before its passive verb: the number is still the verb's
        ("Two members of the reserve battalion of the mountain brigade were killed on Monday.", 2, None),
    ],
)
def test_read_casualties_counts(sentence: str, killed: int | None, injured: int | None) -> None:
    counts = read_casualties(sentence)
    assert (counts.killed, counts.injured) == (killed, injured)


@pytest.mark.parametrize(
    "sentence",
    [
        "A 35-year-old guard was killed near the 1,200-km frontier.",
        "Since 2019 the region of 3 million people has seen attacks that killed civilians.",
        "The attackers carried 10 grenades and 3 rifles, officials said after the clash.",
    ],
)
def test_read_casualties_ignores_ages_years_distances_and_weapons(sentence: str) -> None:
    assert read_casualties(sentence).killed is None


def test_read_casualties_flags_aggregate_toll() -> None:
    counts = read_casualties("Six people have been killed in two separate attacks this month.")
    assert counts.is_aggregate


def test_read_casualties_day_of_month_is_not_a_count() -> None:
    assert read_casualties("Osh, Mar 14 (Wire) Two herders were killed by a landmine.").killed == 2


def test_read_casualties_pair_of_attacks_is_aggregate() -> None:
    assert read_casualties("Six guards were killed in what officials call a pair of raids.").is_aggregate


def test_read_casualties_skips_a_day_written_before_its_month() -> None:
    assert read_casualties("The clash on 24 December left three militants and two guards dead.").killed == 5
    assert read_casualties("Five soldiers were killed on 3 May near the pass.").killed == 5


def test_a_part_of_a_toll_is_not_added_to_it() -> None:
    from sitrep.extract.numbers import read_casualties

    found = read_casualties("The shelling killed nine villagers, including four children, and wounded six.")
    assert (found.killed, found.injured) == (9, 6)
    assert read_casualties("The raid killed 3 guards and 2 drivers.").killed == 5


def test_a_casualty_word_far_from_a_number_in_another_clause_is_not_its_count() -> None:
    # more than ten words apart and no passive verb of the number's own subject: no count
    sentence = "Officials said 3 men crossed the river near the village before a herder on the far bank died."
    assert read_casualties(sentence).killed is None
    # a clause boundary between a long subject and "were killed" breaks the tie too
    sentence = "Five trucks of the convoy reached the town, where two drivers of the agency were killed."
    assert read_casualties(sentence).killed == 2


def test_a_rival_claim_is_not_added_to_the_toll_before_it() -> None:
    sentence = "The army said 12 of its men were killed, while the rebels claimed that 40 soldiers died."
    assert read_casualties(sentence).killed == 12
    # a part of the toll after "while" with no claim of its own is still added
    sentence = "Four guards were killed in the north, while in the south three farmers lost their lives."
    assert read_casualties(sentence).killed == 7


@pytest.mark.parametrize(
    ("sentence", "killed"),
    [
        ("Guards traded fire at the pass, but there had not yet been any casualties.", 0),
        ("There were no reports of casualties after the shooting, police said.", 0),
        ("The army did not say if there were any casualties.", None),  # not said: unknown
        ("Five herders died, though no casualties among the guards were reported.", 5),
    ],
)
def test_a_report_that_nobody_was_hurt_is_a_toll_of_zero(sentence: str, killed: int | None) -> None:
    assert read_casualties(sentence).killed == killed


def test_a_range_counts_its_lower_end() -> None:
    assert read_casualties("Officials said five to six herders were killed near the dam.").killed == 5
    assert read_casualties("Between 30 and 35 rebels died in the assault on the ridge.").killed == 30
    found = read_casualties("The shelling killed 4 or 5 farmers and wounded 2 to 3 others.")
    assert (found.killed, found.injured) == (4, 2)


def test_casualties_with_a_number_are_the_dead_unless_the_sentence_tells_dead_from_wounded() -> None:
    assert read_casualties("The two-day battle left 64 casualties on both sides.").killed == 64
    assert read_casualties("The ministry listed 12 casualties among the sappers.").killed == 12
    # beside "killed" or "wounded", casualties are both together: not a count of the dead
    found = read_casualties("The strike caused 30 casualties: 9 soldiers were killed and 21 wounded.")
    assert (found.killed, found.injured) == (9, 21)


def test_dozens_is_no_number() -> None:
    assert read_casualties("Mortar fire killed dozens of shepherds in the valley.").killed is None
    assert read_casualties("Dozens of people were wounded when the depot was shelled.").injured is None


def test_numbers_not_joined_by_and_are_not_parts_of_one_toll() -> None:
    sentence = "Fighting between the two neighbours has left 80 dead since the spring."
    assert read_casualties(sentence).killed == 80
    sentence = "Talks between the 3 delegations followed a raid in which 6 guards were killed."
    assert read_casualties(sentence).killed == 6
