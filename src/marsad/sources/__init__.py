"""Readers that turn files into Documents. Nothing downstream knows where a report came from.

`read_sources(paths)` yields a Document per report, or a SourceError (with file and line) for a
report it could not read, and goes on with the rest.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from marsad.model import Document
from marsad.sources.errors import SourceError
from marsad.sources.html import read_html
from marsad.sources.language import guess_lang
from marsad.sources.plaintext import parse_report_text
from marsad.sources.tabular import FieldMap, read_csv, read_jsonl

__all__ = ["FieldMap", "SourceError", "read_path", "read_sources", "text_document", "list_files"]

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
CSV_SUFFIXES = {".csv"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES | PARQUET_SUFFIXES


def text_document(raw: str, doc_id: str, source_path: str | None = None) -> Document:
    parsed = parse_report_text(raw)
    cleaned = f"{parsed.title}\n\n{parsed.body}" if parsed.title else parsed.body
    return Document(
        doc_id=doc_id,
        text=cleaned,
        raw_text=raw,
        title=parsed.title,
        outlet=parsed.outlet,
        attribution=parsed.attribution,
        lang=guess_lang(cleaned),
        source_path=source_path,
    )


def list_files(paths: Iterable[str]) -> list[str]:
    """Expand directories recursively (known report suffixes only, in a stable order); keep '-'."""
    files: list[str] = []
    for path in paths:
        p = Path(path)
        if path != "-" and p.is_dir():
            files.extend(str(f) for f in sorted(p.rglob("*")) if f.is_file() and f.suffix.lower() in KNOWN_SUFFIXES)
        else:
            files.append(path)
    return files


def _sniff(content: str) -> str:
    head = content.lstrip()[:200].lower()
    if head.startswith("{"):
        return ".jsonl"
    if head.startswith("<"):
        return ".html"
    return ".txt"


def _read_content(content: str, suffix: str, path: str, fields: FieldMap) -> Iterator[Document | SourceError]:
    stem = Path(path).stem if path != "-" else None
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(io.StringIO(content), path, fields)
    elif suffix in CSV_SUFFIXES:
        yield from read_csv(io.StringIO(content, newline=""), path, fields)
    else:
        yield _whole_file(content, suffix, path, stem)


def _whole_file(content: str, suffix: str, path: str, stem: str | None) -> Document | SourceError:
    """A file that is one report (HTML or text), or why it could not be read."""
    try:
        if suffix in HTML_SUFFIXES:
            return read_html(content, path, stem)
        if not content.strip():
            return SourceError(path, None, "empty file")
        doc = text_document(content, stem or "", source_path=path)
        if not doc.doc_id:
            doc.doc_id = doc.content_hash[:16]
        return doc
    except SourceError as err:
        return err
    except Exception as exc:  # noqa: BLE001 - an unforeseen defect is reported with the file, not raised
        return SourceError(path, None, f"unreadable report ({type(exc).__name__}: {exc})")


def _stdin_bytes() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    return stream.read() if stream is not None else sys.stdin.read().encode("utf-8", "surrogatepass")


def read_path(path: str, fields: FieldMap | None = None) -> Iterator[Document | SourceError]:
    """Reports in one file (or '-' for stdin), by suffix; unknown suffixes are sniffed. Parquet is read by
    row group, the other formats whole."""
    fields = fields or FieldMap()
    if path != "-" and Path(path).suffix.lower() in PARQUET_SUFFIXES:
        from marsad.sources.parquet import read_parquet  # late: pyarrow only when a Parquet file is read

        yield from read_parquet(path, fields)
        return
    try:
        # stdin as bytes: its text layer may turn broken UTF-8 into lone surrogates instead of failing.
        raw = _stdin_bytes() if path == "-" else Path(path).read_bytes()
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield SourceError(path, None, f"not UTF-8 text (byte {exc.start})")
        return
    except OSError as exc:
        yield SourceError(path, None, exc.strerror or str(exc))
        return
    suffix = Path(path).suffix.lower() if path != "-" else ""
    if suffix not in KNOWN_SUFFIXES:
        suffix = _sniff(content)
    yield from _read_content(content, suffix, path, fields)


def read_sources(paths: Iterable[str], fields: FieldMap | None = None) -> Iterator[Document | SourceError]:
    for path in list_files(paths):
        yield from read_path(path, fields)
