"""What a database remembers about how it is filled: today, the decision model its reports are
extracted with, so every ingest into it (CLI, API, Python) uses the same model without `--model`."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Engine, String, Table, Text, delete, insert, select

from marsad.store.schema import metadata

store_settings = Table(
    "store_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)


def get_setting(engine: Engine, key: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(store_settings.c.value).where(store_settings.c.key == key)).scalar()


def set_setting(engine: Engine, key: str, value: str | None) -> None:
    """Remember `value` under `key` (None forgets it)."""
    with engine.begin() as conn:
        conn.execute(delete(store_settings).where(store_settings.c.key == key))
        if value is not None:
            conn.execute(insert(store_settings).values(key=key, value=value, updated_at=datetime.now(UTC)))
