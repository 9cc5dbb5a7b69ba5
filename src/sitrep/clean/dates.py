"""Infer an article's publication date from its text and URL when the record gives none.

Order (first hit wins; `Article.published_from` names it): the record, the scraper's leading
" date YYYY-MM-DD " stamp, a date-only or byline-adjacent line near the top ("December 03, 2025"
under "By Reuters" is `byline`, otherwise `dateline`), a date-only line at the end (`trailer`), the
URL (/2025/12/25/, /20251225/, afintl-style /en/YYYYMMDDnnnn, a slug ending in YYYY-MM-DD, and
sinodaily-style /YYMMDDhhmmss. names only when every field is a valid clock value), and last
htmldate for HTML pages (`html`). Dates mentioned inside prose ("clashed on December 25, 2025")
are never used: they date events, not the article.
"""

from __future__ import annotations

import datetime as dt
import re

from sitrep.clean.boilerplate import BYLINE, DATE_ONLY

STAMP = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2})\s+")
# Lines at the top and bottom that may carry the date line.
_TOP_LINES = 8
_BOTTOM_LINES = 3
# Publication years we believe; anything else in a URL is an id that happens to look like a date.
_MIN_YEAR, _MAX_YEAR = 1990, 2100

_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
         "aug august", "sep sept september", "oct october", "nov november", "dec december"),
        start=1,
    )
    for name in names.split()
}  # fmt: skip
# Month words are 3 to 9 letters and start a word: bounded, so a long run of letters scans once.
_MDY = re.compile(r"(?<![A-Za-z])([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DMY = re.compile(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")
_NUMERIC = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

_URL_PATTERNS = (
    re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})(?:/|$)"),  # /2025/12/25/
    re.compile(r"/(\d{4})(\d{2})(\d{2})(?:\d{4})?(?:/|$|[?#])"),  # /20251225/ and afintl /en/202512314227
    re.compile(r"[-/_](\d{4})-(\d{2})-(\d{2})(?:/|$|[?#.])"),  # slug ending in 2025-11-28
)
# sinodaily: /afp/251201152927.rh48krq3.html = YYMMDD hhmmss
_YYMMDDHHMMSS = re.compile(r"/(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.")


def _make(year: int, month: int, day: int) -> dt.date | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """Return the first full date (with year) written in `text` in a common English or numeric form."""
    if match := _ISO.search(text):
        return _make(int(match[1]), int(match[2]), int(match[3]))
    if (match := _MDY.search(text)) and match[1].lower() in _MONTH_NUMBERS:
        return _make(int(match[3]), _MONTH_NUMBERS[match[1].lower()], int(match[2]))
    if (match := _DMY.search(text)) and match[2].lower() in _MONTH_NUMBERS:
        return _make(int(match[3]), _MONTH_NUMBERS[match[2].lower()], int(match[1]))
    if match := _NUMERIC.search(text):
        return _make(int(match[3]), int(match[2]), int(match[1]))  # day first: 03.12.2025 (not US style)
    return None


def date_from_stamp(text: str) -> dt.date | None:
    """Return the date of a leading " date YYYY-MM-DD " scraper stamp."""
    match = STAMP.match(text)
    return _make(*(int(part) for part in match[1].split("-"))) if match else None


def date_from_lines(lines: list[str]) -> tuple[dt.date, str] | None:
    """Return (date, 'byline' | 'dateline' | 'trailer') from date lines at the top or the bottom."""
    # The top never reaches the last line, so a short article's trailer stays a trailer.
    top = [line.strip() for line in lines[: min(_TOP_LINES, len(lines) - 1)]]
    for index, line in enumerate(top):
        if DATE_ONLY.match(line) and (found := parse_date(line)):
            after_byline = index > 0 and bool(BYLINE.match(top[index - 1]))
            return found, "byline" if after_byline else "dateline"
    for line in reversed(lines[-_BOTTOM_LINES:]):
        if DATE_ONLY.match(line.strip()) and (found := parse_date(line)):
            return found, "trailer"
    return None


def date_from_url(url: str | None) -> dt.date | None:
    """Return the date written in a URL path, or None where the path holds none for certain."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I)
    for pattern in _URL_PATTERNS:
        if (match := pattern.search(path)) and (found := _make(int(match[1]), int(match[2]), int(match[3]))):
            return found
    if match := _YYMMDDHHMMSS.search(path):
        hour, minute, second = int(match[4]), int(match[5]), int(match[6])
        if hour < 24 and minute < 60 and second < 60:  # clock limits
            return _make(2000 + int(match[1]), int(match[2]), int(match[3]))
    return None
