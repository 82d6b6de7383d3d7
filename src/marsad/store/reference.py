"""Reference datasets (UCDP GED, ACLED): other recorders' events, stored beside marsad's own and never
mixed with them. `marsad compare` holds marsad's events against them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
)

from marsad.store.events import _apply_filters as event_filters
from marsad.store.events import events
from marsad.store.records import Filters, any_group, any_of
from marsad.store.schema import metadata

reference_sets = Table(
    "reference_sets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),  # ucdp | acled
    Column("source_path", Text),
    Column("n_events", Integer, nullable=False),
    Column("imported_at", DateTime, nullable=False),
)

reference_events = Table(
    "reference_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("set_name", String(64), ForeignKey("reference_sets.name", ondelete="CASCADE"), nullable=False),
    Column("ref_id", String(64), nullable=False),  # the dataset's own event id
    Column("date_start", Date, nullable=False),
    Column("date_end", Date, nullable=False),
    Column("country", String(2)),
    Column("admin1", String(100)),  # SCHEMA.md's spelling, so it compares with marsad's
    Column("admin2", String(100)),
    Column("location", Text),
    Column("lat", Float),
    Column("lon", Float),
    # "|syrian_government|isis|": marsad ids of every actor the event names, for matching and filters.
    Column("actors", String(400), nullable=False),
    Column("side_a", Text),
    Column("side_b", Text),
    Column("event_type", String(64)),
    Column("low", Integer),
    Column("best", Integer),
    Column("high", Integer),
    # The dataset's row as read, so nothing of it is lost.
    Column("data", JSON, nullable=False),
)

Index("ix_reference_events_set_date", reference_events.c.set_name, reference_events.c.date_start)


def create_reference_tables(conn: Connection) -> None:
    """Migration step: the two tables of reference datasets (issue 14)."""
    reference_sets.create(conn, checkfirst=True)
    reference_events.create(conn, checkfirst=True)


@dataclass
class ReferenceSet:
    name: str
    kind: str
    source_path: str | None
    n_events: int
    imported_at: datetime
    first: date | None = None
    last: date | None = None


def replace_reference(engine: Engine, name: str, kind: str, source_path: str, rows: list[dict]) -> int:
    """Store a dataset under `name`, replacing any earlier import of that name, in one transaction."""
    with engine.begin() as conn:
        conn.execute(delete(reference_events).where(reference_events.c.set_name == name))
        conn.execute(delete(reference_sets).where(reference_sets.c.name == name))
        conn.execute(
            insert(reference_sets).values(
                name=name, kind=kind, source_path=source_path, n_events=len(rows), imported_at=datetime.now(UTC)
            )
        )
        for start in range(0, len(rows), 5000):
            conn.execute(insert(reference_events), [{"set_name": name, **r} for r in rows[start : start + 5000]])
    return len(rows)


def list_references(engine: Engine) -> list[ReferenceSet]:
    spans = (
        select(
            reference_events.c.set_name,
            func.min(reference_events.c.date_start).label("first"),
            func.max(reference_events.c.date_start).label("last"),
        )
        .group_by(reference_events.c.set_name)
        .subquery()
    )
    query = (
        select(reference_sets, spans.c.first, spans.c.last)
        .outerjoin(spans, spans.c.set_name == reference_sets.c.name)
        .order_by(reference_sets.c.name)
    )
    with engine.connect() as conn:
        return [ReferenceSet(**row._mapping) for row in conn.execute(query)]


def get_reference(engine: Engine, name: str) -> ReferenceSet | None:
    return next((r for r in list_references(engine) if r.name == name), None)


def load_reference_events(
    engine: Engine,
    name: str,
    since: date | None = None,
    until: date | None = None,
    admin1: str | None = None,
    countries: Iterable[str] | None = None,
    actors: Iterable[str] = (),
) -> list:
    """The events of a reference dataset in a window (rows without `data`), oldest first."""
    table = reference_events
    query = select(*(c for c in table.c if c.name != "data")).where(table.c.set_name == name)
    if since:
        query = query.where(table.c.date_start >= since)
    if until:
        query = query.where(table.c.date_start <= until)
    if admin1:
        query = query.where(any_of(table.c.admin1, admin1))
    if countries is not None:
        query = query.where(table.c.country.in_(list(countries)))
    for alternatives in actors:  # each "a,b" must be matched by one of its actors
        query = query.where(any_group(table.c.actors, alternatives))
    with engine.connect() as conn:
        return list(conn.execute(query.order_by(table.c.date_start, table.c.id)))


def events_to_compare(engine: Engine, filters: Filters) -> list:
    """marsad's events as compared with a reference: id, day, place, actors and killed."""
    query = select(
        events.c.event_id,
        events.c.date,
        events.c.country,
        events.c.admin1,
        events.c.lat,
        events.c.lon,
        events.c.perpetrator,
        events.c.victim_groups,
        func.coalesce(events.c.killed_best, events.c.killed_low).label("killed"),
    ).where(events.c.date.is_not(None))
    with engine.connect() as conn:
        return list(conn.execute(event_filters(query, filters).order_by(events.c.date, events.c.event_id)))
