"""Documents and their records: saving one report atomically, and the queries the rest of marsad needs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from typing import TypeVar

from sqlalchemy import Engine, Select, and_, bindparam, delete, func, insert, literal_column, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError

from marsad.model import Count, Document, Record
from marsad.store import counts, paging
from marsad.store.engine import begin_write
from marsad.store.schema import UNKNOWN_RANK, documents, records
from marsad.store.search import document_contains, folded_needle, index_documents, is_common, row_contains
from marsad.text.normalize import fold_plain as fold

T = TypeVar("T")


@dataclass
class Filters:
    """What a user narrows records by; None means no restriction.

    Actor, place, country and type filters may list alternatives separated by commas
    ("Deir-ez-Zor,Ar-Raqqa" matches either), compared case-insensitively.
    """

    since: date | None = None
    until: date | None = None
    perpetrator: str | None = None
    victim: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None
    kind: str | None = None
    event_type: str | None = None
    text: str | None = None
    doc_id: str | None = None
    # The analysts' decision: accepted, corrected, rejected, added, "reviewed" (any), "unreviewed".
    # Rejected records are left out unless asked for by name.
    review: str | None = None


@dataclass
class StoredRecord:
    record_id: str
    record: Record
    published: date | None = None
    # The analysts' decision (accepted, corrected, rejected, added), None if no one reviewed it.
    review: str | None = None
    # The report's, so an exported row can be traced to its source outside marsad.
    title: str | None = None
    outlet: str | None = None
    url: str | None = None


def _iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _count_columns(prefix: str, count: Count | None) -> dict[str, int | None]:
    count = count or Count()
    return {f"{prefix}_low": count.low, f"{prefix}_best": count.best, f"{prefix}_high": count.high}


def record_row(doc: Document, index: int, record: Record) -> dict:
    location = record.location
    region = record.regions[0] if record.regions else None
    place = location or region
    return {
        "record_id": f"{doc.doc_id}:{index}",
        "doc_id": doc.doc_id,
        "idx": index,
        "kind": record.kind,
        "event_type": record.event_type,
        "sub_event_type": record.sub_event_type,
        # An undated event happened, as far as we know, when it was reported.
        "date": _iso(record.date) or doc.published,
        "date_precision": record.date_precision,
        "period_start": _iso(record.period_start),
        "period_end": _iso(record.period_end) or (doc.published if record.kind == "tally" else None),
        "perpetrator": record.perpetrator,
        "victim_group": record.victim_group,
        "victim_groups": "|" + "|".join(sorted({record.victim_group, *(v.group for v in record.victims)})) + "|",
        "admin1": place.admin1 if place else None,
        "admin2": place.admin2 if place else None,
        "country": place.country if place else None,
        "lat": location.lat if location else None,
        "lon": location.lon if location else None,
        "data": record.to_dict(),
        "queue_rank": UNKNOWN_RANK if record.confidence is None else record.confidence,
        **_count_columns("killed", record.killed),
        **_count_columns("wounded", record.wounded),
    }


def stored_doc_id(engine: Engine, content_hash: str) -> str | None:
    """The id under which a report with this content is stored, if it is."""
    return stored_doc_ids(engine, [content_hash]).get(content_hash)


def stored_doc_ids(engine: Engine, content_hashes: list[str]) -> dict[str, str]:
    """content hash -> stored doc_id, for those of the hashes already stored (one query per 500)."""
    with engine.connect() as conn:
        return stored_hashes(conn, content_hashes)


def stored_hashes(conn, content_hashes: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(content_hashes), 500):
        chunk = content_hashes[start : start + 500]
        query = select(documents.c.content_hash, documents.c.doc_id).where(documents.c.content_hash.in_(chunk))
        found.update((row[0], row[1]) for row in conn.execute(query))
    return found


def record_ids_of(engine: Engine, doc_ids: list[str]) -> list[str]:
    found: list[str] = []
    with engine.connect() as conn:
        for start in range(0, len(doc_ids), 500):
            chunk = doc_ids[start : start + 500]
            found.extend(conn.execute(select(records.c.record_id).where(records.c.doc_id.in_(chunk))).scalars())
    return found


def save_document(engine: Engine, doc: Document, doc_records: list[Record]) -> bool:
    """Store a report and its records in one transaction; False if the same content is already stored."""
    return save_documents(engine, [(doc, doc_records)])[0]


def save_documents(engine: Engine, batch: list[tuple[Document, list[Record]]]) -> list[bool]:
    """Store reports with their records, all in one transaction (a report is never half-written, and one
    commit and a few multi-row inserts for many reports are far cheaper than a transaction each).
    Returns, per report, whether it was stored (False: the same content is already stored, or earlier in
    the batch). A report whose doc_id is taken by different content gets its hash appended to it."""
    if not batch:
        return []
    return with_retries(lambda: _save_documents(engine, batch))


def with_retries(write: Callable[[], T]) -> T:
    """`write()`, run again (three tries in all) when another process stored one of its reports (or took its
    doc_id) between our check and insert, or PostgreSQL ended a deadlock between two batches with ours."""
    for attempt in range(3):
        try:
            return write()
        except (IntegrityError, OperationalError) as exc:
            retry = isinstance(exc, IntegrityError) or getattr(exc.orig, "sqlstate", None) in _RETRY_STATES
            if not retry or attempt == 2:
                raise
    raise AssertionError("unreachable")


_RETRY_STATES = {"40P01", "40001"}  # deadlock detected, serialization failure


def _save_documents(engine: Engine, batch: list[tuple[Document, list[Record]]]) -> list[bool]:
    # The write lock first: two SQLite writers that both read before writing fail with "database is locked".
    with begin_write(engine) as conn:
        seen = set(stored_hashes(conn, [doc.content_hash for doc, _ in batch]))
        taken = taken_doc_ids(conn, [doc.doc_id for doc, _ in batch])
        stored, doc_rows, record_rows = [], [], []
        now = datetime.now(UTC)
        for doc, doc_records in batch:
            if doc.content_hash in seen:
                stored.append(False)
                continue
            seen.add(doc.content_hash)
            doc.doc_id = free_doc_id(doc.doc_id, doc.content_hash, taken)
            doc_rows.append(document_row(doc, now))
            for index, record in enumerate(doc_records):
                record.doc_id = doc.doc_id
                record_rows.append(record_row(doc, index, record))
            stored.append(True)
        if doc_rows:
            conn.execute(insert(documents), doc_rows)
            index_documents(conn, [row["doc_id"] for row in doc_rows])
        if record_rows:
            conn.execute(insert(records), record_rows)
        # A report deleted and ingested again gets back the analysts' decisions about its records.
        from marsad.store.review import reapply_reviews_of  # late: store.review builds on this module

        reapply_reviews_of(conn, [row["doc_id"] for row in doc_rows])
    return stored


def taken_doc_ids(conn, doc_ids: list[str]) -> set[str]:
    """Those of `doc_ids` a stored report has (one query per 500)."""
    taken: set[str] = set()
    for start in range(0, len(doc_ids), 500):
        chunk = doc_ids[start : start + 500]
        taken.update(conn.execute(select(documents.c.doc_id).where(documents.c.doc_id.in_(chunk))).scalars())
    return taken


def free_doc_id(doc_id: str, content_hash: str, taken: set[str]) -> str:
    """The id a new report is stored under: its own, or with its hash appended when another content has it
    (and that id is taken from now on)."""
    if doc_id in taken:
        doc_id = f"{doc_id}~{content_hash[:8]}"
    taken.add(doc_id)
    return doc_id


def document_row(doc: Document, now: datetime) -> dict:
    return {
        "doc_id": doc.doc_id,
        "content_hash": doc.content_hash,
        "title": doc.title,
        "outlet": doc.outlet,
        "attribution": doc.attribution,
        "url": doc.url,
        "published": doc.published,
        "lang": doc.lang,
        "source_path": doc.source_path,
        "raw_text": doc.raw_text or doc.text,
        "text": doc.text,
        "text_norm": fold(doc.text),
        "ingested_at": now,
    }


def replace_records(engine: Engine, doc: Document, doc_records: list[Record]) -> None:
    """Re-extraction (a new model or new rules): a stored report's machine records replaced by these,
    in one transaction. Records an analyst added stay; analysts' decisions are applied over the new
    records, and those whose machine value moved underneath a decision are flagged (store.review)."""
    from marsad.store.review import ADDED_BASE, reapply_reviews  # late: store.review builds on this module

    with engine.begin() as conn:
        conn.execute(delete(records).where(records.c.doc_id == doc.doc_id, records.c.idx < ADDED_BASE))
        rows = []
        for index, record in enumerate(doc_records):
            record.doc_id = doc.doc_id
            rows.append(record_row(doc, index, record))
        if rows:
            conn.execute(insert(records), rows)
        reapply_reviews(conn, doc.doc_id)


def delete_document(engine: Engine, doc_id: str) -> bool:
    with engine.begin() as conn:
        conn.execute(delete(records).where(records.c.doc_id == doc_id))
        return conn.execute(delete(documents).where(documents.c.doc_id == doc_id)).rowcount > 0


def _row_to_document(row) -> Document:
    return Document(
        doc_id=row.doc_id,
        text=row.text,
        raw_text=row.raw_text,
        title=row.title,
        outlet=row.outlet,
        attribution=row.attribution,
        url=row.url,
        published=row.published,
        lang=row.lang,
        source_path=row.source_path,
        content_hash=row.content_hash,
    )


def get_document(engine: Engine, doc_id: str) -> Document | None:
    with engine.connect() as conn:
        row = conn.execute(select(documents).where(documents.c.doc_id == doc_id)).first()
    return _row_to_document(row) if row else None


def count_documents(engine: Engine) -> int:
    with engine.connect() as conn:
        return counts.count(conn, "documents")


def choices(value: str | None) -> list[str]:
    """The alternatives a filter value lists ("Homs, Hama" -> ["homs", "hama"])."""
    return [v.strip().lower() for v in (value or "").split(",") if v.strip()]


def any_of(column, value: str):
    return func.lower(column).in_(choices(value))


def any_group(column, value: str):
    """Matches a "|group|group|" column holding any of the groups asked for."""
    return or_(*(column.contains(f"|{group}|") for group in choices(value)))


REVIEW_STATES = ("accepted", "corrected", "rejected", "added")
# The `kind` column of a record an analyst rejected (its `data` keeps the extracted kind): every
# query by kind, and every listing, leaves it out without another column to read.
REJECTED_KIND = "rejected"


def review_conditions(table, value: str | None, kind: str | None) -> list:
    """Records (of `table`: records or an alias of it) by the analysts' decision; by default every record but
    the rejected ones."""
    column = table.c.review
    if value and "rejected" in choices(value):
        return [column.in_([v for v in choices(value) if v in REVIEW_STATES])]
    conditions = [] if kind else [table.c.kind != REJECTED_KIND]
    if value == "unreviewed":
        conditions.append(column.is_(None))
    elif value == "reviewed":
        conditions.append(column.is_not(None))
    elif value:
        conditions.append(column.in_([v for v in choices(value) if v in REVIEW_STATES]))
    return conditions


# The filters a statement takes as named parameters (`parameter`). Their values are bound where the
# conditions are built, so a statement can be run as it is; one built once for a `filter_shape` can also
# be run again with another filters' `filter_values` (the sums of a tally page: building a statement costs
# ten times more than running it). Each is stated once per statement, so one name holds one value.
PARAMETERS = ("since", "until", "perpetrator", "victim", "admin1", "admin2", "country", "event_type")
_LISTS = PARAMETERS[2:]


def parameter(name: str, value, expanding: bool = False):
    return bindparam(f"f_{name}", value, expanding=expanding)


def filter_values(filters: Filters) -> dict:
    """The named parameters' values of the conditions built from `filters`."""
    values = {f"f_{name}": getattr(filters, name) for name in ("since", "until")}
    values.update({f"f_{name}": choices(getattr(filters, name)) for name in _LISTS if name != "victim"})
    values.update({f"f_victim_{i}": f"|{group}|" for i, group in enumerate(choices(filters.victim))})
    return values


