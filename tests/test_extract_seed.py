"""The founding example: the seed report must give exactly the records of seed_gold.jsonl."""

from __future__ import annotations

import json

import pytest

from marsad.extract import extract
from marsad.sources import read_path


@pytest.fixture(scope="module")
def seed_records(seed_path):
    doc = next(d for d in read_path(str(seed_path)))
    return doc, extract(doc)


def test_seed_incident(seed_records):
    doc, records = seed_records
    incidents = [r for r in records if r.kind == "incident"]
    assert len(incidents) == 1
    rec = incidents[0]
    assert rec.killed.best == 4 and rec.killed.low == 4
    assert rec.perpetrator == "isis"
    assert rec.event_type == "battles" and rec.sub_event_type == "armed_clash"
    assert rec.victim_group == "pro_government_militias"
    assert rec.location is not None and rec.location.admin1 == "Deir-ez-Zor"
    assert rec.date_precision == "report"
    # The typo "من قبل 4 عناصر" is read as "قتل" because the clause states wounded after it.
    count_spans = [e.text for e in rec.evidence if e.role == "count"]
    assert any("4 عناصر" in t for t in count_spans)


def test_seed_tally_reconciles_headline_and_body(seed_records):
    _, records = seed_records
    tallies = [r for r in records if r.kind == "tally"]
    assert len(tallies) == 1
    tally = tallies[0]
    assert (tally.killed.low, tally.killed.best, tally.killed.high) == (1362, 1362, 1365)
    assert tally.period_start == "2019-03-24" and tally.period_end is None
    assert tally.victim_group == "syrian_government"
    russians = [v for v in tally.victims if v.group == "russia"]
    assert len(russians) == 1 and russians[0].nationality == "RU" and russians[0].killed.best == 2
    # Regions are the members of the tally's list of places ("في غرب الفرات وبادية دير الزور والرقة
    # وحمص والسويداء"); resolving each (here four governorates) is marsad.geo's part.
    admin1s = {r.admin1 for r in tally.regions}
    assert (
        {"Ar-Raqqa", "Homs", "As-Sweida", "Deir-ez-Zor"} <= admin1s <= {"Ar-Raqqa", "Homs", "As-Sweida", "Deir-ez-Zor"}
    )


def test_seed_regions_are_named_as_the_report_names_them(seed_records, seed_path):
    """Each region keeps the report's own words, without the conjunction that joins the list."""
    _, records = seed_records
    (tally,) = [r for r in records if r.kind == "tally"]
    gold_path = seed_path.parents[1] / "data" / "gold" / "seed_gold.jsonl"
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    (gold_tally,) = [r for r in gold["incidents"] if r["kind"] == "tally"]
    assert [r.text for r in tally.regions] == [r["text"] for r in gold_tally["regions"]]


def test_seed_non_casualty_numbers_make_no_record(seed_records):
    _, records = seed_records
    figures = {r.killed.best for r in records if r.killed}
    assert not figures & {83, 3, 1, 2019, 24}
    assert len(records) == 2


def test_seed_evidence_indexes_the_document_text(seed_records):
    doc, records = seed_records
    for rec in records:
        assert rec.evidence
        for ev in rec.evidence:
            assert doc.text[ev.start : ev.end] == ev.text
        json.dumps(rec.to_dict(), ensure_ascii=False)
