"""One bad report never stops an ingest: the issue's hostile reports between real ones.

Each hostile input class is fixed where it enters (readers, number parsing, publication dates);
what still cannot be read is recorded in `failures` with its file and line, and the rest go on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from marsad import store
from marsad.cli import app
from marsad.sources import read_path
from marsad.text.numbers import find_numbers

runner = CliRunner()


def hostile(figure: str, **fields) -> str:
    row = {"text": f"قتل {figure} مدنيين في قصف على مدينة حلب", "published": "2018-03-01", **fields}
    return json.dumps(row)  # ASCII escapes: "\udfff" stays a lone surrogate in the JSON text


HOSTILE = [
    hostile("9" * 309, docno="h-309-digits"),
    hostile("9223372036854775808", docno="h-int64"),
    hostile("²", docno="h-superscript"),
    hostile("①", docno="h-circled"),
    hostile("11", docno="h-surrogate-text", extra="\udfff", title="عنوان \udfff"),
    hostile("12", docno="\udfff"),
    hostile("13", docno="h-surrogate-url", url="https://x.example/\udfff", source="\udfff"),
    '{"docno": "h-deep", "text": "قتل 14 مدنيا", "deep": ' + "[" * 1000 + "]" * 1000 + "}",
    '{"docno": "h-4301", "text": "قتل 15 مدنيا في حلب", "n": ' + "7" * 4301 + "}",
    hostile("16", docno="h-zero-date", published="0001-01-01T00:00:00Z"),
    hostile("17", docno="h-1850", published="1850-06-01"),
    hostile("123456789012345678901234", docno="h-24-digits"),
]


@pytest.fixture(scope="module")
def mixed_file(tmp_path_factory, ant_rows):
    """Real ANT reports with a hostile one after every real one."""
    real = [line for line in ant_rows if line.strip()][: len(HOSTILE)]
    lines = [x for pair in zip(real, HOSTILE, strict=True) for x in pair]
    path = tmp_path_factory.mktemp("mixed") / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, real


def test_hostile_reports_are_read_or_refused_with_their_line(mixed_file):
    path, real = mixed_file
    items = list(read_path(str(path)))
    errors = {e.line: e.message for e in items if not hasattr(e, "text")}
    # Lines 16 (deep JSON) and 22 (published 1850) are refused, each with a clear reason.
    assert errors == {16: "invalid JSON: nested too deeply", 22: "publication date 1850-06-01 is outside 1900–2199"}
    docs = {d.doc_id: d for d in items if hasattr(d, "text")}
    assert "\ufffd" in docs["h-surrogate-text"].title and docs["\ufffd"].text.startswith("قتل 12")
    assert docs["h-surrogate-url"].url.endswith("\ufffd") and docs["h-surrogate-url"].outlet == "\ufffd"
    assert docs["h-zero-date"].published is None  # Go's and .NET's zero date means "no date"
    assert docs["h-4301"].text.startswith("قتل 15")  # an unused field's huge integer harms nothing
    assert all(json.loads(line)["docno"] in docs for line in real)


def test_cli_ingest_stores_the_rest_records_failures_and_exits_1(mixed_file, tmp_path):
    path, real = mixed_file
    db = str(tmp_path / "mixed.db")
    result = runner.invoke(app, ["ingest", str(path), "--db", db, "--quiet"])
    assert result.exit_code == 1
    engine = store.connect(db)
    stored_ids = {d for d in (r.record.doc_id for r in store.query_records(engine))}
    assert store.count_documents(engine) == len(real) + len(HOSTILE) - 2
    killed = {r.record.doc_id: r.record.killed.best for r in store.query_records(engine) if r.record.killed}
    # Figures that are no casualty count give no record; the real ones around them are extracted.
    assert not {"h-309-digits", "h-int64", "h-superscript", "h-circled", "h-24-digits"} & stored_ids
    assert killed["h-surrogate-text"] == 11 and killed["h-zero-date"] == 16 and killed["h-4301"] == 15
    failures = store.list_failures(engine)
    assert {(f.path, f.line, f.stage) for f in failures} == {(str(path), 16, "read"), (str(path), 22, "read")}
    listed = runner.invoke(app, ["failures", "--db", db, "--json"])
    assert listed.exit_code == 0 and len(listed.output.splitlines()) == 2
    # Events were grouped although reports failed: the run went to its end.
    assert runner.invoke(app, ["events", "--db", db, "--format", "jsonl"]).output.strip()
    again = runner.invoke(app, ["ingest", str(path), "--db", db, "--quiet"])  # a re-run: same two failures
    assert again.exit_code == 1 and len(store.list_failures(engine)) == 2
    assert runner.invoke(app, ["failures", "--db", db, "--clear"]).exit_code == 0
    assert store.list_failures(engine) == []


def test_an_extraction_failure_is_isolated_and_recorded(tmp_path, ant_rows, monkeypatch):
    """A defect of the extractor on one report (simulated by a size limit the report passes) is that
    report's failure, with its file and line; the following reports are stored."""
    rows = [line for line in ant_rows if line.strip()][:6]
    longest = max(range(6), key=lambda i: len(json.loads(rows[i])["text"]))
    path = tmp_path / "six.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    limit = max(len(json.loads(r)["text"]) for i, r in enumerate(rows) if i != longest) + 200
    monkeypatch.setenv("MARSAD_MAX_CHARS", str(limit))
    db = str(tmp_path / "six.db")
    result = runner.invoke(app, ["ingest", str(path), "--db", db, "--quiet"])
    assert result.exit_code == 1
    engine = store.connect(db)
    assert store.count_documents(engine) == 5
    (failure,) = store.list_failures(engine)
    assert (failure.line, failure.stage) == (longest + 1, "extract") and "MARSAD_MAX_CHARS" in failure.reason


