"""The store on real reports: one copy per report, atomic saves, filters, schema versions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marsad import store
from marsad.model import Count, Location, Record, Victim
from marsad.sources import read_path
from marsad.store.migrations import MIGRATIONS
from marsad.store.schema import records, schema_version


@pytest.fixture()
def engine(store_url):
    engine = store.connect(store_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def ant_docs(ant_path):
    items = read_path(str(ant_path))
    return [next(items) for _ in range(12)]


def record_for(doc, **fields) -> Record:
    return Record(doc_id=doc.doc_id, **fields)


def test_a_report_is_stored_once_whatever_its_file(engine, ant_docs):
    doc = ant_docs[0]
    assert store.save_document(engine, doc, [record_for(doc, killed=Count.exact(3))])
    again = next(read_path_like(doc))
    assert not store.save_document(engine, again, [record_for(again, killed=Count.exact(3))])
    assert store.count_documents(engine) == 1
    assert store.count_records(engine) == 1
    stored = store.get_document(engine, doc.doc_id)
    assert stored.text == doc.text and stored.published == doc.published


def read_path_like(doc):
    """The same report re-read: a new Document object with the same content."""
    from marsad.model import Document

    yield Document(doc_id=doc.doc_id, text=doc.text, title=doc.title, published=doc.published)


def test_different_reports_with_the_same_id_are_both_kept(engine, ant_docs):
    first, second = ant_docs[0], ant_docs[1]
    second.doc_id = first.doc_id
    assert store.save_document(engine, first, [])
    assert store.save_document(engine, second, [])
    assert store.count_documents(engine) == 2
    assert second.doc_id.startswith(first.doc_id + "~")


def test_a_failing_save_leaves_nothing_half_written(engine, ant_docs):
    doc = ant_docs[2]
    good = record_for(doc, killed=Count.exact(2))
    broken = record_for(doc, date="not a date")  # fails while rows are built, inside the transaction
    with pytest.raises(ValueError):
        store.save_document(engine, doc, [good, broken])
    assert store.count_documents(engine) == 0
    assert store.count_records(engine) == 0
    assert store.save_document(engine, doc, [good])


def test_a_batch_stores_each_new_report_once_and_indexes_its_text(engine, ant_docs):
    from marsad.model import Document

    stored_before = ant_docs[6]
    assert store.save_document(engine, stored_before, [])
    clash = Document(doc_id=ant_docs[7].doc_id, text=ant_docs[8].text, published=ant_docs[8].published)
    batch = [
        (ant_docs[7], [record_for(ant_docs[7], killed=Count.exact(4))]),
        (next(read_path_like(stored_before)), []),  # already stored: skipped
        (next(read_path_like(ant_docs[7])), []),  # the same content earlier in this batch: skipped
        (clash, [record_for(clash, killed=Count.exact(2)), record_for(clash, killed=Count.exact(5))]),
    ]
    assert store.save_documents(engine, batch) == [True, False, False, True]
    assert store.count_documents(engine) == 3
    assert clash.doc_id == f"{ant_docs[7].doc_id}~{clash.content_hash[:8]}"
    assert store.record_ids_of(engine, [clash.doc_id]) == [f"{clash.doc_id}:0", f"{clash.doc_id}:1"]
    # The text index covers a batch's reports: a phrase only the last one holds finds exactly its records.
    words = ant_docs[8].text.split()
    phrase = next(
        " ".join(words[i : i + 3])
        for i in range(len(words))
        if all(" ".join(words[i : i + 3]) not in d.text for d in ant_docs[:8])
    )
    assert store.count_records(engine, store.Filters(text=phrase)) == 2


def test_filters_select_by_actor_victim_place_and_window(engine, ant_docs):
    doc = ant_docs[3]
    idlib = Location(text="إدلب", name="Idlib", admin1="Idleb", country="SY")
    rows = [
        record_for(
            doc,
            date="2018-03-01",
            perpetrator="russia",
            victim_group="civilians",
            location=idlib,
            killed=Count.exact(5),
            victims=[Victim("children", killed=Count.exact(2))],
        ),
        record_for(
            doc, date="2018-03-20", perpetrator="isis", victim_group="syrian_government", killed=Count(low=20, high=99)
        ),
        record_for(
            doc,
            kind="tally",
            period_start="2018-01-01",
            period_end="2018-03-31",
            perpetrator="isis",
            killed=Count.exact(400),
            regions=[idlib],
        ),
    ]
    store.save_document(engine, doc, rows)
    count = store.count_records
    assert count(engine, store.Filters(perpetrator="russia")) == 1
    assert count(engine, store.Filters(victim="children")) == 1
    assert count(engine, store.Filters(admin1="idleb")) == 2
    # A filter may list alternatives.
    assert count(engine, store.Filters(perpetrator="russia, isis")) == 3
    assert count(engine, store.Filters(victim="children,syrian_government")) == 2
    assert count(engine, store.Filters(kind="incident", since=store_date("2018-03-10"))) == 1
    # A tally counts as inside a window that its period overlaps.
    assert count(engine, store.Filters(kind="tally", since=store_date("2018-03-10"))) == 1
    assert count(engine, store.Filters(kind="tally", since=store_date("2018-04-01"))) == 0
    first_word = doc.text.split()[0]
    assert count(engine, store.Filters(text=first_word)) == 3


def store_date(text):
    from datetime import date

    return date.fromisoformat(text)


def test_the_schema_is_versioned_and_reopening_keeps_the_data(store_url, ant_docs):
    path = store_url
    engine = store.connect(path)
    store.save_document(engine, ant_docs[4], [record_for(ant_docs[4], killed=Count.exact(1))])
    engine.dispose()
    reopened = store.connect(path)
    with reopened.connect() as conn:
        versions = [row.version for row in conn.execute(select(schema_version))]
        assert conn.execute(select(records.c.record_id)).scalars().all() == [f"{ant_docs[4].doc_id}:0"]
    assert versions == [number for number, _, _ in MIGRATIONS]  # api-tally adds 10 beside 11


def test_an_older_database_is_upgraded_in_place_without_losing_data(store_url, ant_docs, monkeypatch):
    """A later release adds a migration step; opening an existing database applies it once."""
    from sqlalchemy import text

    from marsad.store import migrations

    engine = store.connect(store_url)
    store.save_document(engine, ant_docs[5], [record_for(ant_docs[5], killed=Count.exact(7))])
    engine.dispose()

    def add_reviewed_column(conn):
        conn.execute(text("ALTER TABLE records ADD COLUMN reviewed_by VARCHAR(80)"))
        conn.execute(text("UPDATE records SET reviewed_by = 'machine'"))

    next_version = migrations.LATEST + 1
    monkeypatch.setattr(
        migrations, "MIGRATIONS", [*migrations.MIGRATIONS, (next_version, "who reviewed a record", add_reviewed_column)]
    )
    upgraded = store.connect(store_url)
    reopened = store.connect(store_url)  # a second open must not apply the step again
    with reopened.connect() as conn:
        assert conn.execute(text("SELECT max(version) FROM schema_version")).scalar() == next_version
        assert conn.execute(text("SELECT reviewed_by FROM records")).scalars().all() == ["machine"]
    assert [s.record.killed.best for s in store.query_records(upgraded)] == [7]
