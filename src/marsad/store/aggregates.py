"""Read-only queries behind the API and the dashboard: casualties per day and per place, documents, filters.

Sums follow `store.tally` and `store.events.events_killed`: a missing bound falls back to the nearest
stated one ("at least 70" adds 70 to every bound). They run over events once cross-report resolution
has stored any (each real event once, as `marsad tally` sums), else over incident records.

The covering indexes below keep these aggregates and the listings fast at 100,000 records.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, Index, Select, Table, event, func, select
from sqlalchemy.schema import CreateIndex

from marsad.model import Record
from marsad.store import counts, paging, search, summaries
from marsad.store import events as event_store
from marsad.store.records import Filters, StoredRecord, apply_filters
from marsad.store.schema import documents, metadata, records
from marsad.store.search import folded_needle, is_common, text_contains

_COUNTS = ("killed_low", "killed_best", "killed_high", "wounded_low", "wounded_best", "wounded_high")
_POPULATION = ("date", "perpetrator", "victim_groups", "admin1", "country", "event_type", "killed_low",
               "killed_best", "killed_high")  # fmt: skip
_DAY_PLACES = ("date", "lat", "lon", "killed_low", "killed_best", "admin1", "perpetrator")
INDEXES = [
    Index("ix_records_kind_day_counts", records.c.kind, records.c.date, *(records.c[c] for c in _COUNTS)),
    Index(
        "ix_records_kind_place",
        records.c.kind,
        records.c.lat,
        records.c.lon,
        records.c.killed_low,
        records.c.killed_best,
        records.c.admin1,
    ),
    Index("ix_records_admin1_country", records.c.admin1, records.c.country),
    Index("ix_records_date_id", records.c.date, records.c.record_id),
    # The shared filters compare lower(column): an index on the same expression serves them.
    Index("ix_records_doc_lower", func.lower(records.c.doc_id)),
    # A governorate's or perpetrator's records in listing order, rejected ones left out from the index alone.
    Index(
        "ix_records_admin1_listing", func.lower(records.c.admin1), records.c.date, records.c.record_id, records.c.kind
    ),
    Index(
        "ix_records_perpetrator_listing",
        func.lower(records.c.perpetrator),
        records.c.date,
        records.c.record_id,
        records.c.kind,
    ),
    # Events of a governorate or perpetrator: listed in date order, summed (tallies) and mapped in a window from
    # the index, the other of the two checked on the entry (a rare pair walks index entries, not table rows).
    *(
        Index(
            f"ix_events_{name}_listing",
            func.lower(event_store.events.c[name]),
            event_store.events.c.date,
            event_store.events.c.event_id,
            *(event_store.events.c[c] for c in (*_COUNTS[:3], "admin1", "perpetrator", "lat", "lon")),
        )
        for name in ("admin1", "perpetrator")
    ),
    Index("ix_documents_published", documents.c.published, documents.c.doc_id),
    # The dates of the tallies whose period overlaps a window (records.date_bounds), from the index alone.
    Index("ix_records_kind_period", records.c.kind, records.c.period_end, records.c.period_start, records.c.date),
    Index("ix_events_day_counts", event_store.events.c.date, *(event_store.events.c[c] for c in _COUNTS)),
    # The map of a date window (places have no date in the summaries), narrowed by governorate or perpetrator.
    Index("ix_events_day_places", *(event_store.events.c[c] for c in _DAY_PLACES)),
    # Reconciling a tally sums the events of its period and population: answered from this index alone.
    Index("ix_events_population", *(event_store.events.c[c] for c in _POPULATION)),
    Index(
        "ix_events_place",
        event_store.events.c.lat,
        event_store.events.c.lon,
        event_store.events.c.killed_low,
        event_store.events.c.killed_best,
        event_store.events.c.admin1,
    ),
]


@event.listens_for(metadata, "after_create")
def _ensure_indexes(_target, connection: Connection, **_kw) -> None:
    """`create_all` only indexes tables it creates: add these to databases made before them."""
    for index in INDEXES:
        # IF NOT EXISTS: inspection does not see expression indexes, so checkfirst would re-create them.
        connection.execute(CreateIndex(index, if_not_exists=True))


@dataclass
class DayTotal:
    day: date
    count: int
    killed_low: int
    killed_best: int
    killed_high: int


@dataclass
class PlaceTotal:
    lat: float
    lon: float
    admin1: str | None
    count: int
    killed_best: int


@dataclass
class DocumentSummary:
    doc_id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: date | None
    lang: str
    records: int


def has_events(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(event_store.events.c.event_id).limit(1)).first() is not None


def _basis(over_events: bool) -> tuple[Table, Any]:
    """The table to sum over and how the shared filters apply to it."""
    if over_events:
        return event_store.events, event_store._apply_filters
    return records, lambda query, filters: apply_filters(query, replace(filters, kind="incident"))


def unsummed(engine: Engine, filters: Filters) -> str | None:
    """Why the API gives no sums over events for these filters (tallies, timeline, map), or None.

    A text in COMMON reports or more: an exact sum reads every matching event (seconds to tens of seconds
    at a million records), and an estimate would be a figure no source gave. The same on every database."""
    if not filters.text:
        return None
    with engine.connect() as conn:
        if not is_common(conn, filters.text, unindexed=True):
            return None
    return (
        f"the text is in {search.COMMON:,} reports or more: summing the events it names reads every one of "
        "them, so no sums over events are given (tallies are still listed); a rarer word is summed"
    )


def killed_per_day(engine: Engine, filters: Filters, over_events: bool) -> list[DayTotal]:
    """Killed low/best/high sums per event date; undated ones are left out."""
    table, where = _basis(over_events)
    if over_events and summaries.serves(filters):
        with engine.connect() as conn:
            return [DayTotal(row[0], *(int(v) for v in row[1:])) for row in summaries.per_day(conn, filters)]
    query: Select = (
        select(table.c.date, func.count(), *summaries.killed_sums(table))
        .where(table.c.date.is_not(None))
        .group_by(table.c.date)
        .order_by(table.c.date)
    )
    with engine.connect() as conn:
        return [DayTotal(row[0], *(int(v) for v in row[1:])) for row in conn.execute(where(query, filters))]


def killed_per_place(engine: Engine, filters: Filters, over_events: bool, limit: int = 5000) -> list[PlaceTotal]:
    """Sums grouped by coordinates, the deadliest places first."""
    table, where = _basis(over_events)
    if over_events and summaries.serves(filters) and not (filters.since or filters.until):
        with engine.connect() as conn:
            found = summaries.per_place(conn, filters, limit)
            return [PlaceTotal(r[0], r[1], r[2], int(r[3]), int(r[4])) for r in found]
    best = summaries.killed_sums(table)[1]
    query = (
        select(table.c.lat, table.c.lon, func.max(table.c.admin1), func.count(), best.label("best"))
        .where(table.c.lat.is_not(None), table.c.lon.is_not(None))
        .group_by(table.c.lat, table.c.lon)
        .order_by(best.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return [PlaceTotal(r[0], r[1], r[2], int(r[3]), int(r[4])) for r in conn.execute(where(query, filters))]


def event_doc_id(engine: Engine, event_id: str) -> str | None:
    """The document of one of the event's records (to find the event through its members)."""
    query = (
        select(records.c.doc_id)
        .join(event_store.event_members, event_store.event_members.c.record_id == records.c.record_id)
        .where(event_store.event_members.c.event_id == event_id)
        .limit(1)
    )
    with engine.connect() as conn:
        return conn.execute(query).scalar_one_or_none()


