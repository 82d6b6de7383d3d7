"""Tallies reconciled: events summed once, headline vs body flagged, running counts as series."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from conftest import DATA, need
from marsad import store
from marsad.cli import app
from marsad.model import Count, Document, Record
from marsad.resolve import update_events
from marsad.resolve.tally import Tally, reconcile, series
from marsad.sources import read_path
from marsad.store import events as event_store
from marsad.store.tally import sum_incidents
from test_resolve_store import gold_reports, save


def seed_report(seed_path) -> tuple[Document, list[Record]]:
    doc = next(read_path(str(seed_path)))
    gold = json.loads(need(DATA / "gold" / "seed_gold.jsonl").read_text("utf-8").splitlines()[0])
    return doc, [Record.from_dict({**r, "doc_id": doc.doc_id}) for r in gold["incidents"]]


@pytest.fixture()
def engine(tmp_path):
    engine = store.connect(str(tmp_path / "tally.db"))
    yield engine
    engine.dispose()


def test_the_seed_headline_figure_is_flagged_against_the_body(engine, seed_path):
    doc, records = seed_report(seed_path)
    save(engine, [(doc, records)])
    update_events(engine)
    result = reconcile(engine, store.Filters())
    tally = next(r for r in records if r.kind == "tally")
    assert [(f.headline, f.body) for f in result.headline_flags] == [(1365, tally.killed.best)]
    assert result.tallies[0].reported["best"] == 1362
    assert result.events == 1 and result.killed_best == 4  # the incident, never the tally


def test_the_tally_sums_events_not_records(engine):
    save(engine, gold_reports())
    update_events(engine)
    window = store.Filters(since=date(2018, 4, 6), until=date(2018, 4, 10), admin1="Rural Damascus")
    result = reconcile(engine, window)
    per_record = sum_incidents(engine, window)
    events = event_store.query_events(engine, window)
    assert result.events == len(events) < per_record.incidents
    expected = sum((e["killed"] or {}).get("best") or (e["killed"] or {}).get("low") or 0 for e in events)
    assert result.killed_best == expected < per_record.killed_best


def running_count(seed_path, figures: list[int]) -> list[Tally]:
    """The seed's SOHR tally as it would be republished, one report per figure, a week apart."""
    doc, records = seed_report(seed_path)
    tally = next(r for r in records if r.kind == "tally")
    found = []
    for i, figure in enumerate(figures):
        record = replace(tally, doc_id=f"sohr-{i}", killed=Count(low=figure, best=figure))
        found.append(Tally(f"sohr-{i}:1", record, date(2021, 3, 1) + timedelta(weeks=i), None, doc.attribution))
    return found


def test_a_running_count_is_a_series_and_a_decrease_is_flagged(seed_path):
    growing = series(running_count(seed_path, [601, 846, 1353, 1447]))
    assert len(growing) == 1 and [p.killed for p in growing[0].points] == [601, 846, 1353, 1447]
    assert growing[0].decreases == 0
    shrinking = series(running_count(seed_path, [601, 846, 1353, 1340, 1447]))
    assert [p.killed for p in shrinking[0].points if p.decrease] == [1340]


def test_tally_command_shows_events_tallies_and_flags(tmp_path, seed_path):
    db = str(tmp_path / "cli.db")
    engine = store.connect(db)
    save(engine, [seed_report(seed_path)])
    update_events(engine)
    result = CliRunner().invoke(app, ["tally", "--db", db])
    assert result.exit_code == 0, result.output
    assert "1 event(s)" in result.output and "1362" in result.output
    assert "headline says 1365" in result.output
    as_json = json.loads(CliRunner().invoke(app, ["tally", "--db", db, "--json"]).output)
    assert as_json["headline_flags"][0]["headline"] == 1365
