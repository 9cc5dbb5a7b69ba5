"""Find date expressions in a sentence and resolve them against the article's publication date.

Plain regular expressions, no dateparser: the forms news text uses for events are few (weekdays,
"yesterday", month-day with or without a year, day ranges, "late November", "last week") and
dateparser cannot do the vague and ranged ones anyway (see ../shared/DEPENDENCIES.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources

from sitrep.model import DatePrecision


def _load_months() -> dict[str, int]:
    """{month word: number} from data/months.tsv (English and the languages of datelines)."""
    text = resources.files("sitrep.extract").joinpath("data", "months.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(
        (line for line in text.splitlines() if line and not line.startswith("#")), delimiter="\t"
    )
    return {row["name"].lower(): int(row["month"]) for row in rows}


_MONTHS = _load_months()
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Longest names first, so "september" wins over "sep"; a "." may follow, and then no space is needed.
_MONTH = (
    "(?P<m>"
    + "|".join(re.escape(name) for name in sorted(_MONTHS, key=len, reverse=True))
    + r")(?![^\W\d_])\.?"
)
_GAP = r"(?:(?<=\.)\s*|\s+)"  # between a month and its day: "Sep.14" or "Sep 14"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s*(?P<y>(?:19|20)\d\d))?"

# Order matters: the longer, more specific forms are tried first and their spans masked.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx, re.IGNORECASE))
    for kind, rx in (
        ("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<mn>[01]\d)-(?P<d>[0-3]\d)\b"),
        (
            "range",
            rf"\b{_MONTH}{_GAP}(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|—|to|and)\s*"
            rf"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b{_YEAR}",
        ),
        ("vague", rf"\b(?P<q>early|mid|late|end of|beginning of|the end of)[\s-]+{_MONTH}\b{_YEAR}"),
        ("mdy", rf"\b{_MONTH}{_GAP}{_DAY}\b{_YEAR}"),
        ("dmy", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b{_YEAR}"),
        ("month", rf"\b(?P<pre>in|during|last|this|since|by|until)\s+{_MONTH}\b{_YEAR}"),
        ("monthyear", rf"\b{_MONTH}\s+(?P<y>(?:19|20)\d\d)\b"),
        (
            "weekday",
            r"\b(?P<pre>last|this|past|next|on|late|early)?\s*(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:['’]s)?\b",
        ),
        (
            "rel",
            r"\b(?P<rel>yesterday|today|tonight|last night|earlier"
            r" this week|this week|last week|the previous week"
            r"|(?:in|over|during|within) the (?:past|last)"
            r" (?:week|seven days)|a week ago|last month|this month"
            r"|earlier this month|(?P<n>\d+|two|three|four|five|six) days ago)\b",
        ),
        ("year", r"\b(?P<pre>in|since|last)\s+(?P<y>(?:19|20)\d\d|year)\b"),
    )
)

# A date right after one of these words (or a dateline) is when something was *said*, not done.
_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|say|announced|reported|confirmed|stated|declared|noted|added|published|issued|released"
    r"|disclosed|remarked|speaking|told(?:\s+\w+)?|statement|notice|report|announcement|press conference)"
    r"(?:\s+(?:released|issued|published|posted))?\s*(?:on\s+|late on\s+|on the\s+)?$",
    re.IGNORECASE,
)
_SPEECH_AFTER = re.compile(
    r"^\s*(?:,\s*)?(?:statement|announcement|report|notice|said|announced|reported|stated|confirmed|declared|told)\b",
    re.IGNORECASE,
)
# "confirmed the deaths on Friday", "reported the Times of Central Asia on Friday", "said in a
# statement on Monday": up to five words between the verb of saying and the date, none of them an act.
_SPEECH_OBJECT_BEFORE = re.compile(
    r"\b(?:said|announced|reported|confirmed|stated|declared|told|wrote)"
    r"((?:\s+(?!(?:attack|clash|strike|assault|incident|shooting|raid|kill|fight|die|dead|wound|injur"
    r"|struck|cross|occur|happen|took|were\b|was\b|had\b|have\b|that\b)\w*)[\w’'.-]+){1,5})"
    r"\s+(?:(?:on|late on)\s+)?$",
    re.IGNORECASE,
)
_DATELINE = re.compile(r"^\W*[A-Z][A-Za-z ]{2,30},\s*$")  # "Kabul, " before "Dec 2" at sentence start
# "On Monday, the minister said that ...": a date that opens the sentence, before a subject of at most
# ten words and its verb of saying, dates the saying; what was said has its own date or none.
_LEADING = re.compile(r"^\W*(?:(?:late|early)\s+)?(?:on\s+(?:the\s+)?)?$", re.IGNORECASE)
# "In a statement carried by the agency, on Thursday, the committee said": an opening phrase that tells
# of no act, then the date, then the speaker.
_INTRODUCED = re.compile(
    r"^(?!.*\b(?:cross|infiltrat|attack|clash|kill|struck|strike|fir(?:e|ing)|raid|shell|bomb|died)\w*)"
    r".{0,120},\s*(?:(?:late|early)\s+)?(?:on\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)
_SUBJECT_SAYS = re.compile(
    r"^\s*(?:,\s*)?(?:(?!(?:and|that|who|which|were|was|when|after|before)\b|(?-i:[a-z]+ed\b))[\w’'.-]+,?\s+){1,10}?"
    r"(?:has\s+|have\s+|had\s+)?(?:said|says|announced|reported"
    r"|stated|declared|confirmed|told|noted|claimed|warned|wrote)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateSpan:
    """One resolved date expression: where it sits in its sentence and what it means."""

    date: dt.date
    precision: DatePrecision
    end: dt.date | None
    text: str
    start: int  # offsets inside the sentence
    stop: int
    is_speech: bool  # attached to a verb of saying, or a dateline: the announcement's date

    def as_tuple(self) -> tuple[dt.date, DatePrecision, dt.date | None]:
        return (self.date, self.precision, self.end)


def _month(token: str) -> int:
    return _MONTHS[token.lower().rstrip(".")]


def _past_year(month: int, day: int, year: int | None, ref: dt.date) -> dt.date | None:
    """The date with that month and day, in `year` or else the nearest one not after `ref` (+1 day slack)."""
    try:
        if year:
            return dt.date(year, month, day)
        candidate = dt.date(ref.year, month, day)
        if candidate > ref + dt.timedelta(days=1):  # one day of slack: time zones and late editions
            candidate = dt.date(ref.year - 1, month, day)
        return candidate
    except ValueError:
        return None


def _past_month(month: int, year: int | None, ref: dt.date) -> dt.date:
    if year:
        return dt.date(year, month, 1)
    return dt.date(ref.year if month <= ref.month else ref.year - 1, month, 1)


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _resolve_rel(
    rel: str, match: re.Match[str], ref: dt.date
) -> tuple[dt.date, DatePrecision, dt.date | None]:
    one = dt.timedelta(days=1)
    if rel in {"yesterday", "last night"}:
        return ref - one, "day", None
    if rel in {"today", "tonight"}:
        return ref, "day", None
    if rel in {"last week", "the previous week"}:
        start = _week_start(ref) - dt.timedelta(days=7)
        return start, "range", start + dt.timedelta(days=6)
    if rel in {"this week", "earlier this week"}:
        return _week_start(ref), "range", ref
    if rel == "a week ago":
        return ref - dt.timedelta(days=7), "day", None
    if rel.endswith("days ago"):
        raw = match.group("n")
        return ref - dt.timedelta(days=int(raw) if raw.isdigit() else _SMALL[raw]), "day", None
    if rel == "last month":
        first = ref.replace(day=1) - one
        return first.replace(day=1), "month", None
    if rel in {"this month", "earlier this month"}:
        return ref.replace(day=1), "month", None
    # "in the past week", "over the last seven days", "within the past week"
    return ref - dt.timedelta(days=7), "range", ref


def _resolve(
    kind: str, m: re.Match[str], ref: dt.date
) -> tuple[dt.date, DatePrecision, dt.date | None] | None:
    year = int(m.group("y")) if "y" in m.groupdict() and m.group("y") and m.group("y").isdigit() else None
    if kind == "iso":
        try:
            return dt.date(int(m.group("y")), int(m.group("mn")), int(m.group("d"))), "day", None
        except ValueError:
            return None
    if kind == "range":
        first = _past_year(_month(m.group("m")), int(m.group("d1")), year, ref)
        last = _past_year(
            _month(m.group("m")), int(m.group("d2")), year or (first.year if first else None), ref
        )
        if first is None or last is None or last < first:
            return None
        return first, "range", last
    if kind in {"mdy", "dmy"}:
        day = _past_year(_month(m.group("m")), int(m.group("d")), year, ref)
        return (day, "day", None) if day else None
    if kind in {"vague", "monthyear"}:
        return _past_month(_month(m.group("m")), year, ref), "month", None
    if kind == "month":
        if m.group("pre").lower() in {"since", "until", "by"}:
            return None  # a period's edge, not when something happened
        return _past_month(_month(m.group("m")), year, ref), "month", None
    if kind == "weekday":
        target = _WEEKDAYS.index(m.group("wd").lower())
        delta = (ref.weekday() - target) % 7
        pre = (m.group("pre") or "").lower()
        if pre == "next":  # a day ahead: a plan, which the stage drops as a future date
            return ref + dt.timedelta(days=(target - ref.weekday()) % 7 or 7), "day", None
        if delta == 0 and pre in {"last", "past"}:
            delta = 7
        return ref - dt.timedelta(days=delta), "day", None
    if kind == "rel":
        return _resolve_rel(m.group("rel").lower(), m, ref)
    if kind == "year":
        if m.group("pre").lower() == "since":
            return None
        if m.group("y").lower() == "year":  # "last year"
            return dt.date(ref.year - 1, 1, 1), "year", None
        return dt.date(int(m.group("y")), 1, 1), "year", None
    return None


def _is_speech(sentence: str, start: int, stop: int) -> bool:
    before = sentence[max(0, start - 40) : start]
    if _SPEECH_BEFORE.search(before) or _SPEECH_AFTER.match(sentence[stop : stop + 30]):
        return True
    if _SPEECH_OBJECT_BEFORE.search(sentence[max(0, start - 70) : start]):
        return True
    if _SUBJECT_SAYS.match(sentence[stop : stop + 120]) and (
        _LEADING.match(sentence[:start]) or _INTRODUCED.search(sentence[:start])
    ):
        return True
    return bool(_DATELINE.match(sentence[:start]))


_CLOCK_BEFORE = re.compile(r"\b[0-2]?\d:[0-5]\d(?:\s*[ap]\.?m\.?)?(?-i:\s*[A-Z]{2,4})?[\s,|/–—-]*$", re.I)
_CLOCK_AFTER = re.compile(r"^[\s,|/–—-]*(?:at\s+)?[0-2]?\d:[0-5]\d\b")
_WEEKDAY_NEAR = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)


def _is_page_stamp(sentence: str, start: int, stop: int, m: re.Match[str]) -> bool:
    """A full date glued to a clock time ("14 Sep 2022 10:45", "10:45 | 2022-09-14"): a page stamp."""
    if not m.groupdict().get("y"):
        return False
    return bool(
        _CLOCK_BEFORE.search(sentence[max(0, start - 16) : start]) or _CLOCK_AFTER.match(sentence[stop:])
    )


def _weekday_year(sentence: str, start: int, stop: int, day: dt.date, ref: dt.date) -> dt.date:
    """A year-less date next to a weekday ("Tuesday, September 13") takes the year, within one of
    `ref`'s, that makes the weekday right (nearest `ref` first); else it keeps `day`."""
    near = _WEEKDAY_NEAR.search(sentence[max(0, start - 20) : start]) or _WEEKDAY_NEAR.search(
        sentence[stop : stop + 20]
    )
    if near is None:
        return day
    target = _WEEKDAYS.index(near.group(1).lower())
    if day.weekday() == target:
        return day
    fits = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            candidate = day.replace(year=year)
        except ValueError:
            continue
        if candidate.weekday() == target:
            fits.append(candidate)
    return min(fits, key=lambda d: abs((d - ref).days)) if fits else day


