"""The pipeline end to end: documents in, records extracted with places resolved, stored once each.

Each report is stored in its own transaction and skipped by content hash when already stored, so an
interrupted ingest is resumed by running it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from marsad import store
from marsad.extract import extract
from marsad.geo import resolver_for
from marsad.model import Document
from marsad.resolve import update_events
from marsad.sources import SourceError


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
    """Extract and store every readable report; unreadable ones are collected, the rest go on."""
    stats = IngestStats()
    places = resolver_for(engine)
    for item in items:
        if isinstance(item, SourceError):
            stats.errors.append(item)
        else:
            stats.read += 1
            _ingest_one(engine, item, places, stats)
    return stats


def resolve_events(engine: Engine, stats: IngestStats) -> None:
    """Events grow with each ingest: this run's records are resolved against the events near their dates,
    and so are those of reports met again, which an interrupted run may have stored but not resolved."""
    leftovers = store.record_ids_of(engine, stats.seen_doc_ids) if stats.seen_doc_ids else []
    if stats.new_record_ids or leftovers:
        # A report met twice in one run is both new and seen: each record once.
        stats.events = update_events(engine, list(dict.fromkeys(stats.new_record_ids + leftovers)))


def _ingest_one(engine: Engine, doc: Document, places, stats: IngestStats) -> None:
    stored_as = store.stored_doc_id(engine, doc.content_hash)
    if stored_as is not None:
        stats.duplicates += 1
        stats.seen_doc_ids.append(stored_as)
        return
    records = extract(doc, places=places)
    if store.save_document(engine, doc, records):
        stats.stored += 1
        stats.records += len(records)
        stats.new_record_ids.extend(f"{doc.doc_id}:{i}" for i in range(len(records)))
    else:
        stats.duplicates += 1
