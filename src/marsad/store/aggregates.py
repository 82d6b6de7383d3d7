"""Read-only queries behind the API and the dashboard: documents listed, casualties per day, per place.

Sums use the same bound fallbacks as `store.tally` (a missing bound falls back to the nearest stated
one), so the timeline, the map and the tally panel agree with `marsad tally`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Engine, func, select

from marsad.store.records import Filters, apply_filters
from marsad.store.schema import documents, records
from marsad.store.tally import _sums as killed_sums
from marsad.text.normalize import fold_plain


@dataclass
class DayTotal:
    day: date
    records: int
    killed_low: int
    killed_best: int
    killed_high: int


@dataclass
class PlaceTotal:
    lat: float
    lon: float
    admin1: str | None
    records: int
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


def killed_per_day(engine: Engine, filters: Filters) -> list[DayTotal]:
    """Incident records per event date with killed low/best/high sums; undated records are left out."""
    query = (
        select(records.c.date, func.count(), *killed_sums("killed"))
        .select_from(records)
        .where(records.c.date.is_not(None))
        .group_by(records.c.date)
        .order_by(records.c.date)
    )
    query = apply_filters(query, replace(filters, kind="incident"))
    with engine.connect() as conn:
        return [DayTotal(row[0], *(int(v) for v in row[1:])) for row in conn.execute(query)]


def killed_per_place(engine: Engine, filters: Filters, limit: int = 5000) -> list[PlaceTotal]:
    """Incident records grouped by their coordinates, the deadliest places first."""
    _low, best, _high = killed_sums("killed")
    query = (
        select(records.c.lat, records.c.lon, func.max(records.c.admin1), func.count(), best.label("best"))
        .select_from(records)
        .where(records.c.lat.is_not(None), records.c.lon.is_not(None))
        .group_by(records.c.lat, records.c.lon)
        .order_by(best.desc())
        .limit(limit)
    )
    query = apply_filters(query, replace(filters, kind="incident"))
    with engine.connect() as conn:
        return [PlaceTotal(row[0], row[1], row[2], int(row[3]), int(row[4])) for row in conn.execute(query)]


def admin1_values(engine: Engine) -> list[tuple[str | None, str]]:
    """(country, admin1) pairs present in the store, for filter choices."""
    query = (
        select(records.c.country, records.c.admin1)
        .where(records.c.admin1.is_not(None))
        .group_by(records.c.country, records.c.admin1)
        .order_by(records.c.country, records.c.admin1)
    )
    with engine.connect() as conn:
        return [(row[0], row[1]) for row in conn.execute(query)]


def list_documents(
    engine: Engine, text: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[int, list[DocumentSummary]]:
    """Documents newest first, optionally only those whose folded text contains `text`; with the total."""
    n_records = (
        select(func.count()).select_from(records).where(records.c.doc_id == documents.c.doc_id).scalar_subquery()
    )
    query = select(
        documents.c.doc_id,
        documents.c.title,
        documents.c.outlet,
        documents.c.url,
        documents.c.published,
        documents.c.lang,
        n_records,
    )
    total = select(func.count()).select_from(documents)
    if text:
        condition = documents.c.text_norm.contains(fold_plain(text), autoescape=True)
        query, total = query.where(condition), total.where(condition)
    query = query.order_by(documents.c.published.desc(), documents.c.doc_id).limit(limit).offset(offset)
    with engine.connect() as conn:
        count = conn.execute(total).scalar_one()
        return count, [DocumentSummary(*row) for row in conn.execute(query)]


def document_id_for_hash(engine: Engine, content_hash: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(
            select(documents.c.doc_id).where(documents.c.content_hash == content_hash)
        ).scalar_one_or_none()