def find_dates(sentence: str, ref: dt.date | None) -> list[DateSpan]:
    """Every date expression in `sentence`, resolved against `ref` (relative ones are skipped without it)."""
    taken: list[tuple[int, int]] = []
    spans: list[DateSpan] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            start, stop = m.span()
            if kind == "weekday" and m.group("pre"):
                start = m.start("pre")
            if any(start < b and a < stop for a, b in taken):
                continue
            if ref is None and kind not in {"iso"} and not (m.groupdict().get("y")):
                continue
            if kind in {"iso", "mdy", "dmy"} and _is_page_stamp(sentence, start, stop, m):
                taken.append((start, stop))
                continue  # "13 Sep 2022, 10:45": when the page was stamped, not when anything happened
            resolved = _resolve(kind, m, ref or dt.date.max)
            if resolved is None:
                continue
            if kind in {"mdy", "dmy"} and not m.group("y") and ref is not None:
                resolved = (_weekday_year(sentence, start, stop, resolved[0], ref), *resolved[1:])
            taken.append((start, stop))
            date, precision, end = resolved
            text = sentence[start:stop].strip()
            spans.append(DateSpan(date, precision, end, text, start, stop, _is_speech(sentence, start, stop)))
    return sorted(spans, key=lambda s: s.start)


