"""Every record marsad extracts from the real corpus speaks SCHEMA.md: its vocabularies and count rules."""

from __future__ import annotations

import pytest

from marsad.extract import extract
from marsad.model import ACTORS, DATE_PRECISIONS, EVENT_TYPES, RECORD_KINDS, SUB_EVENT_TYPES, Record
from marsad.sources import SourceError, read_path

SYRIA_IRAQ_ADMIN1 = {
    "SY": {
        "Aleppo",
        "Al-Hasakeh",
        "Ar-Raqqa",
        "As-Sweida",
        "Damascus",
        "Dar'a",
        "Deir-ez-Zor",
        "Hama",
        "Homs",
        "Idleb",
        "Lattakia",
        "Quneitra",
        "Rural Damascus",
        "Tartous",
    },
    "IQ": {
        "Al-Anbar",
        "Al-Basrah",
        "Al-Muthanna",
        "Al-Najaf",
        "Al-Qadissiya",
        "Al-Sulaymaniyah",
        "Babil",
        "Baghdad",
        "Diyala",
        "Duhok",
        "Erbil",
        "Kerbala",
        "Kirkuk",
        "Maysan",
        "Ninewa",
        "Salah Al-Din",
        "Thi Qar",
        "Wassit",
    },
}


@pytest.fixture(scope="module")
def corpus_records(ant_path) -> list[Record]:
    return [r for doc in read_path(str(ant_path)) if not isinstance(doc, SourceError) for r in extract(doc)]


def check_count(count, where: str) -> None:
    if count is None:
        return
    bounds = [b for b in (count.low, count.best, count.high) if b is not None]
    assert bounds, f"{where}: a count with no figure should be null"
    assert all(isinstance(b, int) and b > 0 for b in bounds), where
    if count.low is not None and count.high is not None:
        assert count.low <= count.high, where
    if count.best is not None:
        assert (count.low or 0) <= count.best <= (count.high or count.best), where


def test_the_corpus_yields_records_in_the_schema_vocabularies(corpus_records):
    assert len(corpus_records) > 500
    for record in corpus_records:
        where = f"{record.doc_id} {record.kind} {record.killed}"
        assert record.kind in RECORD_KINDS
        assert record.event_type is None or record.event_type in EVENT_TYPES, where
        assert record.sub_event_type is None or record.sub_event_type in SUB_EVENT_TYPES, where
        assert record.date_precision in DATE_PRECISIONS, where
        assert record.perpetrator in ACTORS and record.victim_group in ACTORS, where
        assert all(v.group in ACTORS for v in record.victims), where
        for place in [record.location, *record.regions]:
            if place is not None and place.country in SYRIA_IRAQ_ADMIN1 and place.admin1 is not None:
                assert place.admin1 in SYRIA_IRAQ_ADMIN1[place.country], f"{where}: {place.admin1}"
        for count in (record.killed, record.wounded, *(v.killed for v in record.victims)):
            check_count(count, where)
        if record.kind == "tally":
            assert record.location is None or record.regions == []


def test_every_figure_is_stated_by_an_evidence_span(corpus_records):
    for record in corpus_records:
        if record.killed or record.wounded or record.killed_or_wounded:
            assert any(span.role == "count" for span in record.evidence), record.doc_id


def test_record_dicts_are_dataclass_dicts_without_unset_optionals(corpus_records):
    """Record.to_dict is dataclasses.asdict, less the optional keys a record leaves unset."""
    from dataclasses import asdict

    assert len(corpus_records) > 1000
    for rec in corpus_records:
        expected = asdict(rec)
        for optional in ("killed_or_wounded", "confidence"):
            if expected[optional] is None:
                del expected[optional]
        if rec.kind != "tally" and not expected["regions"]:
            del expected["regions"]
        data = rec.to_dict()
        assert data == expected and list(data) == list(expected)
        assert data["evidence"] is not rec.evidence  # a copy: changing it leaves the record alone
