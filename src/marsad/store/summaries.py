"""Pre-aggregated sums over events: per day (timeline, the tally's total) and per place (the map).

Summing 500,000 events for each dashboard view takes hundreds of milliseconds; these tables hold the
same sums, a few thousand rows. `save_events`, the only writer of events, refreshes the days and
places its change touched in the same transaction (`refresh`), so they stay equal to the sums over
events after every resolution, correction, merge, split and deleted report. They serve queries whose
filters are only a date window (days) or none (places); anything narrower sums the events themselves.

Sums read a missing bound as the nearest stated one (`killed_sums`, which `store.aggregates` uses too).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Column, Connection, Date, Float, Index, Integer, String, Table, delete, func, insert, select
from sqlalchemy import tuple_ as row_of

from marsad.store.schema import metadata

event_days = Table(
    "event_days",
    metadata,
    Column("date", Date, primary_key=True),
    Column("events", Integer, nullable=False),
    Column("killed_low_stated", Integer, nullable=False),  # sum of low as stated (events_killed's low)
    Column("killed_low", Integer, nullable=False),
    Column("killed_best", Integer, nullable=False),
    Column("killed_high", Integer, nullable=False),
)

event_places = Table(
    "event_places",
    metadata,
    Column("lat", Float, primary_key=True),
    Column("lon", Float, primary_key=True),
    Column("admin1", String(100)),
    Column("events", Integer, nullable=False),
    Column("killed_best", Integer, nullable=False),
)
# The map asks for the deadliest places first.
Index("ix_event_places_best", event_places.c.killed_best, event_places.c.lat, event_places.c.lon)

_CHUNK = 500


def killed_sums(table: Table) -> tuple:
    """Sums of killed low, best and high over `table`'s rows, a missing bound read as the nearest stated one."""
    low, best, high = table.c.killed_low, table.c.killed_best, table.c.killed_high
    return (
        func.coalesce(func.sum(func.coalesce(low, best)), 0),
        func.coalesce(func.sum(func.coalesce(best, low)), 0),
        func.coalesce(func.sum(func.coalesce(high, best, low)), 0),
    )


def event_totals(events: Table) -> tuple:
    """(events, sum of low as stated, sum of best-or-low, sum of high-or-best-or-low): events_killed's figures."""
    _, best, high = killed_sums(events)
    return func.count(), func.coalesce(func.sum(events.c.killed_low), 0), best, high


def _day_sums(events: Table) -> list:
    low, best, high = killed_sums(events)
    return [
        events.c.date,
        func.count().label("events"),
        func.coalesce(func.sum(events.c.killed_low), 0).label("killed_low_stated"),
        low.label("killed_low"),
        best.label("killed_best"),
        high.label("killed_high"),
    ]


def _place_sums(events: Table) -> list:
    return [
        events.c.lat,
        events.c.lon,
        func.max(events.c.admin1).label("admin1"),
        func.count().label("events"),
        killed_sums(events)[1].label("killed_best"),
    ]


def _events() -> Table:
    from marsad.store.events import events  # late: store.events builds on this module

    return events


def keys_of(conn: Connection, event_ids: list[str]) -> tuple[set, set]:
    """The days and places of stored events (read before they are deleted)."""
    events = _events()
    days, places = set(), set()
    for start in range(0, len(event_ids), _CHUNK):
        chunk = event_ids[start : start + _CHUNK]
        for day, lat, lon in conn.execute(
            select(events.c.date, events.c.lat, events.c.lon).where(events.c.event_id.in_(chunk))
        ):
            days.add(day)
            places.add((lat, lon))
    return days, places


def keys_of_rows(rows: Iterable[dict]) -> tuple[set, set]:
    days, places = set(), set()
    for row in rows:
        days.add(row["date"])
        places.add((row["lat"], row["lon"]))
    return days, places


