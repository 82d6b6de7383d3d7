"""Ingest throughput: the ANT corpus (../shared/data/articles) into a fresh SQLite file.

Prints reports/s for a first ingest, the time of a second (all duplicates) ingest, and peak memory.
Target (issue 2): at least 100 reports/s on one core.

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
from marsad.sources import read_sources

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/data/articles/ant_syria_iraq_2018.jsonl"


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
        extract(docs[0])  # warm the lexicons and the gazetteer, as a long run would be
        started = time.perf_counter()
        stats = pipeline.ingest(engine, docs)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = pipeline.ingest(engine, docs)
        second = time.perf_counter() - started
        size_mb = (Path(tmp) / "bench.db").stat().st_size / 1e6
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"reports: {len(docs)}  stored: {stats.stored}  records: {stats.records}  errors: {len(stats.errors)}")
    print(f"ingest: {first:.2f} s  = {len(docs) / first:.1f} reports/s (target >= 100)")
    print(f"re-ingest (all duplicates): {second:.2f} s, stored {again.stored}")
    print(f"database: {size_mb:.1f} MB  peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
