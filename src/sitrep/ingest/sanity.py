"""Text sanity at the door: every string an article brings is one UTF-8 can encode.

Lone surrogates (a JSON `"\\ud800"` escape, a broken decoder) cannot be encoded, so they break
hashing, the store and the model; NUL (U+0000) is refused by PostgreSQL text columns. Both are
replaced by U+FFFD, the replacement character, so offsets into the text keep their meaning.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from sitrep.model import RawArticle

REPLACEMENT = "\ufffd"
_UNENCODABLE = re.compile("[\x00\ud800-\udfff]")
_FIELDS = ("article_id", "url", "outlet", "title", "text", "html", "source")


def sane_text(text: str) -> str:
    """Return `text` with lone surrogates and NUL replaced by U+FFFD (the same object when clean)."""
    if "\x00" not in text:
        try:
            text.encode("utf-8")
            return text
        except UnicodeEncodeError:
            pass
    return _UNENCODABLE.sub(REPLACEMENT, text)


def sane_raw(raw: RawArticle) -> RawArticle:
    """Return `raw` with every text field passed through `sane_text`."""
    changes: dict[str, Any] = {
        name: fixed
        for name in _FIELDS
        if isinstance(value := getattr(raw, name), str) and (fixed := sane_text(value)) is not value
    }
    return dataclasses.replace(raw, **changes) if changes else raw
