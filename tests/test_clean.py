"""Tests for sitrep.clean: glue repair, boilerplate, date and outlet inference, and the dev corpus."""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from pathlib import Path

import pytest

from sitrep.clean import CleanArticles
from sitrep.clean.boilerplate import strip_boilerplate
from sitrep.clean.dates import date_from_url, parse_date
from sitrep.clean.glue import GlueChange, load_words, repair_glue
from sitrep.clean.outlets import outlet_from_domain
from sitrep.config import IngestConfig
from sitrep.ingest import read_sources
from sitrep.model import Article, RawArticle, Rejected

DATA = Path(__file__).parent / "data" / "ingest"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev" / "articles.jsonl"
logger = logging.getLogger(__name__)


def _clean(text: str, **fields: object) -> Article:
    result = CleanArticles().clean_one(RawArticle(source="t", article_id="t1", text=text, **fields))  # type: ignore[arg-type]
    assert isinstance(result, Article), result
    return result


# --- glue repair ---------------------------------------------------------------------------------

GLUED_SENTENCE = "The report came late on Monday.Officials said "
GLUED_SENTENCE_FIXED = "The report came late on Monday. Officials said "


@pytest.mark.parametrize(
    ("glued", "fixed"),
    [
        (
            "the talks between PresidentEmomali Rahmon and Putin",
            "the talks between President Emomali Rahmon and Putin",
        ),
        ("to review bilateralties on Monday", "to review bilateral ties on Monday"),
        ("gunmen entered the Shohindistrict at night", "gunmen entered the Shohin district at night"),
        ("he opened aspecialized training ground", "he opened a specialized training ground"),
        ("eight new borderoutposts were built", "eight new border outposts were built"),
        ("a post of theChinese embassy", "a post of the Chinese embassy"),
        ("threats fromAfghanistan grow", "threats from Afghanistan grow"),
        ("the IslamicState group", "the Islamic State group"),
        ("killed in thefirefight near Kavo", "killed in the firefight near Kavo"),
    ],
)
def test_repair_glue_splits_glued_words(glued: str, fixed: str) -> None:
    # Tokens are split only in text that shows glue (a sentence glued at a full stop), as scraped
    # glued text does; the same tokens in clean text are left alone (tests/test_clean_content.py).
    assert repair_glue(GLUED_SENTENCE + glued) == GLUED_SENTENCE_FIXED + fixed


@pytest.mark.parametrize(
    "text",
    [
        "Muttaqi phoned Sirojiddin Muhriddin in Dushanbe.",
        "Guards in Shamsiddin Shohin district and at Harbmaydon met Emomali Rahmon.",
        "the 1,350-kilometer border and the Shamsiddin-Shohin area",
        "Russia was instrumental in deescalating the clashes.",
        "The embassy posted on WeChat about Esmaeil Baghaei and a telecon.",
        "The U.S. and D.C. figures grew 1.5 times, see www.afintl.com/en/x.Html and News.Az reports.",
        "ISLAMABAD and PTI KJV reported, citing AsiaPlus and Asiaplus.tj sources.",
    ],
)
def test_repair_glue_keeps_names_and_clean_text(text: str) -> None:
    assert repair_glue(text) == text


def test_repair_glue_keeps_a_token_that_recurs_in_the_article() -> None:
    text = "Officials of Vishkharvjamoat met. Vishkharvjamoat is remote."
    assert repair_glue(text) == text


@pytest.mark.parametrize(
    ("glued", "fixed"),
    [
        ("between the two nations.Amid rising tension", "between the two nations. Amid rising tension"),
        ('the report said."This attack', 'the report said." This attack'),
        ("on December 24-25, 2025,when militants", "on December 24-25, 2025, when militants"),
    ],
)
def test_repair_glue_separates_glued_sentences(glued: str, fixed: str) -> None:
    assert repair_glue(glued) == fixed


