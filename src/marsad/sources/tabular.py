"""Reports stored one per row: JSONL and CSV (and Parquet, `parquet.py`), with fields mapped by name."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, TextIO

from dateutil import parser as dateutil_parser

from marsad.model import Document
from marsad.sources.errors import SourceError
from marsad.sources.language import guess_lang, normalise_lang

# Which field holds what, first match wins; a user's --*-field option goes in front.
DEFAULT_FIELDS = {
    "text": ("text", "body", "content", "article", "article_content"),
    "title": ("title", "headline", "article_title"),
    "id": ("doc_id", "docno", "id", "uid", "unit_id"),
    "url": ("url", "link"),
    "source": ("source", "outlet", "site", "sitename"),
    "published": ("published_iso", "published", "date", "pubdate", "datetime"),
    "lang": ("lang", "language"),
}

csv.field_size_limit(sys.maxsize)


@dataclass
class FieldMap:
    """User overrides of DEFAULT_FIELDS (None = use the defaults)."""

    text: str | None = None
    title: str | None = None
    id: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    lang: str | None = None

    def pick(self, row: dict[str, Any], role: str) -> Any:
        override = getattr(self, role)
        names = (override,) if override else DEFAULT_FIELDS[role]
        for name in names:
            value = row.get(name)
            if value not in (None, ""):
                return value
        return None


# Publication dates marsad can reason about (periods, "last Thursday", background history).
EARLIEST_PUBLISHED = date(1900, 1, 1)
LATEST_PUBLISHED = date(2200, 1, 1)
# The zero date of Go (0001-01-01T00:00:00Z) and .NET (DateTime.MinValue): "no date", not a date.
ZERO_DATE = date(1, 1, 1)
MAX_ID_CHARS = 300  # documents.doc_id is VARCHAR(300)


def parse_date(value: Any) -> date | None:
    """A publication date from ISO strings or RFC 822 ("Sun, 06 May 2018 12:41:32 +0400")."""
    if value in (None, ""):
        return None
    try:
        parsed = dateutil_parser.parse(str(value)).date()
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"unreadable date {value!r}") from exc
    return checked_published(parsed)


def checked_published(day: date | None) -> date | None:
    """A publication date in the range marsad handles; the zero date means none was given."""
    if day is None or day == ZERO_DATE:
        return None
    if not EARLIEST_PUBLISHED <= day < LATEST_PUBLISHED:
        raise ValueError(
            f"publication date {day.isoformat()} is outside {EARLIEST_PUBLISHED.year}–{LATEST_PUBLISHED.year - 1}"
        )
    return day


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(value: str) -> str:
    """JSON's \\udfff escapes decode to lone surrogates, which no text encoding can store: each becomes
    U+FFFD, as a UTF-8 decoder does with a broken character."""
    return _SURROGATE.sub("\ufffd", value)


def _json_int(digits: str) -> int | str:
    """JSON integers exactly; one too long for int() (4,300 digits) is kept as its digits."""
    return int(digits) if len(digits) <= 4000 else digits


def load_json(text: str) -> Any:
    """One JSON value with exact integers; ValueError with a clear message otherwise. Its strings may
    hold lone surrogates: the fields a report is read from are cleaned (`without_surrogates`)."""
    try:
        value = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise ValueError("invalid JSON: nested too deeply") from None
    return value


def _scalar(row: dict[str, Any], fields: FieldMap, role: str, path: str, line: int) -> str | None:
    """A field that must hold one value (an id, a name, a URL): a number is read as text, a list is an error."""
    value = fields.pick(row, role)
    if value is None:
        return None
    name = getattr(fields, role) or "/".join(DEFAULT_FIELDS[role])
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise SourceError(path, line, f"field {name!r} must be text, not {type(value).__name__}")
    text = without_surrogates(str(value).strip())  # CSV and JSON rows alike
    if role == "id" and len(text) > MAX_ID_CHARS:
        raise SourceError(path, line, f"field {name!r} is longer than {MAX_ID_CHARS} characters")
    return text or None


def row_to_document(row: dict[str, Any], fields: FieldMap, path: str, line: int) -> Document:
    text = fields.pick(row, "text")
    if not isinstance(text, str) or not text.strip():
        wanted = fields.text or "/".join(DEFAULT_FIELDS["text"])
        raise SourceError(path, line, f"no text in field {wanted!r}")
    title = _scalar(row, fields, "title", path, line)
    body = without_surrogates(text.strip())
    cleaned = f"{title}\n\n{body}" if title else body
    try:
        published = parse_date(_scalar(row, fields, "published", path, line))
    except ValueError as exc:
        raise SourceError(path, line, str(exc)) from None
    doc_id = _scalar(row, fields, "id", path, line)
    lang = _scalar(row, fields, "lang", path, line)
    doc = Document(
        doc_id="",
        text=cleaned,
        raw_text=without_surrogates(text),
        title=title,
        outlet=_scalar(row, fields, "source", path, line),
        url=_scalar(row, fields, "url", path, line),
        published=published,
        lang=normalise_lang(lang) if lang else guess_lang(body),
        source_path=f"{path}:{line}",
    )
    doc.doc_id = doc_id or doc.content_hash[:16]
    return doc


def read_jsonl(stream: TextIO, path: str, fields: FieldMap) -> Iterator[Document | SourceError]:
    for line_no, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            row = load_json(line)
        except ValueError as exc:
            yield SourceError(path, line_no, str(exc))
            continue
        if not isinstance(row, dict):
            yield SourceError(path, line_no, "expected a JSON object per line")
            continue
        yield row_or_error(row, fields, path, line_no)


def row_or_error(row: dict[str, Any], fields: FieldMap, path: str, line: int) -> Document | SourceError:
    """One row's Document, or why it could not be read: one bad row never stops the rest."""
    try:
        return row_to_document(row, fields, path, line)
    except SourceError as err:
        return err
    except Exception as exc:  # noqa: BLE001 - an unforeseen defect is reported with the row, not raised
        return SourceError(path, line, f"unreadable report ({type(exc).__name__}: {exc})")


def _missing_text_column(header: list[str], fields: FieldMap, path: str) -> SourceError | None:
    """One error for a file with no text column, rather than one per row (an events dataset, say)."""
    wanted = (fields.text,) if fields.text else DEFAULT_FIELDS["text"]
    if any(name in header for name in wanted):
        return None
    hint = ""
    if {"side_a", "best"} <= set(header) or "event_id_cnty" in header:
        hint = "; it looks like an events dataset (UCDP or ACLED): `marsad reference import ucdp|acled FILE` reads it"
    return SourceError(path, 1, f"no text column {'/'.join(wanted)!r} among {len(header)} columns{hint}")


def read_csv(stream: TextIO, path: str, fields: FieldMap) -> Iterator[Document | SourceError]:
    reader = csv.DictReader(stream)
    try:
        if reader.fieldnames is not None and (missing := _missing_text_column(list(reader.fieldnames), fields, path)):
            yield missing
            return
        for row in reader:
            # The row's first line in the file: a quoted field may span several lines.
            line_no = reader.line_num - sum(str(v).count("\n") for v in row.values() if v)
            yield row_or_error(row, fields, path, line_no)
    except csv.Error as exc:
        yield SourceError(path, reader.line_num, f"invalid CSV: {exc}")