def test_numbers_are_exact_and_absurd_figures_are_no_counts():
    def values(text: str) -> list[int | None]:
        return [n.value for n in find_numbers(text)]

    assert values("قتل 1,362 شخصا و 1.5 مليون") == [1362, 1500000]
    assert values("قتل 2.25 الف") == [2250]  # folded text, as extraction gives it
    assert values("قتل 999999999 و 1000000001 و 123456789012345678901234 و " + "9" * 4400) == [999999999]
    assert values("قتل ² و ① و ٣ و ༣") == [3, 3]  # Arabic-Indic and Tibetan 3 are decimal digits


def test_a_file_that_is_not_a_database_is_one_clean_line(tmp_path):
    not_db = tmp_path / "notes.db"
    not_db.write_text("these are notes, not a database\n" * 200)
    command = [sys.executable, "-c", "from marsad.cli import app; app()", "incidents", "--db", str(not_db)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"marsad: error: {not_db}: not a marsad database (file is not a database)"
    ]


def test_a_report_that_takes_too_long_is_stopped_and_the_others_go_on(tmp_path, ant_rows):
    real = [line for line in ant_rows if line.strip()][:2]
    endless = json.dumps({"docno": "endless", "text": "قتل 5 مدنيين " * 6000})  # one 78 KB sentence
    path = tmp_path / "slow.jsonl"
    path.write_text("\n".join([real[0], endless, real[1]]) + "\n", encoding="utf-8")
    db = str(tmp_path / "slow.db")
    # In a process of its own, as the command runs: the time limit is a SIGALRM of its main thread.
    env = {**os.environ, "MARSAD_EXTRACT_TIMEOUT": "2"}
    command = [sys.executable, "-m", "marsad", "ingest", str(path), "--db", db, "--quiet"]
    assert subprocess.run(command, capture_output=True, text=True, timeout=300, env=env).returncode == 1
    engine = store.connect(db)
    assert store.count_documents(engine) == 2
    (failure,) = store.list_failures(engine)
    assert failure.line == 2 and "longer than 2 s" in failure.reason