def filter_shape(filters: Filters) -> tuple:
    """What the text of a statement built from `filters` depends on: which parameters are set (and how many
    alternatives each list names), and the other filters' values as they are."""
    return tuple(
        (len(choices(value)) if name in _LISTS else value is not None) if name in PARAMETERS else value
        for name, value in ((f.name, getattr(filters, f.name)) for f in fields(filters))
    )


_BUILT: dict[tuple, Select] = {}


def built_once(key: tuple, filters: Filters, build: Callable[[Filters], Select]) -> Select:
    """`build(filters)`, built once per `key` and filter_shape and kept: run it with filter_values(filters)."""
    shaped = (*key, filter_shape(filters))
    found = _BUILT.get(shaped)
    if found is None:
        if len(_BUILT) >= 1000:  # shapes are few, but texts and doc ids are part of them
            _BUILT.clear()
        found = _BUILT[shaped] = build(filters)
    return found


def field_conditions(table, filters: Filters) -> list:
    """Conditions on the actor, place and type columns that records, events and their sums share."""
    conditions = [
        func.lower(table.c[name]).in_(parameter(name, choices(getattr(filters, name)), expanding=True))
        for name in ("perpetrator", "admin1", "admin2", "country", "event_type")
        if getattr(filters, name)
    ]
    if filters.victim:
        groups = choices(filters.victim)
        column = table.c.victim_groups
        conditions.append(or_(*(column.contains(parameter(f"victim_{i}", f"|{g}|")) for i, g in enumerate(groups))))
    return conditions


