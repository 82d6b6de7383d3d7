"""The store: SQLAlchemy Core over SQLite (default) or PostgreSQL. No SQL outside this package.

Every other store module registers its tables on `schema.metadata`, so importing this package
is enough for `connect` to create or upgrade them all.
"""

from marsad.store import aggregates as _aggregates  # noqa: F401  (registers the API's indexes)
from marsad.store import counts as _counts  # noqa: F401  (registers the row counts kept on write)
from marsad.store import event_history as _event_history  # noqa: F401  (registers the id history and lock)
from marsad.store import events as events  # noqa: F401  (registers the event tables)
from marsad.store import failures as failures  # noqa: F401  (registers the failures table)
from marsad.store import gazetteer as _gazetteer  # noqa: F401  (registers the gazetteer tables)
from marsad.store import review as _review  # noqa: F401  (registers the review tables)
from marsad.store import search as _search  # noqa: F401  (registers the text search index)
from marsad.store import settings as _settings  # noqa: F401  (registers what a database remembers)
from marsad.store import tally as _tally  # noqa: F401  (registers the tallies' index)
from marsad.store import vectors as _vectors  # noqa: F401  (registers the sentence vector cache)
from marsad.store.engine import connect, database_url
from marsad.store.failures import Failure, clear_failures, list_failures, record_failure
from marsad.store.migrations import StoreError
from marsad.store.records import (
    Filters,
    StoredRecord,
    count_documents,
    count_records,
    delete_document,
    get_document,
    iter_records,
    query_records,
    record_ids_of,
    replace_records,
    save_document,
    save_documents,
    stored_doc_id,
    stored_doc_ids,
)

__all__ = [
    "Failure",
    "Filters",
    "StoreError",
    "clear_failures",
    "list_failures",
    "record_failure",
    "StoredRecord",
    "connect",
    "count_documents",
    "count_records",
    "database_url",
    "delete_document",
    "get_document",
    "record_ids_of",
    "replace_records",
    "iter_records",
    "query_records",
    "save_document",
    "save_documents",
    "stored_doc_id",
    "stored_doc_ids",
]
