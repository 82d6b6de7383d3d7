"""Every event id ever issued and what became of it, and the lock that makes one regrouping at a time.

An id is alive while `events` holds it. When events merge, the oldest id lives on and the others
stay here with `merged_into` (kept pointing at a live id), so a downstream dataset can follow them;
an id whose records were all deleted ends with no successor.

Regrouping (reading events near new records, re-resolving, rewriting them) runs in one transaction
that first takes the `events` row of `store_locks`: an UPDATE of it blocks every other regrouping
until commit, on SQLite (the write lock of the file) and on PostgreSQL (a row lock) alike, and a
killed process releases it with its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Column, Connection, DateTime, Engine, Integer, String, Table, insert, select, update

from marsad.store.engine import Bind, reading
from marsad.store.schema import metadata

event_history = Table(
    "event_history",
    metadata,
    # Order of creation: of two merging events the one with the smaller seq (the older) keeps its id.
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(40), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
    # The live event this id's records went to (null while alive, or when its records were deleted).
    Column("merged_into", String(40), index=True),
)

store_locks = Table(
    "store_locks",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("taken_at", DateTime),
)

EVENTS_LOCK = "events"
_CHUNK = 500


def _chunks(values: list, size: int = _CHUNK) -> Iterator[list]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def create_lock_row(conn: Connection) -> None:
    """The row regroupings lock (migration step; a no-op when it exists)."""
    if conn.execute(select(store_locks.c.name).where(store_locks.c.name == EVENTS_LOCK)).first() is None:
        conn.execute(insert(store_locks).values(name=EVENTS_LOCK, taken_at=None))


@contextmanager
def regrouping(engine: Engine) -> Iterator[Connection]:
    """A transaction holding the events lock: other regroupings wait until it commits or rolls back.

    The lock is the transaction's first statement, so what it reads afterwards is what the previous
    regrouping committed (SQLite takes its snapshot there; PostgreSQL reads committed per statement)."""
    with engine.begin() as conn:
        taken = conn.execute(
            update(store_locks).where(store_locks.c.name == EVENTS_LOCK).values(taken_at=datetime.now(UTC))
        )
        if taken.rowcount == 0:  # a store whose migration predates the row
            create_lock_row(conn)
        yield conn


def ages(bind: Bind, event_ids: Iterable[str]) -> dict[str, int]:
    """event_id -> creation order (smaller is older) of the ids known here."""
    found: dict[str, int] = {}
    with reading(bind) as conn:
        for chunk in _chunks(list(event_ids)):
            query = select(event_history.c.event_id, event_history.c.seq).where(event_history.c.event_id.in_(chunk))
            found.update(conn.execute(query).all())
    return found


def issued(conn: Connection, event_id: str) -> bool:
    """Whether this id was ever given to an event (a new event must not take an old id)."""
    return conn.execute(select(event_history.c.seq).where(event_history.c.event_id == event_id)).first() is not None


def record_changes(
    conn: Connection, born: list[str], merged: dict[str, str], ended: Iterable[str], alive: Iterable[str] = ()
) -> None:
    """Within a regrouping: `born` ids are new (in age order), `merged` maps ids that ended to the id
    their event lives on as, `ended` ids lost all their records. `alive` ids get a row if they lack
    one (events from before this table)."""
    now = datetime.now(UTC)
    known = ages(conn, [*alive, *merged, *ended])
    missing = [i for i in dict.fromkeys([*alive, *merged, *ended]) if i not in known]
    rows = [{"event_id": i, "created_at": now} for i in [*missing, *born]]
    if rows:
        conn.execute(insert(event_history), rows)
    for old, new in merged.items():
        conn.execute(update(event_history).where(event_history.c.event_id == old).values(ended_at=now, merged_into=new))
        # Ids that pointed at the one ending now point at its successor: one step to a live id.
        conn.execute(update(event_history).where(event_history.c.merged_into == old).values(merged_into=new))
    for chunk in _chunks(list(ended)):
        conn.execute(update(event_history).where(event_history.c.event_id.in_(chunk)).values(ended_at=now))


def fate(bind: Bind, event_id: str) -> dict | None:
    """What became of an id: {"event_id", "merged_into" (a live id or None), "ended_at"}; None if the id
    was never issued (or is alive without a history row)."""
    with reading(bind) as conn:
        row = conn.execute(select(event_history).where(event_history.c.event_id == event_id)).first()
    if row is None:
        return None
    return {"event_id": row.event_id, "merged_into": row.merged_into, "ended_at": row.ended_at}


def former_ids(bind: Bind) -> dict[str, list[str]]:
    """Live event id -> the ids merged into it, oldest first."""
    query = (
        select(event_history.c.merged_into, event_history.c.event_id)
        .where(event_history.c.merged_into.is_not(None))
        .order_by(event_history.c.seq)
    )
    found: dict[str, list[str]] = {}
    with reading(bind) as conn:
        for target, old in conn.execute(query):
            found.setdefault(target, []).append(old)
    return found