def test_repair_glue_reports_each_change() -> None:
    changes: list[GlueChange] = []
    repair_glue(GLUED_SENTENCE + "talks on bilateralties and bordermeasures", changes.append)
    assert [(c.before, c.after) for c in changes if c.after != "<sentence break>"] == [
        ("bilateralties", "bilateral ties"),
        ("bordermeasures", "border measures"),
    ]


# --- boilerplate ---------------------------------------------------------------------------------


def test_strip_boilerplate_drops_widgets_tags_and_placeholders() -> None:
    lines = [
        "close",
        "Border guards clash with smugglers",
        "SELECT LANGUAGE BELOW",
        "+ ↺ − 16 px",
        "border-guards-clash-with-smugglers",
        "Guards fired on a group that crossed the river at night, the agency said.",
        "Source:https://example.org/en/1",
        "Tags: Tajikistan, Afghanistan",
        "ogimageimage-name",
        "Read more: Markets reopen in Khorog",
    ]
    assert strip_boilerplate(lines) == [
        "Border guards clash with smugglers",
        "Guards fired on a group that crossed the river at night, the agency said.",
    ]


def test_strip_boilerplate_drops_repeated_headline_and_caption() -> None:
    caption = "A border post on the Panj river, seen from the Tajik bank in October.—Reuters"
    lines = ["Guards reinforced", "Guards reinforced", caption, caption, "The ministry sent two more units."]
    assert strip_boilerplate(lines) == ["Guards reinforced", caption, "The ministry sent two more units."]


def test_strip_boilerplate_drops_a_leading_copy_of_the_last_paragraph() -> None:
    ending = "The minister said the border would stay closed to trucks until the spring thaw."
    lines = [
        "Latest News",
        ending,
        "Trade across the Panj bridges fell sharply this month, customs figures show.",
        "Drivers waited for days at the Nizhny Panj crossing in freezing weather.",
        f"On Friday, {ending[0].lower()}{ending[1:]}",
    ]
    assert strip_boilerplate(lines) == lines[2:]


def test_strip_boilerplate_drops_trailing_headline_links() -> None:
    lines = [
        "Guards fired on a group that crossed the river at night, the agency said.",
        "Ceasefire talks stall in the south09.11.25, 06:04 • [views_1234]",
        "The agency gave no names.",
        "Tags",
        "Tajikistan border",
        "Back To Top",
        "Iran hosts regional forum",
        "Markets rally on trade news",
        "Storm closes mountain pass",
    ]
    assert strip_boilerplate(lines) == [lines[0], lines[2]]


# --- dates and outlets ---------------------------------------------------------------------------


def test_clean_takes_published_from_the_leading_stamp() -> None:
    article = _clean(" date 2025-11-28 Beijing, Nov 28 - Three workers died in the attack.")
    assert (article.published, article.published_from) == (dt.date(2025, 11, 28), "stamp")
    assert not article.text.startswith("date")


def test_clean_takes_published_from_a_byline_date_and_outlet_from_the_byline() -> None:
    article = _clean("Guards on alert\nBy Reuters\nDecember 03, 2025\nThe talks began on Tuesday.")
    assert (article.published, article.published_from) == (dt.date(2025, 12, 3), "byline")
    assert (article.outlet, article.outlet_from) == ("Reuters", "byline")
    assert "By Reuters" not in article.text


def test_clean_ignores_event_dates_inside_prose() -> None:
    article = _clean("Guards clashed with raiders on December 24, 2025, near Kavo, officials said later.")
    assert article.published is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("03.12.2025", dt.date(2025, 12, 3)), ("2025-12-03", dt.date(2025, 12, 3)),
     ("Updated 27 November 2025", dt.date(2025, 11, 27)), ("no date here", None)],
)  # fmt: skip
def test_parse_date_reads_common_forms(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.anews.com.tr/middle-east/2025/12/25/slug", dt.date(2025, 12, 25)),
        ("https://asiaplustj.info/en/news/tajikistan/incidents/20251225/slug", dt.date(2025, 12, 25)),
        ("https://www.afintl.com/en/202512314227", dt.date(2025, 12, 31)),
        ("https://arynews.tv/some-story-update-2025-11-28", dt.date(2025, 11, 28)),
        ("http://www.sinodaily.com/afp/251201152927.rh48krq3.html", dt.date(2025, 12, 1)),
        ("https://www.globaltimes.cn/page/202511/1349271.shtml", None),
        ("https://en.orda.kz/taliban-foreign-ministry-addresses-incident-9480", None),
        ("https://example.org/story/99999999", None),
    ],
)
def test_date_from_url_reads_dated_paths_only(url: str, expected: dt.date | None) -> None:
    assert date_from_url(url) == expected


