"""`marsad ingest --workers N` beside `--workers 1`, side by side in one run, on the ANT corpus.

Each run is the real command (a fresh process, a fresh SQLite file): wall seconds, their ratio (issue 15:
>= 1.7 with 2 workers on 2 cores; a shared machine shows less, so the load average is printed), the CPU
seconds of each run (the command and its workers: what parallelism costs), and whether the two stores are
identical (documents, records, events and their members). With the kernel's autogroup scheduling, all the
processes of one session share one session's part of a busy machine, so a ratio is meaningful only on a
quiet one.

    python benchmarks/bench_workers.py [--workers 2] [--rounds 1] [PATH.jsonl]
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/data/articles/ant_syria_iraq_2018.jsonl"

# What must be equal between the two stores (ingest times and the id history's clock are not).
_TABLES = {
    "documents": "SELECT doc_id, content_hash, text FROM documents ORDER BY doc_id",
    "records": "SELECT record_id, data FROM records ORDER BY record_id",
    "events": "SELECT event_id, data, n_sources, n_records FROM events ORDER BY event_id",
    "members": "SELECT record_id, event_id, score, reason FROM event_members ORDER BY record_id",
}


def ingest(path: str, db: Path, workers: int) -> tuple[float, float]:
    """Wall and CPU seconds of one `marsad ingest` (its workers' CPU included: they are waited for)."""
    cpu = _children_cpu()
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "marsad", "ingest", path, "--db", str(db), "--workers", str(workers), "--quiet"],
        check=True,
    )
    return time.perf_counter() - started, _children_cpu() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def dump(db: Path) -> dict[str, list]:
    with sqlite3.connect(db) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in _TABLES.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1, help="alternate the runs this many times, keep the best")
    args = parser.parse_args()
    walls: dict[int, list[float]] = {1: [], args.workers: []}
    cpus: dict[int, list[float]] = {1: [], args.workers: []}
    loads = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            for n in (1, args.workers):
                db = Path(tmp) / f"w{n}-{r}.db"
                wall, cpu = ingest(args.path, db, n)
                walls[n].append(wall)
                cpus[n].append(cpu)
                loads.append(os.getloadavg()[0])
        same = dump(Path(tmp) / "w1-0.db") == dump(Path(tmp) / f"w{args.workers}-0.db")
    one, many = min(walls[1]), min(walls[args.workers])
    print(f"--workers 1: {one:.1f} s wall ({', '.join(f'{w:.1f}' for w in walls[1])})")
    print(f"--workers {args.workers}: {many:.1f} s wall ({', '.join(f'{w:.1f}' for w in walls[args.workers])})")
    print(f"CPU-s: --workers 1 {min(cpus[1]):.1f}, --workers {args.workers} {min(cpus[args.workers]):.1f}")
    print(f"speed-up: {one / many:.2f}x (target >= 1.7 with 2 workers); stores identical: {same}")
    print(f"load average during the runs: {min(loads):.1f}-{max(loads):.1f}")


if __name__ == "__main__":
    main()
