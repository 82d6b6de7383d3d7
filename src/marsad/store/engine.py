"""Where the data lives: an SQLAlchemy engine from a URL, a path, MARSAD_DB, or ./marsad.db."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from marsad.store.migrations import StoreError, upgrade

DEFAULT_DB = "marsad.db"


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
    engine = create_engine(resolved)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
    try:
        upgrade(engine)
    except StoreError as exc:
        where = engine.url.database if engine.dialect.name == "sqlite" else engine.url.render_as_string(True)
        engine.dispose()
        raise StoreError(f"{where}: {exc}") from None
    return engine