# A line break, or a full stop after a long word or a year ("Ill." in "Ill. Purposes" is no end).
_SENTENCE_END = re.compile(r"\n|(?:(?<![a-z])[a-z]{4,}|\d{4})[.!?]\s+(?=[A-Z])")
_CAPTION = re.compile(r"\b(?:photo|file photo|photograph|caption|pictured)\b", re.IGNORECASE)


def in_caption(text: str, start: int) -> bool:
    """Whether offset `start` of `text` sits in a photo caption (a caption word shortly before it)."""
    window = text[max(0, start - 200) : start]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    return bool(_CAPTION.search(window[ends[-1] if ends else 0 :]))


def latest_full_date(text: str) -> dt.date | None:
    """The latest fully written date (day, month and year) in `text`: a stand-in publication date."""
    best: dt.date | None = None
    for kind in ("iso", "mdy", "dmy", "range"):
        pattern = dict(_PATTERNS)[kind]
        for m in pattern.finditer(text):
            if not m.groupdict().get("y"):
                continue
            if in_caption(text, m.start()):
                continue  # a photo caption dates the photo (often an archive one), not the article
            resolved = _resolve(kind, m, dt.date.max)
            if resolved is not None:
                day = resolved[2] or resolved[0]
                if best is None or day > best:
                    best = day
    return best