def record_conditions(table, filters: Filters, walk_text: bool = False) -> list:
    """The conditions every record listing shares, on `table` (records, or an alias that names an index).
    Tallies match a window they overlap; with a kind, only its own test of the window is stated.

    `walk_text`: the text filter is checked row by row (a listing of a common needle, see store.search)."""
    c = table.c
    conditions = review_conditions(table, filters.review, filters.kind)
    if filters.kind:
        # A literal for tallies: a planner uses the tallies' partial indexes only where it sees their condition.
        conditions.append(c.kind == literal_column("'tally'") if filters.kind == "tally" else c.kind == filters.kind)
    if filters.since:
        since = parameter("since", filters.since)
        conditions += _window(c, filters.kind, c.date >= since, or_(c.period_end.is_(None), c.period_end >= since))
    if filters.until:
        until = parameter("until", filters.until)
        conditions += _window(c, filters.kind, c.date <= until, or_(c.period_start.is_(None), c.period_start <= until))
    conditions += field_conditions(table, filters)
    if filters.doc_id:
        conditions.append(c.doc_id == filters.doc_id)
    if filters.text:
        contains = row_contains if walk_text else document_contains
        conditions.append(contains(c.doc_id, filters.text))
    return conditions


def _window(c, kind: str | None, dated, overlaps) -> list:
    """A window's test: on a record's date, or on the period a tally counts over (which it overlaps)."""
    if kind == "tally":
        return [overlaps]
    if kind:
        return [dated]
    return [or_(and_(c.kind != "tally", dated), and_(c.kind == "tally", overlaps))]


