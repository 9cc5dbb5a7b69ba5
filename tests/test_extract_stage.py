"""The sentence coder is a pure function of (sentence, reader state); sentences written for these tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sitrep.extract.dates import find_dates
from sitrep.extract.stage import NAME, ArticleContext, ReaderState, Sentence, code_sentence
from sitrep.model import Article

TEXT = (
    "The Kyrgyz foreign ministry condemned the raid on Monday. "
    "The ministry also urged Dushanbe to punish those responsible."
)


def _sentences(article: Article) -> list[Sentence]:
    first = TEXT.index("The ministry also")
    out = []
    for start, end in ((0, first - 1), (first, len(TEXT))):
        text = TEXT[start:end]
        out.append(Sentence(text, start, end, (), tuple(find_dates(text, article.published))))
    return out


def test_code_sentence_is_pure_and_carries_memory() -> None:
    article = Article(article_id="t-3", raw_text=TEXT, text=TEXT, published=dt.date(2025, 12, 3))
    state = ReaderState(ArticleContext.of(article, None))
    first, second = _sentences(article)
    drafts, after_first = code_sentence(first, state)
    again, same = code_sentence(first, state)
    assert [d.trigger.event_type for d in drafts] == [d.trigger.event_type for d in again] == ["ACCUSE"]
    assert after_first == same
    assert state.last_actor == ()  # the state passed in is not changed
    # "The ministry" in the next sentence is the Kyrgyz ministry remembered from the first
    drafts, _ = code_sentence(second, after_first)
    request = next(d for d in drafts if d.trigger.event_type == "REQUEST")
    assert request.actor1 is not None
    assert request.actor1.country == "KG"


def test_registered_name_says_which_rules() -> None:
    assert NAME == "extract.rules.v2"


def test_a_year_dates_no_other_act() -> None:
    from sitrep.config import ExtractConfig
    from sitrep.extract import ExtractEvents
    from sitrep.model import Mention

    text = (
        "The council said in 1991 that its talks with the rebels had failed. "
        "Officials said 12 soldiers were killed in the shelling of the ridge."
    )
    article = Article(article_id="t-4", raw_text=text, text=text, published=dt.date(2023, 9, 21))
    mentions = [m for m in ExtractEvents(ExtractConfig())([article]) if isinstance(m, Mention)]
    assault = next(m for m in mentions if m.event_type == "ASSAULT")
    assert assault.date_precision != "year"


def test_a_statement_nobody_makes_is_no_act() -> None:
    article = Article(article_id="t-5", raw_text="x", text="x", published=dt.date(2025, 12, 3))
    state = ReaderState(ArticleContext.of(article, None))
    text = "Rising instability threatens the new trade routes."
    drafts, _ = code_sentence(Sentence(text, 0, len(text), (), ()), state)
    assert drafts == []
    text = "The Kyrgyz ministry threatened the smugglers with force."
    drafts, _ = code_sentence(Sentence(text, 0, len(text), (), ()), state)
    assert [d.trigger.event_type for d in drafts] == ["THREATEN"]


def test_what_two_parties_pledge_each_other_is_an_agreement() -> None:
    article = Article(article_id="t-6", raw_text="x", text="x", published=dt.date(2025, 12, 3))
    state = ReaderState(ArticleContext.of(article, None))
    text = "Both sides pledged to stop all military operations along the river."
    drafts, _ = code_sentence(Sentence(text, 0, len(text), (), ()), state)
    assert [d.trigger.event_type for d in drafts] == ["AGREE"]
    text = "The Kyrgyz minister pledged to help secure the border."
    drafts, _ = code_sentence(Sentence(text, 0, len(text), (), ()), state)
    assert [d.trigger.event_type for d in drafts] == ["SUPPORT"]


def _types(text: str, published: dt.date = dt.date(2024, 3, 6)) -> list[str]:
    from sitrep.config import ExtractConfig
    from sitrep.extract import ExtractEvents
    from sitrep.model import Mention

    article = Article(article_id="t-9", raw_text=text, text=text, published=published)
    return [m.event_type for m in ExtractEvents(ExtractConfig())([article]) if isinstance(m, Mention)]


def test_a_death_with_no_one_who_caused_it_is_no_attack() -> None:
    assert "ASSAULT" not in _types("The bodies of the nine who died were flown to the capital on Monday.")
    # a speaker of no country does not make a death an attack
    assert "ASSAULT" not in _types("The Varda Ministry of Health said seven more died in hospital on Monday.")
    # a death beside fighting, or a killing, is still an act
    assert "ASSAULT" in _types("Nine people died in the shelling of the market on Monday.")
    assert "ASSAULT" in _types("Nine villagers were killed near the river on Monday.")


def _mentions(text: str, published: dt.date = dt.date(2024, 3, 6)) -> list[Any]:
    from sitrep.config import ExtractConfig
    from sitrep.extract import ExtractEvents
    from sitrep.model import Mention

    article = Article(article_id="t-10", raw_text=text, text=text, published=published)
    return [m for m in ExtractEvents(ExtractConfig())([article]) if isinstance(m, Mention)]


def test_both_sides_blaming_each_other_is_one_accusation_each_way() -> None:
    text = (
        "Guards of Kyrgyzstan and Tajikistan exchanged fire near the canal on Sunday. "
        "Both sides blamed each other for the shooting."
    )
    accusations = [m for m in _mentions(text) if m.event_type == "ACCUSE"]
    assert sorted((m.actor1_country, m.actor2_country) for m in accusations) == [("KG", "TJ"), ("TJ", "KG")]


def test_an_undated_accusation_takes_the_day_of_the_act_it_names() -> None:
    text = (
        "Guards of Kyrgyzstan and Tajikistan exchanged fire again near the canal on Thursday. "
        "Kyrgyz officials blamed Tajik troops for Sunday's shelling of the village."
    )
    accuse = next(m for m in _mentions(text, dt.date(2024, 3, 8)) if m.event_type == "ACCUSE")
    assert accuse.date == dt.date(2024, 3, 3)  # that Sunday, not the article's Friday
    assert accuse.date_text is None  # assumed, so it casts no vote in the merge


def test_a_speaker_named_by_an_acronym_is_the_body_the_article_spelled_out() -> None:
    text = (
        "Two herders were detained near the line, the Georgian Frontier Police (GFP) reported on Monday. "
        "\u201cThe responsibility for these acts lies with the occupying army,\u201d the GFP said."
    )
    accuse = next(m for m in _mentions(text) if m.event_type == "ACCUSE")
    assert accuse.actor1_country == "GE"
    assert accuse.country == "GE"


def test_a_named_office_holder_of_unknown_country_is_not_the_focus_countrys() -> None:
    from sitrep.extract.actors import find_actors
    from sitrep.extract.stage import _named_office_holder

    sentence = "President Jane Doe met the president in the capital."
    named, plain = [a for a in find_actors(sentence, [(10, 18)]) if a.head == "president"]
    assert _named_office_holder(named)  # whose president is not said: no country from the article
    assert not _named_office_holder(plain)  # "the president": the article's own
