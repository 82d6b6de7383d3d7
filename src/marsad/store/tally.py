"""Sums of casualties over stored incident records, and the reported tallies that cover a window.

Incidents and tallies are never added together: a tally is a figure someone else summed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache

from sqlalchemy import Engine, Index, Select, Text, cast, func, literal_column, or_, select, tuple_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.selectable import Alias

from marsad.store.records import Filters, StoredRecord, apply_filters, iter_records, record_conditions
from marsad.store.schema import documents, records

# Tallies are listed in the order of the day they count to (their period's end, else their report's date,
# which `record_row` stores in period_end), from an index of the tallies alone: a few per cent of the
# records, held with the columns the shared filters test, so that pages and counts read no table row.
ORDER_COLUMNS = ("period_end", "record_id")
# Not `review`: a tally is seldom filtered by it (its row is then read), and an index naming it would keep
# the column from being dropped, as the tests that rebuild a store from before migration 5 do.
_FILTERED = ("period_start", "perpetrator", "victim_group", "victim_groups", "admin2", "country", "event_type",
             "doc_id", "kind")  # fmt: skip
# A literal: a planner uses a partial index only where the query's condition is seen to imply the index's.
IS_TALLY = records.c.kind == literal_column("'tally'")
TALLY_INDEX = Index(
    "ix_records_tally_order",
    *(records.c[name] for name in ORDER_COLUMNS + _FILTERED),
    sqlite_where=IS_TALLY,
    postgresql_where=IS_TALLY,
)
# A page's series (one population since one date, resolve.tally.series) are found from this one.
SERIES_INDEX = Index(
    "ix_records_tally_series",
    *(records.c[name] for name in ("period_start", "perpetrator", "victim_group")),
    sqlite_where=IS_TALLY,
    postgresql_where=IS_TALLY,
)
BY_DOC = "ix_records_doc"


class _ReadThroughIndex(Alias):
    """`records` read through the index the alias is named after. SQLite, without statistics, would rather
    seek `kind = ?` or a governorate in another index and sort every match (a fifth of a second at a
    million records): it is told. PostgreSQL keeps statistics and chooses for itself."""

    inherit_cache = True


@compiles(_ReadThroughIndex, "sqlite")
def _indexed_by(element: _ReadThroughIndex, compiler, **kw) -> str:
    sql = compiler.visit_alias(element, **kw)
    return f"{sql} INDEXED BY {element.name}" if kw.get("asfrom") else sql


@cache
def _through(index: str) -> Alias:
    return _ReadThroughIndex._construct(records, name=index)


def tally_conditions(tallies: Alias, filters: Filters) -> list:
    """`records.record_conditions` for tallies (governorate aside: see resolve.tally), on `tallies`: a window
    is one the tally's period overlaps, and text is checked tally by tally (a few per cent of the records; a
    common needle would otherwise gather every report that holds it from the text index)."""
    return record_conditions(tallies, replace(filters, kind="tally", admin1=None), walk_text=True)


def _ids(filters: Filters, index: str = "", extra=lambda _tallies: ()) -> Select:
    """The ids of the tallies the filters (and `extra`, a function of the alias) admit, in order, read
    through `index` (by default the tallies' own)."""
    tallies = _through(index or TALLY_INDEX.name)
    conditions = [*tally_conditions(tallies, filters), *extra(tallies)]
    return select(tallies.c.record_id).where(*conditions).order_by(*(tallies.c[n] for n in ORDER_COLUMNS))


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


def tally_records(engine: Engine, filters: Filters, limit: int | None = None, offset: int = 0) -> list:
    """Tally records with their report's title, outlet, attribution and date, in ORDER_COLUMNS order (a
    page of them): the ids from the tallies' index alone, then only their rows and reports."""
    ids = _ids(filters)
    if limit is not None:
        ids = ids.limit(limit).offset(offset)
    with engine.connect() as conn:
        return list(conn.execute(_with_reports(records.c.record_id.in_(ids))))


def tally_rows(engine: Engine, record_ids: list[str]) -> list:
    """`tally_records`' rows of these tallies."""
    if not record_ids:
        return []
    with engine.connect() as conn:
        return list(conn.execute(_with_reports(records.c.record_id.in_(record_ids))))


def tallies_of(engine: Engine, filters: Filters, doc_ids: list[str], series: list[tuple]) -> list:
    """`tally_records`' rows of the tallies the filters admit in these reports or in these series
    (period_start, perpetrator, victim_group): a page's neighbours for headline flags and series."""
    found = []
    with engine.connect() as conn:
        if doc_ids:
            ids = _ids(filters, BY_DOC, lambda t: [t.c.doc_id.in_(doc_ids)])
            found += conn.execute(_with_reports(records.c.record_id.in_(ids)))
        if series:
            starts = sorted({start for start, _, _ in series})
            key = lambda t: tuple_(t.c.period_start, t.c.perpetrator, t.c.victim_group)  # noqa: E731
            ids = _ids(filters, SERIES_INDEX.name, lambda t: [t.c.period_start.in_(starts), key(t).in_(series)])
            found += conn.execute(_with_reports(records.c.record_id.in_(ids)))
    return found


def tally_data(engine: Engine, filters: Filters, names: set[str] | None = None) -> list:
    """(record_id, data) of the tallies the filters admit, in order; with `names` (ASCII, lower case) only
    those whose stored data holds one of them as a whole string, in any case: the candidates of a
    governorate filter, which the caller checks place by place (a tally may name several)."""
    tallies = _through(TALLY_INDEX.name)
    query = select(tallies.c.record_id, tallies.c.data).where(*tally_conditions(tallies, filters))
    if names:
        # SQLite's LIKE ignores the case of ASCII letters; other databases' ILIKE ignores case.
        stored, quoted = cast(tallies.c.data, Text), [json.dumps(name) for name in sorted(names)]
        if engine.dialect.name == "sqlite":
            query = query.where(or_(*(stored.contains(q, autoescape=True) for q in quoted)))
        else:
            query = query.where(or_(*(stored.icontains(q, autoescape=True) for q in quoted)))
    with engine.connect() as conn:
        return list(conn.execute(query.order_by(*(tallies.c[n] for n in ORDER_COLUMNS))))


def count_tallies(engine: Engine, filters: Filters) -> int:
    tallies = _through(TALLY_INDEX.name)
    query = select(func.count()).select_from(tallies).where(*tally_conditions(tallies, filters))
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def _with_reports(condition) -> Select:
    return (
        select(
            records.c.record_id,
            records.c.data,
            documents.c.published,
            documents.c.title,
            documents.c.outlet,
            documents.c.attribution,
        )
        .join(documents, documents.c.doc_id == records.c.doc_id)
        .where(condition)
        .order_by(*(records.c[n] for n in ORDER_COLUMNS))
    )
