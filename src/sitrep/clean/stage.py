"""The clean stage: RawArticle -> Article with boilerplate removed, glue repaired and metadata inferred.

Text: `raw_text` is the text as received (for HTML: what trafilatura extracted, before our cleaning, so
boilerplate is still visible there); `text` is the clean text, one paragraph per line ("\\n"), runs of
spaces collapsed. All later character offsets index `text`.

Title rule: the record's title, else the page title for HTML, else (plain text only) the first clean
line when it is clearly a headline: 3 to 25 words, no final full stop, not a photo caption or credit,
and followed by more text. The headline stays in `text` as its first line (only later copies are
removed), because outlets state events in headlines and quotes must be found in `text`.

Publication date and outlet: see `sitrep.clean.dates` and `sitrep.clean.outlets`; `published_from`
is record | stamp | dateline | byline | trailer | url | html, `outlet_from` is record | byline | html |
domain.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from sitrep.clean.boilerplate import strip_boilerplate
from sitrep.clean.dates import STAMP, date_from_lines, date_from_stamp, date_from_url
from sitrep.clean.glue import GlueChange, repair_glue
from sitrep.clean.html import extract_page
from sitrep.clean.language import detect_language
from sitrep.clean.outlets import outlet_from_byline, outlet_from_domain
from sitrep.model import Article, RawArticle, Rejected

logger = logging.getLogger(__name__)

# Headline length bounds in words: shorter is a label ("WORLD"), longer is a lead sentence.
_TITLE_MIN_WORDS, _TITLE_MAX_WORDS = 3, 25
_CAPTION = re.compile(
    r"^(?:photo|file photo|screenshot|image|picture)\b|(?:[—/-]\s*|\()(?:reuters|afp|ap|social media)\)?\s*$",
    re.I,
)
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
# Scripts written without spaces between words: Han (Chinese, Japanese kanji), kana, and the CJK
# punctuation and full-width forms around them. Hangul is written with spaces and is not here.
_UNSPACED = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Characters of an unspaced script counted as one word (Chinese and Japanese words average ~2).
_CHARS_PER_WORD = 2


def word_count(text: str) -> int:
    """Words in `text`: whitespace-separated words, plus unspaced-script characters / 2 (CJK)."""
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return len(text.split())
    return len(_UNSPACED.sub(" ", text).split()) + unspaced // _CHARS_PER_WORD


@dataclass(frozen=True)
class CleanArticles:
    """RawArticle -> Article: extract HTML, drop boilerplate, repair glued words, infer date and outlet.

    Rejects HTML with no article text (`no_article`) and articles whose clean text is empty (`no_text`).
    `log_glue_changes` logs every repaired token at DEBUG level, for audits.
    """

    name: ClassVar[str] = "clean.v1"
    log_glue_changes: bool = field(default=False)
    # Fewer words than this from an HTML page is navigation or a stub, not an article (`word_count`:
    # Chinese and Japanese text is counted by characters).
    min_html_words: int = 20

    def __call__(self, raws: Iterable[RawArticle], /) -> Iterator[Article | Rejected]:
        for raw in raws:
            yield self.clean_one(raw)

    def clean_one(self, raw: RawArticle, changes: list[GlueChange] | None = None) -> Article | Rejected:
        """Clean one article; append each glue repair to `changes` when given."""
        item_id = raw.article_id or raw.url or raw.source
        title, outlet, outlet_from = raw.title, raw.outlet, "record" if raw.outlet else None
        page_date: dt.date | None = None
        if raw.html is not None and not raw.text:
            page = extract_page(raw.html, raw.url)
            if not page.text or word_count(page.text) < self.min_html_words:
                words = word_count(page.text or "")
                return Rejected(item_id, self.name, "no_article",
                                f"the HTML page has no article text ({words} words found)",
                                raw.source, raw.line)  # fmt: skip
            raw_text = page.text
            title = title or page.title
            if outlet is None and page.site_name:
                outlet, outlet_from = page.site_name, "html"
            page_date = page.published
        else:
            raw_text = raw.text or ""
        lines = STAMP.sub("", raw_text.replace("\r\n", "\n").replace("\r", "\n"), count=1).split("\n")
        published, published_from = self._published(raw, raw_text, lines, page_date)
        if outlet is None and (byline := outlet_from_byline(lines)):
            outlet, outlet_from = byline, "byline"
        if outlet is None and (domain := outlet_from_domain(raw.url)):
            outlet, outlet_from = domain, "domain"
        text = self._clean_text(lines, changes)
        if not text:
            return Rejected(item_id, self.name, "no_text", "nothing is left after removing boilerplate",
                            raw.source, raw.line)  # fmt: skip
        if title is None and raw.html is None:
            title = _headline(text)
        return Article(
            article_id=item_id,
            raw_text=raw_text,
            text=text,
            url=raw.url,
            outlet=outlet,
            published=published,
            published_from=published_from,
            outlet_from=outlet_from if outlet else None,
            title=title,
            source=raw.source,
            is_sample=raw.is_sample,
            language=detect_language(text)[0],
        )

    def _published(
        self, raw: RawArticle, raw_text: str, lines: list[str], page_date: dt.date | None
    ) -> tuple[dt.date | None, str | None]:
        if raw.published is not None:
            return raw.published, "record"
        if stamp := date_from_stamp(raw_text):
            return stamp, "stamp"
        if found := date_from_lines([line for line in lines if line.strip()]):
            return found
        if from_url := date_from_url(raw.url):
            return from_url, "url"
        if page_date is not None:
            return page_date, "html"
        return None, None

    def _clean_text(self, lines: list[str], changes: list[GlueChange] | None) -> str:
        paragraphs = [_SPACES.sub(" ", line).strip() for line in lines]
        joined = "\n".join(strip_boilerplate(paragraphs))

        def record(change: GlueChange) -> None:
            if changes is not None:
                changes.append(change)
            if self.log_glue_changes:
                logger.debug("glue repair: %r -> %r", change.before, change.after)

        repaired = repair_glue(joined, record)
        # Repairs can reveal repeats ("read.Ukrainian ..." then the same two sentences): dedupe again.
        return "\n".join(strip_boilerplate(repaired.split("\n"))).strip()


def _headline(text: str) -> str | None:
    """Return the first line of `text` when it is clearly a headline followed by body text."""
    first, _, rest = text.partition("\n")
    words = len(first.split())
    if (
        rest.strip()
        and _TITLE_MIN_WORDS <= words <= _TITLE_MAX_WORDS
        and not first.rstrip().endswith((".", ":", ","))
        and not _CAPTION.search(first)
    ):
        return first.strip()
    return None
