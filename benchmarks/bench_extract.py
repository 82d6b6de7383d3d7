"""Extraction throughput on the ANT corpus: reports/s on one core and peak memory.

    python benchmarks/bench_extract.py [--limit N] [--workers N]

With --workers N, also the wall time of extraction in batches on 1 and on N worker processes
(marsad.parallel, as `marsad extract --workers N`), side by side, and their ratio (issue 15: >= 1.7
with 2 workers on 2 cores; a shared machine shows less).

Reading the corpus is not timed; extraction (with the default place resolver) is.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "articles" / "ant_syria_iraq_2018.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0, help="only the first N reports")
    parser.add_argument("--workers", type=int, default=0, help="also compare 1 and N worker processes")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"skipped: corpus not found at {CORPUS}")
        return 0

    from marsad.extract import extract
    from marsad.extract.decide import default_model
    from marsad.extract.places import embedded_resolver
    from marsad.sources import read_path
    from marsad.text.dates import warm_up

    docs = [d for d in read_path(str(CORPUS)) if hasattr(d, "text")]
    if args.limit:
        docs = docs[: args.limit]
    load_start = time.perf_counter()
    default_model()
    model_load = time.perf_counter() - load_start
    places = embedded_resolver()
    # Warm up: lexicons, the gazetteer and dateparser are loaded once per process (the first report
    # may have no date for dateparser to read).
    extract(docs[0], places)
    warm_up()
    start, cpu_start = time.perf_counter(), time.process_time()
    records = 0
    for doc in docs:
        records += len(extract(doc, places))
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"reports: {len(docs)}  records: {records}  seconds: {elapsed:.2f}")
    # CPU time is what one core spends; wall time also counts other processes on a shared machine.
    print(f"throughput: {len(docs) / cpu:.0f} reports/s of CPU time on one core ({len(docs) / elapsed:.0f} wall)")
    print(f"model load time: {model_load:.3f} s")
    print(f"peak memory (max RSS, whole process incl. corpus): {peak_mb:.0f} MB")
    if args.workers > 1:
        compare_workers(docs, args.workers)
    return 0


def compare_workers(docs: list, workers: int) -> None:
    from marsad.parallel import extract_batches

    batches = [docs[i : i + 200] for i in range(0, len(docs), 200)]
    walls = {}
    for n in (1, workers):
        start = time.perf_counter()
        found = sum(len(r) for _, batch in extract_batches(batches, n) for r in batch)
        walls[n] = time.perf_counter() - start
        print(f"workers {n}: {walls[n]:.2f} s wall, {found} records ({len(docs) / walls[n]:.0f} reports/s)")
    print(f"speed-up with {workers} workers: {walls[1] / walls[workers]:.2f}x (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    sys.exit(main())
