"""Sums of casualties over stored incident records, and the reported tallies that cover a window.

Incidents and tallies are never added together: a tally is a figure someone else summed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Engine, func, select

from marsad.store.records import Filters, StoredRecord, apply_filters, iter_records
from marsad.store.schema import documents, records


@dataclass
class CasualtySum:
    incidents: int
    incidents_without_count: int
    killed_low: int
    killed_best: int
    killed_high: int
    wounded_low: int
    wounded_best: int
    wounded_high: int


def _sums(prefix: str):
    low, best, high = (records.c[f"{prefix}_{bound}"] for bound in ("low", "best", "high"))
    # A missing bound falls back to the nearest stated one: "at least 70" adds 70 to every bound.
    return (
        func.coalesce(func.sum(func.coalesce(low, best)), 0),
        func.coalesce(func.sum(func.coalesce(best, low)), 0),
        func.coalesce(func.sum(func.coalesce(high, best, low)), 0),
    )


def sum_incidents(engine: Engine, filters: Filters) -> CasualtySum:
    query = select(
        func.count(),
        func.count().filter(records.c.killed_best.is_(None), records.c.killed_low.is_(None)),
        *_sums("killed"),
        *_sums("wounded"),
    ).select_from(records)
    query = apply_filters(query, replace(filters, kind="incident"))
    with engine.connect() as conn:
        row = conn.execute(query).one()
    return CasualtySum(*(int(v) for v in row))


def reported_tallies(engine: Engine, filters: Filters) -> list[StoredRecord]:
    """Tally records whose period overlaps the window and whose regions include the admin1 asked for."""
    found = iter_records(engine, replace(filters, kind="tally", admin1=None))
    if not filters.admin1:
        return list(found)
    wanted = filters.admin1.lower()
    return [stored for stored in found if any((place.admin1 or "").lower() == wanted for place in _places(stored))]


def _places(stored: StoredRecord):
    record = stored.record
    return [*record.regions, *([record.location] if record.location else [])]


def tally_records(engine: Engine, record_filter_query, limit: int | None = None, offset: int = 0) -> list:
    """Tally records with their report's title, outlet, attribution and date, in report order.

    `record_filter_query` is `records.apply_filters` bound to the caller's Filters (kind=tally)."""
    query = (
        select(
            records.c.record_id,
            records.c.data,
            documents.c.published,
            documents.c.title,
            documents.c.outlet,
            documents.c.attribution,
        )
        .join(documents, documents.c.doc_id == records.c.doc_id)
        .where(records.c.kind == "tally")
        .order_by(documents.c.published, records.c.record_id)
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    with engine.connect() as conn:
        return list(conn.execute(record_filter_query(query)))


def count_tallies(engine: Engine, record_filter_query) -> int:
    query = select(func.count()).select_from(records).where(records.c.kind == "tally")
    with engine.connect() as conn:
        return conn.execute(record_filter_query(query)).scalar_one()
