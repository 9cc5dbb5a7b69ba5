"""Event cues as data: `data/cues.tsv`, one row per wording, read once per process.

Each row names a PLOVER type (or "-" for a stem that only lets a sentence through the prefilter),
the mode it implies, its language, its kind and an example sentence we wrote. Both the cheap
sentence prefilter (`nlp.is_candidate`) and the classifier (`events.classify`) are built from this
one table, so a wording the classifier knows always reaches it. Adding a cue is one row here.

Kinds: `verb` (a lemma; its forms are made, or, where `forms` is filled, exactly those forms of the
first word: irregular verbs, or a verb whose bare form is mostly an infinitive), `noun`
(its plural is made), `phrase` (literal words), `pattern` (a regular expression, for cues that need
context) and `stem` (a prefix; prefilter only).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources

KINDS = frozenset({"verb", "noun", "phrase", "pattern", "stem"})
PREFILTER_ONLY = "-"


@dataclass(frozen=True)
class Cue:
    """One row of the cue table."""

    event_type: str
    mode: str | None
    lang: str
    kind: str
    cue: str
    forms: tuple[str, ...]
    example: str

    @property
    def regex(self) -> str:
        """The cue as a regular expression (no flags; matched case-insensitively)."""
        return cue_regex(self.kind, self.cue, self.forms)


def _sibilant(word: str) -> bool:
    return word.endswith(("s", "sh", "ch", "x", "z"))


def verb_forms(lemma: str) -> list[str]:
    """The lemma and its regular -s, -ed and -ing forms ("seize" -> seizes, seized, seizing)."""
    if lemma.endswith("e"):
        return [lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    if len(lemma) > 2 and lemma.endswith("y") and lemma[-2] not in "aeiou":
        return [lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if _sibilant(lemma):
        return [lemma, lemma + "es", lemma + "ed", lemma + "ing"]
    return [lemma, lemma + "s", lemma + "ed", lemma + "ing"]


def noun_forms(noun: str) -> list[str]:
    """The noun and its regular plural ("casualty" -> casualties, "clash" -> clashes)."""
    if len(noun) > 2 and noun.endswith("y") and noun[-2] not in "aeiou":
        return [noun, noun[:-1] + "ies"]
    return [noun, noun + ("es" if _sibilant(noun) else "s")]


def _words(text: str) -> str:
    return r"[\s-]+".join(re.escape(w) for w in text.split())


def cue_regex(kind: str, cue: str, forms: tuple[str, ...] = ()) -> str:
    """The regular expression of one cue of `kind`, anchored at a word start."""
    if kind == "pattern":
        return rf"\b(?:{cue})"
    if kind == "stem":
        return r"\b" + _words(cue)
    if kind == "phrase":
        return rf"\b{_words(cue)}\b"
    first, _, rest = cue.partition(" ")
    if kind == "verb":
        heads = list(forms) if forms else verb_forms(first)
        alts = [f"{h} {rest}".strip() for h in heads]
    elif kind == "noun":
        *lead, last = cue.split()
        alts = [" ".join([*lead, n]) for n in noun_forms(last)]
    else:
        raise ValueError(f"unknown cue kind {kind!r}")
    return r"\b(?:" + "|".join(_words(a) for a in sorted(set(alts), key=len, reverse=True)) + r")\b"


@functools.cache
def load_cues() -> tuple[Cue, ...]:
    """Every row of data/cues.tsv, in file order (comment lines start with '#')."""
    text = resources.files("sitrep.extract").joinpath("data", "cues.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(
        (line for line in text.splitlines() if line and not line.startswith("#")),
        delimiter="\t",
        quoting=csv.QUOTE_NONE,
    )
    out = []
    for row in rows:
        kind = row["kind"]
        if kind not in KINDS:
            raise ValueError(f"cues.tsv: unknown kind {kind!r} in row {row}")
        forms = tuple(f.strip() for f in (row.get("forms") or "").split(",") if f.strip())
        out.append(
            Cue(row["type"], row["mode"] or None, row["lang"], kind, row["cue"], forms, row["example"])
        )
    return tuple(out)


def rules(lang: str = "en") -> tuple[tuple[str, str | None, re.Pattern[str]], ...]:
    """(type, mode, regex) per (type, mode) of the table, in the order each first appears."""
    return _rules(lang)


@functools.cache
def _rules(lang: str) -> tuple[tuple[str, str | None, re.Pattern[str]], ...]:
    grouped: dict[tuple[str, str | None], list[str]] = {}
    for cue in load_cues():
        if cue.lang == lang and cue.kind != "stem" and cue.event_type != PREFILTER_ONLY:
            grouped.setdefault((cue.event_type, cue.mode), []).append(cue.regex)
    return tuple(
        (event_type, mode, re.compile("|".join(parts), re.IGNORECASE))
        for (event_type, mode), parts in grouped.items()
    )


@functools.cache
def prefilter(lang: str = "en") -> re.Pattern[str]:
    """One regex that finds any cue of the table: a sentence without a match cannot state an event."""
    parts = [cue.regex for cue in load_cues() if cue.lang == lang]
    return re.compile("|".join(parts), re.IGNORECASE)
