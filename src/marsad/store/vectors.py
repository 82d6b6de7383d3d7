"""Sentence vectors of record texts, cached so that a text is encoded once, whichever run needs it.

Keyed by a hash of the text (two records quoting the same sentence share a vector); float32 bytes.
"""

from __future__ import annotations

from sqlalchemy import Column, LargeBinary, String, Table, insert, select

from marsad.store.engine import Bind, reading, writing
from marsad.store.schema import metadata

text_vectors = Table(
    "text_vectors",
    metadata,
    Column("text_key", String(64), primary_key=True),
    Column("vector", LargeBinary, nullable=False),
)


def load_vectors(bind: Bind, keys: list[str]) -> dict[str, bytes]:
    """The cached vectors of those keys that have one."""
    found: dict[str, bytes] = {}
    with reading(bind) as conn:
        for start in range(0, len(keys), 500):
            query = select(text_vectors.c.text_key, text_vectors.c.vector).where(
                text_vectors.c.text_key.in_(keys[start : start + 500])
            )
            found.update((row[0], bytes(row[1])) for row in conn.execute(query))
    return found


def save_vectors(bind: Bind, vectors: dict[str, bytes]) -> None:
    """Add vectors; a key another process cached meanwhile keeps its (identical) vector."""
    if not vectors:
        return
    with writing(bind) as conn:
        known = set(cached_keys(conn, list(vectors)))
        rows = [{"text_key": k, "vector": v} for k, v in vectors.items() if k not in known]
        if rows:
            statement = insert(text_vectors)
            if conn.dialect.name == "sqlite":
                statement = statement.prefix_with("OR IGNORE")
            elif conn.dialect.name == "postgresql":
                from sqlalchemy.dialects.postgresql import insert as pg_insert

                statement = pg_insert(text_vectors).on_conflict_do_nothing()
            conn.execute(statement, rows)


def cached_keys(bind: Bind, keys: list[str]) -> list[str]:
    """Those of `keys` that have a cached vector."""
    found: list[str] = []
    with reading(bind) as conn:
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            query = select(text_vectors.c.text_key).where(text_vectors.c.text_key.in_(chunk))
            found.extend(conn.execute(query).scalars())
    return found
