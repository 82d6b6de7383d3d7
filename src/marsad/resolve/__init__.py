"""Cross-report resolution: events from records, tally reconciliation, analyst overrides.

`update_events(engine)` groups the stored incident records that are in no event yet into events,
extending existing events rather than rebuilding them; `update_events(engine, full=True)` rebuilds
all events. Ids stay: an event keeps its id as it grows, a merge keeps the oldest id and leaves the
others as aliases (`store.event_history`), a split keeps it on the part holding the earliest record.
Analyst overrides (`merge_events`, `split_event`) are stored as must/cannot links between records and
win on every run. Every regrouping is one transaction holding the events lock: one at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import Connection, Engine

from marsad.model import Record
from marsad.resolve.cluster import Cluster, Overrides, Resolver, order_key, resolve_items
from marsad.resolve.features import Item, to_item
from marsad.resolve.merge import event_id_for, summarize
from marsad.resolve.similarity import Asked, Vectors, has_encoder, text_functions, text_key
from marsad.store import event_history as history
from marsad.store import events as store
from marsad.store.vectors import cached_keys, load_vectors, save_vectors

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

# New texts without a cached vector from which a first pass to find the texts to encode together pays:
# below, that pass (a resolution of the whole neighbourhood) costs more than encoding one by one does.
_BATCH_WORTH = 20


def _item(row) -> Item:
    return to_item(row.record_id, Record.from_dict(row.data), row.published)


def _assign_ids(conn: Connection, clusters: list[Cluster], previous: dict[str, str], old_events: set[str]) -> None:
    """Ids that stay: an old id stays with the part holding its earliest record; a part holding the
    earliest records of several (a merge) keeps the oldest, the others become aliases of it; a part
    holding none takes a new id from its members. Old ids that kept no record end. All of it is
    written to the id history in `conn`, the regrouping's transaction."""
    earliest: dict[str, tuple] = {}  # old id -> (order key of its earliest record, cluster index)
    for index, cluster in enumerate(clusters):
        for m in cluster.members:
            old = previous.get(m.record_id)
            if old and (old not in earliest or order_key(m) < earliest[old][0]):
                earliest[old] = (order_key(m), index)
    claims: dict[int, list[str]] = {}
    for old, (_, index) in earliest.items():
        claims.setdefault(index, []).append(old)
    age = history.ages(conn, earliest)
    bases = {i: event_id_for([m.record_id for m in c.members]) for i, c in enumerate(clusters) if i not in claims}
    taken = set(history.ages(conn, bases.values()))  # ids issued before, which a new event must not take
    merged: dict[str, str] = {}
    born: list[str] = []
    for index, cluster in sorted(enumerate(clusters), key=lambda c: min(order_key(m) for m in c[1].members)):
        claimed = sorted(claims.get(index, []), key=lambda i: (age.get(i, 10**12), i))
        if claimed:
            cluster.event_id = claimed[0]
            merged.update((old, claimed[0]) for old in claimed[1:])
        else:
            cluster.event_id = _new_id(conn, bases[index], taken)
            born.append(cluster.event_id)
        taken.add(cluster.event_id)
    ended = (old_events | set(previous.values())) - set(earliest)
    history.record_changes(conn, born, merged, ended, alive=[c.event_id for c in clusters if c.event_id not in born])


def _new_id(conn: Connection, base: str, taken: set[str]) -> str:
    """`base` (from the event's smallest member) unless taken (`taken` holds every issued id among
    the bases): then `base-2`, `base-3`… not given before either (an old id may live on as an alias)."""
    event_id, n = base, 1
    while event_id in taken or (n > 1 and history.issued(conn, event_id)):
        n += 1
        event_id = f"{base}-{n}"
    return event_id


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


def _resolve(conn: Connection, items: list[Item], new: list[Item]) -> list[Cluster]:
    """The events of `items` under the stored overrides, reading texts through the store's vector cache.

    When many texts of the `new` items (a bulk ingest) are not cached, a first pass on the structured
    fields alone (cheap beside the encoder) tells which texts its undecided pairs read, and those are
    encoded in one batch; a text only the real pass asks for is encoded then. The vectors encoded are
    cached."""
    overrides = Overrides.from_pairs(store.load_overrides(conn))
    vectors = Vectors(load=lambda keys: load_vectors(conn, keys))
    if has_encoder() and _uncached(conn, new) >= _BATCH_WORTH:
        asked = Asked()
        Resolver(overrides, asked.tie_break, asked.text_bonus).add_all(items)
        vectors.prefetch(asked.texts)
    resolver = Resolver(overrides, *text_functions(vectors))
    resolver.add_all(items)
    save_vectors(conn, vectors.fresh)
    return [c for c in resolver.clusters if c.members]


def _uncached(conn: Connection, items: list[Item]) -> int:
    """How many distinct texts of `items` have no cached vector."""
    keys = list({text_key(i.text) for i in items if i.text})
    return len(keys) - len(cached_keys(conn, keys))


def _rebuild(conn: Connection) -> dict:
    previous = store.membership(conn)
    items = [_item(r) for r in store.all_incident_records(conn)]
    clusters = _resolve(conn, items, items)
    _assign_ids(conn, clusters, previous, store.event_ids(conn))
    rows, members = _rows(clusters)
    store.save_events(conn, rows, members, replace_all=True)
    return {"records": len(members), "events": len(rows), "changed": len(rows)}


