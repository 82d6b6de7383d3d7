"""Events (records of several reports that describe one happening), their members and analyst overrides."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    or_,
    select,
)

from marsad.store import paging, summaries
from marsad.store.engine import Bind, reading, writing
from marsad.store.records import Filters, built_once, field_conditions, filter_values, parameter
from marsad.store.schema import documents, metadata, records
from marsad.store.search import document_contains, folded_needle, is_common, row_contains

events = Table(
    "events",
    metadata,
    # Stable across re-runs: kept by the event that keeps most of its members.
    Column("event_id", String(40), primary_key=True),
    Column("event_type", String(64)),
    Column("sub_event_type", String(64)),
    Column("date", Date),
    Column("date_precision", String(16)),
    Column("perpetrator", String(64), nullable=False),
    Column("victim_group", String(64), nullable=False),
    Column("victim_groups", String(400), nullable=False),
    Column("admin1", String(100)),
    Column("admin2", String(100)),
    Column("country", String(2)),
    Column("lat", Float),
    Column("lon", Float),
    Column("killed_low", Integer),
    Column("killed_best", Integer),
    Column("killed_high", Integer),
    Column("wounded_low", Integer),
    Column("wounded_best", Integer),
    Column("wounded_high", Integer),
    Column("n_sources", Integer, nullable=False),
    Column("n_records", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

event_members = Table(
    "event_members",
    metadata,
    Column("record_id", String(320), ForeignKey("records.record_id", ondelete="CASCADE"), primary_key=True),
    Column("event_id", String(40), nullable=False),
    Column("score", Float),
    # Why this record is in this event ("same event as …: same place 'Douma' (+2.0); …").
    Column("reason", Text, nullable=False),
)

event_overrides = Table(
    "event_overrides",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("op", String(8), nullable=False),  # "must" (same event) or "cannot" (different events)
    Column("record_a", String(320), nullable=False),
    Column("record_b", String(320), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# Listings page over (date, event_id) from this index alone; date windows seek it.
Index("ix_events_listing", events.c.date, events.c.event_id)
Index("ix_events_admin1", events.c.admin1)
Index("ix_event_members_event", event_members.c.event_id)
Index("ix_event_overrides_a", event_overrides.c.record_a)

_CHUNK = 500


def _chunks(values: list, size: int = _CHUNK) -> Iterator[list]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _record_rows(query: Select, conn) -> list:
    return list(conn.execute(query))


def _record_query() -> Select:
    return (
        select(records.c.record_id, records.c.data, documents.c.published)
        .join(documents, documents.c.doc_id == records.c.doc_id)
        .where(records.c.kind == "incident")
    )


def unresolved_records(engine: Bind, record_ids: Iterable[str] | None = None) -> list:
    """(record_id, data, published) of incident records in no event yet (of `record_ids` if given)."""
    base = _record_query().where(~records.c.record_id.in_(select(event_members.c.record_id)))
    with reading(engine) as conn:
        if record_ids is None:
            return _record_rows(base, conn)
        rows = []
        for chunk in _chunks(list(dict.fromkeys(record_ids))):  # each id once, or a record is resolved twice
            rows.extend(_record_rows(base.where(records.c.record_id.in_(chunk)), conn))
        return rows


def all_incident_records(engine: Bind) -> list:
    with reading(engine) as conn:
        return _record_rows(_record_query(), conn)


def events_between(engine: Bind, first: date, last: date, admin1: Iterable[str] | None = None) -> set[str]:
    """Ids of events with a member dated in [first, last]; with `admin1`, a member in one of those
    governorates or in none known."""
    query = (
        select(event_members.c.event_id)
        .join(records, records.c.record_id == event_members.c.record_id)
        .where(records.c.date >= first, records.c.date <= last)
        .distinct()
    )
    if admin1 is not None:
        query = query.where(or_(records.c.admin1.in_(list(admin1)), records.c.admin1.is_(None)))
    with reading(engine) as conn:
        return set(conn.execute(query).scalars())


def members_of_events(engine: Bind, event_ids: Iterable[str]) -> list:
    """(event_id, reason, record_id, data, published) of the members of these events."""
    query = (
        select(
            event_members.c.event_id, event_members.c.reason, records.c.record_id, records.c.data, documents.c.published
        )
        .join(records, records.c.record_id == event_members.c.record_id)
        .join(documents, documents.c.doc_id == records.c.doc_id)
    )
    rows = []
    with reading(engine) as conn:
        for chunk in _chunks(list(event_ids)):
            rows.extend(conn.execute(query.where(event_members.c.event_id.in_(chunk))))
    return rows


def membership(engine: Bind, record_ids: Iterable[str] | None = None) -> dict[str, str]:
    """record_id -> event_id."""
    query = select(event_members.c.record_id, event_members.c.event_id)
    with reading(engine) as conn:
        if record_ids is None:
            return dict(conn.execute(query).all())
        found: dict[str, str] = {}
        for chunk in _chunks(list(dict.fromkeys(record_ids))):  # each id once, or a record is resolved twice
            found.update(conn.execute(query.where(event_members.c.record_id.in_(chunk))).all())
        return found


def event_record_ids(engine: Bind, event_id: str) -> list[str]:
    query = select(event_members.c.record_id).where(event_members.c.event_id == event_id)
    with reading(engine) as conn:
        return sorted(conn.execute(query).scalars())


def event_ids(engine: Bind, among: Iterable[str] | None = None) -> set[str]:
    """Ids of the stored events (of those in `among`, if given)."""
    query = select(events.c.event_id)
    with reading(engine) as conn:
        if among is None:
            return set(conn.execute(query).scalars())
        found: set[str] = set()
        for chunk in _chunks(list(among)):
            found.update(conn.execute(query.where(events.c.event_id.in_(chunk))).scalars())
        return found


def event_exists(engine: Bind, event_id: str) -> bool:
    with reading(engine) as conn:
        return conn.execute(select(events.c.event_id).where(events.c.event_id == event_id)).first() is not None


def stale_event_ids(engine: Bind) -> list[str]:
    """Events whose member count changed behind their back (a document was deleted)."""
    counts = select(event_members.c.event_id, func.count().label("n")).group_by(event_members.c.event_id).subquery()
    query = (
        select(events.c.event_id)
        .outerjoin(counts, counts.c.event_id == events.c.event_id)
        .where(or_(counts.c.n.is_(None), counts.c.n != events.c.n_records))
    )
    with reading(engine) as conn:
        return list(conn.execute(query).scalars())


def load_overrides(engine: Bind) -> list[tuple[str, str, str]]:
    with reading(engine) as conn:
        rows = conn.execute(
            select(event_overrides.c.op, event_overrides.c.record_a, event_overrides.c.record_b).order_by(
                event_overrides.c.id
            )
        )
        return [tuple(r) for r in rows]


def add_overrides(engine: Bind, op: str, pairs: list[tuple[str, str]]) -> None:
    """Record analyst decisions; a new decision about a pair replaces any earlier one about it."""
    now = datetime.now(UTC)
    with writing(engine) as conn:
        for a, b in pairs:
            conn.execute(
                delete(event_overrides).where(
                    or_(
                        (event_overrides.c.record_a == a) & (event_overrides.c.record_b == b),
                        (event_overrides.c.record_a == b) & (event_overrides.c.record_b == a),
                    )
                )
            )
        if pairs:
            conn.execute(
                insert(event_overrides),
                [{"op": op, "record_a": a, "record_b": b, "created_at": now} for a, b in pairs],
            )


def remove_members(bind: Bind, record_ids: list[str]) -> None:
    """Take records out of their events (an analyst changed them; they are resolved again)."""
    with writing(bind) as conn:
        for chunk in _chunks(list(record_ids)):
            conn.execute(delete(event_members).where(event_members.c.record_id.in_(chunk)))


def event_row(event_id: str, fields: dict) -> dict:
    """The table row of an event from its merged fields (resolve.merge.summarize)."""
    location = fields.get("location") or {}
    killed = fields.get("killed") or {}
    wounded = fields.get("wounded") or {}
    groups = {fields["victim_group"], *fields.get("victim_groups_all", ())}
    return {
        "event_id": event_id,
        "event_type": fields.get("event_type"),
        "sub_event_type": fields.get("sub_event_type"),
        "date": date.fromisoformat(fields["date"]) if fields.get("date") else None,
        "date_precision": fields.get("date_precision"),
        "perpetrator": fields.get("perpetrator") or "unknown",
        "victim_group": fields.get("victim_group") or "unknown",
        "victim_groups": "|" + "|".join(sorted(g for g in groups if g)) + "|",
        "admin1": location.get("admin1"),
        "admin2": location.get("admin2"),
        "country": location.get("country"),
        "lat": location.get("lat"),
        "lon": location.get("lon"),
        "killed_low": killed.get("low"),
        "killed_best": killed.get("best"),
        "killed_high": killed.get("high"),
        "wounded_low": wounded.get("low"),
        "wounded_best": wounded.get("best"),
        "wounded_high": wounded.get("high"),
        "n_sources": fields["n_sources"],
        "n_records": fields["n_records"],
        "data": {k: v for k, v in fields.items() if k != "victim_groups_all"},
        "updated_at": datetime.now(UTC),
    }


def save_events(
    engine: Bind, rows: list[dict], members: list[dict], drop: Iterable[str] = (), replace_all: bool = False
) -> None:
    """Write events (rows from `event_row`) and their full member lists in one transaction.

    Events in `rows` are replaced with their members; events in `drop` are deleted; `replace_all`
    empties both tables first (a full re-resolution).
    """
    with writing(engine) as conn:
        if replace_all:
            conn.execute(delete(event_members))
            conn.execute(delete(events))
        else:
            gone = list({*drop, *(r["event_id"] for r in rows)})
            days, places = summaries.keys_of(conn, gone)
            for chunk in _chunks(gone):
                conn.execute(delete(event_members).where(event_members.c.event_id.in_(chunk)))
                conn.execute(delete(events).where(events.c.event_id.in_(chunk)))
            for chunk in _chunks([m["record_id"] for m in members]):
                conn.execute(delete(event_members).where(event_members.c.record_id.in_(chunk)))
        for chunk in _chunks(rows, 5000):
            conn.execute(insert(events), chunk)
        for chunk in _chunks(members, 5000):
            conn.execute(insert(event_members), chunk)
        # The pre-aggregated sums follow in the same transaction (store.summaries).
        if replace_all:
            summaries.rebuild(conn)
        else:
            new_days, new_places = summaries.keys_of_rows(rows)
            summaries.refresh(conn, days | new_days, places | new_places)


def _apply_filters(query: Select, filters: Filters, walk_text: bool = False) -> Select:
    """Filters on events; `walk_text`: the text filter checked event by event (a common needle in a listing)."""
    conditions = []
    if filters.since:
        conditions.append(events.c.date >= parameter("since", filters.since))
    if filters.until:
        conditions.append(events.c.date <= parameter("until", filters.until))
    conditions += field_conditions(events, filters)
    if filters.doc_id or filters.text:
        members = select(event_members.c.event_id).join(records, records.c.record_id == event_members.c.record_id)
        if filters.doc_id:
            members = members.where(records.c.doc_id == filters.doc_id)
        if filters.text:
            contains = row_contains if walk_text else document_contains
            members = members.where(contains(records.c.doc_id, filters.text))
        if walk_text:
            conditions.append(members.where(event_members.c.event_id == events.c.event_id).exists())
        else:
            conditions.append(events.c.event_id.in_(members))
    return query.where(*conditions) if conditions else query


def query_events(
    engine: Engine,
    filters: Filters | None = None,
    limit: int | None = None,
    offset: int = 0,
    after: str | None = None,
    common: bool | None = None,
) -> list[dict]:
    """Events in date order, each {"event_id", merged fields…, "sources": [member records…]}; a page of
    `limit` after `offset` events or after the cursor `after` (store.paging). `common`: as in
    records.iter_records."""
    filters = filters or Filters()
    with engine.connect() as conn:
        query = select(events.c.event_id, events.c.data).order_by(events.c.date, events.c.event_id)
        if limit is None and after is None:
            query = _apply_filters(query, filters)
        else:
            # Page over the (date, event_id) index alone, then read the page's rows: an OFFSET deep into a
            # million events skips index entries instead of table rows; a cursor seeks.
            query = query.where(events.c.event_id.in_(_page_ids(conn, filters, limit, offset, after, common)))
        found = [{"event_id": r.event_id, **r.data, "sources": []} for r in conn.execute(query)]
        by_id = {e["event_id"]: e for e in found}
        member_query = (
            select(
                event_members.c.event_id,
                event_members.c.record_id,
                event_members.c.reason,
                event_members.c.score,
                records.c.data,
                documents.c.published,
                documents.c.outlet,
                documents.c.url,
                documents.c.title,
            )
            .join(records, records.c.record_id == event_members.c.record_id)
            .join(documents, documents.c.doc_id == records.c.doc_id)
            .order_by(event_members.c.record_id)
        )
        for chunk in _chunks(list(by_id)):
            for row in conn.execute(member_query.where(event_members.c.event_id.in_(chunk))):
                by_id[row.event_id]["sources"].append(_source(row))
    return found


def _page_ids(
    conn, filters: Filters, limit: int | None, offset: int, after: str | None, common: bool | None = None
) -> Select | list[str]:
    """The ids of a listing's page: a common needle checked along the listing's order while that finds it
    (paging.walked_page), else the text index's matches."""

    def listing(columns: list, where: Filters) -> Select:
        ids = _apply_filters(select(*columns), where)
        if after:
            ids = paging.after(ids, events.c.date, events.c.event_id, after, paging.nulls_first(conn))
        return ids.order_by(events.c.date, events.c.event_id)

    if common is None:
        common = is_common(conn, filters.text)
    if limit is not None and common:
        candidates = listing([events.c.event_id, events.c.event_id.label("probe")], replace(filters, text=None))
        walked = paging.walked_page(conn, candidates, lambda ids: _holding(conn, ids, filters.text), limit, offset)
        if walked is not None:
            return walked
    return listing([events.c.event_id], filters).limit(limit).offset(offset)