def apply_filters(query: Select, filters: Filters, walk_text: bool = False) -> Select:
    """`query` narrowed by `record_conditions` on the records table."""
    return query.where(*record_conditions(records, filters, walk_text))


def date_bounds(conn, filters: Filters) -> list:
    """The filters' window as a range of the date column, for the listing indexes to seek: apply_filters
    states it per kind (an OR no index serves), so a listing walked every row before the window.

    A tally matches a window its period overlaps, whatever its own date: the range widens to the dates of
    the tallies that overlap (read from their index, a few per cent of the records). A redundant
    condition: the rows it admits are those apply_filters admits."""
    since, until = filters.since, filters.until
    if not (since or until):
        return []
    if filters.kind != "incident":
        overlap = [records.c.kind == "tally"]
        if since:
            overlap.append(or_(records.c.period_end.is_(None), records.c.period_end >= since))
        if until:
            overlap.append(or_(records.c.period_start.is_(None), records.c.period_start <= until))
        dates = select(func.min(records.c.date), func.max(records.c.date), func.count() - func.count(records.c.date))
        first, last, undated = conn.execute(dates.where(*overlap)).one()
        if undated:  # an undated tally in the window: no range holds it
            return []
        since = min(since, first) if since and first else since
        until = max(until, last) if until and last else until
    bounds = [records.c.date >= since] if since else []
    return bounds + [records.c.date <= until] if until else bounds