def admin1_values(engine: Engine) -> list[tuple[str | None, str]]:
    """(country, admin1) pairs present in the store, for filter choices.

    A DISTINCT reads every record's index entry; this seeks from one value to the next in the
    (admin1, country) index instead: a query per pair, a few dozen at any store size."""
    found = []
    with engine.connect() as conn:
        admin1 = _next_value(conn, records.c.admin1)
        while admin1 is not None:
            country = _next_value(conn, records.c.country, records.c.admin1 == admin1)
            unknown = select(records.c.admin1).where(records.c.admin1 == admin1, records.c.country.is_(None))
            if conn.execute(unknown.limit(1)).first() is not None:  # some without a country, as DISTINCT gives
                found.append((None, admin1))
            while country is not None:
                found.append((country, admin1))
                country = _next_value(conn, records.c.country, records.c.admin1 == admin1, records.c.country > country)
            admin1 = _next_value(conn, records.c.admin1, records.c.admin1 > admin1)
    return sorted(found, key=lambda p: (p[0] or "", p[1]))


def _next_value(conn: Connection, column, *conditions) -> Any:
    """The smallest non-null value of `column` under the conditions (an index seek)."""
    return conn.execute(select(func.min(column)).where(column.is_not(None), *conditions)).scalar()


def list_documents(
    engine: Engine, text: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[tuple[int, bool], list[DocumentSummary]]:
    """Documents newest first, optionally only those whose folded text contains `text`; with the total and
    whether it is exact (the kept count without text; with it, counted up to paging.COUNT_CAP)."""
    n_records = (
        select(func.count()).select_from(records).where(records.c.doc_id == documents.c.doc_id).scalar_subquery()
    )
    columns = (documents.c.doc_id, documents.c.title, documents.c.outlet, documents.c.url, documents.c.published)
    query = select(*columns, documents.c.lang, n_records)
    order = (documents.c.published.desc(), documents.c.doc_id.desc())
    with engine.connect() as conn:
        common = is_common(conn, text)
        if common:
            # Newest first, each report checked in turn: a page of a common needle stops after a few dozen,
            # where the text index would first gather every report that holds it. Not counted, as listings.
            query = query.where(documents.c.text_norm.contains(folded_needle(text), autoescape=True))
        elif text:
            query = query.where(text_contains(text))
        found = [DocumentSummary(*row) for row in conn.execute(query.order_by(*order).limit(limit).offset(offset))]
        if common:
            total = paging.page_total(None, offset, len(found), len(found) == limit)
        elif text:
            total = paging.capped_count(conn, select(documents.c.id).where(text_contains(text)))
        else:
            total = counts.count(conn, "documents"), True
        return total, found


def document_records(engine: Engine, doc_id: str) -> list[StoredRecord]:
    """A document's records in their order in the report (exact id: doc ids are case-sensitive), the
    rejected ones too, each with the analysts' decision."""
    query = (
        select(records.c.record_id, records.c.data, documents.c.published, records.c.review)
        .join(documents, documents.c.doc_id == records.c.doc_id)
        .where(records.c.doc_id == doc_id)
        .order_by(records.c.idx)
    )
    with engine.connect() as conn:
        return [StoredRecord(r.record_id, Record.from_dict(r.data), r.published, r.review) for r in conn.execute(query)]


def document_id_for_hash(engine: Engine, content_hash: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(
            select(documents.c.doc_id).where(documents.c.content_hash == content_hash)
        ).scalar_one_or_none()
