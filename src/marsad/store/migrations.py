"""Schema versions. A database remembers the versions applied to it; `upgrade` applies the rest.

To change the schema in a release: change the tables in schema.py (new tables are created by
`create_all`), and for changes to existing tables append a step here that alters them and
backfills, so an existing database is upgraded in place without losing data.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, bindparam, func, insert, inspect, select, text, update
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.schema import CreateIndex

from marsad.errors import StoreError
from marsad.store.schema import LISTING_INDEX, QUEUE_INDEX, UNKNOWN_RANK, metadata, records, schema_version
from marsad.store.search import drop_insert_trigger


def _create_tables(conn: Connection) -> None:
    metadata.create_all(conn)


def _reference_tables(conn: Connection) -> None:
    from marsad.store.reference import create_reference_tables  # late: it builds on store.events

    create_reference_tables(conn)


def _add_failures_table(conn: Connection) -> None:
    from marsad.store.failures import failures

    failures.create(conn, checkfirst=True)
    for index in failures.indexes:
        conn.execute(CreateIndex(index, if_not_exists=True))


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


def _settings_table(conn: Connection) -> None:
    from marsad.store.settings import store_settings

    store_settings.create(conn, checkfirst=True)


def _summaries(conn: Connection) -> None:
    """Issue 15: the pre-aggregated sums, filled from the stored events, and the filter indexes of the API
    (store.aggregates); the lower(admin1) index is a prefix of the new admin1 one."""
    from marsad.store.aggregates import INDEXES
    from marsad.store.summaries import create_and_fill  # late: it builds on store.events

    create_and_fill(conn)
    conn.execute(text("DROP INDEX IF EXISTS ix_records_admin1_lower"))
    for index in INDEXES:
        conn.execute(CreateIndex(index, if_not_exists=True))


def _events_listing(conn: Connection) -> None:
    """Events are listed and windowed from ix_events_listing (date, event_id), which create_all adds: the
    date-only index it replaces would be kept up to date for nothing."""
    conn.execute(text("DROP INDEX IF EXISTS ix_events_date"))


def _tally_indexes(conn: Connection) -> None:
    """The tallies' own indexes (store.tally): their pages, counts and series at a million records."""
    from marsad.store.tally import SERIES_INDEX, TALLY_INDEX

    for index in (TALLY_INDEX, SERIES_INDEX):
        conn.execute(CreateIndex(index, if_not_exists=True))


def _group_summaries(conn: Connection) -> None:
    """The sums per governorate and perpetrator (store.summaries), filled from the stored events; the
    events' governorate and perpetrator indexes gain the other column (store.aggregates), under new names."""
    from marsad.store.aggregates import INDEXES
    from marsad.store.summaries import create_and_fill  # late: it builds on store.events

    create_and_fill(conn)
    for name in ("ix_events_admin1_sums", "ix_events_perpetrator_sums"):
        conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    for index in INDEXES:
        conn.execute(CreateIndex(index, if_not_exists=True))


# (version, description, step). Steps run in order, each in the same transaction as its version row.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "documents, records and the tables of every store module", _create_tables),
    (2, "failures: reports that could not be read or extracted", _add_failures_table),
    (3, "event_history (what became of each event id) and store_locks (one regrouping at a time)", _event_history),
    (4, "scale: new documents enter the text index in bulk (insert trigger dropped)", drop_insert_trigger),
    (5, "review (issue 13): records.review and records.queue_rank", _review_columns),
    (6, "reference datasets (UCDP, ACLED): reference_sets, reference_events", _reference_tables),
    (7, "api at 1M records (issue 15): event_days and event_places, sums over events kept on write", _summaries),
    (8, "store_settings: what the database remembers (its decision model)", _settings_table),
    (9, "api at 1M records: ix_events_listing (date, event_id) replaces ix_events_date", _events_listing),
    (10, "api at 1M records: the tallies' own indexes, ix_records_tally_order and _series", _tally_indexes),
    (
        11,
        "api at 1M records: event_day_groups and event_place_groups, sums per governorate and perpetrator",
        _group_summaries,
    ),
]

LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table(schema_version.name):
        return 0
    return conn.execute(select(func.max(schema_version.c.version))).scalar() or 0


def upgrade(engine: Engine) -> int:
    """Bring the database to the latest version; returns the version it is at.

    Several processes may open a new database at once: each upgrades under a write lock, so the
    first creates the schema and the others find it done.
    """
    for attempt in range(_ATTEMPTS):
        try:
            with engine.begin() as conn:
                _write_lock(conn)
                return _upgrade(conn)
        except OperationalError as exc:
            # "database is locked" past SQLite's busy timeout: another process holds a long write.
            if "locked" in str(exc) and attempt < _ATTEMPTS - 1:
                time.sleep(0.2 * (attempt + 1))
                continue
            raise StoreError(f"cannot open the database ({_reason(exc)})") from None
        except DatabaseError as exc:
            raise StoreError(f"not a marsad database ({_reason(exc)})") from None
    raise AssertionError("unreachable")


_ATTEMPTS = 5


def _write_lock(conn: Connection) -> None:
    """Take the database's write lock for this transaction before reading its version."""
    if conn.dialect.name == "sqlite":
        # pysqlite begins transactions lazily; BEGIN IMMEDIATE takes the write lock now.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7283140)")  # any fixed number: marsad's schema


def _upgrade(conn: Connection) -> int:
    version = current_version(conn)
    latest = MIGRATIONS[-1][0]
    if version > latest:
        raise StoreError(
            f"the database is at schema version {version}, made by a newer marsad (this one knows up to "
            f"{latest}): upgrade marsad to open it"
        )
    for number, description, step in MIGRATIONS:
        if number <= version:
            continue
        step(conn)
        conn.execute(
            insert(schema_version).values(version=number, description=description, applied_at=datetime.now(UTC))
        )
        version = number
    # Tables added by later store modules without a column change need no step of their own;
    # create_all skips the indexes of tables that exist, so a dropped index is recreated here.
    metadata.create_all(conn)
    for table in metadata.sorted_tables:
        for index in table.indexes:
            conn.execute(CreateIndex(index, if_not_exists=True))
    return version


def _reason(exc: DatabaseError) -> str:
    return str(exc.orig) if exc.orig is not None else str(exc).splitlines()[0]
