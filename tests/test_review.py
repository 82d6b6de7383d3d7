"""Analyst review on the real seed report: corrections win everywhere and survive everything, all logged."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from marsad import pipeline, review, store
from marsad.cli import app
from marsad.corrections import CorrectionError
from marsad.extract import extract
from marsad.resolve import update_events
from marsad.resolve.tally import reconcile
from marsad.sources import read_path
from marsad.store import review as review_store

runner = CliRunner()


def cli(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def tally_sum(db) -> dict:
    return json.loads(cli("tally", "--json", "--db", str(db)).stdout)["sum"]


@pytest.fixture()
def seed_db(tmp_path, seed_path):
    db = tmp_path / "seed.db"
    cli("ingest", str(seed_path), "--db", str(db))
    return db


def incident_id(db) -> str:
    rows = [json.loads(line) for line in cli("incidents", "--db", str(db), "--format", "jsonl").stdout.splitlines()]
    (found,) = [r["record_id"] for r in rows if r["kind"] == "incident"]
    return found


def test_the_issue_cli_check(seed_db):
    """Ingest the seed, correct its incident to killed best 5 with a reason: the tally sums 5, still
    after `events resolve --full`, and `review log` shows the change."""
    record_id = incident_id(seed_db)
    assert tally_sum(seed_db)["killed_best"] != 5
    cli("review", "correct", record_id, "--set", "killed.best=5", "--reason", "SOHR update", "--user", "lina",
        "--db", str(seed_db))  # fmt: skip
    assert tally_sum(seed_db)["killed_best"] == 5
    cli("events", "resolve", "--full", "--db", str(seed_db))
    assert tally_sum(seed_db)["killed_best"] == 5
    log = cli("review", "log", "--json", "--db", str(seed_db)).stdout.splitlines()
    (entry,) = [json.loads(line) for line in log]
    assert (entry["record_id"], entry["user"], entry["reason"], entry["action"]) == (
        record_id, "lina", "SOHR update", "correct"
    )  # fmt: skip
    assert entry["changes"] == {"killed.best": [4, 5]}
    table = cli("review", "log", "--db", str(seed_db)).stdout
    assert all(word in table for word in ("lina", "correct", "killed.best: 4 → 5", "reason: SOHR update"))
    queue = cli("review", "queue", "--db", str(seed_db)).stdout
    assert "1 record(s) to review" in queue and "tally" in queue  # the corrected incident left the queue
    exported = [json.loads(line) for line in cli("export", "--db", str(seed_db)).stdout.splitlines()]
    assert {(r["record_id"], r["reviewed"]) for r in exported} >= {(record_id, True)}
    assert any(not r["reviewed"] for r in exported)  # the tally no one looked at says so


def test_corrections_survive_reingest_and_reextraction_and_flag_what_moved(seed_db, seed_path):
    engine = store.connect(str(seed_db))
    record_id = incident_id(seed_db)
    doc_id = record_id.rpartition(":")[0]
    review.correct(engine, record_id, {"killed.best": 5, "perpetrator": "hts"}, "checked", "lina")
    # Re-ingest: the report deleted and read again (events that lost members are repaired by a full update).
    store.delete_document(engine, doc_id)
    pipeline.ingest(engine, read_path(str(seed_path)))
    update_events(engine)
    assert tally_sum(seed_db)["killed_best"] == 5
    assert store.query_records(engine, store.Filters(kind="incident"))[0].record.perpetrator == "hts"
    # Re-extraction that finds the same: nothing flagged.
    doc = store.get_document(engine, doc_id)
    store.replace_records(engine, doc, extract(doc))
    assert review_store.queue(engine, store.Filters(), flagged=True) == []
    # Re-extraction whose count moved underneath the correction: the correction wins, the record is flagged.
    moved = extract(doc)
    incident = next(r for r in moved if r.kind == "incident")
    incident.killed.best, incident.killed.low = 9, 9
    store.replace_records(engine, doc, moved)
    update_events(engine)
    assert reconcile(engine, store.Filters()).killed_best == 5
    flagged = review_store.queue(engine, store.Filters(), flagged=True)
    assert [item["record_id"] for item in flagged] == [record_id]
    flag = review.log(engine, record_id)[0]
    assert flag["action"] == "flag" and flag["changes"] == {"killed.best": [4, 9]}
    # Another look (accepting the correction) clears the flag.
    review.accept(engine, record_id, "still 5", "lina")
    assert review_store.queue(engine, store.Filters(), flagged=True) == []
    # A re-extraction that no longer finds the record says so in the log.
    store.replace_records(engine, doc, [])
    assert review.log(engine, record_id)[0]["reason"] == "the machine no longer finds this record"
    engine.dispose()


def test_reject_and_undo_move_the_record_out_of_and_back_into_every_view(seed_db):
    engine = store.connect(str(seed_db))
    record_id = incident_id(seed_db)
    before = reconcile(engine, store.Filters())
    change = review.reject(engine, record_id, "not an attack", "omar")
    assert reconcile(engine, store.Filters()).events == before.events - 1
    assert record_id not in {s.record_id for s in store.query_records(engine)}
    assert [s.record_id for s in store.query_records(engine, store.Filters(review="rejected"))] == [record_id]
    update_events(engine, full=True)
    assert reconcile(engine, store.Filters()).events == before.events - 1
    review.undo(engine, change, "misclick", "omar")
    after = reconcile(engine, store.Filters())
    assert (after.events, after.killed_best) == (before.events, before.killed_best)
    assert store.query_records(engine, store.Filters(kind="incident"))[0].review is None
    actions = [(e["action"], e["undoes"]) for e in review.log(engine, record_id)]
    assert actions == [("undo", change), ("reject", None)]
    with pytest.raises(review.ReviewError, match="came after"):
        review.undo(engine, change)
    engine.dispose()


def test_a_record_the_machine_missed_is_added_from_its_evidence_and_kept(seed_db, seed_path):
    engine = store.connect(str(seed_db))
    doc_id = incident_id(seed_db).rpartition(":")[0]
    doc = store.get_document(engine, doc_id)
    words = "1362 قتيلا"
    start = doc.text.index(words)
    evidence = [{"start": start, "end": start + len(words)}]
    with pytest.raises(CorrectionError, match="span"):
        review.add(engine, doc_id, {"killed": {"best": 3}, "evidence": [{"start": 5, "end": 10**6}]}, None, "x")
    with pytest.raises(CorrectionError, match="not one of"):
        review.add(engine, doc_id, {"perpetrator": "daesh", "evidence": evidence}, None, "x")
    before = reconcile(engine, store.Filters())
    record = {"perpetrator": "isis", "victim_group": "civilians", "killed": {"low": 3, "best": 3, "high": None},
              "date": "2019-05-01", "evidence": evidence}  # fmt: skip
    added_id, _ = review.add(engine, doc_id, record, "missed raid", "lina")
    after = reconcile(engine, store.Filters())
    assert (after.events, after.killed_best) == (before.events + 1, before.killed_best + 3)
    stored = next(s for s in store.query_records(engine) if s.record_id == added_id)
    assert stored.review == "added" and stored.record.evidence[0].text == words
    # The report deleted and ingested again: the analyst's record comes back with it.
    store.delete_document(engine, doc_id)
    pipeline.ingest(engine, read_path(str(seed_path)))
    update_events(engine)
    assert reconcile(engine, store.Filters()).killed_best == after.killed_best
    engine.dispose()


def test_bad_corrections_are_clear_errors_and_write_nothing(seed_db):
    record_id = incident_id(seed_db)
    for assignments, message in (
        (["killed.best=-1"], "whole number"),
        (["killed=many"], "expected an object"),
        (["perpetrator=daesh"], "not one of"),
        (["colour=red"], "not a field"),
        (["date=yesterday"], "YYYY-MM-DD"),
        (["killed.best=5", "killed.low=99"], "low 99 is above best 5"),
        (["place=Atlantis-on-Thames"], "gazetteer"),
        (["killed.best"], "FIELD=VALUE"),
    ):
        args = ["review", "correct", record_id, "--db", str(seed_db)]
        for assignment in assignments:
            args += ["--set", assignment]
        result = runner.invoke(app, args)
        assert result.exit_code == 1 and message in result.output, (assignments, result.output)
    assert runner.invoke(app, ["review", "accept", "nope:3", "--db", str(seed_db)]).exit_code == 1
    assert cli("review", "log", "--json", "--db", str(seed_db)).stdout == ""
    assert tally_sum(seed_db)["killed_best"] == 4


def test_place_from_the_gazetteer_and_victims_are_corrected(seed_db):
    engine = store.connect(str(seed_db))
    record_id = incident_id(seed_db)
    review.correct(engine, record_id, {"place": "الرقة", "victims": [{"group": "children"}]}, None, "lina")
    (stored,) = store.query_records(engine, store.Filters(kind="incident", admin1="Ar-Raqqa"))
    assert stored.record.location.text == "الرقة" and stored.record.location.lat is not None
    assert store.query_records(engine, store.Filters(kind="incident", victim="children"))
    engine.dispose()


def test_event_merge_and_split_are_logged_with_user_and_reason(tmp_path, ant_rows):
    source = tmp_path / "few.jsonl"
    source.write_text("\n".join(ant_rows[:60]) + "\n", encoding="utf-8")
    db = tmp_path / "few.db"
    cli("ingest", str(source), "--db", str(db))
    engine = store.connect(str(db))
    a, b = [e["event_id"] for e in store.events.query_events(engine, limit=2)]
    merged = json.loads(json.dumps(cli("events", "merge", a, b, "--reason", "same raid", "--user", "omar",
                                       "--db", str(db)).stdout))  # fmt: skip
    assert "merged into" in merged
    cli("events", "split", a, "--reason", "two raids after all", "--user", "omar", "--db", str(db))
    entries = [json.loads(line) for line in cli("review", "log", "--json", "--db", str(db)).stdout.splitlines()]
    assert [(e["action"], e["user"], e["reason"]) for e in entries] == [
        ("split", "omar", "two raids after all"), ("merge", "omar", "same raid")
    ]  # fmt: skip
    assert entries[1]["target"] == f"{a} {b}"
    engine.dispose()


def test_an_older_database_gets_the_review_columns(seed_db):
    engine = store.connect(str(seed_db))
    with engine.begin() as conn:  # as a database made before this release
        conn.execute(text("DROP INDEX ix_records_queue"))
        conn.execute(text("ALTER TABLE records DROP COLUMN review"))
        conn.execute(text("ALTER TABLE records DROP COLUMN queue_rank"))
        conn.execute(text("DELETE FROM schema_version WHERE version >= 2"))
    engine.dispose()
    engine = store.connect(str(seed_db))
    assert {"review", "queue_rank"} <= {c["name"] for c in inspect(engine).get_columns("records")}
    assert len(review_store.queue(engine, store.Filters())) == store.count_records(engine)
    engine.dispose()


def test_gold_export_is_what_eval_and_train_read(seed_db, tmp_path):
    engine = store.connect(str(seed_db))
    record_id = incident_id(seed_db)
    review.correct(engine, record_id, {"killed.best": 5}, "checked", "lina")
    gold, docs = tmp_path / "gold.jsonl", tmp_path / "docs.jsonl"
    cli("review", "export", "--gold", str(gold), "--docs", str(docs), "--db", str(seed_db))
    (report,) = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
    assert set(report) == {"doc_id", "published", "lang", "incidents"}
    incident = next(i for i in report["incidents"] if i["kind"] == "incident")
    assert incident["killed"]["best"] == 5 and incident["evidence_text"] and incident["uncertain"] is False
    assert next(i for i in report["incidents"] if i["kind"] == "tally")["uncertain"] is True
    (doc,) = list(read_path(str(docs)))
    assert doc.text == store.get_document(engine, report["doc_id"]).text  # the same report, read back
    scored = json.loads(cli("eval", "--gold", str(gold), "--docs", str(docs), "--json").stdout)
    assert scored["documents_found"] == 1
    engine.dispose()


def test_review_works_on_each_backend(store_url, seed_path):
    cli("ingest", str(seed_path), "--db", store_url)
    record_id = incident_id(store_url)
    cli("review", "correct", record_id, "--set", "killed.best=5", "--set", "place=الرقة", "--reason", "r",
        "--user", "lina", "--db", store_url)  # fmt: skip
    cli("events", "resolve", "--full", "--db", store_url)
    assert tally_sum(store_url)["killed_best"] == 5
    engine = store.connect(store_url)
    change = review.reject(engine, record_id, "no", "lina")
    assert reconcile(engine, store.Filters()).events == 0
    assert [i["record_id"] for i in review_store.queue(engine, store.Filters())] != [record_id]
    review.undo(engine, change, None, "lina")
    assert reconcile(engine, store.Filters(admin1="Ar-Raqqa")).killed_best == 5
    assert [e["action"] for e in review.log(engine, record_id)] == ["undo", "reject", "correct"]
    engine.dispose()
