"""Bulk writes of reports extracted elsewhere (`marsad load`): rows in, as few statements as possible.

The rows are those `records.document_row` and `records.record_row` make (the record's `data` as a
dict). A batch is one transaction: on PostgreSQL the rows go in by COPY, on SQLite by executemany
(one prepared statement for the whole batch). As with `save_documents`, a report whose content is stored
already is skipped, and one whose doc_id is taken by other content gets its hash appended to it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import JSON, Connection, Engine, insert

from marsad.store.engine import begin_write
from marsad.store.records import free_doc_id, stored_hashes, taken_doc_ids, with_retries
from marsad.store.schema import documents, records
from marsad.store.search import index_documents


@dataclass
class Saved:
    """What became of one report: stored under `doc_id` now, or already stored (under `doc_id`, None when
    an earlier copy in the same batch was the one stored)."""

    stored: bool
    doc_id: str | None


def save_rows(engine: Engine, batch: list[tuple[dict, list[dict]]]) -> list[Saved]:
    """Store (document row, its record rows) pairs in one transaction; see the module's docstring."""
    if not batch:
        return []

    def write() -> list[Saved]:
        with begin_write(engine) as conn:
            return _save_rows(conn, batch)

    return with_retries(write)


def _save_rows(conn: Connection, batch: list[tuple[dict, list[dict]]]) -> list[Saved]:
    stored_as = stored_hashes(conn, [doc["content_hash"] for doc, _ in batch])
    taken = taken_doc_ids(conn, [doc["doc_id"] for doc, _ in batch])
    now = datetime.now(UTC)
    outcome, doc_rows, record_rows = [], [], []
    seen: set[str] = set()
    for doc, doc_records in batch:
        content_hash = doc["content_hash"]
        if content_hash in stored_as or content_hash in seen:
            outcome.append(Saved(False, stored_as.get(content_hash)))
            continue
        seen.add(content_hash)
        doc_id = free_doc_id(doc["doc_id"], content_hash, taken)
        doc_rows.append({**doc, "doc_id": doc_id, "ingested_at": now})
        record_rows.extend(_renamed(row, doc_id) for row in doc_records)
        outcome.append(Saved(True, doc_id))
    if doc_rows:
        _insert(conn, documents, doc_rows)
        index_documents(conn, [row["doc_id"] for row in doc_rows])
    if record_rows:
        _insert(conn, records, record_rows)
    from marsad.store.review import reapply_reviews_of  # late: store.review builds on store.records

    reapply_reviews_of(conn, [row["doc_id"] for row in doc_rows])
    return outcome


def _renamed(row: dict, doc_id: str) -> dict:
    if row["doc_id"] == doc_id:
        return row
    return {**row, "doc_id": doc_id, "record_id": f"{doc_id}:{row['idx']}", "data": {**row["data"], "doc_id": doc_id}}


def _insert(conn: Connection, table, rows: list[dict]) -> None:
    if conn.dialect.name == "postgresql":
        _copy(conn, table, rows)
    else:
        conn.execute(insert(table), rows)


def _copy(conn: Connection, table, rows: list[dict]) -> None:
    """PostgreSQL's COPY through psycopg 3, inside the SQLAlchemy transaction (same connection)."""
    names = list(rows[0])
    json_columns = {c.name for c in table.columns if c.name in names and isinstance(c.type, JSON)}
    column_list = ", ".join(f'"{name}"' for name in names)
    cursor = conn.connection.driver_connection.cursor()
    with cursor, cursor.copy(f'COPY "{table.name}" ({column_list}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[n]) if n in json_columns else row[n] for n in names])
