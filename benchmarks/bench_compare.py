"""Reference import and compare: UCDP GED Syria 2016-2019 into a store of the ANT corpus, then
marsad's events against UCDP for 2018. Targets (issue 14): import < 10 s, compare < 2 s.

    python benchmarks/bench_compare.py [--db STORE]   # STORE: an ANT store to copy (else one is built)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import marsad

SHARED = Path(__file__).resolve().parents[1].parent / "shared/data"
UCDP = SHARED / "events/ucdp_ged_syria_2016_2019.csv"
ANT = SHARED / "articles/ant_syria_iraq_2018.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing ANT store (copied, not changed)")
    parser.add_argument("--repeat", type=int, default=3, help="compare runs (the fastest and slowest are printed)")
    args = parser.parse_args()
    for path in (UCDP, ANT):
        if not path.exists():
            sys.exit(f"data not found: {path}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ant.db"
        if args.db:
            shutil.copy(args.db, path)
            db = marsad.open(path)
        else:
            db = marsad.open(path)
            started = time.perf_counter()
            db.ingest(ANT)
            print(f"ANT store built in {time.perf_counter() - started:.1f} s")
        started, cpu = time.perf_counter(), time.process_time()
        imported = db.import_reference("ucdp", UCDP)
        import_s, import_cpu = time.perf_counter() - started, time.process_time() - cpu
        times, cpus = [], []
        for _ in range(args.repeat):
            started, cpu = time.perf_counter(), time.process_time()
            result = db.compare("ucdp", since="2018-01-01", until="2018-12-31")
            times.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
    print(f"events: {len(db.events())} marsad, UCDP rows: {imported.imported} ({len(imported.errors)} bad)")
    # Wall time, and CPU time beside it: on a shared machine the wall time measures the neighbours too.
    print(f"import UCDP: {import_s:.2f} s wall, {import_cpu:.2f} s CPU (target < 10 s)")
    print(
        f"compare 2018: {min(times):.3f}-{max(times):.3f} s wall, {min(cpus):.3f}-{max(cpus):.3f} s CPU "
        f"over {args.repeat} runs (target < 2 s)"
    )
    print(
        f"matched {result.matched} marsad events = {result.matched_reference} UCDP events "
        f"(deaths {result.marsad_deaths_matched} vs {result.reference_deaths_matched}); "
        f"only marsad {result.only_marsad}; only UCDP {result.only_reference}; "
        f"marsad events outside the comparison {result.marsad_out_of_scope}"
    )


if __name__ == "__main__":
    main()
