"""Helpers for the tests (and benchmarks/two_writers.py) that run `marsad ingest` as real processes.

`events_state` describes a store's events by content, not by id: which records (keyed by their
report's content hash and index, since two copies of one report may be stored under either docno)
each event groups, with its counts. Two stores with the same state hold the same events.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

REPO = Path(__file__).resolve().parents[1]


def ant_subset(ant_path: Path, first: str, last: str) -> list[str]:
    """The ANT file's lines published in [first, last] (ISO dates), in file order."""
    with ant_path.open(encoding="utf-8", newline="") as handle:  # str.splitlines would split at U+2028
        lines = [line for line in handle if line.strip()]
    return [line for line in lines if first <= (json.loads(line).get("published_iso") or "")[:10] <= last]


def write_halves(lines: list[str], folder: Path) -> tuple[Path, Path]:
    """Alternate lines to two files, so that both halves report the same events."""
    halves = (folder / "a.jsonl", folder / "b.jsonl")
    halves[0].write_text("".join(lines[0::2]), encoding="utf-8")
    halves[1].write_text("".join(lines[1::2]), encoding="utf-8")
    return halves


def start_ingest(path: Path, db: str, **popen) -> subprocess.Popen:
    """`marsad ingest PATH --db DB -q` in a new process running this checkout's code."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))}
    env.pop("MARSAD_DB", None)
    command = [sys.executable, "-m", "marsad", "ingest", str(path), "--db", db, "-q"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def finish(process: subprocess.Popen, timeout: float = 300) -> None:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"marsad ingest exited {process.returncode}:\n{out}\n{err}"


def events_state(db: str) -> dict:
    """{"documents", "records", "events": {frozenset(member keys): counts}} of a store, and checks that
    every event's row agrees with its members."""
    from marsad import store
    from marsad.store.events import event_members, events
    from marsad.store.schema import documents, records

    engine = store.connect(db)
    members = (
        select(event_members.c.event_id, documents.c.content_hash, records.c.idx)
        .join(records, records.c.record_id == event_members.c.record_id)
        .join(documents, documents.c.doc_id == records.c.doc_id)
    )
    counts = [events.c[c] for c in ("n_records", "n_sources", "killed_low", "killed_best", "killed_high")]
    counts += [events.c[c] for c in ("wounded_low", "wounded_best", "wounded_high", "date", "admin1")]
    with engine.connect() as conn:
        groups: dict[str, set[str]] = {}
        for event_id, content_hash, idx in conn.execute(members):
            groups.setdefault(event_id, set()).add(f"{content_hash[:16]}:{idx}")
        rows = {r[0]: tuple(r[1:]) for r in conn.execute(select(events.c.event_id, *counts))}
        n_documents = store.count_documents(engine)
        n_records = store.count_records(engine)
    engine.dispose()
    assert set(groups) == set(rows), "events without members, or members of no event"
    assert all(rows[e][0] == len(groups[e]) for e in rows), "n_records differs from the members"
    state = {frozenset(groups[e]): rows[e] for e in rows}
    assert len(state) == len(rows)
    return {"documents": n_documents, "records": n_records, "events": state}
