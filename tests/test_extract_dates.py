"""Date resolution against the publication date, on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.extract.dates import days_after_first, find_dates, latest_full_date

WED = dt.date(2025, 12, 3)  # a Wednesday


def _first(sentence: str, ref: dt.date = WED) -> tuple[dt.date, str, dt.date | None]:
    spans = find_dates(sentence, ref)
    assert spans, sentence
    return spans[0].as_tuple()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Gunmen opened fire on a checkpoint on Tuesday.", dt.date(2025, 12, 2)),
        ("The ministry spoke on Wednesday.", WED),
        ("Rebels shelled the town last Wednesday.", dt.date(2025, 11, 26)),
        ("Two soldiers died yesterday in the hills.", dt.date(2025, 12, 2)),
        ("A patrol was ambushed on November 29.", dt.date(2025, 11, 29)),
        ("The raid on 28 November left a post burnt.", dt.date(2025, 11, 28)),
        ("The convoy was hit on Dec. 1 near the river.", dt.date(2025, 12, 1)),
    ],
)
def test_find_dates_resolves_day(sentence: str, expected: dt.date) -> None:
    assert _first(sentence) == (expected, "day", None)


def test_find_dates_month_day_without_year_is_nearest_past() -> None:
    assert _first("Troops withdrew on December 20.", dt.date(2026, 1, 2))[0] == dt.date(2025, 12, 20)


def test_find_dates_reads_day_range() -> None:
    assert _first("Fighting raged on October 14-15 along the ridge.") == (
        dt.date(2025, 10, 14),
        "range",
        dt.date(2025, 10, 15),
    )


@pytest.mark.parametrize("phrase", ["late September", "early September", "mid-September", "in September"])
def test_find_dates_vague_month_is_month_precision(phrase: str) -> None:
    assert _first(f"Clashes broke out in the valley {phrase}.") == (dt.date(2025, 9, 1), "month", None)


def test_find_dates_background_year_is_kept() -> None:
    assert _first("The two leaders met in Tashkent in March 2019.") == (dt.date(2019, 3, 1), "month", None)


def test_find_dates_last_week_is_previous_monday_to_sunday() -> None:
    assert _first("A convoy was attacked last week.") == (
        dt.date(2025, 11, 24),
        "range",
        dt.date(2025, 11, 30),
    )


def test_find_dates_last_month_is_month_precision() -> None:
    assert _first("The armies held drills last month.") == (dt.date(2025, 11, 1), "month", None)


def test_find_dates_marks_announcement_date() -> None:
    spans = find_dates("The ministry said on Thursday that a drone struck the camp late on Tuesday.", WED)
    assert [(s.date.day, s.is_speech) for s in spans] == [(27, True), (2, False)]


def test_find_dates_skips_relative_dates_without_reference() -> None:
    assert find_dates("Gunmen struck on Tuesday.", None) == []


def test_latest_full_date_picks_latest() -> None:
    text = "Filed March 3, 2024. Updated on 5 April 2024 after the 2023 census."
    assert latest_full_date(text) == dt.date(2024, 4, 5)


@pytest.mark.parametrize(
    "sentence",
    [
        "The consulate confirmed the deaths on Tuesday, calling them a crime.",
        "The toll was three, the agency said, reported the Daily Courier on Tuesday.",
        "The ministry said in a statement on Tuesday that it would cooperate.",
    ],
)
def test_find_dates_announcement_after_short_object_is_speech(sentence: str) -> None:
    assert find_dates(sentence, WED)[-1].is_speech


def test_find_dates_act_reported_before_date_is_not_speech() -> None:
    spans = find_dates("Officials said two rangers were killed Tuesday.", WED)
    assert not spans[0].is_speech


def test_latest_full_date_skips_photo_caption() -> None:
    text = "Photo: soldiers on patrol near Osh, June 3, 2016. Talks resumed on March 2, 2025."
    assert latest_full_date(text) == dt.date(2025, 3, 2)


def test_days_after_first_reads_number_word() -> None:
    assert days_after_first("Three days after the first attack, a bridge was blown up.") == 3
    assert days_after_first("Three days later, a bridge was blown up.") is None


def test_estimate_reference_puts_yearless_dates_in_the_year_nearest_the_collection() -> None:
    from sitrep.extract.dates import estimate_reference

    text = "Guards reported a crossing on December 27. Talks were held on November 30."
    # A collection ending a day before or a few days after the date must not flip the year.
    assert estimate_reference(text, dt.date(2025, 12, 26)) == dt.date(2025, 12, 28)
    assert estimate_reference(text, dt.date(2026, 1, 3)) == dt.date(2025, 12, 28)
    assert estimate_reference("No dates here at all.", dt.date(2026, 1, 3)) is None
    assert estimate_reference(text, None) is None


def test_find_dates_next_weekday_is_ahead() -> None:
    assert _first("The envoys will meet next Monday in Osh.") == (dt.date(2025, 12, 8), "day", None)


def test_page_stamp_with_clock_time_is_not_an_event_date() -> None:
    ref = dt.date(2023, 1, 5)
    assert find_dates("Updated 14 Sep 2022, 10:45 GMT Troops clashed near the ridge.", ref) == []
    assert find_dates("10:45 | 2022-09-14 Shelling resumed in the valley.", ref) == []
    kept = find_dates("Protesters blocked the road from 10:30 a.m. on December 12, 2022.", ref)
    assert [d.date for d in kept] == [dt.date(2022, 12, 12)]


def test_month_glued_to_its_day_and_other_languages() -> None:
    ref = dt.date(2022, 9, 16)
    assert [
        (d.date, d.precision) for d in find_dates("Talks went on over Sep.14-15 in the capital.", ref)
    ] == [(dt.date(2022, 9, 14), "range")]
    assert [d.date for d in find_dates("ЕРЕВАН, 13 сентября 2022 — shelling resumed.", ref)] == [
        dt.date(2022, 9, 13)
    ]
    assert [d.date for d in find_dates("PARIS, 3 octobre 2021 — the envoy met the minister.", ref)] == [
        dt.date(2021, 10, 3)
    ]


def test_year_less_date_takes_the_year_its_weekday_fits() -> None:
    # 13 September was a Tuesday in 2022, not in 2023
    spans = find_dates("The clash took place on Tuesday, September 13, near the post.", dt.date(2023, 1, 5))
    assert dt.date(2022, 9, 13) in [d.date for d in spans]
    # no weekday: the nearest past one, as before
    spans = find_dates("The clash took place on September 13 near the post.", dt.date(2023, 10, 5))
    assert [d.date for d in spans] == [dt.date(2023, 9, 13)]
