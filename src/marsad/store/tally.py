"""Sums of casualties over stored incident records, and the reported tallies that cover a window.

Incidents and tallies are never added together: a tally is a figure someone else summed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Engine, func, select

from marsad.store.records import Filters, StoredRecord, apply_filters, iter_records
from marsad.store.schema import records


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
