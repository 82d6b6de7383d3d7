"""Free-text search over the documents' folded text, indexed on SQLite.

Filters' `text` means "the folded report text contains this". A LIKE over every document reads the
whole documents table (raw, cleaned and folded text): about 80 ms at 100,000 reports. An FTS5 index
with the trigram tokenizer answers the same substring question from an index. It mirrors
`documents.text_norm`: `index_documents` adds the documents `save_documents` has just written, in one
statement per batch (three times cheaper than a trigger per row), and triggers follow updates and
deletes. It is built for databases made before it. Needles shorter
than a trigram, other databases (PostgreSQL) and SQLite builds without FTS5 trigram use the LIKE.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, Engine, Integer, bindparam, column, event, func, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.types import NullType

from marsad.store.schema import documents, metadata
from marsad.text.normalize import fold_plain

FTS_TABLE = "documents_fts"

_CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "text_norm, content='documents', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON documents BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text_norm) VALUES ('delete', old.id, old.text_norm); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF text_norm ON documents BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text_norm) VALUES ('delete', old.id, old.text_norm); "
    f"INSERT INTO {FTS_TABLE}(rowid, text_norm) VALUES (new.id, new.text_norm); END",
]

# The SQLite library is the process's: whether it has FTS5 trigram is known after the first database.
_fts_available = True


@event.listens_for(metadata, "after_create")
def _create_index(_target, connection: Connection, **_kw) -> None:
    global _fts_available
    if connection.dialect.name != "sqlite" or not _fts_available:
        return
    existed = connection.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"), {"name": FTS_TABLE}
    ).first()
    try:
        with connection.begin_nested():
            for statement in _CREATE:
                connection.execute(text(statement))
    except Exception:  # noqa: BLE001  an SQLite without FTS5 or its trigram tokenizer: LIKE it is
        _fts_available = False
        return
    if not existed:
        connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))


def index_documents(connection: Connection, doc_ids: list[str]) -> None:
    """Add just-inserted documents to the text index (SQLite; other databases search without one)."""
    if connection.dialect.name != "sqlite" or not _fts_available:
        return
    for start in range(0, len(doc_ids), 500):
        chunk = doc_ids[start : start + 500]
        connection.execute(
            text(
                f"INSERT INTO {FTS_TABLE}(rowid, text_norm) SELECT id, text_norm FROM documents WHERE doc_id IN :ids"
            ).bindparams(bindparam("ids", chunk, expanding=True))
        )


def drop_insert_trigger(connection: Connection) -> None:
    """Migration: documents are indexed by `index_documents` in bulk, no longer by a trigger per row."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai"))


class _MatchingDocIds(ColumnElement):
    """The doc_ids (or row ids) of documents whose folded text contains a needle, as a subquery per database."""

    type = NullType()
    inherit_cache = False

    def __init__(self, needle: str, key: str = "doc_id") -> None:
        self.needle = folded_needle(needle)
        self.key = key


def folded_needle(needle: str) -> str:
    """A text filter as the index holds text: folded, without outer spaces, and without NULs (NUL ends a
    string for the FTS5 query parser; no report text holds one anyway)."""
    return fold_plain(needle).replace("\x00", "").strip()


def document_contains(column, needle: str):
    """A condition on a doc_id column: its document's folded text contains `needle` (folded alike).

    A plain `IN`, so the planner can drive the query from the few matching documents."""
    return column.op("IN", is_comparison=True)(_MatchingDocIds(needle))


# A needle in this many reports or more is common: a listing then walks its index in order and checks each
# row's report (a few rows per page), instead of collecting every match from the text index first.
COMMON = 5000


def is_common(connection: Connection, needle: str | None, *, unindexed: bool = False) -> bool:
    """Whether the text index finds `needle` in at least COMMON reports (it stops counting there); no
    needle is not common. Without a text index (PostgreSQL, needles shorter than a trigram) it is not
    common, as a listing's plan needs; `unindexed` counts those with a LIKE instead (stopping there too),
    for an answer that must be the same on every database (sums left out: `aggregates.unsummed`)."""
    if not needle:
        return False
    folded = folded_needle(needle)
    if connection.dialect.name != "sqlite" or not _fts_available or len(folded) < 3:
        if not unindexed:
            return False
        matching = select(documents.c.id).where(documents.c.text_norm.contains(folded, autoescape=True))
        counted = select(func.count()).select_from(matching.limit(COMMON).subquery())
        return connection.execute(counted).scalar_one() >= COMMON
    query = f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q LIMIT {COMMON})"
    return connection.execute(text(query), {"q": _fts_phrase(folded)}).scalar_one() >= COMMON


def common_text(engine: Engine, needle: str | None) -> bool:
    """`is_common` on a connection of its own: a listing asks it once for its page and its count."""
    if not needle:
        return False
    with engine.connect() as connection:
        return is_common(connection, needle)


def _fts_phrase(folded: str) -> str:
    """A quoted FTS5 string, which the trigram tokenizer matches as a substring; inner quotes are doubled."""
    return '"' + folded.replace('"', '""') + '"'


def row_contains(doc_id_column, needle: str):
    """The condition `document_contains` states, checked row by row: for a common needle in a listing."""
    folded = folded_needle(needle)
    report = documents.alias("report")  # its own name: a query that joins documents would correlate it
    return (
        select(report.c.id)
        .where(report.c.doc_id == doc_id_column, report.c.text_norm.contains(folded, autoescape=True))
        .exists()
    )


def text_contains(needle: str):
    """The same condition on the documents table itself (by row id: one lookup fewer per match)."""
    return documents.c.id.op("IN", is_comparison=True)(_MatchingDocIds(needle, key="id"))


@compiles(_MatchingDocIds)
def _with_like(element: _MatchingDocIds, compiler, **kw) -> str:
    key = documents.c[element.key]
    matching = select(key).where(documents.c.text_norm.contains(element.needle, autoescape=True))
    return compiler.process(matching.scalar_subquery(), **kw)


@compiles(_MatchingDocIds, "sqlite")
def _with_fts(element: _MatchingDocIds, compiler, **kw) -> str:
    if not _fts_available or len(element.needle) < 3:
        return _with_like(element, compiler, **kw)
    phrase = bindparam("fts_phrase", _fts_phrase(element.needle), unique=True)
    rowids = text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts_phrase").bindparams(phrase)
    rowids = rowids.columns(column("rowid", Integer))
    if element.key == "id":
        return compiler.process(rowids.scalar_subquery(), **kw)
    matching = select(documents.c.doc_id).where(documents.c.id.in_(rowids))
    return compiler.process(matching.scalar_subquery(), **kw)
