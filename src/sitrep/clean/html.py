"""Extract the article text and page metadata from HTML with trafilatura (dates via its htmldate)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import trafilatura

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageText:
    """What an HTML page yields: its main text (None when it has no article) and metadata."""

    text: str | None
    title: str | None = None
    site_name: str | None = None
    published: dt.date | None = None


def extract_page(html: str, url: str | None = None) -> PageText:
    """Return the main text, title, site name and date of one HTML page (text None: no article)."""
    # Tables are kept: in articles they hold content (results, schedules, figures), one row a line.
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    if document is None or isinstance(document, dict):  # dict only when as_dict=True, which we never pass
        return PageText(text=None)
    text = (document.text or "").strip() or None
    published = None
    if document.date:
        try:
            published = dt.date.fromisoformat(document.date[:10])
        except ValueError:
            logger.debug("unreadable page date %r", document.date)
    return PageText(
        text=text,
        title=(document.title or "").strip() or None,
        site_name=(document.sitename or "").strip() or None,
        published=published,
    )
