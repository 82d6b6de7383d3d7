"""`marsad ingest` killed with SIGKILL at any moment, including while it groups records into events,
is resumed by running it again, and the resumed store equals a clean run (issue 12).

One store, one file of a week of ANT reports: the first run is killed a third of the way through
storing, the second two thirds through, the third while it regroups (every report stored, the events
lock held), and the fourth finishes.
"""

from __future__ import annotations

import signal
import sqlite3
import time
from collections.abc import Callable

import pytest

from ingest_runs import ant_subset, events_state, finish, start_ingest
from marsad import pipeline, store
from marsad.sources import read_sources

FIRST, LAST = "2018-02-18", "2018-02-24"
DEADLINE = 120  # seconds a run may take to reach its moment


@pytest.fixture(scope="module")
def week(ant_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("week") / "week.jsonl"
    path.write_text("".join(ant_subset(ant_path, FIRST, LAST)), encoding="utf-8")
    return path


def count_documents(db) -> int:
    with sqlite3.connect(db, timeout=5) as conn:
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.OperationalError:  # the tables are not created yet
            return 0


def someone_writes(db) -> bool:
    """Whether a transaction holds the database's write lock right now."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def kill_when(db, path, moment: Callable[[], bool]) -> None:
    process = start_ingest(path, str(db))
    deadline = time.monotonic() + DEADLINE
    while not moment():
        assert process.poll() is None, f"the run ended before its moment: {process.communicate()}"
        assert time.monotonic() < deadline, "the moment never came"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def test_a_killed_ingest_resumes_to_a_clean_run(week, tmp_path):
    clean_db = str(tmp_path / "clean.db")
    engine = store.connect(clean_db)
    pipeline.ingest(engine, read_sources([str(week)]))
    engine.dispose()
    clean = events_state(clean_db)
    total = clean["documents"]

    db = tmp_path / "killed.db"
    kill_when(db, week, lambda: count_documents(db) >= total // 3)
    kill_when(db, week, lambda: count_documents(db) >= 2 * total // 3)
    kill_when(db, week, lambda: count_documents(db) == total and someone_writes(db))
    # Killed while regrouping: its transaction left nothing behind, no event and no half of one.
    assert events_state(f"sqlite:///{db}")["events"] == {}
    finish(start_ingest(week, str(db)))
    assert events_state(f"sqlite:///{db}") == clean
