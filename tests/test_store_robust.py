"""The store's small defects of issue 12: schema creation by several processes at once, upgrades that
restore dropped indexes, refusal of a newer schema, and exports that never mix or leave half files."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading

import pytest
from sqlalchemy import text

from marsad import store
from marsad.export import write_file
from marsad.store import migrations


def test_processes_opening_a_new_database_at_once_all_succeed(tmp_path):
    opener = "import sys; from marsad import store; store.connect(sys.argv[1])"
    failures = []
    for round_ in range(3):  # bounded: 3 rounds of 3 processes (the issue saw 4 failures in 18)
        db = str(tmp_path / f"new{round_}.db")
        procs = [subprocess.Popen([sys.executable, "-c", opener, db], stderr=subprocess.PIPE) for _ in range(3)]
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            if proc.returncode:
                failures.append(err.decode()[-300:])
        engine = store.connect(db)
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version FROM schema_version ORDER BY version")).scalars().all()
        assert versions == [number for number, _, _ in migrations.MIGRATIONS]  # each applied once
    assert not failures


def test_an_upgrade_recreates_a_dropped_index(store_url):
    engine = store.connect(store_url)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_records_date"))
    engine.dispose()
    from sqlalchemy import inspect

    reopened = store.connect(store_url)
    assert "ix_records_date" in {ix["name"] for ix in inspect(reopened).get_indexes("records")}


def test_a_database_of_a_newer_schema_is_refused_with_a_message(store_url):
    engine = store.connect(store_url)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO schema_version (version, applied_at, description) VALUES (:v, CURRENT_TIMESTAMP, 'x')"),
            {"v": migrations.LATEST + 5},
        )
    engine.dispose()
    with pytest.raises(store.StoreError, match=r"schema version \d+, made by a newer marsad"):
        store.connect(store_url)


def test_two_exports_to_one_file_never_mix(tmp_path):
    target = tmp_path / "out.jsonl"
    lines = {name: [f'{{"writer": "{name}", "n": {i}}}\n' for i in range(2000)] for name in ("a", "b")}
    gate = threading.Barrier(2)

    def export(name: str) -> None:
        def write(handle: io.TextIOBase) -> int:
            gate.wait(timeout=10)  # both partial files are open at once
            for line in lines[name]:
                handle.write(line)
            return len(lines[name])

        write_file(target, write)

    threads = [threading.Thread(target=export, args=(name,)) for name in lines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    written = target.read_text().splitlines(keepends=True)
    assert written in (lines["a"], lines["b"])
    assert os.listdir(tmp_path) == ["out.jsonl"]  # no partial file left


def test_an_interrupted_export_keeps_the_old_file_and_leaves_no_partial(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    def failing(handle: io.TextIOBase) -> int:
        handle.write("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_file(target, failing)
    assert target.read_text() == "old\n" and os.listdir(tmp_path) == ["out.csv"]
