"""The cue table: every example sentence passes the prefilter and is coded as its row's type."""

from __future__ import annotations

import re

import pytest

from sitrep.extract import ru
from sitrep.extract.cues import KINDS, PREFILTER_ONLY, cue_regex, load_cues, noun_forms, prefilter, verb_forms
from sitrep.extract.events import classify
from sitrep.extract.nlp import is_candidate

ALL_CUES = load_cues()
CUES = tuple(c for c in ALL_CUES if c.lang == "en")
RU_CUES = tuple(c for c in ALL_CUES if c.lang == "ru")


def test_table_rows_are_complete() -> None:
    assert len(CUES) > 100
    assert len(RU_CUES) > 30
    for cue in ALL_CUES:
        assert cue.kind in KINDS, cue
        assert cue.lang in {"en", "ru"}, cue
        assert cue.example.strip(), cue
        assert cue.event_type == PREFILTER_ONLY or cue.event_type.isupper(), cue
        re.compile(cue.regex)


@pytest.mark.parametrize("cue", CUES, ids=lambda c: f"{c.event_type}:{c.cue[:30]}")
def test_example_passes_prefilter_and_row_matches(cue) -> None:  # type: ignore[no-untyped-def]
    assert is_candidate(cue.example), cue.example
    assert re.search(cue.regex, cue.example, re.IGNORECASE), (cue.cue, cue.example)


@pytest.mark.parametrize(
    "cue", [c for c in CUES if c.event_type != PREFILTER_ONLY], ids=lambda c: f"{c.event_type}:{c.cue[:30]}"
)
def test_example_is_coded_as_its_type(cue) -> None:  # type: ignore[no-untyped-def]
    assert cue.event_type in {t.event_type for t in classify(cue.example)}, cue.example


@pytest.mark.parametrize("cue", RU_CUES, ids=lambda c: f"ru-{c.event_type}:{c.cue[:30]}")
def test_russian_example_passes_prefilter_and_is_coded_as_its_type(cue) -> None:  # type: ignore[no-untyped-def]
    assert prefilter("ru").search(cue.example), cue.example
    assert re.search(cue.regex, cue.example, re.IGNORECASE), (cue.cue, cue.example)
    assert cue.event_type in {t.event_type for t in ru.classify(cue.example)}, cue.example


def test_english_rules_never_read_russian_rows() -> None:
    assert not is_candidate("Пограничники открыли огонь по лодке нарушителей.")
    assert classify("Министр осудил обстрел приграничного села.") == []


def test_inflections() -> None:
    assert verb_forms("seize") == ["seize", "seizes", "seized", "seizing"]
    assert verb_forms("clash") == ["clash", "clashes", "clashed", "clashing"]
    assert verb_forms("deny") == ["deny", "denies", "denied", "denying"]
    assert noun_forms("casualty") == ["casualty", "casualties"]
    assert noun_forms("airstrike") == ["airstrike", "airstrikes"]


def test_verb_regex_inflects_the_first_word_only() -> None:
    rx = re.compile(cue_regex("verb", "shoot down", ("shot", "shoots", "shooting")), re.I)
    assert rx.search("Gunners shot down a jet.")
    assert not rx.search("Gunners shot at a jet.")
    assert not rx.search("Gunners will shoot down jets.")  # only the forms listed


def test_a_sentence_without_any_cue_is_not_a_candidate() -> None:
    assert not is_candidate("The weather in the hills was mild for the season.")


def test_an_infinitive_is_not_the_act() -> None:
    types = {t.event_type for t in classify("The council called on the police to arrest the gang leaders.")}
    assert types == {"REQUEST"}


def test_a_passive_met_with_is_no_meeting() -> None:
    assert "CONSULT" not in {t.event_type for t in classify("The shelling was met with a swift response.")}
    assert "CONSULT" in {t.event_type for t in classify("The envoy met with the governor on Monday.")}
