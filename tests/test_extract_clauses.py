"""Clause rules over the dependency parse and the named non-event rules, on sentences written here."""

from __future__ import annotations

import pytest

from sitrep.extract.clauses import Parse, Tok, blocked, earlier_clause, from_doc
from sitrep.extract.events import classify, not_event, not_event_rules
from sitrep.extract.nlp import is_candidate


def _parse(sentence: str) -> Parse:
    from sitrep.config import ExtractConfig
    from sitrep.extract.nlp import load_parser

    return from_doc(load_parser(ExtractConfig().model)(sentence))


def _types(sentence: str) -> set[str]:
    return {t.event_type for t in classify(sentence, _parse(sentence))}


def test_negated_verb_blocks_with_a_hand_written_parse() -> None:
    # "Troops did not attack ." : attack <- ROOT, with "not" as its neg child
    parse = (
        Tok(0, "Troops", "NNS", "nsubj", 3),
        Tok(7, "did", "VBD", "aux", 3),
        Tok(11, "not", "RB", "neg", 3),
        Tok(15, "attack", "VB", "ROOT", 3),
        Tok(21, ".", ".", "punct", 3),
    )
    assert blocked(parse, 15, "ASSAULT") == "negated"
    assert blocked(parse[:2] + parse[3:], 15, "ASSAULT") is None


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("The air force had not carried out any strike on the camp.", "negated"),
        ("There was no attack on the checkpoint that night.", "negated"),
        ("The ministry denied that its jets had bombed the camp.", "denied"),
        ("The rebels will attack the post at dawn.", "modal"),
        ("If the rebels attacked the post, the army said, it would respond.", "hypothetical"),
    ],
)
def test_clause_rules(sentence: str, rule: str) -> None:
    parse = _parse(sentence)
    cues = [
        (m.start(), t)
        for t, _, rx in __import__("sitrep.extract.cues", fromlist=["rules"]).rules()
        for m in rx.finditer(sentence)
    ]
    assert cues, sentence
    assert rule in {blocked(parse, offset, t) for offset, t in cues}


@pytest.mark.model
def test_a_denial_is_reject_and_not_the_act() -> None:
    types = _types("The ministry denied any involvement and said its forces had not fired at the post.")
    assert "REJECT" in types
    assert "ASSAULT" not in types


@pytest.mark.model
def test_no_casualties_is_still_the_act() -> None:
    assert "ASSAULT" in _types(
        "Guards exchanged fire with smugglers at the post, but no casualties were reported."
    )


@pytest.mark.model
def test_background_amid_phrase_yields_to_the_main_act() -> None:
    assert _types("The envoys held talks in the capital amid clashes on the frontier.") == {"CONSULT"}


@pytest.mark.model
def test_threats_and_pledges_keep_their_future() -> None:
    assert "THREATEN" in _types("The defence ministry said it would retaliate for the raid.")
    assert "SUPPORT" in _types("The minister said his country would fully cooperate with the inquiry.")


@pytest.mark.model
def test_an_act_in_an_after_clause_is_an_earlier_act() -> None:
    sentence = "The talks began after the army shelled the town."
    assert earlier_clause(_parse(sentence), sentence.index("shelled"))
    assert not earlier_clause(_parse("The army shelled the town."), 9)


@pytest.mark.parametrize("rule", [r for r in not_event_rules() if r.scope != "block"], ids=lambda r: r.name)
def test_each_not_event_rule_stops_its_example(rule) -> None:  # type: ignore[no-untyped-def]
    assert is_candidate(rule.example), "the example must carry a cue, or the rule is not what stops it"
    assert rule.pattern.search(rule.example)
    types = {t.event_type for t in classify(rule.example)}
    if rule.scope == "sentence":
        assert not_event(rule.example, rule.scope) == rule.name
        assert types == set()
    elif rule.scope == "violent":
        assert not types & {"ASSAULT", "COERCE"}
    else:  # span: no cue inside what the rule matched is coded
        spans = [
            m.span("act") if "act" in rule.pattern.groupindex else m.span()
            for m in rule.pattern.finditer(rule.example)
        ]
        assert not [t for t in classify(rule.example) if any(a <= t.offset < b for a, b in spans)]


def test_a_period_tally_leaves_the_act_beside_it() -> None:
    types = {
        t.event_type for t in classify("After weeks of clashes, the rebels attacked the town on Monday.")
    }
    assert "ASSAULT" in types


def test_the_mediation_of_an_agreement_is_no_talks_of_its_own() -> None:
    assert {
        t.event_type for t in classify("The ceasefire mediated by the neighbour took effect at noon.")
    } == {"AGREE"}
    assert "CONSULT" in {
        t.event_type for t in classify("The deal came after talks mediated by the neighbour.")
    }


def test_not_event_rules_leave_single_acts_alone() -> None:
    assert {t.event_type for t in classify("Gunmen attacked a border post on Sunday.")} == {"ASSAULT"}
    assert "ASSAULT" in {t.event_type for t in classify("A series of airstrikes hit the district overnight.")}


def test_future_is_not_an_act() -> None:
    assert classify("The foreign ministers will hold talks in the capital next week.") == []


def test_only_sentences_a_rule_could_change_are_parsed() -> None:
    from sitrep.extract.clauses import needs_parse

    assert needs_parse("The army did not attack the post.")
    assert needs_parse("The talks began after the army shelled the town.")
    assert not needs_parse("Gunmen attacked a border post on Sunday.")


def test_related_headlines_block_ends_at_the_first_real_sentence() -> None:
    from sitrep.extract.events import headline_blocks

    text = (
        "The talks ended on Friday.\nALSO READ\nRebels seize a town in the north\n"
        "Troops clash with smugglers at the pass\nThe ministry said the border would reopen on Monday.\n"
    )
    blocks = headline_blocks(text)
    assert len(blocks) == 1
    inside = text[blocks[0][0] : blocks[0][1]]
    assert "Troops clash" in inside
    assert "The ministry said" not in inside
    assert headline_blocks("Troops clashed with smugglers. Read more about the border below.") == []


@pytest.mark.model
def test_headlines_after_also_read_are_not_coded() -> None:
    import datetime as dt

    from sitrep.config import ExtractConfig
    from sitrep.extract import ExtractEvents
    from sitrep.model import Article, Mention

    text = (
        "Border guards clashed with smugglers on Monday near the river, killing two.\n"
        "Related stories\nRebels attack a convoy in the south\n"
        "The Kyrgyz ministry accuses its neighbour of shelling\n"
    )
    article = Article(article_id="t-7", raw_text=text, text=text, published=dt.date(2025, 12, 3))
    mentions = [m for m in ExtractEvents(ExtractConfig())([article]) if isinstance(m, Mention)]
    assert [m.event_type for m in mentions] == ["ASSAULT"]


def test_an_accident_with_an_attack_word_is_still_coded() -> None:
    # the accident rule steps aside when the sentence names an attack
    assert "ASSAULT" in {t.event_type for t in classify("Drones struck a fuel depot, killing four guards.")}


def test_what_ought_to_be_stopped_is_no_act() -> None:
    assert classify("The rebels should be stopped from killing our villagers, the governor said.") == []
    assert classify("The guards must be prevented from shelling the farms.") == []
    # the act itself stays coded
    assert "ASSAULT" in {t.event_type for t in classify("The rebels killed two villagers on Sunday.")}
