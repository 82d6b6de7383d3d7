"""The pipeline end to end: documents in, records extracted with places resolved, stored once each.

Each report is stored in its own transaction and skipped by content hash when already stored, so an
interrupted ingest is resumed by running it again. A report that cannot be read or extracted is
recorded in the store's failures (file, line, reason) and the others go on.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError

from marsad import store
from marsad.extract.decide import SHIPPED, load_model
from marsad.geo import resolver_for
from marsad.limits import TimeLimitExceeded, extract_timeout, max_chars, time_limit
from marsad.model import Document
from marsad.parallel import extract_batches
from marsad.resolve import update_events
from marsad.sources import SourceError
from marsad.store.settings import get_setting, set_setting

# Reports stored per transaction.
BATCH = 200

# Files this process wrote for databases' remembered models (MARSAD_MODEL pointing at one was not a user's choice).
_adopted: set[str] = set()


def remember_model(engine: Engine, path: str) -> None:
    """Make the model at `path` (written by `marsad train`) the one this database's reports are
    extracted with from now on, by every ingest into it; SHIPPED forgets the database's own."""
    if path == SHIPPED:
        set_setting(engine, "model", None)
        return
    load_model(path)  # ValueError naming the file when it is not a model
    set_setting(engine, "model", Path(path).read_text(encoding="utf-8"))


def adopt_model(engine: Engine) -> None:
    """Extract with the model the database remembers, unless `--model` or MARSAD_MODEL chose one.

    Through MARSAD_MODEL, as `--model`, so that worker processes started after this inherit it."""
    chosen = os.environ.get("MARSAD_MODEL", "")
    if chosen and chosen not in _adopted:
        return
    remembered = get_setting(engine, "model")
    if remembered is None:
        os.environ.pop("MARSAD_MODEL", None)
        return
    # Named by its content: a process or a worker never reads another database's model under that name.
    path = Path(tempfile.gettempdir()) / f"marsad-model-{hashlib.sha256(remembered.encode()).hexdigest()[:16]}.json"
    if not path.exists():
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_text(remembered, encoding="utf-8")
        partial.replace(path)
    _adopted.add(str(path))
    os.environ["MARSAD_MODEL"] = str(path)


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
    from marsad.extract import extract, prepare

    try:
        prepare(doc.lang, places)
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


def store_documents(
    engine: Engine, items: Iterable[Document | SourceError], batch: int = BATCH, workers: int = 1
) -> IngestStats:
    """Extract and store every readable report; the failures are recorded and collected, the rest go on.

    Reports are stored `batch` at a time, each batch in one transaction: a report is never half-written,
    and an interrupted run loses at most the batch it was in, which running it again stores. With
    `workers` > 1, extraction runs in that many processes; this one stores their results in input order,
    so the store is the same as a serial run's."""
    stats = IngestStats()
    adopt_model(engine)
    warming = None
    for docs, found in extract_batches(_new_reports(engine, items, batch, stats), workers, resolver_for(engine)):
        if workers > 1 and warming is None:
            warming = _warm_encoder()
        pending = []
        for doc, result in zip(docs, found, strict=True):
            if isinstance(result, ExtractionError):
                note_failure(engine, stats, error_of(doc, str(result)), result.stage, doc.doc_id)
            else:
                pending.append((doc, result))
        _store_batch(engine, pending, stats)
    return stats


def _warm_encoder():
    """Load the sentence encoder that event resolution will need, in a thread of this process while the
    workers extract (started once the pool exists, so that no worker is forked mid-load): its load is
    the largest fixed cost of resolution, which otherwise runs on one core after extraction."""
    import threading

    from marsad.resolve.similarity import has_encoder, warm_up

    thread = threading.Thread(target=warm_up if has_encoder() else lambda: None, name="marsad-encoder", daemon=True)
    thread.start()
    return thread


def error_of(doc: Document, reason: str) -> SourceError:
    """A SourceError naming the report's file and line ("path:12" for a JSONL/CSV row)."""
    where = doc.source_path or doc.doc_id
    path, _, line = where.rpartition(":")
    if path and line.isdecimal():
        return SourceError(path, int(line), reason)
    return SourceError(where, None, reason)