def estimate_reference(text: str, collection_date: dt.date | None) -> dt.date | None:
    """A stand-in publication date for an undated article whose dates carry no year.

    Each month-day it names is put in the year that brings it nearest `collection_date` (the latest
    publication date of the articles it arrived with), so that small differences in that date never
    flip a year; the latest such day plus one is returned, since reports usually appear the day after
    the latest event they mention. None without a collection date or a month-day.
    """
    if collection_date is None:
        return None
    best: dt.date | None = None
    for kind in ("mdy", "dmy", "range"):
        for m in dict(_PATTERNS)[kind].finditer(text):
            groups = m.groupdict()
            day_text = groups.get("d2") or groups.get("d")
            if not day_text or groups.get("y"):
                continue
            day = _nearest_year(_month(groups["m"]), int(day_text), collection_date)
            if day is not None and (best is None or day > best):
                best = day
    return best + dt.timedelta(days=1) if best else None


def _nearest_year(month: int, day: int, anchor: dt.date) -> dt.date | None:
    """The date with that month and day in the year (anchor's, or one either side) nearest `anchor`."""
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - anchor).days)) if candidates else None


_DAYS_AFTER = re.compile(
    r"\b(?P<n>\d|one|two|three|four|five|six|seven|a) days? (?:after|later than) the"
    r" (?:first|previous|earlier|initial) (?:attack|incident|clash|assault|strike)",
    re.IGNORECASE,
)
_WORD_DAYS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def days_after_first(sentence: str) -> int | None:
    """N in "N days after the first attack": the act is dated from the article's first one of its kind."""
    m = _DAYS_AFTER.search(sentence)
    if m is None:
        return None
    raw = m.group("n").lower()
    return int(raw) if raw.isdigit() else _WORD_DAYS[raw]


