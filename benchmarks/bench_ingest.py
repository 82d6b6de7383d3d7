"""Ingest against extraction alone, side by side in one run: the ANT corpus on one core.

Prints the CPU seconds of extraction alone (the same reports, the same place resolver), of a first
ingest into a fresh SQLite file (extraction, storing, event resolution with the sentence encoder
loaded from cold), the ratio of their speeds (target, issue 15: ingest >= 0.6 x extraction), the
phases of the ingest, a second ingest (all duplicates), and peak memory.

    python benchmarks/bench_ingest.py [--limit N] [PATH.jsonl]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from marsad import pipeline, store
from marsad.extract import extract
from marsad.geo import resolver_for
from marsad.sources import read_sources

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/data/articles/ant_syria_iraq_2018.jsonl"


def cpu() -> float:
    return time.process_time()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--limit", type=int, default=None, help="only the first N reports")
    args = parser.parse_args()
    if not Path(args.path).exists():
        sys.exit(f"corpus not found: {args.path}")
    docs = [d for d in read_sources([args.path])][: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        engine = store.connect(str(Path(tmp) / "bench.db"))
        places = resolver_for(engine)
        extract(docs[0], places)  # warm the lexicons and the gazetteer, as a long run would be
        started = cpu()
        for doc in docs:
            extract(doc, places)
        extract_cpu = cpu() - started

        started = cpu()
        stats = pipeline.store_documents(engine, docs)
        stored_cpu = cpu() - started
        started = cpu()
        pipeline.resolve_events(engine, stats)
        resolve_cpu = cpu() - started
        ingest_cpu = stored_cpu + resolve_cpu

        started = time.perf_counter()
        again = pipeline.ingest(engine, docs)
        second = time.perf_counter() - started
        size_mb = (Path(tmp) / "bench.db").stat().st_size / 1e6
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = len(docs)
    print(f"reports: {n}  stored: {stats.stored}  records: {stats.records}  errors: {len(stats.errors)}")
    print(f"extraction alone: {extract_cpu:.2f} CPU-s = {n / extract_cpu:.0f} reports/CPU-s")
    print(
        f"ingest: {ingest_cpu:.2f} CPU-s = {n / ingest_cpu:.0f} reports/CPU-s "
        f"(extract+store {stored_cpu:.2f}, resolve {resolve_cpu:.2f}: {stats.events})"
    )
    print(f"ratio ingest/extraction speed: {extract_cpu / ingest_cpu:.2f} (target >= 0.6)")
    print(f"re-ingest (all duplicates): {second:.2f} s, stored {again.stored}")
    print(f"database: {size_mb:.1f} MB  peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
