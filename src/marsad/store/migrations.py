"""Schema versions. A database remembers the versions applied to it; `upgrade` applies the rest.

To change the schema in a release: change the tables in schema.py (new tables are created by
`create_all`), and for changes to existing tables append a step here that alters them and
backfills, so an existing database is upgraded in place without losing data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, insert, inspect, select

from marsad.store.reference import create_reference_tables
from marsad.store.schema import metadata, schema_version


def _create_tables(conn: Connection) -> None:
    metadata.create_all(conn)


# (version, description, step). Steps run in order, each in the same transaction as its version row.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "documents, records and the tables of every store module", _create_tables),
    (2, "reference datasets (UCDP, ACLED): reference_sets, reference_events", create_reference_tables),
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
