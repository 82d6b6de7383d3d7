"""The marsad command end to end on real reports: extract, ingest, incidents, tally, export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from marsad import store
from marsad.cli import COMMANDS, app

runner = CliRunner()


def run(*args: str):
    result = runner.invoke(app, list(args))
    return result


def counts(records: list[dict], field: str = "killed") -> set[int]:
    found = set()
    for record in records:
        for count in [record.get(field), *(v.get(field) for v in record.get("victims") or [])]:
            found.update(v for v in (count or {}).values() if v is not None)
    return found


def test_extract_the_seed_gives_its_incident_and_its_tally(seed_path):
    result = run("extract", str(seed_path), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    incidents = [r for r in records if r["kind"] == "incident"]
    tallies = [r for r in records if r["kind"] == "tally"]
    assert any(
        r["killed"]["best"] == 4 and r["perpetrator"] == "isis" and r["location"]["admin1"] == "Deir-ez-Zor"
        for r in incidents
    )
    (tally,) = tallies
    assert (tally["killed"]["low"], tally["killed"]["high"]) == (1362, 1365)
    assert tally["period_start"] == "2019-03-24"
    assert any(v["group"] == "russia" and v["killed"]["best"] == 2 for v in tally["victims"])
    assert not counts(records) & {83, 3, 1}
    for record in records:
        assert all(record["doc_id"] == seed_path.stem for _ in [0])
        for span in record["evidence"]:
            assert span["text"]


def test_extract_table_is_readable(seed_path):
    result = run("extract", str(seed_path), "--format", "table")
    assert result.exit_code == 0, result.output
    assert "1362" in result.stdout and "isis" in result.stdout


@pytest.fixture()
def db(tmp_path):
    return str(tmp_path / "cli.db")


def test_ingest_twice_stores_each_report_once_and_queries_work(db, seed_path, ant_rows, tmp_path):
    sample = tmp_path / "sample.jsonl"
    sample.write_text("\n".join(ant_rows[:40]), encoding="utf-8")
    first = run("ingest", str(seed_path), str(sample), "--db", db, "--quiet")
    assert first.exit_code == 0, first.output
    second = run("ingest", str(sample), str(seed_path), "--db", db)
    assert second.exit_code == 0, second.output
    assert "0 stored" in second.stdout and "41 already stored" in second.stdout
    engine = store.connect(db)
    assert store.count_documents(engine) == 41

    listed = run("incidents", "--db", db, "--perpetrator", "isis", "--format", "jsonl")
    assert listed.exit_code == 0
    isis = [json.loads(line) for line in listed.stdout.splitlines()]
    assert isis and all(r["perpetrator"] == "isis" for r in isis)

    tally = run("tally", "--db", db, "--perpetrator", "isis", "--since", "2019-03-24", "--json")
    assert tally.exit_code == 0, tally.output
    payload = json.loads(tally.stdout)
    reported = [t["killed"]["low"] for t in payload["reported_tallies"]]
    assert 1362 in reported
    # The tally is listed beside the sum, never added to it.
    assert payload["sum"]["killed_best"] < 1362


def test_export_writes_flat_csv_jsonl_and_geojson(db, seed_path, tmp_path):
    assert run("ingest", str(seed_path), "--db", db, "-q").exit_code == 0
    out = tmp_path / "records.csv"
    result = run("export", "--format", "csv", "-o", str(out), "--db", db)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {"location_admin1", "killed_best", "killed_low", "killed_high", "perpetrator"} <= set(rows[0])
    assert {row["killed_high"] for row in rows if row["kind"] == "tally"} == {"1365"}
    geo = run("export", "--format", "geojson", "--db", db)
    features = json.loads(geo.stdout)["features"]
    assert all(f["geometry"]["type"] == "Point" for f in features)
    lines = run("export", "--format", "jsonl", "--db", db).stdout.splitlines()
    assert len(lines) == len(rows)


def test_bad_input_is_named_with_its_line_and_the_rest_is_stored(db, ant_rows, tmp_path):
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([ant_rows[0], "{not json", ant_rows[1]]), encoding="utf-8")
    result = run("ingest", str(mixed), "--db", db, "-q")
    assert result.exit_code == 1
    assert f"{mixed}:2" in result.stderr
    assert store.count_documents(store.connect(db)) == 2


def test_bad_options_are_clear_errors(db):
    result = run("incidents", "--db", db, "--since", "24 March")
    assert result.exit_code == 2
    assert "--since" in result.output


def test_demo_ingests_the_bundled_report_and_prints_incidents_and_a_tally(db):
    result = run("demo", "--db", db)
    assert result.exit_code == 0, result.output
    assert "Ingested 1 example report" in result.stdout
    assert "1362" in result.stdout  # the reported tally, listed beside the sum
    assert "Sum over" in result.stdout
    again = run("demo", "--db", db)
    assert "0 new, 1 already stored" in again.stdout


def test_the_command_loads_only_what_a_command_uses():
    """`marsad --help` imports no command module, store, extractor, resolver or numpy (issue 15:
    start-up under 0.3 CPU-s). Run in a fresh interpreter, since this one has imported everything."""
    import subprocess
    import sys

    heavy = ["sqlalchemy", "numpy", "yaml", "marsad.store", "marsad.extract", "marsad.resolve", "marsad.pipeline"]
    heavy += [f"marsad.cli.{module}" for module, _ in COMMANDS.values()]
    code = (
        "import contextlib, io, sys\nfrom marsad.cli import app\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n    app(['--help'])\n"
        f"print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []


def test_the_help_lists_every_registered_command_with_the_start_of_its_own_help():
    """`marsad --help` reads the summaries from a table so that it imports no command module; the table must list
    exactly the commands the modules register, each with the opening words of its own help."""
    import importlib
    import pkgutil

    import marsad.cli
    from marsad.cli import commands_of

    modules = {info.name for info in pkgutil.iter_modules(marsad.cli.__path__)}
    registered = {
        name: module
        for module in modules
        if hasattr(importlib.import_module(f"marsad.cli.{module}"), "register")
        for name in commands_of(module)
    }
    assert registered == {name: module for name, (module, _) in COMMANDS.items()}
    for name, (module, summary) in COMMANDS.items():
        assert commands_of(module)[name].help.startswith(summary), name
    listing = runner.invoke(app, ["--help"]).stdout
    assert [line.split()[0] for line in listing.split("Commands:")[1].strip().splitlines()] == list(COMMANDS)


def test_workers_store_and_print_exactly_what_one_process_does(ant_rows, tmp_path):
    """--workers 2 extracts in two processes; the store (reports, records, events) and the printed records are
    those of a serial run, in the same order."""
    from sqlalchemy import select

    from marsad.store.events import event_members
    from marsad.store.schema import documents, records

    sample = tmp_path / "sample.jsonl"
    sample.write_text("\n".join(ant_rows[:240]), encoding="utf-8")
    stored = []
    for workers in ("1", "2"):
        db = str(tmp_path / f"w{workers}.db")
        assert run("ingest", str(sample), "--db", db, "--quiet", "--workers", workers).exit_code == 0
        engine = store.connect(db)
        with engine.connect() as conn:
            stored.append(
                (
                    conn.execute(select(documents.c.doc_id, documents.c.content_hash).order_by(documents.c.id)).all(),
                    conn.execute(select(records.c.record_id, records.c.data).order_by(records.c.record_id)).all(),
                    conn.execute(select(event_members).order_by(event_members.c.record_id)).all(),
                )
            )
        engine.dispose()
    assert stored[0] == stored[1]
    assert len(stored[0][1]) > 50
    serial, parallel = (run("extract", str(sample), "--workers", w) for w in ("1", "2"))
    assert serial.exit_code == parallel.exit_code == 0
    assert serial.stdout == parallel.stdout and serial.stdout.count("\n") == len(stored[0][1])
