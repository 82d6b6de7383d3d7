"""The pipeline end to end: documents in, records extracted with places resolved, stored once each.

Each report is stored in its own transaction and skipped by content hash when already stored, so an
interrupted ingest is resumed by running it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from sqlalchemy import Engine

from marsad import store
from marsad.geo import resolver_for
from marsad.model import Document
from marsad.parallel import extract_batches
from marsad.resolve import update_events
from marsad.sources import SourceError

# Reports stored per transaction.
BATCH = 200


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
    """Extract and store every readable report; unreadable ones are collected, the rest go on.

    Reports are stored `batch` at a time, each batch in one transaction: a report is never half-written,
    and an interrupted run loses at most the batch it was in, which running it again stores. With
    `workers` > 1, extraction runs in that many processes; this one stores their results in input order,
    so the store is the same as a serial run's."""
    stats = IngestStats()
    places = resolver_for(engine) if workers <= 1 else None
    url = engine.url.render_as_string(hide_password=False)
    for docs, found in extract_batches(_new_reports(engine, items, batch, stats), workers, places, url):
        pending = list(zip(docs, found, strict=True))
        for (doc, records), stored in zip(pending, store.save_documents(engine, pending), strict=True):
            if stored:
                stats.stored += 1
                stats.records += len(records)
                stats.new_record_ids.extend(f"{doc.doc_id}:{i}" for i in range(len(records)))
            else:  # met earlier in this run, in a batch still being extracted when this one was read
                stats.duplicates += 1
    return stats


def resolve_events(engine: Engine, stats: IngestStats) -> None:
    """Events grow with each ingest: this run's records are resolved against the events near their dates,
    and so are those of reports met again, which an interrupted run may have stored but not resolved."""
    leftovers = store.record_ids_of(engine, stats.seen_doc_ids) if stats.seen_doc_ids else []
    if stats.new_record_ids or leftovers:
        # A report met twice in one run is both new and seen: each record once.
        stats.events = update_events(engine, list(dict.fromkeys(stats.new_record_ids + leftovers)))


def _new_reports(
    engine: Engine, items: Iterable[Document | SourceError], batch: int, stats: IngestStats
) -> Iterator[list[Document]]:
    """Batches of the reports to extract: unreadable ones collected, those already stored skipped (one query
    per batch), and so is a second copy of one report within a batch."""
    for chunk in batched(items, batch):
        docs = []
        for item in chunk:
            if isinstance(item, SourceError):
                stats.errors.append(item)
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