# Words of an incident's course: a sentence with one of these narrates the act ("crossed on Tuesday and
# were located on Wednesday"), so its date also dates the attack told in the sentences after it.
_SCENE = re.compile(
    r"\b(?:cross\w*|infiltrat\w*|locat\w*|detect\w*|spotted|intercept\w*|entered|open\w* fire|attack\w*"
    r"|clash\w*|fight\w*|firefight|shootout|ambush\w*|struck|killed|operation"
    r"|took place|occurred|happened)\b",
    re.IGNORECASE,
)


_SCENE_DAYS = 14  # a narrated course dates a fresh attack; an older date there is background, not its day


def scene_date(preceding: list[tuple[int, str]], ref: dt.date | None) -> tuple[int, DateSpan] | None:
    """(offset, date) of the latest day an incident narrated in `preceding` (offset, sentence) pairs
    took place: the latest non-announcement day-precision date of a sentence that tells an incident."""
    found: list[tuple[int, DateSpan]] = []
    for offset, sentence in preceding:
        if not _SCENE.search(sentence):
            continue
        found.extend(
            (offset + d.start, d)
            for d in find_dates(sentence, ref)
            if not d.is_speech
            and d.precision == "day"
            and (ref is None or ref - dt.timedelta(days=_SCENE_DAYS) <= d.date <= ref)
        )
    return max(found, key=lambda pair: pair[1].date) if found else None


# "The meeting came a day after the ambassador called the minister": the acts after "after" are dated
# from the named, already dated act, N days earlier.
_DAYS_BEFORE_REFERENT = re.compile(
    r"\b(?:the|this|that)\s+(?:\w+\s+)?(?P<noun>meeting|call|talks|visit|attack|clash|statement)\s+"
    r"(?:came|was held|took place|followed|occurred)\s+(?P<n>\d|a|one|two|three|four|five|six|seven)"
    r"\s+days?\s+after\b",
    re.IGNORECASE,
)
REFERENT_TYPES = {"meeting": "CONSULT", "call": "CONSULT", "talks": "CONSULT", "visit": "CONSULT"}
REFERENT_TYPES |= {"attack": "ASSAULT", "clash": "ASSAULT", "statement": "SPEECH"}


def days_before_referent(sentence: str) -> tuple[str, int, int, str] | None:
    """(referent noun, days, offset past "after", words) of "The meeting came a day after ...", or None."""
    m = _DAYS_BEFORE_REFERENT.search(sentence)
    if m is None:
        return None
    raw = m.group("n").lower()
    days = int(raw) if raw.isdigit() else _WORD_DAYS[raw]
    return m.group("noun").lower(), days, m.end(), sentence[m.start("n") : m.end()]
