"""Pre-aggregated sums over events: per day (timeline, the tally's total) and per place (the map), each
also per governorate and perpetrator (the dashboard's filters).

Summing 500,000 events for each dashboard view takes hundreds of milliseconds; these tables hold the
same sums in far fewer rows. `save_events`, the only writer of events, refreshes the days and places
its change touched in the same transaction (`refresh`), so they stay equal to the sums over events
after every resolution, correction, merge, split and deleted report. They serve queries whose filters
are at most a date window, governorates and perpetrators (`serves`; places: no window); anything
narrower sums the events themselves.

Sums read a missing bound as the nearest stated one (`killed_sums`, which `store.aggregates` uses too).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Float,
    Index,
    Integer,
    Select,
    String,
    Table,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy import tuple_ as row_of

from marsad.store.records import built_once, field_conditions, filter_values, parameter
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

# The same sums per (day, governorate, perpetrator) and per (place, governorate, perpetrator): a filter on
# either is a seek (the filters compare lower(column)) and a sum over its few rows.
event_day_groups = Table(
    "event_day_groups",
    metadata,
    Column("date", Date, nullable=False),
    Column("admin1", String(100)),
    Column("perpetrator", String(64), nullable=False),
    *(Column(name, Integer, nullable=False) for name in (
        "events", "killed_low_stated", "killed_low", "killed_best", "killed_high")),
)  # fmt: skip
event_place_groups = Table(
    "event_place_groups",
    metadata,
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("admin1", String(100)),
    Column("perpetrator", String(64), nullable=False),
    Column("events", Integer, nullable=False),
    Column("killed_best", Integer, nullable=False),
)
_DAY_SUMS = [event_day_groups.c[name] for name in ("events", "killed_low_stated", "killed_low", "killed_best",
                                                   "killed_high")]  # fmt: skip
Index("ix_event_day_groups_date", event_day_groups.c.date)
for _name in ("admin1", "perpetrator"):
    # Covering: a governorate's or perpetrator's days summed in date order from the index alone.
    Index(f"ix_event_day_groups_{_name}", func.lower(event_day_groups.c[_name]), event_day_groups.c.date,
          event_day_groups.c.admin1, event_day_groups.c.perpetrator, *_DAY_SUMS)  # fmt: skip
Index("ix_event_place_groups_place", event_place_groups.c.lat, event_place_groups.c.lon)

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


def _day_group_sums(events: Table) -> list:
    sums = _day_sums(events)
    return [sums[0], events.c.admin1, events.c.perpetrator, *sums[1:]]


def _place_group_sums(events: Table) -> list:
    sums = _place_sums(events)
    return [*sums[:2], events.c.admin1, events.c.perpetrator, *sums[3:]]


def _filled(conn: Connection, table: Table, sums: list, where: list, group: list) -> None:
    """Insert into `table` the sums over the events matching `where`, grouped by `group`."""
    conn.execute(insert(table).from_select([c.name for c in table.c], select(*sums).where(*where).group_by(*group)))


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
    by_day, by_group = [events.c.date], [events.c.admin1, events.c.perpetrator]
    by_place = [events.c.lat, events.c.lon]
    for start in range(0, len(dated), _CHUNK):
        chunk = dated[start : start + _CHUNK]
        for table in (event_days, event_day_groups):
            conn.execute(delete(table).where(table.c.date.in_(chunk)))
        within = [events.c.date.in_(chunk)]
        _filled(conn, event_days, _day_sums(events), within, by_day)
        _filled(conn, event_day_groups, _day_group_sums(events), within, by_day + by_group)
    for start in range(0, len(located), _CHUNK):
        chunk = located[start : start + _CHUNK]
        for table in (event_places, event_place_groups):
            conn.execute(delete(table).where(row_of(table.c.lat, table.c.lon).in_(chunk)))
        within = [row_of(events.c.lat, events.c.lon).in_(chunk)]
        _filled(conn, event_places, _place_sums(events), within, by_place)
        _filled(conn, event_place_groups, _place_group_sums(events), within, by_place + by_group)


def rebuild(conn: Connection) -> None:
    """All sums again from the events (a full re-resolution; the migrations that add the tables)."""
    events = _events()
    for table in (event_days, event_places, event_day_groups, event_place_groups):
        conn.execute(delete(table))
    dated, located = [events.c.date.is_not(None)], [events.c.lat.is_not(None), events.c.lon.is_not(None)]
    by_group = [events.c.admin1, events.c.perpetrator]
    _filled(conn, event_days, _day_sums(events), dated, [events.c.date])
    _filled(conn, event_day_groups, _day_group_sums(events), dated, [events.c.date, *by_group])
    _filled(conn, event_places, _place_sums(events), located, [events.c.lat, events.c.lon])
    _filled(conn, event_place_groups, _place_group_sums(events), located, [events.c.lat, events.c.lon, *by_group])


def create_and_fill(conn: Connection) -> None:
    """Migrations 7 and 11: the summary tables, filled from the events already stored."""
    for table in (event_days, event_places, event_day_groups, event_place_groups):
        table.create(conn, checkfirst=True)
    rebuild(conn)


def serves(filters) -> bool:
    """Whether the summaries answer these filters: a date window, governorates and perpetrators at most
    (kind and review do not apply to events)."""
    narrower = ("victim", "admin2", "country", "event_type", "text", "doc_id")
    return not any(getattr(filters, name) for name in narrower)


def unfiltered(filters) -> bool:
    """No filter that applies to events at all."""
    return serves(filters) and not (filters.since or filters.until or filters.admin1 or filters.perpetrator)


def _grouped(filters) -> bool:
    return bool(filters.admin1 or filters.perpetrator)


def _narrowed(query, table: Table, filters):
    """The window and the governorate and perpetrator filters, on a summary table (as on events)."""
    if filters.since:
        query = query.where(table.c.date >= parameter("since", filters.since))
    if filters.until:
        query = query.where(table.c.date <= parameter("until", filters.until))
    return query.where(*field_conditions(table, filters))


def per_day(conn: Connection, filters) -> list:
    """(date, events, killed low, best, high) per day in the window, in date order."""
    if not _grouped(filters):
        columns = event_days.c
        query = select(columns.date, columns.events, columns.killed_low, columns.killed_best, columns.killed_high)
        return list(conn.execute(_narrowed(query, event_days, filters).order_by(columns.date)))
    columns = event_day_groups.c
    sums = (func.sum(c) for c in (columns.events, columns.killed_low, columns.killed_best, columns.killed_high))
    query = select(columns.date, *sums).group_by(columns.date).order_by(columns.date)
    return list(conn.execute(_narrowed(query, event_day_groups, filters)))


def per_place(conn: Connection, filters, limit: int) -> list:
    """(lat, lon, admin1, events, killed best) of the deadliest places (no window: places have no date)."""
    if not _grouped(filters):
        columns = event_places.c
        query = select(columns.lat, columns.lon, columns.admin1, columns.events, columns.killed_best)
        return list(conn.execute(query.order_by(columns.killed_best.desc(), columns.lat, columns.lon).limit(limit)))
    columns = event_place_groups.c
    best = func.sum(columns.killed_best)
    query = (
        select(columns.lat, columns.lon, func.max(columns.admin1), func.sum(columns.events), best)
        .group_by(columns.lat, columns.lon)
        .order_by(best.desc(), columns.lat, columns.lon)
        .limit(limit)
    )
    return list(conn.execute(_narrowed(query, event_place_groups, filters)))


def killed(conn: Connection, filters) -> tuple[int, int, int, int]:
    """events_killed's (events, low as stated, best-or-low, high-or-best-or-low) for these filters (`serves`).
    Its statements are built once per shape of filters (records.built_once: a tally page sums twenty)."""
    values = filter_values(filters)
    found = tuple(int(v) for v in conn.execute(built_once(("killed",), filters, _killed), values).one())
    if filters.since or filters.until:
        return found
    # Undated events have no day: summed from the events themselves (the date index finds them).
    extra = conn.execute(built_once(("killed undated",), filters, _killed_undated), values).one()
    return tuple(a + int(b) for a, b in zip(found, extra, strict=True))


def _killed(filters) -> Select:
    table = event_day_groups if _grouped(filters) else event_days
    sums = (table.c[name] for name in ("events", "killed_low_stated", "killed_best", "killed_high"))
    return _narrowed(select(*(func.coalesce(func.sum(c), 0) for c in sums)), table, filters)


def _killed_undated(filters) -> Select:
    events = _events()
    return _narrowed(select(*event_totals(events)).where(events.c.date.is_(None)), events, filters)
