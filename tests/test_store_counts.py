"""The row counts kept on write (store.counts) equal count(*) after every kind of write, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from marsad import review, store
from marsad.model import Count, Record
from marsad.sources import read_path
from marsad.store import bulk
from marsad.store.records import document_row, record_row
from marsad.store.schema import documents, records


@pytest.fixture(scope="module")
def ant_docs(ant_path):
    items = read_path(str(ant_path))
    return [next(items) for _ in range(12)]


def counted(engine) -> tuple[int, int]:
    """What a scan counts: documents, and records that are not rejected."""
    with engine.connect() as conn:
        n_docs = conn.execute(select(func.count()).select_from(documents)).scalar_one()
        kept = select(func.count()).select_from(records).where(records.c.kind != "rejected")
        return n_docs, conn.execute(kept).scalar_one()


def kept(engine) -> tuple[int, int]:
    return store.count_documents(engine), store.count_records(engine, store.Filters())


def two_records(doc) -> list[Record]:
    return [Record(doc_id=doc.doc_id, killed=Count.exact(n)) for n in (3, 5)]


def test_counts_follow_saves_bulk_loads_rejections_and_deletions(store_url, ant_docs):
    engine = store.connect(store_url)
    store.save_documents(engine, [(doc, two_records(doc)) for doc in ant_docs[:6]])
    assert kept(engine) == counted(engine) == (6, 12)
    # The bulk path (PostgreSQL's COPY, SQLite's multi-row inserts) fires the same triggers.
    now = datetime.now(UTC)
    rows = [(document_row(doc, now), [record_row(doc, i, r) for i, r in enumerate(two_records(doc))])
            for doc in ant_docs[6:]]  # fmt: skip
    bulk.save_rows(engine, rows)
    assert kept(engine) == counted(engine) == (12, 24)
    rejected = f"{ant_docs[0].doc_id}:0"
    change = review.reject(engine, rejected, "not an attack")
    assert kept(engine) == counted(engine) == (12, 23)
    review.undo(engine, change, "misclick")
    assert kept(engine) == counted(engine) == (12, 24)
    review.reject(engine, f"{ant_docs[1].doc_id}:1", "not an attack")
    # A deleted report takes its records with it (a cascade), the rejected one among them.
    assert store.delete_document(engine, ant_docs[1].doc_id)
    assert kept(engine) == counted(engine) == (11, 22)
    store.replace_records(engine, ant_docs[2], two_records(ant_docs[2])[:1])
    assert kept(engine) == counted(engine) == (11, 21)
    engine.dispose()
    reopened = store.connect(store_url)
    assert kept(reopened) == counted(reopened) == (11, 21)
    reopened.dispose()


def test_a_store_made_before_the_counts_is_counted_when_opened(tmp_path, ant_docs):
    path = tmp_path / "old.db"
    engine = store.connect(str(path))
    store.save_documents(engine, [(doc, two_records(doc)) for doc in ant_docs[:3]])
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM row_counts")
    engine.dispose()
    engine = store.connect(str(path))
    assert kept(engine) == counted(engine) == (3, 6)
    store.save_documents(engine, [(doc, two_records(doc)) for doc in ant_docs[3:5]])
    assert kept(engine) == counted(engine) == (5, 10)
    engine.dispose()