def note_failure(engine: Engine, stats: IngestStats, error: SourceError, stage: str, doc_id: str | None = None) -> None:
    """A report that could not be read, extracted or stored: into the store's failures and this run's errors."""
    stats.errors.append(error)
    store.record_failure(engine, store.Failure(error.path, error.line, stage, error.message, doc_id))


def resolve_events(engine: Engine, stats: IngestStats) -> None:
    """Events grow with each ingest: this run's records are resolved against the events near their dates,
    and so are those of reports met again, which an interrupted run may have stored but not resolved."""
    leftovers = store.record_ids_of(engine, stats.seen_doc_ids) if stats.seen_doc_ids else []
    if not (stats.new_record_ids or leftovers):
        return
    try:
        # A report met twice in one run is both new and seen: each record once.
        stats.events = update_events(engine, list(dict.fromkeys(stats.new_record_ids + leftovers)))
    except Exception as exc:  # noqa: BLE001 - the reports are stored: a defect of grouping must not lose them
        # The regrouping is one transaction: it rolled back, so the store holds the records, unresolved,
        # and the events as they were; `marsad events resolve` groups every unresolved record.
        reason = (
            f"event resolution failed ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); "
            f"{len(stats.new_record_ids) + len(leftovers)} records stored but in no event: run `marsad events resolve`"
        )
        note_failure(engine, stats, SourceError("events", None, reason), "resolve")


def store_extracted(engine: Engine, doc: Document, records: list) -> IngestStats:
    """Store one report whose records were extracted elsewhere (the API's worker process)."""
    stats = IngestStats(read=1)
    stored_as = store.stored_doc_id(engine, doc.content_hash)
    if stored_as is None:
        _store_batch(engine, [(doc, records)], stats)
    else:
        stats.duplicates += 1
        stats.seen_doc_ids.append(stored_as)
    return stats


_REFUSED = (ValueError, TypeError, OverflowError, DataError, IntegrityError)


def _store_batch(engine: Engine, pending: list, stats: IngestStats) -> None:
    """Store a batch in one transaction; if the database refuses a value of one report, the batch is
    stored report by report so that only that report fails (a lost connection is no report's fault)."""
    try:
        saved = store.save_documents(engine, pending)
    except _REFUSED:
        for doc, records in pending:
            try:
                [one] = store.save_documents(engine, [(doc, records)])
            except _REFUSED as exc:
                reason = f"not stored ({type(exc).__name__}: {str(exc).splitlines()[0]})"
                note_failure(engine, stats, error_of(doc, reason), "store", doc.doc_id)
                continue
            _count(stats, doc, records, one)
        return
    for (doc, records), one in zip(pending, saved, strict=True):
        _count(stats, doc, records, one)


def _count(stats: IngestStats, doc: Document, records: list, stored: bool) -> None:
    if stored:
        stats.stored += 1
        stats.records += len(records)
        stats.new_record_ids.extend(f"{doc.doc_id}:{i}" for i in range(len(records)))
    else:  # met earlier in this run, in a batch still being extracted when this one was read
        stats.duplicates += 1


def _new_reports(
    engine: Engine, items: Iterable[Document | SourceError], batch: int, stats: IngestStats
) -> Iterator[list[Document]]:
    """Batches of the reports to extract: unreadable ones recorded, those already stored skipped (one query
    per batch), and so is a second copy of one report within a batch."""
    for chunk in batched(items, batch):
        docs = []
        for item in chunk:
            if isinstance(item, SourceError):
                note_failure(engine, stats, item, "read")
            else:
                stats.read += 1
                docs.append(item)
        stored_as = store.stored_doc_ids(engine, [doc.content_hash for doc in docs])
        fresh: dict[str, Document] = {}
        for doc in docs:
            if doc.content_hash in stored_as:
                stats.seen_doc_ids.append(stored_as[doc.content_hash])
            if doc.content_hash in stored_as or doc.content_hash in fresh:
                stats.duplicates += 1
            else:
                fresh[doc.content_hash] = doc
        yield list(fresh.values())


def batched(items: Iterable, size: int) -> Iterable[list]:
    """Lists of up to `size` items, as they come (itertools.batched is Python 3.12)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
