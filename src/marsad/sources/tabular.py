"""Reports stored one per row: JSONL and CSV, with fields mapped by name."""

from __future__ import annotations

import csv
import json
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


def parse_date(value: Any) -> date | None:
    """A publication date from ISO strings or RFC 822 ("Sun, 06 May 2018 12:41:32 +0400")."""
    if value in (None, ""):
        return None
    try:
        return dateutil_parser.parse(str(value)).date()
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"unreadable date {value!r}") from exc


def _scalar(row: dict[str, Any], fields: FieldMap, role: str, path: str, line: int) -> str | None:
    """A field that must hold one value (an id, a name, a URL): a number is read as text, a list is an error."""
    value = fields.pick(row, role)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        name = getattr(fields, role) or "/".join(DEFAULT_FIELDS[role])
        raise SourceError(path, line, f"field {name!r} must be text, not {type(value).__name__}")
    return str(value).strip() or None


def row_to_document(row: dict[str, Any], fields: FieldMap, path: str, line: int) -> Document:
    text = fields.pick(row, "text")
    if not isinstance(text, str) or not text.strip():
        wanted = fields.text or "/".join(DEFAULT_FIELDS["text"])
        raise SourceError(path, line, f"no text in field {wanted!r}")
    title = _scalar(row, fields, "title", path, line)
    body = text.strip()
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
        raw_text=text,
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
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield SourceError(path, line_no, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(row, dict):
            yield SourceError(path, line_no, "expected a JSON object per line")
            continue
        try:
            yield row_to_document(row, fields, path, line_no)
        except SourceError as err:
            yield err


def read_csv(stream: TextIO, path: str, fields: FieldMap) -> Iterator[Document | SourceError]:
    reader = csv.DictReader(stream)
    try:
        for row in reader:
            # The row's first line in the file: a quoted field may span several lines.
            line_no = reader.line_num - sum(str(v).count("\n") for v in row.values() if v)
            try:
                yield row_to_document(row, fields, path, line_no)
            except SourceError as err:
                yield err
    except csv.Error as exc:
        yield SourceError(path, reader.line_num, f"invalid CSV: {exc}")
