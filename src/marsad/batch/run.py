"""`marsad batch`: extraction over a sharded corpus on dask.distributed, one task per input file.

The driver lists the shards, skips those an earlier run finished, and submits one task per remaining
shard to a cluster (a LocalCluster of N worker processes, or the scheduler named). A task reads its shard
with the ordinary readers (JSONL, CSV, Parquet, text, HTML), extracts each report and writes the shard's
partitions (`partitions.py`). Workers load lexicons, gazetteer and model once each and keep them for
every task they run. A report that cannot be read or extracted is a row of the failures partition; a
task that fails as a whole (a disk error, a lost worker) leaves its shard unfinished for the next run.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from marsad.batch import partitions
from marsad.model import Document
from marsad.sources import FieldMap, SourceError, list_files, read_path


@dataclass
class ShardResult:
    """What one task did with one input file."""

    path: str
    name: str
    reports: int = 0
    records: int = 0
    failures: int = 0
    seconds: float = 0.0
    # Why the task failed as a whole (its shard stays unfinished); None when it finished.
    error: str | None = None


@dataclass
class BatchStats:
    shards: int = 0
    skipped: int = 0  # finished by an earlier run
    reports: int = 0
    records: int = 0
    failures: int = 0
    seconds: float = 0.0
    results: list[ShardResult] = field(default_factory=list)

    @property
    def failed_shards(self) -> list[ShardResult]:
        return [r for r in self.results if r.error]


def run_batch(
    inputs: Iterable[str],
    outdir: str | Path,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    client=None,
    fields: FieldMap | None = None,
    model: str | None = None,
    places_db: str | None = None,
    processes: bool = True,
    progress: Callable[[ShardResult, int, int], None] | None = None,
) -> BatchStats:
    """Extract every report of `inputs` (files or folders) into Parquet partitions under `outdir`.

    The cluster is `client` (a dask Client), else the scheduler at `scheduler`, else a LocalCluster of
    `workers` processes (threads with `processes=False`) started and stopped here. `model` is a decision
    model file and `places_db` a database whose imported places the gazetteer adds; both must be readable
    at the same path on every worker. `progress(result, done, total)` is called as each shard finishes."""
    started = time.perf_counter()
    out = Path(outdir)
    files = [path for path in list_files(inputs) if path != "-"]
    if scheduler or client is not None:
        # Workers elsewhere do not share this directory: they read (and failures name) absolute paths.
        files = [os.path.abspath(path) for path in files]
    names = [partitions.shard_name(path) for path in files]
    partitions.update_manifest(out, names)
    stats = BatchStats(shards=len(files))
    todo = [(path, name) for path, name in zip(files, names, strict=True) if not partitions.is_finished(out, name)]
    stats.skipped = len(files) - len(todo)
    if todo:
        options = {
            "fields": fields or FieldMap(),
            # The model of this process (--model or MARSAD_MODEL) is the workers' model too, as with ingest.
            "model": os.path.abspath(model) if model else os.environ.get("MARSAD_MODEL") or None,
            "places_db": places_db,
        }
        with _client(client, scheduler, workers, processes) as dask_client:
            for result in _run(dask_client, todo, str(out.resolve()), options):
                stats.results.append(result)
                stats.reports += result.reports
                stats.records += result.records
                stats.failures += result.failures
                if progress:
                    progress(result, len(stats.results), len(todo))
    stats.seconds = time.perf_counter() - started
    return stats


@contextmanager
def _client(client, scheduler: str | None, workers: int, processes: bool) -> Iterator:
    if client is not None:
        yield client
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ImportError("marsad batch needs dask.distributed: pip install 'marsad[cluster]'") from None

    if scheduler:
        with Client(scheduler) as remote:
            yield remote
        return
    # One thread per worker: extraction is pure Python, so threads in one process would share one core.
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=None) as cluster,
        Client(cluster) as local,
    ):
        yield local


def _run(client, todo: list[tuple[str, str]], outdir: str, options: dict) -> Iterator[ShardResult]:
    from distributed import as_completed

    # Larger shards first, so that one big file does not finish alone at the end.
    todo = sorted(todo, key=lambda item: -_size(item[0]))
    run_id = uuid.uuid4().hex[:8]  # a key of its own: a result a client still holds from another run is not reused
    futures = {
        client.submit(extract_shard, path, name, outdir, options, key=f"marsad-{name}-{run_id}"): (path, name)
        for path, name in todo
    }
    for future in as_completed(futures):
        path, name = futures[future]
        try:
            yield future.result()
        except Exception as exc:  # noqa: BLE001 - one shard's failure must not stop the others
            yield ShardResult(path, name, error=f"{type(exc).__name__}: {exc}")
        finally:
            future.release()


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


# --- on a worker ---------------------------------------------------------------------------------------

# What this worker process has loaded: (model path, places database) -> (place resolver or None for the
# embedded gazetteer, the model file extraction reads through MARSAD_MODEL or None for the shipped one).
_loaded: dict[tuple[str | None, str | None], tuple[object, str | None]] = {}


def _places(model: str | None, places_db: str | None):
    """Load lexicons, gazetteer and model once per worker process (about 2 s), then reuse them.

    Without a model of this run, the places database's remembered model is used, as an ingest into that
    database would (read by the worker: the head node's files need not be visible on a cluster)."""
    key = (model, places_db)
    if key not in _loaded:
        _use_model(model)
        places = None
        if places_db:
            from marsad.geo import resolver_for
            from marsad.pipeline import adopt_model
            from marsad.store import connect

            engine = connect(places_db)
            if not model:
                adopt_model(engine)
            places = resolver_for(engine)
            engine.dispose()
        from marsad.parallel import warm_up

        warm_up(places)
        _loaded[key] = (places, os.environ.get("MARSAD_MODEL") or None)
    places, chosen = _loaded[key]
    _use_model(chosen)
    return places


def _use_model(path: str | None) -> None:
    # The decision model is read through MARSAD_MODEL (one cached model per path): this run's, or none.
    if path:
        os.environ["MARSAD_MODEL"] = path
    else:
        os.environ.pop("MARSAD_MODEL", None)


def extract_shard(path: str, name: str, outdir: str, options: dict) -> ShardResult:
    """The task: read one input file, extract its reports, write its partitions."""
    from marsad.pipeline import ExtractionError, error_of, extract_checked

    places = _places(options.get("model"), options.get("places_db"))
    started = time.perf_counter()
    rows: dict[str, list[dict]] = {table: [] for table in partitions.TABLES}
    result = ShardResult(path, name)
    for item in read_path(path, options.get("fields")):
        if isinstance(item, SourceError):
            rows["failures"].append(_failure_row(item, "read", None))
            continue
        result.reports += 1
        try:
            found = extract_checked(item, places)
        except ExtractionError as exc:
            rows["failures"].append(_failure_row(error_of(item, str(exc)), exc.stage, item.doc_id))
            continue
        doc_row = len(rows["documents"])
        rows["documents"].append(document_row(item, doc_row))
        rows["records"].extend(record_rows(item, doc_row, found))
    partitions.write_shard(Path(outdir), name, rows)
    result.records, result.failures = len(rows["records"]), len(rows["failures"])
    result.seconds = time.perf_counter() - started
    return result


def _failure_row(error: SourceError, stage: str, doc_id: str | None) -> dict:
    return {"path": error.path, "line": error.line, "stage": stage, "reason": error.message, "doc_id": doc_id}


def document_row(doc: Document, doc_row: int) -> dict:
    from marsad.store.records import document_row as stored

    row = stored(doc, datetime.now(UTC))
    del row["ingested_at"]  # the load's time, not the extraction's
    return {**row, "doc_row": doc_row}


def record_rows(doc: Document, doc_row: int, found: list) -> list[dict]:
    from marsad.store.records import record_row

    rows = []
    for index, record in enumerate(found):
        record.doc_id = doc.doc_id
        row = record_row(doc, index, record)
        data = row.pop("data")
        evidence = data.get("evidence") or []
        row.update(
            doc_row=doc_row,
            content_hash=doc.content_hash,
            confidence=record.confidence,
            evidence=json.dumps(evidence, ensure_ascii=False),
            data=json.dumps(data, ensure_ascii=False),
        )
        rows.append(row)
    return rows
