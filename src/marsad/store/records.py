"""Documents and their records: saving one report atomically, and the queries the rest of marsad needs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, Select, and_, delete, exists, func, insert, or_, select

from marsad.model import Count, Document, Record
from marsad.store.schema import documents, records
from marsad.store.search import document_contains
from marsad.text.normalize import fold_plain as fold


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


@dataclass
class StoredRecord:
    record_id: str
    record: Record
    published: date | None = None
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
        **_count_columns("killed", record.killed),
        **_count_columns("wounded", record.wounded),
    }


def _unique_doc_id(conn, doc: Document) -> str:
    """Two different reports may share a file name; the later one gets its hash appended."""
    taken = conn.execute(select(documents.c.doc_id).where(documents.c.doc_id == doc.doc_id)).first()
    return doc.doc_id if taken is None else f"{doc.doc_id}~{doc.content_hash[:8]}"


def stored_doc_id(engine: Engine, content_hash: str) -> str | None:
    """The id under which a report with this content is stored, if it is."""
    with engine.connect() as conn:
        return conn.execute(select(documents.c.doc_id).where(documents.c.content_hash == content_hash)).scalar()


def record_ids_of(engine: Engine, doc_ids: list[str]) -> list[str]:
    found: list[str] = []
    with engine.connect() as conn:
        for start in range(0, len(doc_ids), 500):
            chunk = doc_ids[start : start + 500]
            found.extend(conn.execute(select(records.c.record_id).where(records.c.doc_id.in_(chunk))).scalars())
    return found


def save_document(engine: Engine, doc: Document, doc_records: list[Record]) -> bool:
    """Store a report and its records in one transaction; False if the same content is already stored."""
    with engine.begin() as conn:
        if conn.execute(select(exists().where(documents.c.content_hash == doc.content_hash))).scalar():
            return False
        doc.doc_id = _unique_doc_id(conn, doc)
        conn.execute(
            insert(documents).values(
                doc_id=doc.doc_id,
                content_hash=doc.content_hash,
                title=doc.title,
                outlet=doc.outlet,
                attribution=doc.attribution,
                url=doc.url,
                published=doc.published,
                lang=doc.lang,
                source_path=doc.source_path,
                raw_text=doc.raw_text or doc.text,
                text=doc.text,
                text_norm=fold(doc.text),
                ingested_at=datetime.now(UTC),
            )
        )
        rows = []
        for index, record in enumerate(doc_records):
            record.doc_id = doc.doc_id
            rows.append(record_row(doc, index, record))
        if rows:
            conn.execute(insert(records), rows)
    return True


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
        return conn.execute(select(func.count()).select_from(documents)).scalar_one()


def choices(value: str | None) -> list[str]:
    """The alternatives a filter value lists ("Homs, Hama" -> ["homs", "hama"])."""
    return [v.strip().lower() for v in (value or "").split(",") if v.strip()]


def any_of(column, value: str):
    return func.lower(column).in_(choices(value))


def any_group(column, value: str):
    """Matches a "|group|group|" column holding any of the groups asked for."""
    return or_(*(column.contains(f"|{group}|") for group in choices(value)))


def field_conditions(table, filters: Filters) -> list:
    """Conditions on the actor, place and type columns that records and events share."""
    conditions = [
        any_of(table.c[name], getattr(filters, name))
        for name in ("perpetrator", "admin1", "admin2", "country", "event_type")
        if getattr(filters, name)
    ]
    if filters.victim:
        conditions.append(any_group(table.c.victim_groups, filters.victim))
    return conditions


def apply_filters(query: Select, filters: Filters) -> Select:
    """The WHERE clause every record listing shares. Tallies match a window they overlap."""
    conditions = []
    if filters.kind:
        conditions.append(records.c.kind == filters.kind)
    if filters.since:
        conditions.append(
            or_(
                and_(records.c.kind != "tally", records.c.date >= filters.since),
                and_(
                    records.c.kind == "tally",
                    or_(records.c.period_end.is_(None), records.c.period_end >= filters.since),
                ),
            )
        )
    if filters.until:
        conditions.append(
            or_(
                and_(records.c.kind != "tally", records.c.date <= filters.until),
                and_(
                    records.c.kind == "tally",
                    or_(records.c.period_start.is_(None), records.c.period_start <= filters.until),
                ),
            )
        )
    conditions += field_conditions(records, filters)
    if filters.doc_id:
        conditions.append(records.c.doc_id == filters.doc_id)
    if filters.text:
        conditions.append(document_contains(records.c.doc_id, filters.text))
    return query.where(*conditions) if conditions else query


def query_records(
    engine: Engine, filters: Filters | None = None, limit: int | None = None, offset: int = 0
) -> list[StoredRecord]:
    return list(iter_records(engine, filters, limit, offset))


def iter_records(
    engine: Engine, filters: Filters | None = None, limit: int | None = None, offset: int = 0
) -> Iterator[StoredRecord]:
    query = (
        select(
            records.c.record_id,
            records.c.data,
            documents.c.published,
            documents.c.title,
            documents.c.outlet,
            documents.c.url,
        )
        .join(documents, documents.c.doc_id == records.c.doc_id)
        .order_by(records.c.date, records.c.record_id)
    )
    filters = filters or Filters()
    if limit is None:
        query = apply_filters(query, filters)
    else:
        # Page over the (date, record_id) index alone, then join the page: an OFFSET deep into 100,000
        # records skips index entries instead of joined rows.
        ids = apply_filters(select(records.c.record_id), filters).order_by(records.c.date, records.c.record_id)
        query = query.where(records.c.record_id.in_(ids.limit(limit).offset(offset)))
    with engine.connect() as conn:
        for row in conn.execute(query):
            yield StoredRecord(row.record_id, Record.from_dict(row.data), row.published, row.title, row.outlet, row.url)


def count_records(engine: Engine, filters: Filters | None = None) -> int:
    query = apply_filters(select(func.count()).select_from(records), filters or Filters())
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()