def _holding(conn, event_ids: list[str], needle: str) -> set[str]:
    """Those of the events with a member whose report's folded text contains `needle`."""
    query = (
        select(event_members.c.event_id)
        .join(records, records.c.record_id == event_members.c.record_id)
        .join(documents, documents.c.doc_id == records.c.doc_id)
        .where(
            event_members.c.event_id.in_(set(event_ids)),
            documents.c.text_norm.contains(folded_needle(needle), autoescape=True),
        )
    )
    return set(conn.execute(query).scalars())


def _source(row) -> dict:
    data = row.data
    return {
        "record_id": row.record_id,
        "doc_id": data["doc_id"],
        "published": row.published.isoformat() if row.published else None,
        "outlet": row.outlet,
        "url": row.url,
        "title": row.title,
        "date": data.get("date"),
        "date_precision": data.get("date_precision"),
        "sub_event_type": data.get("sub_event_type"),
        "perpetrator": data.get("perpetrator"),
        "victim_group": data.get("victim_group"),
        "killed": data.get("killed"),
        "wounded": data.get("wounded"),
        "location": data.get("location"),
        "evidence": data.get("evidence") or [],
        "reason": row.reason,
    }


def events_killed(
    bind: Bind, filters: Filters | None = None, walk_text: bool | None = None
) -> tuple[int, int, int, int]:
    """(events, sum of low, sum of best-or-low, sum of high-or-best-or-low) of killed over events.

    `walk_text`: whether a text filter is checked event by event (None: if the needle is common: each
    candidate event's reports are checked, rather than every report that holds it gathered first; the
    other filters, a tally's period and governorate, usually leave few events). A tally page sums twenty
    populations of one shape: the statement is built once per shape (records.built_once)."""
    filters = filters or Filters()
    with reading(bind) as conn:
        if summaries.serves(filters):
            return summaries.killed(conn, filters)
        if walk_text is None:
            walk_text = is_common(conn, filters.text)
        statement = built_once(("events_killed", walk_text), filters, lambda f: _apply_filters(
            select(*summaries.event_totals(events)).select_from(events), f, walk_text))  # fmt: skip
        return tuple(conn.execute(statement, filter_values(filters)).one())


def count_listing(engine: Engine, filters: Filters, common: bool | None = None) -> tuple[int, bool] | None:
    """(total, exact) of the events a listing filters: exact without filters, else up to paging.COUNT_CAP;
    None for a common text needle (see records.count_listing)."""
    with engine.connect() as conn:
        if summaries.unfiltered(filters):
            return conn.execute(select(func.count()).select_from(events)).scalar_one(), True
        if is_common(conn, filters.text) if common is None else common:
            return None
        return paging.capped_count(conn, _apply_filters(select(events.c.event_id), filters))


def count_events(engine: Bind) -> int:
    with reading(engine) as conn:
        return conn.execute(select(func.count()).select_from(events)).scalar_one()
