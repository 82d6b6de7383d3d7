"""Where the data lives: an SQLAlchemy engine from a URL, a path, MARSAD_DB, or ./marsad.db."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event

from marsad.store.migrations import StoreError, upgrade

DEFAULT_DB = "marsad.db"

# How long an SQLite writer waits for another to finish (seconds) before "database is locked": one
# holds the whole file while it regroups events (store.event_history.regrouping), which on a large
# store takes tens of seconds; pysqlite's default of 5 s would fail the other ingest.
SQLITE_BUSY_TIMEOUT = 600.0

# Store functions take either: an Engine (each call its own transaction) or the Connection of a
# transaction in progress (the call is part of it), so one regrouping reads and writes atomically.
Bind = Engine | Connection


def database_url(url: str | None = None) -> str:
    """A database URL from an option, else MARSAD_DB, else ./marsad.db. A bare path means SQLite."""
    chosen = url or os.environ.get("MARSAD_DB") or DEFAULT_DB
    if "://" in chosen:
        return chosen
    return f"sqlite:///{Path(chosen).expanduser().resolve()}"


def _tune_sqlite(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL keeps readers (the API) working during an ingest; NORMAL is durable at each commit in WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def connect(url: str | None = None) -> Engine:
    """An engine on an up-to-date schema (created on first use, upgraded if older)."""
    resolved = database_url(url)
    sqlite = resolved.startswith("sqlite")
    engine = create_engine(resolved, connect_args={"timeout": SQLITE_BUSY_TIMEOUT} if sqlite else {})
    if sqlite:
        event.listen(engine, "connect", _tune_sqlite)
    try:
        upgrade(engine)
    except StoreError as exc:
        where = engine.url.database if engine.dialect.name == "sqlite" else engine.url.render_as_string(True)
        engine.dispose()
        raise StoreError(f"{where}: {exc}") from None
    return engine


@contextmanager
def reading(bind: Bind) -> Iterator[Connection]:
    """A connection to read with: the caller's, inside its transaction, or a new one."""
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.connect() as conn:
            yield conn


@contextmanager
def writing(bind: Bind) -> Iterator[Connection]:
    """A connection to write with: the caller's (committed with the caller's transaction) or a new transaction."""
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.begin() as conn:
            yield conn


@contextmanager
def begin_write(engine: Engine) -> Iterator[Connection]:
    """A transaction that will write after reading. On SQLite it takes the write lock first (BEGIN
    IMMEDIATE): a deferred one that read before another process committed cannot write any more and
    fails at once with "database is locked" instead of waiting its turn."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        yield conn
