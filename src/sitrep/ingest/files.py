"""Read article files: JSON Lines in the corpus format, .txt, .html; decode strictly, reject clearly.

Bytes are decoded as UTF-8 (a BOM is dropped); UTF-16 and UTF-32 files are read when they start
with their byte-order mark (`from_bom`); bytes that are not UTF-8 are reported as `undecodable` with
their offset instead of being replaced, and NUL bytes mark a `binary_file`. JSON Lines are read line
by line so one bad line costs one Rejected and the good lines still come out; a line nested deeper
than MAX_JSON_DEPTH is rejected as `too_deep` before it is parsed.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sitrep.model import RawArticle, Rejected

STAGE = "ingest"
# NUL bytes in the first block mean a binary file; text files never contain them.
_SNIFF_BYTES = 8192
_TEXT_FIELDS = ("url", "outlet", "title")
# Byte-order marks of the wide encodings, longest first (UTF-32-LE's starts with UTF-16-LE's).
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A corpus record is one flat object; nesting deeper than this is junk, and deep enough nesting
# exhausts the parser's recursion (RecursionError) instead of failing as bad JSON.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|$)')  # an unterminated string runs to the end
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def from_bom(data: bytes) -> bytes:
    """Return `data` as UTF-8 when it starts with a UTF-16 or UTF-32 byte-order mark, else unchanged.

    Undecodable wide text is left as it is, so the usual checks reject it (NUL bytes: binary_file).
    """
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).encode("utf-8")
            except UnicodeDecodeError:
                return data
    return data


def json_depth(line: str) -> int:
    """Return how deeply the arrays and objects of the JSON text `line` nest (strings skipped)."""
    if line.count("{") + line.count("[") <= MAX_JSON_DEPTH:
        return min(line.count("{") + line.count("["), MAX_JSON_DEPTH)  # cannot nest deeper
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub('""', line)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH + 1:
            break  # deeper than any check asks (a .json array adds one level): no need to read on
    return deepest


def reject(
    source: str, reason: str, detail: str, line: int | None = None, item_id: str | None = None
) -> Rejected:
    """Build one ingest rejection."""
    return Rejected(item_id, STAGE, reason, detail, source, line)


def decode_bytes(data: bytes, source: str, charset: str | None = None) -> str | Rejected:
    """Return `data` as text (UTF-8, BOM dropped, or the declared charset) or a Rejected saying why not."""
    wide = from_bom(data)
    if wide is not data:
        data, charset = wide, None  # the byte-order mark outranks a declared charset
    if not data.strip():
        return reject(source, "empty_file", "the file is empty")
    if b"\x00" in data[:_SNIFF_BYTES]:
        return reject(source, "binary_file", "contains NUL bytes: not a text file")
    encodings = ["utf-8-sig"]
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        encodings.insert(0, charset)
    error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            if isinstance(exc, UnicodeDecodeError):
                error = exc
    where = f" at byte {error.start}" if error else ""
    return reject(source, "undecodable", f"not valid UTF-8{where}; re-save the file as UTF-8")


def _parse_published(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"published must be a YYYY-MM-DD string, not {type(value).__name__}")
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError as exc:
        raise ValueError(f"published {value!r} is not a YYYY-MM-DD date") from exc


def record_to_raw(record: Any, source: str, line: int | None, default_id: str) -> RawArticle | Rejected:
    """Turn one parsed corpus record into a RawArticle, or a Rejected naming the bad field."""
    if not isinstance(record, dict):
        return reject(source, "not_an_object", f"expected a JSON object, got {type(record).__name__}", line)
    raw_id = record.get("id")
    if raw_id is not None and not isinstance(raw_id, str | int):
        return reject(source, "bad_field", f"id must be a string, not {type(raw_id).__name__}", line)
    article_id = str(raw_id) if raw_id is not None and str(raw_id).strip() else default_id
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        detail = "the record has no text field" if text is None else "text is empty or not a string"
        return reject(source, "no_text", detail, line, article_id)
    for name in _TEXT_FIELDS:
        if record.get(name) is not None and not isinstance(record[name], str):
            return reject(source, "bad_field", f"{name} must be a string or null", line, article_id)
    try:
        published = _parse_published(record.get("published"))
    except ValueError as exc:
        return reject(source, "bad_field", str(exc), line, article_id)
    return RawArticle(
        source=source,
        line=line,
        article_id=article_id,
        url=record.get("url") or None,
        outlet=record.get("outlet") or None,
        published=published,
        title=record.get("title") or None,
        text=text,
        is_sample=record.get("sample") is True,
    )


def read_jsonl(data: bytes, source: str) -> Iterator[RawArticle | Rejected]:
    """Yield one RawArticle per good line and one Rejected per bad line of a JSON Lines file."""
    stem = Path(source).stem
    data = from_bom(data)
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"["):  # a .json file holding one array of records
        yield from _read_json_array(data, source, stem)
        return
    for number, line_bytes in enumerate(data.split(b"\n"), start=1):
        if not line_bytes.strip():
            continue
        if b"\x00" in line_bytes:
            yield reject(source, "binary_file", "line contains NUL bytes", number)
            continue
        try:
            line = line_bytes.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield reject(source, "undecodable", f"not valid UTF-8 at byte {exc.start} of the line", number)
            continue
        if json_depth(line) > MAX_JSON_DEPTH:
            yield reject(source, "too_deep", f"JSON nested deeper than {MAX_JSON_DEPTH} levels", number)
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield reject(source, "invalid_json", f"{exc.msg} at column {exc.colno}", number)
            continue
        except RecursionError:
            yield reject(source, "too_deep", "JSON nested too deeply to parse", number)
            continue
        yield record_to_raw(record, source, number, f"{stem}-{number}")


def _read_json_array(data: bytes, source: str, stem: str) -> Iterator[RawArticle | Rejected]:
    text = decode_bytes(data, source)
    if isinstance(text, Rejected):
        yield text
        return
    if json_depth(text) > MAX_JSON_DEPTH + 1:  # the array itself is one level
        yield reject(source, "too_deep", f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        return
    try:
        records = json.loads(text)
    except json.JSONDecodeError as exc:
        yield reject(source, "invalid_json", f"{exc.msg}", exc.lineno)
        return
    except RecursionError:
        yield reject(source, "too_deep", "JSON nested too deeply to parse")
        return
    for index, record in enumerate(records, start=1):
        yield record_to_raw(record, source, None, f"{stem}-{index}")


def read_text_file(data: bytes, path: Path) -> RawArticle | Rejected:
    """Return a .txt file as one RawArticle whose id is the file name."""
    text = decode_bytes(data, str(path))
    if isinstance(text, Rejected):
        return text
    return RawArticle(source=str(path), article_id=path.name, text=text)


def read_html_file(data: bytes, path: Path) -> RawArticle | Rejected:
    """Return an .html file as one RawArticle carrying the page (text is extracted by clean)."""
    html = decode_bytes(data, str(path))
    if isinstance(html, Rejected):
        return html
    return RawArticle(source=str(path), article_id=path.name, html=html)