def update_events(engine: Engine, record_ids: Iterable[str] | None = None, full: bool = False) -> dict:
    """Resolve new incident records (all unresolved ones, or those of `record_ids`) into events.

    Only the neighbourhood of the new records is re-resolved: the events with a member within a few
    days of them in their governorates (or in none known; in any when a new record has no
    governorate, as blocking compares it with all), with all their members, plus the new records, in
    date order as a full run would take them. Events elsewhere are left as they are; ids stay (see
    `_assign_ids`). Events that lost members to a deleted report are repaired only by a call without
    `record_ids`. One regrouping at a time: the whole run is one transaction holding the events lock,
    so concurrent ingests end as if run one after the other. Returns counts: records resolved, events
    in the store, events created or changed."""
    with history.regrouping(engine) as conn:
        return _rebuild(conn) if full else _update(conn, record_ids)


def _update(conn: Connection, record_ids: Iterable[str] | None) -> dict:
    new = [_item(r) for r in store.unresolved_records(conn, record_ids)]
    # Events that lost members (a report deleted) are repaired by a run over all unresolved records;
    # finding them scans every membership, which an ingest of a few reports should not pay for.
    touched = set(store.stale_event_ids(conn)) if record_ids is None else set()
    if not new and not touched:
        return {"records": 0, "events": store.count_events(conn), "changed": 0}
    touched |= _neighbourhood(conn, new)
    changed = _reresolve(conn, touched, new)
    return {"records": len(new), "events": store.count_events(conn), "changed": changed}


def _neighbourhood(conn: Connection, new: list[Item]) -> set[str]:
    """The events new records may join: a member within a few days, in their governorates."""
    days = [i.day for i in new if i.day is not None]
    if not days:
        return set()
    first = date.fromordinal(min(days)) - timedelta(days=_WINDOW)
    last = date.fromordinal(max(days)) + timedelta(days=_WINDOW)
    return store.events_between(conn, first, last, _governorates(new))


def refresh_records(engine: Engine, record_ids: list[str]) -> int:
    """An analyst changed these records: take them out of their events and resolve them again (a
    rejected record, or one that is now a tally, joins none), as one regrouping. Returns how many
    events were written."""
    with history.regrouping(engine) as conn:
        before = store.membership(conn, record_ids)
        store.remove_members(conn, record_ids)
        new = [_item(r) for r in store.unresolved_records(conn, record_ids)]
        touched = set(before.values()) | _neighbourhood(conn, new)
        return _reresolve(conn, touched, new) if touched or new else 0


def _governorates(items: list[Item]) -> set[str] | None:
    """The governorates the new records can touch events in (blocking compares only records of one
    governorate, or of none known), or None for all when one of them has no governorate."""
    found = {i.admin1 for i in items if i.day is not None}
    return None if None in found else found


def merge_events(engine: Engine, ids: list[str]) -> str:
    """Analyst: these events (or records) are one event. Returns the surviving event id: the oldest
    of theirs; the others live on as its aliases."""
    with history.regrouping(engine) as conn:
        record_ids = _records_of(conn, ids)
        anchor = min(record_ids)
        store.add_overrides(conn, "must", [(anchor, r) for r in record_ids if r != anchor])
        before = store.membership(conn, record_ids)
        _reresolve(conn, set(before.values()))
        return store.membership(conn, [anchor])[anchor]


def split_event(engine: Engine, target: str) -> list[str]:
    """Analyst: an event's records are separate events (or: this record is not part of its event).
    Returns the event ids that now hold those records; the part with the earliest record keeps the id."""
    with history.regrouping(engine) as conn:
        target = _live(conn, target)
        if store.event_exists(conn, target):
            record_ids = store.event_record_ids(conn, target)
            pairs = [(a, b) for i, a in enumerate(record_ids) for b in record_ids[i + 1 :]]
        else:
            event_id = store.membership(conn, [target]).get(target)
            if event_id is None:
                raise KeyError(f"no event or record {target!r}")
            record_ids = store.event_record_ids(conn, event_id)
            pairs = [(target, r) for r in record_ids if r != target]
        store.add_overrides(conn, "cannot", pairs)
        before = store.membership(conn, record_ids)
        _reresolve(conn, set(before.values()))
        after = store.membership(conn, record_ids)
        return sorted(set(after.values()))


def _live(conn: Connection, event_id: str) -> str:
    """The event an id names now: itself, or the event it was merged into."""
    return (history.fate(conn, event_id) or {}).get("merged_into") or event_id


def _records_of(conn: Connection, ids: list[str]) -> list[str]:
    found: list[str] = []
    for i in ids:
        members = store.event_record_ids(conn, _live(conn, i))
        if not members and i in store.membership(conn, [i]):
            members = [i]
        if not members:
            raise KeyError(f"no event or record {i!r}")
        found.extend(members)
    return sorted(set(found))


def _reresolve(conn: Connection, old_events: set[str], new: list[Item] = ()) -> int:
    """Re-resolve the members of `old_events` (and `new` records) under the overrides now stored.
    Returns how many events were written."""
    members = store.members_of_events(conn, old_events)
    previous = {r.record_id: r.event_id for r in members}
    clusters = _resolve(conn, [*(_item(r) for r in members), *new], list(new))
    _assign_ids(conn, clusters, previous, old_events)
    rows, member_rows = _rows(clusters)
    store.save_events(conn, rows, member_rows, drop=old_events)
    return len(rows)