def query_records(
    engine: Engine,
    filters: Filters | None = None,
    limit: int | None = None,
    offset: int = 0,
    after: str | None = None,
    common: bool | None = None,
) -> list[StoredRecord]:
    return list(iter_records(engine, filters, limit, offset, after, common))


def iter_records(
    engine: Engine,
    filters: Filters | None = None,
    limit: int | None = None,
    offset: int = 0,
    after: str | None = None,
    common: bool | None = None,
) -> Iterator[StoredRecord]:
    """Records in (date, record_id) order; a page of `limit` after `offset` rows, or after the cursor
    `after` (store.paging: the `next` of the page before). `common`: search.is_common of the text filter, if
    the caller knows it already (a listing counts it too)."""
    query = (
        select(
            records.c.record_id,
            records.c.data,
            documents.c.published,
            records.c.review,
            documents.c.title,
            documents.c.outlet,
            documents.c.url,
        )
        .join(documents, documents.c.doc_id == records.c.doc_id)
        .order_by(records.c.date, records.c.record_id)
    )
    filters = filters or Filters()
    with engine.connect() as conn:
        if limit is None and after is None:
            query = apply_filters(query, filters)
        else:
            # Page over the (date, record_id) index alone, then join the page: an OFFSET deep into 100,000
            # records skips index entries instead of joined rows; a cursor seeks.
            query = query.where(records.c.record_id.in_(_page_ids(conn, filters, limit, offset, after, common)))
        for row in conn.execute(query):
            yield StoredRecord(
                row.record_id, Record.from_dict(row.data), row.published, row.review, row.title, row.outlet, row.url
            )


def _page_ids(
    conn, filters: Filters, limit: int | None, offset: int, after: str | None, common: bool | None = None
) -> Select | list[str]:
    """The ids of a listing's page: a common needle checked along the listing's order while that finds
    it (paging.walked_page), else the text index's matches."""

    def listing(columns: list, where: Filters) -> Select:
        ids = apply_filters(select(*columns), where).where(*date_bounds(conn, filters))
        if after:
            ids = paging.after(ids, records.c.date, records.c.record_id, after, paging.nulls_first(conn))
        return ids.order_by(records.c.date, records.c.record_id)

    if common is None:
        common = is_common(conn, filters.text)
    if limit is not None and common:
        candidates = listing([records.c.record_id, records.c.doc_id], replace(filters, text=None))
        walked = paging.walked_page(conn, candidates, lambda ids: holding(conn, ids, filters.text), limit, offset)
        if walked is not None:
            return walked
    return listing([records.c.record_id], filters).limit(limit).offset(offset)


def holding(conn, doc_ids: list[str], needle: str) -> set[str]:
    """Those of the reports whose folded text contains `needle` (each report's text read: a few dozen)."""
    query = select(documents.c.doc_id).where(
        documents.c.doc_id.in_(set(doc_ids)), documents.c.text_norm.contains(folded_needle(needle), autoescape=True)
    )
    return set(conn.execute(query).scalars())


def record_cursor(stored: StoredRecord) -> str:
    """The cursor of a listed record (its row's date is the record's, else its report's)."""
    return paging.make_cursor(stored.record.date or stored.published, stored.record_id)


def count_records(engine: Engine, filters: Filters | None = None) -> int:
    query = apply_filters(select(func.count()).select_from(records), filters or Filters())
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def count_listing(engine: Engine, filters: Filters, common: bool | None = None) -> tuple[int, bool] | None:
    """(total, exact) for a listing: exact and cheap without filters, else counted up to paging.COUNT_CAP;
    None for a common text needle (`common`, if the caller knows it), whose matches only a walk of every
    candidate row could count."""
    with engine.connect() as conn:
        if filters == Filters():
            return counts.count(conn, "records"), True  # every record but the rejected ones, kept on write
        if is_common(conn, filters.text) if common is None else common:
            return None
        ids = apply_filters(select(records.c.record_id), filters).where(*date_bounds(conn, filters))
        return paging.capped_count(conn, ids)
