"""Drop scraper boilerplate lines and repeated blocks from article text, keeping the article itself.

Works line by line on text whose lines are paragraphs (the corpus format and trafilatura's output):

* UI lines: share/close widgets, "Latest News", "Popular", "SELECT LANGUAGE BELOW", "Short Url", ...
* prefixed lines: "Read more: ...", "Tags: ...", "Source:https://...", bylines ("By Reuters", "News Desk").
* shapes: image placeholders ("ogimageimage-name"), font-size widgets ("+ ↺ − 16 px"), view counters,
  a lone URL, a URL slug line, breadcrumbs ("home » international"), lone section labels ("WORLD"),
  other-headline links ending in a timestamp and view counter ("... 09.11.25, 06:04 • [views_17325]"),
  and lines that are only a date or a "Publish Date:" / "Updated" stamp (read first by `dates`).
* the tail: from a tail marker ("Tags", "Back To Top", "Your Comment", "Popular") onward when the rest
  is only short lines, and a trailing run of three or more short headline-like lines, unless the run
  is a list the article gives (introduced by a colon, or items that begin alike: tour dates, a
  numbered list).
* repeats: a paragraph seen before (repeated headline or caption) is dropped; a sentence of 40+ characters
  seen before is dropped; an opening paragraph that reappears inside a later paragraph (the article
  opens with a copy of its own ending) is dropped there, at the top. A text in which three or more
  different paragraphs recur repeats by design (interview questions, a meal plan) and keeps them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

_UI_LINES = frozenset(
    """close|latest news|latest|popular|news by theme|select language below|select language|details|
    short url|follow|share|back to top|your comment|tags|read more|advertisement|related|related news|
    most read|trending|more news|comments|print|email|subscribe|skip to content|menu|search|home|
    news desk|web desk|(with input from news desk)|with input from news desk""".replace("\n", "").split("|")
)
_UI_LINES = frozenset(line.strip() for line in _UI_LINES)
# Lines from which the rest of the article is page furniture, when only short lines follow.
_TAIL_MARKERS = frozenset(
    {"tags", "back to top", "your comment", "popular", "news by theme", "latest news", "latest",
     "related", "related news", "read more", "more news", "most read"}
)  # fmt: skip
# A line is "short" (headline-like, not prose) at or under this many words.
_SHORT_LINE_WORDS = 15
# A trailing run of this many short lines without a final full stop is a list of other headlines.
_MIN_HEADLINE_RUN = 3
# Sentences shorter than this are too generic to call a repeat ("He added.").
_MIN_REPEAT_CHARS = 40
# Paragraphs opening the article that may be copies of its end.
_LEAD_PARAGRAPHS = 3
# This many different paragraphs each occurring more than once make a text templated (see
# `_is_templated`); a scraper repeats one or two (a headline, a caption).
_TEMPLATE_REPEATS = 3
# A list item starts with a number or a bullet ("3) ...", "- ...", "• ...").
_LIST_ITEM = re.compile(r"^(?:\d{1,3}[.)]?\s|[-–•*·]\s)")
_ITEM_PUNCT = ".,:;()-–—"

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DATE_ONLY = re.compile(
    rf"^(?:(?:updated|published|publish date|posted|date)\s*:?\s*)?"
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    rf"(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}}"
    rf"|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    rf"(?:,?\s+\d{{1,2}}:\d{{2}}(?:\s*[ap]\.?m\.?)?)?(?:\s+[A-Z]{{2,4}})?\s*$",
    re.I,
)
BYLINE = re.compile(r"^[Bb]y\s+([A-Z][\w.&'’ -]{1,40})$")
_PREFIXED = re.compile(
    r"^(?:read more|read also|also read|see also|tags|related|source\s*:\s*https?://|news id)\s*:?", re.I
)
_IMAGE_PLACEHOLDER = re.compile(r"^(?:og[:_]?)?image[\w:.-]*$", re.I)
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_PHOTO_CREDIT = re.compile(r"^(?:photo|image|file photo)\s*:\s*\S+$", re.I)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+){3,}$")
_VIEWS = re.compile(r"^\W*\d[\d,.\s]*\s*(?:views?|hits|переглядів|переглядiв|просмотр\w*)\W*$", re.I)
_HEADLINE_TIMESTAMP = re.compile(r"\d{1,2}\.\d{2}\.\d{2},?\s*\d{1,2}:\d{2}\s*•?\s*(?:\[views_\d+\])?\s*$")
_FONT_WIDGET = re.compile(r"^\d+px$")
_SECTION_LABEL = re.compile(r"^[A-Z]{3,12}$")
_SENTENCE_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”\"’)]))\s+(?=[“\"(]?[A-Z0-9])")


_NON_WORD = re.compile(r"\W+")


def _key(text: str) -> str:
    """Comparison key: lower case, letters and digits only, single spaces."""
    return _NON_WORD.sub(" ", text.lower()).strip()


def line_reason(line: str) -> str | None:
    """Return why `line` is boilerplate (a short label), or None when it is article text."""
    stripped = line.strip()
    lower = stripped.lower().rstrip(":").strip()
    checks: tuple[tuple[Callable[[], bool], str], ...] = (
        (lambda: lower in _UI_LINES, "ui"),
        (lambda: bool(_PREFIXED.match(stripped)), "prefixed"),
        (lambda: bool(_IMAGE_PLACEHOLDER.match(stripped)), "image"),
        (lambda: bool(_URL_ONLY.match(stripped)), "url"),
        (lambda: bool(_PHOTO_CREDIT.match(stripped)), "credit"),
        (lambda: bool(_SLUG.match(stripped)), "slug"),
        (lambda: bool(_VIEWS.match(stripped)), "views"),
        (lambda: bool(_HEADLINE_TIMESTAMP.search(stripped)), "headline_link"),
        (lambda: bool(_FONT_WIDGET.match(re.sub(r"[\W_]+", "", stripped))), "widget"),
        (lambda: not re.search(r"\w", stripped), "symbols"),
        (lambda: "»" in stripped and len(stripped.split()) <= 6, "breadcrumb"),
        (lambda: bool(_SECTION_LABEL.match(stripped)), "section"),
        (lambda: bool(BYLINE.match(stripped)) and len(stripped.split()) <= 5, "byline"),
        (lambda: bool(DATE_ONLY.match(stripped)), "date"),
    )  # evaluated lazily, cheapest first; most lines are prose and fail every check
    if len(stripped.split()) > _SHORT_LINE_WORDS:
        # Long prose: only a "Read more:"-style prefix or a timestamped headline link can be that long.
        if _PREFIXED.match(stripped):
            return "prefixed"
        return "headline_link" if _HEADLINE_TIMESTAMP.search(stripped) else None
    for check, reason in checks:
        if check():
            return reason
    return None


def _is_short(line: str) -> bool:
    return len(line.split()) <= _SHORT_LINE_WORDS


def _cut_after_marker(lines: list[str]) -> list[str]:
    """Drop everything from a tail marker on (never the first line), when only short lines follow it."""
    for index in range(1, len(lines)):
        if lines[index].lower().rstrip(":") in _TAIL_MARKERS and all(
            _is_short(rest) for rest in lines[index + 1 :]
        ):
            return lines[:index]
    return lines


def _is_list(run: list[str], before: str) -> bool:
    """True when a run of short lines is a list the article gives, not links to other headlines.

    A list is introduced ("The tour dates:") or its items begin alike: numbered or bulleted, or
    starting with a word another item starts with ("June 14 ...", "June 20 ..."). Headlines of other
    stories begin each their own way.
    """
    if before.rstrip().endswith(":"):
        return True
    firsts = [line.split()[0].lower().strip(_ITEM_PUNCT) for line in run]
    alike = sum(1 for line, first in zip(run, firsts, strict=True)
                if _LIST_ITEM.match(line) or (first and firsts.count(first) > 1))  # fmt: skip
    return 2 * alike >= len(run)


def _cut_headline_run(lines: list[str]) -> list[str]:
    """Drop a trailing run of short lines with no final full stop: links to other headlines."""
    run = 0
    for line in reversed(lines):
        if _is_short(line) and not line.rstrip().endswith((".", '."', ".”", ":")):
            run += 1
        else:
            break
    if _MIN_HEADLINE_RUN <= run < len(lines):
        tail = lines[len(lines) - run :]
        if not _is_list(tail, lines[len(lines) - run - 1]):
            lines = lines[: len(lines) - run]
    return lines


def _drop_lead_copies(paragraphs: list[str]) -> list[str]:
    """Drop an opening paragraph whose text reappears inside a later, longer paragraph."""
    keys = [_key(p) for p in paragraphs]
    keep = [True] * len(paragraphs)
    for i in range(min(_LEAD_PARAGRAPHS, len(paragraphs))):
        if len(keys[i]) < _MIN_REPEAT_CHARS:
            continue
        if any(keys[i] in keys[j] and len(keys[j]) > len(keys[i]) for j in range(i + 2, len(keys))):
            keep[i] = False
    return [p for p, k in zip(paragraphs, keep, strict=True) if k]


def _is_templated(paragraphs: list[str]) -> bool:
    """True when several different paragraphs recur: the text repeats by design (the questions of an
    interview, the steps of a plan), so its repeats are content, not scraper copies."""
    counts = Counter(_key(p) for p in paragraphs)
    return sum(1 for n in counts.values() if n > 1) >= _TEMPLATE_REPEATS


def _drop_repeats(paragraphs: list[str]) -> list[str]:
    """Keep the first copy of each paragraph and of each sentence of 40+ characters.

    Text that repeats by design (`_is_templated`) is kept whole.
    """
    if _is_templated(paragraphs):
        return paragraphs
    seen_paragraphs: set[str] = set()
    seen_sentences: set[str] = set()
    out: list[str] = []
    for paragraph in paragraphs:
        key = _key(paragraph)
        if key in seen_paragraphs:
            continue
        seen_paragraphs.add(key)
        kept: list[str] = []
        for sentence in _SENTENCE_SPLIT.split(paragraph):
            skey = _key(sentence)
            if len(skey) >= _MIN_REPEAT_CHARS and skey in seen_sentences:
                continue
            seen_sentences.add(skey)
            kept.append(sentence)
        if kept:
            out.append(" ".join(kept) if len(kept) > 1 else kept[0])
    return out


def strip_boilerplate(lines: list[str]) -> list[str]:
    """Return the article's paragraphs without boilerplate lines, tail furniture or repeats."""
    body = _cut_after_marker([line.strip() for line in lines if line.strip()])
    body = _cut_headline_run([line for line in body if line_reason(line) is None])
    body = _drop_lead_copies(body)
    return _drop_repeats(body)
