"""Event ids stay (issue 12): an event keeps its id as it grows, merged events leave aliases to the
oldest id, a split keeps the id on the part with the earliest record, and the API and export say
what became of an id that is no event any more."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ingest_runs import ant_subset
from marsad import pipeline, store
from marsad.api import create_app
from marsad.cli import app
from marsad.model import Record
from marsad.resolve import merge_events, split_event, update_events
from marsad.resolve.cluster import order_key
from marsad.resolve.features import to_item
from marsad.sources import read_sources
from marsad.store import event_history
from marsad.store import events as event_store

FIRST, LAST = "2018-02-18", "2018-02-24"


def ingest_lines(engine, lines: list[str], path) -> None:
    path.write_text("".join(lines), encoding="utf-8")
    pipeline.ingest(engine, read_sources([str(path)]))


def groups(engine) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for record_id, event_id in event_store.membership(engine).items():
        found.setdefault(event_id, set()).add(record_id)
    return found


def where_now(engine, event_id: str) -> str | None:
    """The live event an id is, or was merged into."""
    if event_store.event_exists(engine, event_id):
        return event_id
    return (event_history.fate(engine, event_id) or {}).get("merged_into")


@pytest.fixture
def engine(store_url):
    engine = store.connect(store_url)
    yield engine
    engine.dispose()


def test_ingesting_more_reports_never_loses_an_id(engine, ant_path, tmp_path):
    lines = ant_subset(ant_path, FIRST, LAST)
    ingest_lines(engine, lines[1::2], tmp_path / "first.jsonl")
    before = groups(engine)
    assert len(before) >= 5
    ingest_lines(engine, lines[0::2], tmp_path / "more.jsonl")
    after = groups(engine)
    moved = 0
    for old_id, old_records in before.items():
        now = where_now(engine, old_id)
        assert now in after, f"{old_id} vanished"
        assert after[now] & old_records, f"{old_id} points to {now}, which holds none of its records"
        moved += now != old_id
    # The new reports grew events told before, bridged two into one, and took records from one
    # (else the id bookkeeping was not exercised).
    assert sum(after[e] > before[e] for e in before if e in after) >= 2
    assert moved >= 1
    assert any(not before[e] <= after.get(where_now(engine, e), set()) for e in before)
    kept_records = set().union(*after.values())
    assert set().union(*before.values()) <= kept_records


def test_a_merge_keeps_the_oldest_id_and_a_split_the_earliest_records(engine, ant_path, tmp_path):
    lines = ant_subset(ant_path, FIRST, LAST)
    ingest_lines(engine, lines[:20], tmp_path / "early.jsonl")
    ingest_lines(engine, lines[20:40], tmp_path / "late.jsonl")
    ages = event_history.ages(engine, groups(engine))
    young, old = sorted(ages, key=ages.get)[-1], sorted(ages, key=ages.get)[0]
    assert merge_events(engine, [young, old]) == old
    assert event_history.fate(engine, young)["merged_into"] == old
    assert merge_events(engine, [young, old]) == old  # an old id names the event it lives on as

    merged = event_store.event_record_ids(engine, old)
    items = {r.record_id: r for r in event_store.members_of_events(engine, [old])}
    earliest = min(merged, key=lambda r: order_key(to_item(r, Record.from_dict(items[r].data), items[r].published)))
    parts = split_event(engine, old)
    assert len(parts) == len(merged) and old in parts
    assert event_store.membership(engine, [earliest])[earliest] == old
    # Re-resolving everything keeps every id where it is.
    before = event_store.membership(engine)
    update_events(engine, full=True)
    assert event_store.membership(engine) == before


def test_the_api_and_export_say_where_an_id_went(tmp_path, ant_path):
    db = str(tmp_path / "ids.db")
    engine = store.connect(db)
    ingest_lines(engine, ant_subset(ant_path, FIRST, LAST)[:30], tmp_path / "some.jsonl")
    a, b = sorted(groups(engine))[:2]
    kept = merge_events(engine, [a, b])
    gone = b if kept == a else a

    client = TestClient(create_app(engine))
    answer = client.get(f"/api/events/{gone}", follow_redirects=False)
    assert answer.status_code == 301
    assert answer.json()["merged_into"] == kept
    assert answer.headers["location"] == f"/api/events/{kept}"
    assert client.get(f"/api/events/{gone}").json()["event_id"] == kept
    assert client.get("/api/events/ev-000000000000").status_code == 404

    result = CliRunner().invoke(app, ["export", "--db", db, "--what", "events", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = {row["event_id"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert gone not in rows and rows[kept]["former_ids"] == [gone]


def test_an_id_whose_records_were_deleted_answers_gone(tmp_path, ant_path):
    db = str(tmp_path / "deleted.db")
    engine = store.connect(db)
    ingest_lines(engine, ant_subset(ant_path, FIRST, LAST)[:30], tmp_path / "some.jsonl")
    alone = next(e for e, members in groups(engine).items() if len({m.rsplit(":", 1)[0] for m in members}) == 1)
    doc_id = next(iter(event_store.event_record_ids(engine, alone))).rsplit(":", 1)[0]
    store.delete_document(engine, doc_id)
    update_events(engine)  # repairs the events that lost members
    assert not event_store.event_exists(engine, alone)
    assert event_history.fate(engine, alone)["merged_into"] is None
    assert TestClient(create_app(engine)).get(f"/api/events/{alone}").status_code == 410


def test_upgrading_a_store_from_before_the_history_keeps_its_ids(tmp_path, ant_path):
    db = str(tmp_path / "old.db")
    engine = store.connect(db)
    ingest_lines(engine, ant_subset(ant_path, FIRST, LAST)[:30], tmp_path / "some.jsonl")
    ids = set(groups(engine))
    with engine.begin() as conn:  # the store as version 1 left it
        conn.exec_driver_sql("DROP TABLE event_history")
        conn.exec_driver_sql("DROP TABLE store_locks")
        conn.exec_driver_sql("DELETE FROM schema_version WHERE version >= 2")
    engine.dispose()
    engine = store.connect(db)
    assert set(event_history.ages(engine, ids)) == ids
    update_events(engine, full=True)
    assert set(groups(engine)) == ids
