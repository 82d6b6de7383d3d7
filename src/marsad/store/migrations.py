"""Schema versions. A database remembers the versions applied to it; `upgrade` applies the rest.

To change the schema in a release: change the tables in schema.py (new tables are created by
`create_all`), and for changes to existing tables append a step here that alters them and
backfills, so an existing database is upgraded in place without losing data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, bindparam, func, insert, inspect, select, text, update
from sqlalchemy.schema import CreateIndex

from marsad.store.schema import LISTING_INDEX, QUEUE_INDEX, UNKNOWN_RANK, metadata, records, schema_version


def _create_tables(conn: Connection) -> None:
    metadata.create_all(conn)


def _review_columns(conn: Connection) -> None:
    """Issue 13 (review): records.review (the analyst's decision) and records.queue_rank (queue order).

    A database created by step 1 of this release has them already; older ones get them added, and the
    rank of the records that carry a confidence."""
    present = {c["name"] for c in inspect(conn).get_columns(records.name)}
    for name, kind in (("review", "VARCHAR(16)"), ("queue_rank", f"FLOAT NOT NULL DEFAULT {UNKNOWN_RANK}")):
        if name not in present:
            conn.execute(text(f"ALTER TABLE {records.name} ADD COLUMN {name} {kind}"))
    # create_all indexes only the tables it creates.
    for index in (QUEUE_INDEX, LISTING_INDEX):
        conn.execute(CreateIndex(index, if_not_exists=True))
    rows = conn.execute(select(records.c.record_id, records.c.data).where(records.c.queue_rank == UNKNOWN_RANK))
    scored = [{"rid": rid, "value": data["confidence"]} for rid, data in rows if data.get("confidence") is not None]
    if scored:
        conn.execute(
            update(records).where(records.c.record_id == bindparam("rid")).values(queue_rank=bindparam("value")),
            scored,
        )


# (version, description, step). Steps run in order, each in the same transaction as its version row.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "documents, records and the tables of every store module", _create_tables),
    (2, "review (issue 13): records.review and records.queue_rank", _review_columns),
]

LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table(schema_version.name):
        return 0
    return conn.execute(select(func.max(schema_version.c.version))).scalar() or 0


def upgrade(engine: Engine) -> int:
    """Bring the database to the latest version; returns the version it is at."""
    with engine.begin() as conn:
        version = current_version(conn)
        for number, description, step in MIGRATIONS:
            if number <= version:
                continue
            step(conn)
            conn.execute(
                insert(schema_version).values(version=number, description=description, applied_at=datetime.now(UTC))
            )
            version = number
        # Tables added by later store modules without a column change need no step of their own.
        metadata.create_all(conn)
    return version
