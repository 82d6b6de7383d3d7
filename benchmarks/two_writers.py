"""Two writers: the two halves of the ANT file ingested by two `marsad ingest` processes at once into
one database, RUNS times, each compared with the same two ingests run one after the other.

Prints, per backend and run, the events, members and killed (best) of the concurrent store, and
whether its events equal a sequential run's (A then B, or B then A: regroupings take turns, in the
order they take the events lock). Target (issue 12): 5 of 5 on SQLite and on PostgreSQL.

    python benchmarks/two_writers.py [--runs 5] [--backend sqlite|postgresql|both] [PATH.jsonl]

PostgreSQL: MARSAD_TEST_POSTGRES=postgresql+psycopg://user@host/{db}, or the server binaries installed
here (scripts/install-postgres.sh), as the tests use.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the tests' process helpers and throwaway PostgreSQL server

from ingest_runs import events_state, finish, start_ingest  # noqa: E402
from pg import fresh_database, postgres_server  # noqa: E402

DEFAULT = REPO.parent / "shared/data/articles/ant_syria_iraq_2018.jsonl"


def halves(path: Path, folder: Path) -> tuple[Path, Path]:
    """The first and second half of the file by lines, as the issue's reproduction split it."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip()]
    middle = len(lines) // 2
    parts = (folder / "a.jsonl", folder / "b.jsonl")
    parts[0].write_text("".join(lines[:middle]), encoding="utf-8")
    parts[1].write_text("".join(lines[middle:]), encoding="utf-8")
    return parts


def summary(state: dict) -> str:
    events = state["events"]
    killed = sum(counts[3] or counts[2] or 0 for counts in events.values())
    return f"{len(events)} events, {sum(len(g) for g in events)} members, killed best {killed}"


def run(new_db, parts: tuple[Path, Path], concurrent: bool) -> tuple[dict, float]:
    db = new_db()
    events_state(db)  # create the schema first: its creation race is not what is measured
    started = time.perf_counter()
    if concurrent:
        writers = [start_ingest(p, db) for p in parts]
        for writer in writers:
            finish(writer, timeout=3600)
    else:
        for p in parts:
            finish(start_ingest(p, db), timeout=3600)
    return events_state(db), time.perf_counter() - started


def bench(backend: str, new_db, parts: tuple[Path, Path], runs: int) -> int:
    in_turn = [run(new_db, order, concurrent=False) for order in (parts, parts[::-1])]
    for name, (state, seconds) in zip(("A then B", "B then A"), in_turn, strict=True):
        print(f"{backend} sequential {name}: {summary(state)} ({seconds:.0f} s)", flush=True)
    equal = 0
    for i in range(runs):
        state, seconds = run(new_db, parts, concurrent=True)
        same = any(state == ref for ref, _ in in_turn)
        equal += same
        verdict = "equal" if same else "DIFFERENT"
        print(f"{backend} concurrent run {i + 1}: {summary(state)} ({seconds:.0f} s) -> {verdict}", flush=True)
    print(f"{backend}: {equal} of {runs} concurrent runs equal a sequential run", flush=True)
    return equal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    if not Path(args.path).exists():
        sys.exit(f"corpus not found: {args.path}")
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        parts = halves(Path(args.path), folder)
        counter = iter(range(10**6))
        failed = False
        if args.backend in ("sqlite", "both"):
            sqlite_db = lambda: str(folder / f"run{next(counter)}.db")  # noqa: E731
            failed |= bench("sqlite", sqlite_db, parts, args.runs) < args.runs
        if args.backend in ("postgresql", "both"):
            template, why_not = stack.enter_context(postgres_server())
            if template is None:
                sys.exit(f"postgresql: {why_not}")
            failed |= bench("postgresql", lambda: fresh_database(template), parts, args.runs) < args.runs
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
