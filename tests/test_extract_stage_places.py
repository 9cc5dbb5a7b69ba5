"""Where the sentence coder puts an act, and the article's focus country (our own sentences)."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.extract.dates import find_dates
from sitrep.extract.stage import ArticleContext, ReaderState, Sentence, code_sentence
from sitrep.geo import load_gazetteer
from sitrep.model import Article

DAY = dt.date(2026, 3, 4)


def _drafts(text: str, *places: str):  # type: ignore[no-untyped-def]
    article = Article(article_id="t-geo", raw_text=text, text=text, published=DAY)
    state = ReaderState(ArticleContext.of(article, load_gazetteer()))
    ents = tuple((text.index(p), text.index(p) + len(p), "GPE") for p in places)
    drafts, _ = code_sentence(Sentence(text, 0, len(text), ents, tuple(find_dates(text, DAY))), state)
    return drafts


def test_a_statement_during_a_visit_is_made_where_the_speaker_was() -> None:
    text = "During a visit to Kazakhstan on Monday, the Turkish president condemned the bombing in Armenia."
    (accuse,) = [d for d in _drafts(text, "Kazakhstan", "Armenia") if d.trigger.event_type == "ACCUSE"]
    assert accuse.place is not None
    assert (accuse.place.country, accuse.place.text) == ("KZ", "Astana")


def test_a_road_blockade_is_placed_on_the_road_not_at_the_capital() -> None:
    text = "Azerbaijani activists blocked the Lachin corridor on Monday, Armenia said."
    drafts = [d for d in _drafts(text, "Lachin corridor") if d.trigger.event_type == "PROTEST"]
    assert drafts
    assert drafts[0].place is not None
    assert (drafts[0].place.country, drafts[0].place.text) == ("AZ", "Lachin corridor")


def test_a_speaker_named_by_its_seat_speaks_from_it() -> None:
    text = "The authorities in Tskhinvali urged Georgia on Monday to release the detainees."
    drafts = [d for d in _drafts(text, "Tskhinvali", "Georgia") if d.trigger.event_type == "REQUEST"]
    assert drafts
    assert drafts[0].place is not None
    assert drafts[0].place.country == "GE"


@pytest.mark.parametrize(
    ("text", "focus"),
    [("Armenia and Azerbaijan traded fire; Armenia said Russia must help. Armenia waits.", "AM"),
     ("The UK and Britain's allies met; Georgia sent an envoy.", "GB"),
     ("No country is named here.", None)],
)  # fmt: skip
def test_focus_country_comes_from_the_country_table(text: str, focus: str | None) -> None:
    article = Article(article_id="t-focus", raw_text=text, text=text, published=DAY)
    assert ArticleContext.of(article, None).focus == focus


@pytest.mark.parametrize(
    ("sentence", "country"),
    [
        ("Uzbek troops pushed deep into the sovereign territory of the Republic of Kyrgyzstan.", "KG"),
        ("Kazakh units advanced onto the soil of Uzbekistan overnight.", "UZ"),
        ("Drones launched from the territory of Kyrgyzstan hit a farm.", None),  # an origin
        ("The territory of Kyrgyzstan is mostly mountains.", None),  # no act placed in it
    ],
)
def test_a_country_whose_territory_an_act_entered_is_its_place(sentence: str, country: str | None) -> None:
    from sitrep.extract.places import places_in

    found = places_in(sentence, [], load_gazetteer(), {"KG", "UZ", "KZ"})
    assert [p.country for p in found] == ([country] if country else [])


def test_a_town_of_a_country_named_only_by_its_demonym_is_no_place() -> None:
    # a misspelt place of the story's own country that happens to be a town abroad: unknown, not Russia
    text = "Shelling killed four people in Murom on Tuesday, Armenia said, as Russian peacekeepers left."
    (attack,) = [d for d in _drafts(text, "Murom") if d.trigger.event_type == "ASSAULT"]
    assert attack.place is None or attack.place.country != "RU"
    named = "A blast killed four people in Murom in Russia on Tuesday, the Russian police said."
    (attack,) = [d for d in _drafts(named, "Murom", "Russia") if d.trigger.event_type == "ASSAULT"]
    assert attack.place is not None
    assert (attack.place.country, attack.place.text) == ("RU", "Murom")
