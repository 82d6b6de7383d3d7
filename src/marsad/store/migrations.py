"""Schema versions. A database remembers the versions applied to it; `upgrade` applies the rest.

To change the schema in a release: change the tables in schema.py (new tables are created by
`create_all`), and for changes to existing tables append a step here that alters them and
backfills, so an existing database is upgraded in place without losing data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, insert, inspect, select

from marsad.store.schema import metadata, schema_version


def _create_tables(conn: Connection) -> None:
    metadata.create_all(conn)


def _event_history(conn: Connection) -> None:
    """Stable event ids and one regrouping at a time (issue 12): the id history, seeded with the
    events already stored (oldest by date), and the lock row regroupings take."""
    from marsad.store.event_history import create_lock_row, event_history, store_locks
    from marsad.store.events import events

    event_history.create(conn, checkfirst=True)
    store_locks.create(conn, checkfirst=True)
    create_lock_row(conn)
    known = set(conn.execute(select(event_history.c.event_id)).scalars())
    now = datetime.now(UTC)
    rows = [
        {"event_id": event_id, "created_at": now}
        for event_id in conn.execute(select(events.c.event_id).order_by(events.c.date, events.c.event_id)).scalars()
        if event_id not in known
    ]
    if rows:
        conn.execute(insert(event_history), rows)


# (version, description, step). Steps run in order, each in the same transaction as its version row.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "documents, records and the tables of every store module", _create_tables),
    (2, "event_history (what became of each event id) and store_locks (one regrouping at a time)", _event_history),
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
