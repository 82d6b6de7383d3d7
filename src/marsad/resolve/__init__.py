"""Cross-report resolution: events from records, tally reconciliation, analyst overrides.

`update_events(engine)` groups the stored incident records that are in no event yet into events,
extending existing events rather than rebuilding them; `update_events(engine, full=True)` rebuilds
all events (ids are kept by the events that keep most of their members). Analyst overrides
(`merge_events`, `split_event`) are stored as must/cannot links between records and win on every run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from sqlalchemy import Engine

from marsad.model import Record
from marsad.resolve.cluster import Cluster, Overrides, Resolver, resolve_items
from marsad.resolve.features import Item, to_item
from marsad.resolve.merge import event_id_for, summarize
from marsad.resolve.similarity import text_bonus, tie_break
from marsad.store import events as store

__all__ = [
    "Item",
    "Overrides",
    "merge_events",
    "refresh_records",
    "resolve_items",
    "split_event",
    "to_item",
    "update_events",
]

# Members of existing events this many days around new records are loaded to be extended.
_WINDOW = 4


def _item(row) -> Item:
    return to_item(row.record_id, Record.from_dict(row.data), row.published)


def _assign_ids(
    clusters: list[Cluster], previous: dict[str, str], used: Callable[[str], bool] = lambda _: False
) -> None:
    """An event keeps the id that most of its members had; a new one takes an id from its members.
    `used`: whether an id is held by another event, so that a new id must not take it."""
    taken: set[str] = set()
    for cluster in sorted(clusters, key=lambda c: -len(c.members)):
        if cluster.event_id and cluster.event_id not in taken:
            taken.add(cluster.event_id)
            continue
        votes: dict[str, int] = {}
        for m in cluster.members:
            old = previous.get(m.record_id)
            if old and old not in taken:
                votes[old] = votes.get(old, 0) + 1
        if votes:
            cluster.event_id = min(votes, key=lambda e: (-votes[e], e))
        else:
            base = event_id_for([m.record_id for m in cluster.members])
            cluster.event_id, n = base, 1
            while cluster.event_id in taken or used(cluster.event_id):
                n += 1
                cluster.event_id = f"{base}-{n}"
        taken.add(cluster.event_id)


def _rows(clusters: list[Cluster]) -> tuple[list[dict], list[dict]]:
    rows, members = [], []
    for cluster in clusters:
        rows.append(store.event_row(cluster.event_id, summarize(cluster.members)))
        for m in cluster.members:
            members.append(
                {
                    "record_id": m.record_id,
                    "event_id": cluster.event_id,
                    "score": cluster.scores.get(m.record_id),
                    "reason": cluster.reasons.get(m.record_id, ""),
                }
            )
    return rows, members


def _resolver(engine: Engine) -> Resolver:
    return Resolver(Overrides.from_pairs(store.load_overrides(engine)), tie_break, text_bonus)


def _rebuild(engine: Engine) -> dict:
    previous = store.membership(engine)
    resolver = _resolver(engine)
    resolver.add_all(_item(r) for r in store.all_incident_records(engine))
    clusters = [c for c in resolver.clusters if c.members]
    _assign_ids(clusters, previous)
    rows, members = _rows(clusters)
    store.save_events(engine, rows, members, replace_all=True)
    return {"records": len(members), "events": len(rows), "changed": len(rows)}


def update_events(engine: Engine, record_ids: Iterable[str] | None = None, full: bool = False) -> dict:
    """Resolve new incident records (all unresolved ones, or those of `record_ids`) into events.

    Only the neighbourhood of the new records is re-resolved: the events with a member within a few
    days of them in their governorates (or in none known; in any when a new record has no
    governorate, as blocking compares it with all), with all their members, plus the new records, in
    date order as a full run would take them. Events elsewhere are left as they are; events keep
    their ids (by most members). Events that lost members to a deleted report are repaired only by a
    call without `record_ids`. Returns counts: records resolved, events in the store, events created
    or changed."""
    if full:
        return _rebuild(engine)
    new = [_item(r) for r in store.unresolved_records(engine, record_ids)]
    # Events that lost members (a report deleted) are repaired by a run over all unresolved records;
    # finding them scans every membership, which an ingest of a few reports should not pay for.
    touched = set(store.stale_event_ids(engine)) if record_ids is None else set()
    if not new and not touched:
        return {"records": 0, "events": store.count_events(engine), "changed": 0}
    touched |= _neighbourhood(engine, new)
    changed = _reresolve(engine, touched, new)
    return {"records": len(new), "events": store.count_events(engine), "changed": changed}


def _neighbourhood(engine: Engine, new: list[Item]) -> set[str]:
    """The events new records may join: a member within a few days, in their governorates."""
    days = [i.day for i in new if i.day is not None]
    if not days:
        return set()
    first = date.fromordinal(min(days)) - timedelta(days=_WINDOW)
    last = date.fromordinal(max(days)) + timedelta(days=_WINDOW)
    return store.events_between(engine, first, last, _governorates(new))


def refresh_records(engine: Engine, record_ids: list[str]) -> int:
    """An analyst changed these records: take them out of their events and resolve them again (a
    rejected record, or one that is now a tally, joins none). Returns how many events were written."""
    before = store.membership(engine, record_ids)
    store.remove_members(engine, record_ids)
    new = [_item(r) for r in store.unresolved_records(engine, record_ids)]
    touched = set(before.values()) | _neighbourhood(engine, new)
    return _reresolve(engine, touched, new) if touched or new else 0


def _governorates(items: list[Item]) -> set[str] | None:
    """The governorates the new records can touch events in (blocking compares only records of one
    governorate, or of none known), or None for all when one of them has no governorate."""
    found = {i.admin1 for i in items if i.day is not None}
    return None if None in found else found


def merge_events(engine: Engine, ids: list[str]) -> str:
    """Analyst: these events (or records) are one event. Returns the surviving event id."""
    record_ids = _records_of(engine, ids)
    anchor = min(record_ids)
    store.add_overrides(engine, "must", [(anchor, r) for r in record_ids if r != anchor])
    before = store.membership(engine, record_ids)
    keep = next((i for i in ids if store.event_exists(engine, i)), None) or before.get(anchor)
    _reresolve(engine, set(before.values()), keep=keep)
    return store.membership(engine, [anchor])[anchor]


def split_event(engine: Engine, target: str) -> list[str]:
    """Analyst: an event's records are separate events (or: this record is not part of its event).
    Returns the event ids that now hold those records."""
    if store.event_exists(engine, target):
        record_ids = store.event_record_ids(engine, target)
        pairs = [(a, b) for i, a in enumerate(record_ids) for b in record_ids[i + 1 :]]
    else:
        event_id = store.membership(engine, [target]).get(target)
        if event_id is None:
            raise KeyError(f"no event or record {target!r}")
        record_ids = store.event_record_ids(engine, event_id)
        pairs = [(target, r) for r in record_ids if r != target]
    store.add_overrides(engine, "cannot", pairs)
    before = store.membership(engine, record_ids)
    _reresolve(engine, set(before.values()))
    after = store.membership(engine, record_ids)
    return sorted(set(after.values()))


def _records_of(engine: Engine, ids: list[str]) -> list[str]:
    found: list[str] = []
    for i in ids:
        members = store.event_record_ids(engine, i)
        if not members and i in store.membership(engine, [i]):
            members = [i]
        if not members:
            raise KeyError(f"no event or record {i!r}")
        found.extend(members)
    return sorted(set(found))


def _reresolve(engine: Engine, old_events: set[str], new: list[Item] = (), keep: str | None = None) -> int:
    """Re-resolve the members of `old_events` (and `new` records) under the overrides now stored.
    Returns how many events were written."""
    members = store.members_of_events(engine, old_events)
    previous = {r.record_id: r.event_id for r in members}
    resolver = _resolver(engine)
    resolver.add_all([*(_item(r) for r in members), *new])
    clusters = [c for c in resolver.clusters if c.members]
    if keep:
        # The event the analyst named first keeps its id.
        owner = next((c for c in clusters if any(previous.get(m.record_id) == keep for m in c.members)), None)
        if owner is not None:
            owner.event_id = keep
    _assign_ids(clusters, previous, lambda i: i not in old_events and bool(store.event_ids(engine, [i])))
    rows, member_rows = _rows(clusters)
    store.save_events(engine, rows, member_rows, drop=old_events)
    return len(rows)
