"""`marsad batch` (1 and 2 dask workers) and `marsad load` beside `marsad ingest`, in one run, on the ANT corpus.

The corpus is dealt into shards (JSONL files) in a temporary folder. Printed:
- ingest: reports/s of `pipeline.ingest` (extract, store, resolve) in this process, into a fresh SQLite file;
- batch with 1 and 2 workers: reports/s of wall time on a LocalCluster of worker processes (started before
  the clock: a long run pays it once), and the CPU seconds the workers spent;
- load: records/s (and reports/s) of `load_batch` into a fresh SQLite file, storing alone and with event
  resolution; with --pg URL also into that PostgreSQL database (it must be empty).
The machine is shared: read the ratios of one run, not the seconds.

    python benchmarks/bench_batch.py [--limit N] [--shards K] [--pg URL|auto] [--json] [PATH.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from marsad import pipeline, store
from marsad.batch import load_batch, run_batch
from marsad.sources import read_sources

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/data/articles/ant_syria_iraq_2018.jsonl"


def shard(path: str, limit: int | None, count: int, folder: Path) -> tuple[list[str], int]:
    with open(path, encoding="utf-8", newline="") as handle:  # not splitlines: texts hold U+2028
        lines = [line for line in handle if line.strip()][:limit]
    files = []
    for i in range(count):
        part = folder / f"shard-{i:03d}.jsonl"
        part.write_text("".join(lines[i::count]), encoding="utf-8")
        files.append(str(part))
    return files, len(lines)


def worker_cpu(client) -> float:
    return sum(client.run(time.process_time).values())


def timed_batch(files: list[str], out: Path, workers: int) -> dict:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        client.run(_warm)  # what each worker does once, before its first shard, in any long run
        cpu = worker_cpu(client)
        started = time.perf_counter()
        stats = run_batch(files, out, client=client)
        wall = time.perf_counter() - started
        cpu = worker_cpu(client) - cpu
    assert not stats.failed_shards, stats.failed_shards
    return {"reports": stats.reports, "records": stats.records, "seconds": wall, "worker_cpu": cpu}


def _warm() -> None:
    from marsad.batch.run import _places

    _places(None, None)


def timed_load(out: Path, db: str) -> dict:
    engine = store.connect(db)
    started, cpu = time.perf_counter(), time.process_time()
    stats = load_batch(engine, out, resolve=False)
    stored, stored_cpu = time.perf_counter() - started, time.process_time() - cpu
    pipeline.resolve_events(engine, stats)
    total = time.perf_counter() - started
    engine.dispose()
    return {"reports": stats.stored, "records": stats.records, "store_seconds": stored, "store_cpu": stored_cpu,
            "seconds": total}  # fmt: skip


@contextmanager
def _throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL server of the tests' kind (tests/pg.py), with one empty database."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from pg import fresh_database, postgres_server

    with postgres_server() as (template, why_not):
        if template is None:
            sys.exit(f"--pg auto: {why_not}")
        yield fresh_database(template)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--limit", type=int, default=None, help="only the first N reports")
    parser.add_argument("--shards", type=int, default=16)
    parser.add_argument("--pg", default=None, help="also load into this empty PostgreSQL database ('auto': a new one)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not Path(args.path).exists():
        sys.exit(f"corpus not found: {args.path}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files, n = shard(args.path, args.limit, args.shards, folder)
        engine = store.connect(str(folder / "ingest.db"))
        started = time.perf_counter()
        cpu = time.process_time()
        stats = pipeline.ingest(engine, read_sources(files))
        result = {"reports": n, "ingest": {"records": stats.records, "seconds": time.perf_counter() - started,
                                           "cpu": time.process_time() - cpu}}  # fmt: skip
        engine.dispose()
        for workers in (1, 2):
            result[f"batch_{workers}"] = timed_batch(files, folder / f"out{workers}", workers)
        result["load_sqlite"] = timed_load(folder / "out2", str(folder / "load.db"))
        if args.pg == "auto":
            with _throwaway_postgres() as url:
                result["load_postgresql"] = timed_load(folder / "out2", url)
        elif args.pg:
            result["load_postgresql"] = timed_load(folder / "out2", args.pg)
    print(json.dumps(result) if args.json else report(result))


def report(result: dict) -> str:
    n = result["reports"]
    ingest = n / result["ingest"]["seconds"]
    lines = [f"{n} ANT reports", f"ingest (extract, store, resolve; 1 process): {ingest:8.1f} reports/s "
             f"({result['ingest']['cpu']:.1f} CPU-s, {n / result['ingest']['cpu']:.0f} reports per CPU-s)"]  # fmt: skip
    for workers in (1, 2):
        b = result[f"batch_{workers}"]
        lines.append(
            f"batch, {workers} worker(s):                      {b['reports'] / b['seconds']:8.1f} reports/s "
            f"({b['worker_cpu']:.1f} CPU-s on the workers, {b['reports'] / b['worker_cpu']:.0f} reports per CPU-s; "
            f"{b['reports'] / b['seconds'] / ingest:.2f}x ingest)"
        )
    b1, b2 = result["batch_1"], result["batch_2"]
    lines.append(f"batch 2 workers / 1 worker:                   {b1['seconds'] / b2['seconds']:8.2f}x")
    for key in ("load_sqlite", "load_postgresql"):
        if key in result:
            load = result[key]
            lines.append(
                f"{key.replace('_', ' into ')}: {load['records'] / load['store_seconds']:8.0f} records/s stored "
                f"({load['reports'] / load['store_seconds']:.0f} reports/s; {load['store_cpu']:.1f} CPU-s here, "
                f"{load['records'] / load['store_cpu']:.0f} records per CPU-s), "
                f"{load['records'] / load['seconds']:.0f} records/s with event resolution"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
