"""Extraction throughput on the ANT corpus: reports/s on one core and peak memory.

    python benchmarks/bench_extract.py [--limit N]

Reading the corpus is not timed; extraction (with the default place resolver) is.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "articles" / "ant_syria_iraq_2018.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0, help="only the first N reports")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"skipped: corpus not found at {CORPUS}")
        return 0

    from marsad.extract import extract
    from marsad.extract.places import embedded_resolver
    from marsad.sources import read_path

    docs = [d for d in read_path(str(CORPUS)) if hasattr(d, "text")]
    if args.limit:
        docs = docs[: args.limit]
    places = embedded_resolver()
    # Warm up: lexicons, the gazetteer and dateparser are loaded once per process.
    extract(docs[0], places)
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
    print(f"peak memory (max RSS, whole process incl. corpus): {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