def test_clean_falls_back_to_the_url_date_and_domain_outlet() -> None:
    article = _clean(
        "The committee said three intruders were killed.", url="https://v1.afintl.com/en/202512021480"
    )
    assert (article.published, article.published_from) == (dt.date(2025, 12, 2), "url")
    assert (article.outlet, article.outlet_from) == ("Afghanistan International", "domain")


@pytest.mark.parametrize(
    ("url", "outlet"),
    [("https://tribune.com.pk/story/1", "The Express Tribune"),
     ("https://news.example.co.uk/a", "example.co.uk"),
     ("https://www.unknown-outlet.org/x", "unknown-outlet.org"), (None, None)],
)  # fmt: skip
def test_outlet_from_domain_names_known_and_unknown_domains(url: str | None, outlet: str | None) -> None:
    assert outlet_from_domain(url) == outlet


def test_clean_trailer_date_when_nothing_else() -> None:
    article = _clean("Putin met Rahmon in Moscow on Saturday.\nThey discussed security.\nMay 10, 2021")
    assert (article.published, article.published_from) == (dt.date(2021, 5, 10), "trailer")


# --- the stage -----------------------------------------------------------------------------------


def test_clean_takes_a_headline_first_line_as_title_and_keeps_it_in_text() -> None:
    article = _clean("Guards repel night raid\nGuards repelled a raid near Kavo, the committee said.")
    assert article.title == "Guards repel night raid"
    assert article.text.startswith("Guards repel night raid\n")


def test_clean_does_not_take_a_caption_as_title() -> None:
    article = _clean("File photo: a border post on the Panj / AFP\nGuards repelled a raid near Kavo.")
    assert article.title is None


def test_clean_rejects_text_that_is_all_boilerplate() -> None:
    result = CleanArticles().clean_one(
        RawArticle(source="t", article_id="t2", text="close\nLatest News\nTags: x")
    )
    assert isinstance(result, Rejected)
    assert result.reason == "no_text"


def test_clean_extracts_html_text_title_date_and_site_name() -> None:
    raw = next(iter(read_sources([str(DATA / "good.html")], IngestConfig())))
    assert isinstance(raw, RawArticle)
    article = next(iter(CleanArticles()([raw])))
    assert isinstance(article, Article)
    assert "Darvoz" in article.text
    assert "All rights reserved" not in article.text
    assert article.title == "Beijing urges citizens to leave Tajik border areas"
    assert (article.outlet, article.outlet_from) == ("Pamir Wire", "html")
    assert (article.published, article.published_from) == (dt.date(2025, 12, 1), "html")


def test_clean_rejects_html_without_an_article() -> None:
    raw = next(iter(read_sources([str(DATA / "no_article.html")], IngestConfig())))
    assert isinstance(raw, RawArticle)
    result = next(iter(CleanArticles()([raw])))
    assert isinstance(result, Rejected)
    assert (result.reason, result.source) == ("no_article", str(DATA / "no_article.html"))


def test_clean_txt_fixture_keeps_raw_and_drops_read_more() -> None:
    raw = next(iter(read_sources([str(DATA / "good.txt")], IngestConfig())))
    assert isinstance(raw, RawArticle)
    article = CleanArticles().clean_one(raw)
    assert isinstance(article, Article)
    assert "Read more:" in article.raw_text
    assert "Read more:" not in article.text
    assert article.title == "Two Tajik border officers die in night clash on Afghan frontier"
    assert "\n\n" not in article.text
    assert "  " not in article.text