def refresh(conn: Connection, days: set, places: set) -> None:
    """Recompute the sums of these days and places from the events table (in the caller's transaction)."""
    events = _events()
    dated = sorted(d for d in days if d is not None)
    located = sorted((lat, lon) for lat, lon in places if lat is not None and lon is not None)
    for start in range(0, len(dated), _CHUNK):
        chunk = dated[start : start + _CHUNK]
        conn.execute(delete(event_days).where(event_days.c.date.in_(chunk)))
        sums = select(*_day_sums(events)).where(events.c.date.in_(chunk)).group_by(events.c.date)
        conn.execute(insert(event_days).from_select([c.name for c in event_days.c], sums))
    for start in range(0, len(located), _CHUNK):
        chunk = located[start : start + _CHUNK]
        conn.execute(delete(event_places).where(row_of(event_places.c.lat, event_places.c.lon).in_(chunk)))
        sums = (
            select(*_place_sums(events))
            .where(row_of(events.c.lat, events.c.lon).in_(chunk))
            .group_by(events.c.lat, events.c.lon)
        )
        conn.execute(insert(event_places).from_select([c.name for c in event_places.c], sums))


def rebuild(conn: Connection) -> None:
    """All sums again from the events (a full re-resolution; the migration that adds the tables)."""
    events = _events()
    conn.execute(delete(event_days))
    conn.execute(delete(event_places))
    days = select(*_day_sums(events)).where(events.c.date.is_not(None)).group_by(events.c.date)
    conn.execute(insert(event_days).from_select([c.name for c in event_days.c], days))
    places = (
        select(*_place_sums(events))
        .where(events.c.lat.is_not(None), events.c.lon.is_not(None))
        .group_by(events.c.lat, events.c.lon)
    )
    conn.execute(insert(event_places).from_select([c.name for c in event_places.c], places))


def create_and_fill(conn: Connection) -> None:
    """Migration: the summary tables, filled from the events already stored."""
    for table in (event_days, event_places):
        table.create(conn, checkfirst=True)
    rebuild(conn)


def serves(filters) -> bool:
    """Whether the summaries answer these filters: a date window at most (kind and review do not apply
    to events)."""
    narrower = ("perpetrator", "victim", "admin1", "admin2", "country", "event_type", "text", "doc_id")
    return not any(getattr(filters, name) for name in narrower)


def _window(query, filters):
    if filters.since:
        query = query.where(event_days.c.date >= filters.since)
    if filters.until:
        query = query.where(event_days.c.date <= filters.until)
    return query


def per_day(conn: Connection, filters) -> list:
    """(date, events, killed low, best, high) per day in the window, in date order."""
    columns = event_days.c
    query = select(columns.date, columns.events, columns.killed_low, columns.killed_best, columns.killed_high)
    return list(conn.execute(_window(query, filters).order_by(columns.date)))


def per_place(conn: Connection, limit: int) -> list:
    """(lat, lon, admin1, events, killed best) of the deadliest places."""
    columns = event_places.c
    query = select(columns.lat, columns.lon, columns.admin1, columns.events, columns.killed_best)
    return list(conn.execute(query.order_by(columns.killed_best.desc(), columns.lat, columns.lon).limit(limit)))


def killed(conn: Connection, filters) -> tuple[int, int, int, int]:
    """events_killed's (events, low as stated, best-or-low, high-or-best-or-low) for a date window."""
    columns = event_days.c
    query = select(
        *(func.coalesce(func.sum(c), 0) for c in (columns.events, columns.killed_low_stated, columns.killed_best,
                                                   columns.killed_high))
    )  # fmt: skip
    found = tuple(int(v) for v in conn.execute(_window(query, filters)).one())
    if filters.since or filters.until:
        return found
    # Undated events have no day: summed from the events themselves (the date index finds them).
    events = _events()
    undated = select(*event_totals(events)).where(events.c.date.is_(None))
    extra = conn.execute(undated).one()
    return tuple(a + int(b) for a, b in zip(found, extra, strict=True))
