"""Event typing rules, and the whole stage on a short article written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.extract.events import classify
from sitrep.extract.nlp import split_sentences


def _types(sentence: str) -> list[tuple[str, str | None]]:
    return [(t.event_type, t.mode) for t in classify(sentence)]


def test_classify_blame_and_demand_is_two_events() -> None:
    types = _types(
        "The Kyrgyz ministry blamed smugglers for the raid and urged Dushanbe to tighten controls."
    )
    assert [t for t, _ in types] == ["ACCUSE", "REQUEST"]


def test_classify_evacuation_advisory_is_request_advisory() -> None:
    assert _types("The Indian embassy advised its citizens to leave the border districts at once.") == [
        ("REQUEST", "advisory")
    ]


def test_classify_phone_call_with_pledge_is_consult_and_support() -> None:
    types = _types(
        "In a phone call with his Uzbek counterpart, the minister pledged to help secure the border."
    )
    assert {t for t, _ in types} == {"CONSULT", "SUPPORT"}
    assert ("CONSULT", "phone") in types


@pytest.mark.parametrize(
    "sentence",
    [
        "The ministry expressed deep condolences to the families of the victims.",
        "Analysts say the clashes could spread to neighbouring valleys.",
        "Moscow could deploy more troops to the base next year.",
        "Read more: Border talks stall again",
    ],
)
def test_classify_skips_non_events(sentence: str) -> None:
    assert classify(sentence) == []


def test_classify_clash_is_assault() -> None:
    assert (
        _types("Border guards clashed with armed smugglers near the river, killing two.")[0][0] == "ASSAULT"
    )


def test_split_sentences_offsets_are_exact() -> None:
    text = "  First one is here.Second glued one follows! Third, on Dec. 1, ends.\nA caption line here"
    pieces = [text[s:e] for s, e in split_sentences(text)]
    assert pieces == [
        "First one is here.",
        "Second glued one follows!",
        "Third, on Dec. 1, ends.",
        "A caption line here",
    ]


ARTICLE = (
    "Kyrgyz border guards clashed with gunmen from Tajikistan on Monday in Batken region, the border service "
    "said on Tuesday. Three gunmen and two Kyrgyz guards"
    " were killed. The Kyrgyz foreign ministry condemned the "
    "raid and urged Dushanbe to punish those responsible. Analysts say more raids could follow."
)


@pytest.mark.model
def test_extract_events_codes_a_written_article() -> None:
    from sitrep.config import ExtractConfig
    from sitrep.extract import ExtractEvents
    from sitrep.geo import load_gazetteer
    from sitrep.model import Article, Mention

    # places other than countries are read through the gazetteer (no second place list in extract)
    article = Article(article_id="t-1", raw_text=ARTICLE, text=ARTICLE, published=dt.date(2025, 12, 3))
    extract = ExtractEvents(ExtractConfig(), load_gazetteer())
    mentions = [m for m in extract([article]) if isinstance(m, Mention)]
    by_type = {m.event_type: m for m in mentions}
    assert set(by_type) == {"ASSAULT", "ACCUSE", "REQUEST"}
    assault = by_type["ASSAULT"]
    assert (assault.date, assault.country, assault.killed) == (dt.date(2025, 12, 1), "KG", 5)
    assert (by_type["ACCUSE"].country, by_type["ACCUSE"].place_text) == ("KG", "Bishkek")
    assert by_type["REQUEST"].actor2_country == "TJ"
    for m in mentions:
        assert article.text[m.start : m.end] == m.quote
        assert m.mention_id == f"t-1:{m.start}:{m.event_type}"


def test_classify_blame_by_imputed_intent_is_accuse() -> None:
    types = _types("The ministry said those behind the raid sought to sow discord between the neighbours.")
    assert [t for t, _ in types] == ["ACCUSE"]


def test_classify_attackers_deploying_weapons_is_not_mobilize() -> None:
    assert "MOBILIZE" not in {t for t, _ in _types("The raiders deployed rifles and drones in the assault.")}


def test_classify_deploying_troops_is_mobilize() -> None:
    assert ("MOBILIZE", "order") in _types("The government deployed additional troops to the valley.")


def test_classify_telling_a_counterpart_is_consult() -> None:
    assert "CONSULT" in {
        t for t, _ in _types("The minister told his Kyrgyz counterpart that talks would go on.")
    }


def test_classify_support_for_an_abstract_goal_is_not_a_pledge() -> None:
    assert _types("The minister expressed support for stronger regional ties.") == []


def test_violent_mode_refused_surrender_is_a_battle() -> None:
    from sitrep.extract.events import violent_mode

    assert violent_mode("The gunmen refused to surrender and opened fire.")[2] == "Armed clash"


@pytest.mark.model
def test_accused_each_other_is_one_accusation_each_way() -> None:
    from sitrep.config import ExtractConfig
    from sitrep.extract import ExtractEvents
    from sitrep.model import Article, Mention

    text = (
        "Iranian guards and Afghan troops clashed on Saturday near the frontier. "
        "Tehran and Kabul blamed each other for starting the fighting."
    )
    article = Article(article_id="t-2", raw_text=text, text=text, published=dt.date(2023, 5, 28))
    mentions = [m for m in ExtractEvents(ExtractConfig())([article]) if isinstance(m, Mention)]
    accusations = {(m.actor1_country, m.actor2_country) for m in mentions if m.event_type == "ACCUSE"}
    assert accusations == {("IR", "AF"), ("AF", "IR")}
    assert len({m.mention_id for m in mentions}) == len(mentions)


def test_a_pledge_to_retaliate_is_a_threat_only() -> None:
    assert _types("The defence ministry pledged to respond to the raid.") == [("THREATEN", "statement")]
    assert "SUPPORT" in {t for t, _ in _types("The minister pledged to help rebuild the bridge.")}


@pytest.mark.model
def test_a_reported_first_shot_blames_the_other_side() -> None:
    from sitrep.config import ExtractConfig
    from sitrep.extract import ExtractEvents
    from sitrep.model import Article, Mention

    text = "Iran's interior ministry, however, said that Afghan guards had opened fire first at the post."
    article = Article(article_id="t-3", raw_text=text, text=text, published=dt.date(2023, 5, 28))
    mentions = [m for m in ExtractEvents(ExtractConfig())([article]) if isinstance(m, Mention)]
    accusations = [(m.actor1_country, m.actor2_country) for m in mentions if m.event_type == "ACCUSE"]
    assert accusations == [("IR", "AF")]


@pytest.mark.model
def test_an_agreement_is_one_act_at_the_venue_of_its_talks() -> None:
    from sitrep.config import ExtractConfig
    from sitrep.extract import ExtractEvents
    from sitrep.geo import load_gazetteer
    from sitrep.model import Article, Mention

    text = (
        "Envoys of Armenia and Azerbaijan held talks in Geneva on Tuesday. "
        "Armenia's foreign ministry announced the deal, saying both sides had agreed to a truce. "
        "Azerbaijan's defence ministry said it had agreed to a ceasefire. "
        "The talks were mediated by Norway, Armenia's foreign ministry said."
    )
    article = Article(article_id="t-4", raw_text=text, text=text, published=dt.date(2024, 3, 6))
    extract = ExtractEvents(ExtractConfig(), load_gazetteer())
    mentions = [m for m in extract([article]) if isinstance(m, Mention)]
    agreements = [m for m in mentions if m.event_type == "AGREE"]
    assert [m.country for m in agreements] == ["CH"]  # one agreement, where it was reached
    assert {m.country for m in mentions if m.event_type == "CONSULT"} == {"CH"}  # the talks too


def test_a_condemnation_made_in_a_call_is_the_call() -> None:
    types = _types("The minister spoke by telephone with his counterpart, condemning the raid on the post.")
    assert [t for t, _ in types] == ["CONSULT"]
    assert "ACCUSE" in [t for t, _ in _types("The minister condemned the raid on the post.")]


@pytest.mark.model
def test_a_statement_dated_to_a_span_casts_no_date_vote() -> None:
    from sitrep.config import ExtractConfig
    from sitrep.extract import ExtractEvents
    from sitrep.model import Article, Mention

    text = (
        "The Afghan foreign ministry said last week it was ready to cooperate with Tajikistan on the inquiry."
    )
    article = Article(article_id="t-5", raw_text=text, text=text, published=dt.date(2025, 12, 1))
    mentions = [m for m in ExtractEvents(ExtractConfig())([article]) if isinstance(m, Mention)]
    assert [m.event_type for m in mentions] == ["SUPPORT"]
    assert mentions[0].date_text is None  # "last week" does not say which day it was said
