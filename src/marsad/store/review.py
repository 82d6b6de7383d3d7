"""Analysts' decisions about records, and the append-only log of every decision (the only SQL for review).

`record_reviews` holds the current decision per record: its status, the corrections (field path ->
value, `marsad.corrections`), the machine record it was made on, and for a record the machine missed
the analyst's whole record. The `records` row always holds the corrected record, so tallies, events,
exports and the API read corrected values without knowing about review. `reapply_reviews` re-applies
the decisions whenever a report's records are written again (re-ingest, re-extraction).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    Index,
    Integer,
    Select,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)

from marsad import corrections
from marsad.model import Document, Record
from marsad.store.paging import walked_page
from marsad.store.records import REJECTED_KIND, Filters, apply_filters, holding, record_row
from marsad.store.schema import documents, metadata, records
from marsad.store.search import is_common

# Records the machine missed are numbered from here, out of reach of any re-extraction's numbering.
ADDED_BASE = 100_000
SYSTEM_USER = "marsad"

record_reviews = Table(
    "record_reviews",
    metadata,
    # No foreign key: a decision outlives its report being deleted and ingested again.
    Column("record_id", String(320), primary_key=True),
    Column("doc_id", String(300), nullable=False),
    Column("status", String(16), nullable=False),  # accepted, corrected, rejected, added
    Column("overrides", JSON, nullable=False),
    # The machine's record when the decision was made (None for an added record).
    Column("machine", JSON),
    # An added record: the analyst's whole record.
    Column("record", JSON),
    # The machine's value changed underneath the decision: someone should look again.
    Column("flagged", Boolean, nullable=False, default=False),
    Column("user", String(100), nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

review_log = Table(
    "review_log",
    metadata,
    Column("change_id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("user", String(100), nullable=False),
    # accept, correct, reject, add, undo, flag, merge, split
    Column("action", String(16), nullable=False),
    Column("record_id", String(320)),
    # Event decisions: the ids the analyst named.
    Column("target", Text),
    Column("reason", Text),
    # The decision before and after ({status, overrides, record} or None) and the fields it changed.
    Column("before", JSON),
    Column("after", JSON),
    Column("changes", JSON),
    Column("undoes", Integer),
)

Index("ix_record_reviews_doc", record_reviews.c.doc_id)
Index("ix_review_log_record", review_log.c.record_id, review_log.c.change_id)


def _now() -> datetime:
    return datetime.now(UTC)


def decision_of(row) -> dict[str, Any] | None:
    """The part of a review row that a log entry keeps and an undo restores."""
    if row is None:
        return None
    return {"status": row.status, "overrides": dict(row.overrides or {}), "record": row.record}


def review_row(conn: Connection, record_id: str):
    return conn.execute(select(record_reviews).where(record_reviews.c.record_id == record_id)).first()


def record_state(conn: Connection, record_id: str):
    """(data, review, doc_id, published) of a stored record, or None."""
    query = (
        select(records.c.data, records.c.review, records.c.doc_id, documents.c.published)
        .join(documents, documents.c.doc_id == records.c.doc_id)
        .where(records.c.record_id == record_id)
    )
    return conn.execute(query).first()


def effective(decision: dict[str, Any], machine: dict[str, Any] | None) -> dict[str, Any]:
    base = decision["record"] if decision["status"] == "added" else machine
    return corrections.apply(base or {}, decision["overrides"])


def write_record(conn: Connection, record_id: str, data: dict[str, Any], status: str | None) -> None:
    """Put a (corrected) record into its `records` row, columns and all; insert it if missing."""
    doc_id, _, index = record_id.rpartition(":")
    published = conn.execute(select(documents.c.published).where(documents.c.doc_id == doc_id)).scalar()
    record = Record.from_dict({**data, "doc_id": doc_id})
    row = record_row(Document(doc_id=doc_id, text="", content_hash="-", published=published), int(index), record)
    row.update(review=status)
    if status == "rejected":
        row["kind"] = REJECTED_KIND
    done = conn.execute(update(records).where(records.c.record_id == record_id).values(**row)).rowcount
    if not done:
        conn.execute(insert(records).values(**row))


def save_decision(conn: Connection, record_id: str, decision: dict[str, Any] | None, machine, user: str) -> None:
    """Store (or with None remove) the decision about a record and rewrite its row accordingly."""
    conn.execute(delete(record_reviews).where(record_reviews.c.record_id == record_id))
    if decision is None:
        if machine is None:  # an added record undone: it never existed
            conn.execute(delete(records).where(records.c.record_id == record_id))
        else:
            write_record(conn, record_id, machine, None)
        return
    conn.execute(
        insert(record_reviews).values(
            record_id=record_id,
            doc_id=record_id.rpartition(":")[0],
            machine=machine,
            flagged=False,
            user=user,
            updated_at=_now(),
            **decision,
        )
    )
    write_record(conn, record_id, effective(decision, machine), decision["status"])


def append_log(conn: Connection, **entry: Any) -> int:
    entry.setdefault("at", _now())
    return conn.execute(insert(review_log).values(**entry)).inserted_primary_key[0]


def reapply_reviews_of(conn: Connection, doc_ids: list[str]) -> None:
    """`reapply_reviews` for those of the reports just written that analysts have decided about (one
    query per 500 reports finds them)."""
    reviewed: set[str] = set()
    for start in range(0, len(doc_ids), 500):
        chunk = doc_ids[start : start + 500]
        query = select(record_reviews.c.doc_id).where(record_reviews.c.doc_id.in_(chunk)).distinct()
        reviewed.update(conn.execute(query).scalars())
    for doc_id in doc_ids:
        if doc_id in reviewed:
            reapply_reviews(conn, doc_id)


def reapply_reviews(conn: Connection, doc_id: str) -> list[str]:
    """After a report's records were written anew: put the analysts' decisions back over them.

    A record whose machine value moved underneath a decision is flagged, and the move is logged.
    Returns the ids of the records flagged."""
    flagged = []
    for review in conn.execute(select(record_reviews).where(record_reviews.c.doc_id == doc_id)).all():
        decision = decision_of(review)
        state = record_state(conn, review.record_id)
        if review.status == "added":
            if state is None or state.review is None:
                write_record(conn, review.record_id, effective(decision, None), "added")
            continue
        if state is None:  # the machine no longer finds this record: nothing to correct, someone should know
            if not review.flagged:
                flagged.append(review.record_id)
                append_log(conn, user=SYSTEM_USER, action="flag", record_id=review.record_id,
                           reason="the machine no longer finds this record")  # fmt: skip
                conn.execute(
                    update(record_reviews).where(record_reviews.c.record_id == review.record_id).values(flagged=True)
                )
            continue
        new_machine = state.data if state.review is None else review.machine
        paths = list(review.overrides) or None
        moved = corrections.moved(review.machine, new_machine, paths)
        if moved:
            flagged.append(review.record_id)
            before = {p: corrections.get_path(review.machine, p) for p in moved}
            append_log(conn, user=SYSTEM_USER, action="flag", record_id=review.record_id,
                       reason="the machine's value changed under an analyst's decision",
                       changes={p: [before[p], corrections.get_path(new_machine, p)] for p in moved})  # fmt: skip
        conn.execute(
            update(record_reviews)
            .where(record_reviews.c.record_id == review.record_id)
            .values(machine=new_machine, flagged=review.flagged or bool(moved))
        )
        write_record(conn, review.record_id, effective(decision, new_machine), review.status)
    return flagged


def next_added_id(conn: Connection, doc_id: str) -> str:
    taken = conn.execute(
        select(func.max(records.c.idx)).where(records.c.doc_id == doc_id, records.c.idx >= ADDED_BASE)
    ).scalar()
    logged = conn.execute(
        select(func.count())
        .select_from(record_reviews)
        .where(record_reviews.c.doc_id == doc_id, record_reviews.c.status == "added")
    ).scalar()
    return f"{doc_id}:{max((taken or ADDED_BASE - 1) + 1, ADDED_BASE + logged)}"


def read_log(engine: Engine, record_id: str | None = None, limit: int = 200, offset: int = 0) -> list[dict]:
    """Log entries, newest first (of one record, or of an event decision naming it, if given)."""
    query = select(review_log).order_by(review_log.c.change_id.desc()).limit(limit).offset(offset)
    if record_id:
        query = query.where((review_log.c.record_id == record_id) | review_log.c.target.contains(record_id))
    with engine.connect() as conn:
        return [log_item(row) for row in conn.execute(query)]


def log_entry(conn: Connection, change_id: int):
    return conn.execute(select(review_log).where(review_log.c.change_id == change_id)).first()


def latest_change(conn: Connection, record_id: str) -> int | None:
    query = select(func.max(review_log.c.change_id)).where(
        review_log.c.record_id == record_id, review_log.c.action != "flag"
    )
    return conn.execute(query).scalar()


def log_item(row) -> dict[str, Any]:
    item = dict(row._mapping)
    item["at"] = row.at.isoformat() if row.at else None
    return item


def reviews_of(engine: Engine, record_ids: list[str]) -> dict[str, dict[str, Any]]:
    """record_id -> {status, flagged, user, updated_at, overrides} of the records that were reviewed."""
    found = {}
    with engine.connect() as conn:
        for start in range(0, len(record_ids), 500):
            chunk = record_ids[start : start + 500]
            for row in conn.execute(select(record_reviews).where(record_reviews.c.record_id.in_(chunk))):
                found[row.record_id] = {
                    "status": row.status,
                    "flagged": row.flagged,
                    "user": row.user,
                    "updated_at": row.updated_at.isoformat(),
                    "overrides": row.overrides,
                }
    return found


def queue(engine: Engine, filters: Filters, limit: int = 50, offset: int = 0, flagged: bool = False) -> list[dict]:
    """Records to review, the least certain first (the model's confidence), those without one after.

    Unreviewed records, or with `flagged` the reviewed ones whose machine value moved. The page's ids are
    read in the order of `ix_records_queue`, which holds every filtered column: a filter is checked on
    index entries alone and the walk stops at the page's end."""
    review = (filters.review or "reviewed") if flagged else "unreviewed"
    filters = replace(filters, review=review)

    def listing(columns: list, where: Filters) -> Select:
        ids = apply_filters(select(*columns), where)
        if flagged:
            ids = ids.where(records.c.record_id.in_(select(record_reviews.c.record_id).where(record_reviews.c.flagged)))
        return ids.order_by(records.c.queue_rank, records.c.record_id)

    with engine.connect() as conn:
        ids = None
        if is_common(conn, filters.text):
            # A common needle is checked record by record along the queue's order while that finds it, as
            # listings do (paging.walked_page).
            candidates = listing([records.c.record_id, records.c.doc_id], replace(filters, text=None))
            ids = walked_page(conn, candidates, lambda doc_ids: holding(conn, doc_ids, filters.text), limit, offset)
        if ids is None:
            ids = listing([records.c.record_id], filters).limit(limit).offset(offset)
        query = (
            select(records.c.record_id, records.c.queue_rank, records.c.data, documents.c.published)
            .join(documents, documents.c.doc_id == records.c.doc_id)
            .where(records.c.record_id.in_(ids))
            .order_by(records.c.queue_rank, records.c.record_id)
        )
        return [_queue_item(row) for row in conn.execute(query)]


def _queue_item(row) -> dict[str, Any]:
    return {
        "record_id": row.record_id,
        "confidence": row.data.get("confidence"),
        "published": row.published.isoformat() if row.published else None,
        **row.data,
    }


def reviewed_record_ids(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        query = select(record_reviews.c.record_id).where(record_reviews.c.status != "rejected")
        return set(conn.execute(query).scalars())


def reviewed_doc_ids(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(record_reviews.c.doc_id).distinct()).scalars())