# --- the dev corpus ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus() -> dict[str, Article]:
    if not CORPUS.exists():
        pytest.skip(f"dev corpus not found at {CORPUS} (needs ../shared next to the repo)")
    items = list(read_sources([str(CORPUS)], IngestConfig()))
    assert not [i for i in items if isinstance(i, Rejected)]
    load_words()
    start = time.perf_counter()
    cleaned = list(CleanArticles()(i for i in items if isinstance(i, RawArticle)))
    elapsed = time.perf_counter() - start
    logger.info("cleaned %d articles in %.3f s (%.0f/s)", len(cleaned), elapsed, len(cleaned) / elapsed)
    assert elapsed < 1.0, f"cleaning the dev corpus took {elapsed:.2f} s"
    assert not [c for c in cleaned if isinstance(c, Rejected)]
    return {c.article_id: c for c in cleaned if isinstance(c, Article)}


@pytest.mark.corpus
def test_corpus_cleans_all_41_articles(corpus: dict[str, Article]) -> None:
    assert len(corpus) == 41


@pytest.mark.corpus
def test_corpus_seed_001_glue_is_repaired_and_names_kept(corpus: dict[str, Article]) -> None:
    text = corpus["seed-001"].text
    for phrase in ("President Emomali Rahmon", "bilateral ties", "Shamsiddin Shohin district", "Dushanbe",
                   "Harbmaydon", "a specialized", "border outposts", "1,350-kilometer"):  # fmt: skip
        assert phrase in text, phrase


@pytest.mark.corpus
def test_corpus_names_stay_intact_where_they_appear(corpus: dict[str, Article]) -> None:
    for name in ("Muttaqi", "Dushanbe", "Shamsiddin", "Rahmon", "Muhriddin", "Khatlon"):
        raw_hits = [a for a in corpus.values() if re.search(rf"\b{name}\b", a.raw_text)]
        assert raw_hits, name
        for article in raw_hits:
            assert re.search(rf"\b{name}\b", article.text), (name, article.article_id)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("article_id", "line"),
    [("seed-002", "close"), ("seed-001", "Tags: Tajikistan, Russia, Afghanistan, Emomali Rahmon"),
     ("seed-001", "ogimageimage-name"),
     ("seed-000", "Read more: Iran Pledges Long-Term Residency for Afghan Refugees"),
     ("dev-010", "SELECT LANGUAGE BELOW"), ("dev-025", "+ ↺ − 16 px"), ("dev-022", "Popular")],
)  # fmt: skip
def test_corpus_boilerplate_lines_gone_from_text_but_in_raw(
    corpus: dict[str, Article], article_id: str, line: str
) -> None:
    article = corpus[article_id]
    assert line in article.raw_text.splitlines() or f" {line}" in article.raw_text
    assert line not in article.text.splitlines()
    if len(line) > 8:  # long enough to be unique: not even inside another line
        assert line not in article.text


@pytest.mark.corpus
def test_corpus_repeated_caption_kept_once(corpus: dict[str, Article]) -> None:
    article = corpus["seed-002"]
    caption = next(line for line in article.raw_text.splitlines() if line.endswith("—Reuters"))
    assert article.raw_text.count(caption) == 2
    assert article.text.count(caption) == 1


@pytest.mark.corpus
def test_corpus_has_no_lower_upper_glue_left(corpus: dict[str, Article]) -> None:
    glued = re.compile(r"\b[a-z]{2,}[A-Z][a-z]+\b")
    allowed = {"WeChat"}  # real camel-case names
    leftovers = {
        (a.article_id, m.group(0))
        for a in corpus.values()
        for m in glued.finditer(a.text)
        if m.group(0) not in allowed
    }
    assert leftovers == set()
    assert "PresidentEmomali" not in "".join(a.text for a in corpus.values())
