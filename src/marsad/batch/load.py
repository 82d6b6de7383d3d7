"""`marsad load`: the partitions of a batch output folder bulk-loaded into the store, then one event
resolution over everything the load added (`resolve.update_events`, as ingest does).

Shards are loaded in input order and their reports in file order, so the store is the one `marsad
ingest` of the same files makes. Loading is idempotent: a report already stored is skipped (by content
hash), and the events of its records are resolved again, as an ingest run a second time does. The
failures partitions go into the store's failures table.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from marsad.batch import partitions
from marsad.pipeline import IngestStats, note_failure, resolve_events
from marsad.sources import SourceError
from marsad.store.bulk import save_rows

# Reports per transaction: large enough that COPY and executemany pay off, small enough to hold in memory.
BATCH = 1000

# The columns of a records partition that are not columns of the store's records table.
_NOT_STORED = ("doc_row", "content_hash", "confidence", "evidence")


def load_batch(
    engine: Engine,
    outdir: str | Path,
    *,
    batch: int = BATCH,
    resolve: bool = True,
    progress: Callable[[str, int], None] | None = None,
) -> IngestStats:
    """Store every finished shard under `outdir`; `progress(shard, reports)` after each shard."""
    out = Path(outdir)
    if not (out / "records").is_dir():
        raise FileNotFoundError(f"{out}: not a batch output folder (no records/ partitions)")
    stats = IngestStats()
    for name in partitions.finished_shards(out):
        reports = _load_shard(engine, out, name, batch, stats)
        if progress:
            progress(name, reports)
    if resolve:
        resolve_events(engine, stats)
    return stats


def _load_shard(engine: Engine, out: Path, name: str, batch: int, stats: IngestStats) -> int:
    for row in partitions.read_partition(out, "failures", name):
        note_failure(engine, stats, SourceError(row["path"], row["line"], row["reason"]), row["stage"], row["doc_id"])
    docs = partitions.read_partition(out, "documents", name)
    by_doc: dict[int, list[dict]] = {}
    for row in partitions.read_partition(out, "records", name):
        by_doc.setdefault(row["doc_row"], []).append(_stored_record(row))
    stats.read += len(docs)
    for start in range(0, len(docs), batch):
        chunk = docs[start : start + batch]
        pairs = [(_stored_document(doc), by_doc.get(doc["doc_row"], [])) for doc in chunk]
        for (_, doc_records), saved in zip(pairs, save_rows(engine, pairs), strict=True):
            if saved.stored:
                stats.stored += 1
                stats.records += len(doc_records)
                stats.new_record_ids.extend(f"{saved.doc_id}:{row['idx']}" for row in doc_records)
            else:
                stats.duplicates += 1
                if saved.doc_id is not None:
                    stats.seen_doc_ids.append(saved.doc_id)
    return len(docs)


def _stored_document(row: dict) -> dict:
    return {key: value for key, value in row.items() if key != "doc_row"}


def _stored_record(row: dict) -> dict:
    stored = {key: value for key, value in row.items() if key not in _NOT_STORED}
    stored["data"] = json.loads(row["data"])
    return stored
