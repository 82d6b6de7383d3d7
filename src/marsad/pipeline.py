"""The pipeline end to end: documents in, records extracted with places resolved, stored once each.

Each report is stored in its own transaction and skipped by content hash when already stored, so an
interrupted ingest is resumed by running it again. A report that cannot be read or extracted is
recorded in the store's failures (file, line, reason) and the others go on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError

from marsad import store
from marsad.extract import extract
from marsad.geo import resolver_for
from marsad.limits import TimeLimitExceeded, extract_timeout, max_chars, time_limit
from marsad.model import Document
from marsad.resolve import update_events
from marsad.sources import SourceError


class ExtractionError(Exception):
    """A report read but not extracted (too long, a defect of the extractor) or not stored."""

    def __init__(self, message: str, stage: str = "extract") -> None:
        super().__init__(message)
        self.stage = stage


def extract_checked(doc: Document, places=None, limit: int | None = None, seconds: float | None = None) -> list:
    """The records of `doc`, or ExtractionError saying why there are none (too long, too slow, a defect)."""
    limit = max_chars() if limit is None else limit
    if len(doc.text) > limit:
        raise ExtractionError(
            f"report of {len(doc.text):,} characters is longer than the limit of {limit:,} (MARSAD_MAX_CHARS)"
        )
    seconds = extract_timeout() if seconds is None else seconds
    try:
        with time_limit(seconds):
            return extract(doc, places=places)
    except TimeLimitExceeded:
        raise ExtractionError(f"extraction took longer than {seconds:g} s (MARSAD_EXTRACT_TIMEOUT)") from None
    except Exception as exc:  # noqa: BLE001 - one report's defect must not stop the others
        raise ExtractionError(f"extraction failed ({type(exc).__name__}: {exc})") from exc


@dataclass
class IngestStats:
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    records: int = 0
    errors: list[SourceError] = field(default_factory=list)
    new_record_ids: list[str] = field(default_factory=list)
    # Stored ids of the reports that were already in the store.
    seen_doc_ids: list[str] = field(default_factory=list)
    # What event resolution did with the new records (marsad.resolve.update_events).
    events: dict = field(default_factory=dict)


def ingest(engine: Engine, items: Iterable[Document | SourceError]) -> IngestStats:
    """Extract and store every readable report, then group the new records into events."""
    stats = store_documents(engine, items)
    resolve_events(engine, stats)
    return stats


def store_documents(engine: Engine, items: Iterable[Document | SourceError]) -> IngestStats:
    """Extract and store every readable report; the failures are recorded and collected, the rest go on."""
    stats = IngestStats()
    places = resolver_for(engine)
    for item in items:
        if isinstance(item, SourceError):
            _failed(engine, stats, item, "read")
            continue
        stats.read += 1
        try:
            _ingest_one(engine, item, places, stats)
        except ExtractionError as exc:
            _failed(engine, stats, error_of(item, str(exc)), exc.stage, item.doc_id)
    return stats


def error_of(doc: Document, reason: str) -> SourceError:
    """A SourceError naming the report's file and line ("path:12" for a JSONL/CSV row)."""
    where = doc.source_path or doc.doc_id
    path, _, line = where.rpartition(":")
    if path and line.isdecimal():
        return SourceError(path, int(line), reason)
    return SourceError(where, None, reason)


def _failed(engine: Engine, stats: IngestStats, error: SourceError, stage: str, doc_id: str | None = None) -> None:
    stats.errors.append(error)
    store.record_failure(engine, store.Failure(error.path, error.line, stage, error.message, doc_id))


def resolve_events(engine: Engine, stats: IngestStats) -> None:
    """Events grow with each ingest: this run's records are resolved against the events near their dates,
    and so are those of reports met again, which an interrupted run may have stored but not resolved."""
    leftovers = store.record_ids_of(engine, stats.seen_doc_ids) if stats.seen_doc_ids else []
    if stats.new_record_ids or leftovers:
        # A report met twice in one run is both new and seen: each record once.
        stats.events = update_events(engine, list(dict.fromkeys(stats.new_record_ids + leftovers)))


def store_extracted(engine: Engine, doc: Document, records: list) -> IngestStats:
    """Store one report whose records were extracted elsewhere (the API's worker process)."""
    stats = IngestStats(read=1)
    try:
        _ingest_one(engine, doc, None, stats, records)
    except ExtractionError as exc:
        _failed(engine, stats, error_of(doc, str(exc)), exc.stage, doc.doc_id)
    return stats


def _ingest_one(engine: Engine, doc: Document, places, stats: IngestStats, records: list | None = None) -> None:
    stored_as = store.stored_doc_id(engine, doc.content_hash)
    if stored_as is not None:
        stats.duplicates += 1
        stats.seen_doc_ids.append(stored_as)
        return
    if records is None:
        records = extract_checked(doc, places)
    try:
        saved = store.save_document(engine, doc, records)
    except (ValueError, TypeError, OverflowError, DataError, IntegrityError) as exc:
        # Values the database refuses roll the report back whole; a lost connection is no report's fault.
        raise ExtractionError(f"not stored ({type(exc).__name__}: {str(exc).splitlines()[0]})", "store") from exc
    if saved:
        stats.stored += 1
        stats.records += len(records)
        stats.new_record_ids.extend(f"{doc.doc_id}:{i}" for i in range(len(records)))
    else:
        stats.duplicates += 1
