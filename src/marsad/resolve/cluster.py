"""Grouping records into events: each record, in date order, joins the best compatible event or starts one.

Blocking keeps it fast: a record is compared only with records of the same governorate (or of
unknown governorate) within a few days. A record joins an event when it links to some member and
no nearby member vetoes it (complete linkage on vetoes stops the chaining by which one kidnapping
becomes hundreds). Analyst overrides win: must-links join, cannot-links keep apart.
Existing events can be seeded, so new reports extend them instead of rebuilding everything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from marsad.resolve.features import Item
from marsad.resolve.scoring import PairScore, score_pair

# Two candidate events closer than this are ambiguous for a record; text similarity may break the tie.
AMBIGUITY = 1.0


@dataclass
class Overrides:
    """Analyst decisions between records: record_id -> record_ids it must / must not share an event with."""

    must: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    cannot: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str, str]]) -> Overrides:
        """From (op, record_a, record_b) rows, op "must" or "cannot"."""
        overrides = cls()
        for op, a, b in pairs:
            table = overrides.must if op == "must" else overrides.cannot
            table[a].add(b)
            table[b].add(a)
        return overrides


@dataclass
class Cluster:
    members: list[Item] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    docs: set[str] = field(default_factory=set)
    event_id: str | None = None  # set when the event already exists in the store
    changed: bool = True

    def add(self, item: Item, reason: str, score: float | None = None) -> None:
        self.members.append(item)
        self.reasons[item.record_id] = reason
        if score is not None:
            self.scores[item.record_id] = score
        self.docs.add(item.doc_id)
        self.changed = True


TieBreak = Callable[[Item, list[Item], list[Item]], int]


class Resolver:
    """Holds the events built so far and an index of their members by (governorate, day)."""

    def __init__(self, overrides: Overrides | None = None, tie_break: TieBreak | None = None) -> None:
        self.overrides = overrides or Overrides()
        self.tie_break = tie_break
        self.clusters: list[Cluster] = []
        self.by_record: dict[str, Cluster] = {}
        self._by_admin: dict[tuple[str, int], list[Item]] = defaultdict(list)
        self._no_admin: dict[int, list[Item]] = defaultdict(list)
        self._by_day: dict[int, list[Item]] = defaultdict(list)

    def _index(self, item: Item, cluster: Cluster) -> None:
        self.by_record[item.record_id] = cluster
        if item.day is None:
            return
        self._by_day[item.day].append(item)
        if item.admin1:
            self._by_admin[(item.admin1, item.day)].append(item)
        else:
            self._no_admin[item.day].append(item)

    def seed(self, event_id: str, members: list[tuple[Item, str]]) -> Cluster:
        """An existing event with its members and their stored reasons; left as is unless extended."""
        cluster = Cluster(event_id=event_id, changed=False)
        for item, reason in members:
            cluster.members.append(item)
            cluster.reasons[item.record_id] = reason
            cluster.docs.add(item.doc_id)
            self._index(item, cluster)
        self.clusters.append(cluster)
        return cluster

    def _candidates(self, item: Item) -> list[Item]:
        # A precise date links only to dates a day earlier, or to report dates up to three days later.
        low, high = (item.day - 1, item.day + 3) if item.precise else (item.day - 3, item.day + 3)
        found: list[Item] = []
        for day in range(low, high + 1):
            if item.admin1:
                found.extend(self._by_admin.get((item.admin1, day), ()))
                found.extend(self._no_admin.get(day, ()))
            else:
                found.extend(self._by_day.get(day, ()))
        if item.country:
            found = [m for m in found if m.country in (None, item.country)]
        return found

    def _options(self, item: Item) -> list[tuple[float, Cluster, Item, PairScore]]:
        """Events the item could join: best-linked member per event, events with a veto left out."""
        best: dict[int, tuple[float, Cluster, Item, PairScore]] = {}
        barred: set[int] = set()
        cannot = self.overrides.cannot.get(item.record_id, ())
        for member in self._candidates(item):
            cluster = self.by_record[member.record_id]
            key = id(cluster)
            if key in barred:
                continue
            if item.doc_id in cluster.docs or any(m.record_id in cannot for m in cluster.members):
                barred.add(key)
                continue
            pair = score_pair(item, member)
            if pair.veto:
                barred.add(key)
                best.pop(key, None)
                continue
            if pair.linked and (key not in best or pair.score > best[key][0]):
                best[key] = (pair.score, cluster, member, pair)
        return sorted((v for k, v in best.items() if k not in barred), key=lambda v: -v[0])

    def _forced(self, item: Item) -> Cluster | None:
        for partner in self.overrides.must.get(item.record_id, ()):
            if partner in self.by_record:
                return self.by_record[partner]
        return None

    def add(self, item: Item) -> Cluster:
        forced = self._forced(item)
        if forced is not None:
            forced.add(item, "analyst merge")
            self._index(item, forced)
            return forced
        options = self._options(item) if item.day is not None else []
        if not options:
            cluster = Cluster()
            cluster.add(item, "first report")
            self.clusters.append(cluster)
            self._index(item, cluster)
            return cluster
        choice = 0
        if len(options) > 1 and options[0][0] - options[1][0] < AMBIGUITY and self.tie_break:
            choice = self.tie_break(item, options[0][1].members, options[1][1].members)
        score, cluster, member, pair = options[choice]
        note = f" (close call against another event, {options[1 - choice][0]:.1f})" if len(options) > 1 else ""
        cluster.add(item, f"same event as {member.record_id}: {pair.explain()}{note}", score)
        self._index(item, cluster)
        return cluster

    def add_all(self, items: Iterable[Item]) -> None:
        for item in sorted(items, key=order_key):
            self.add(item)
        self._join_forced()

    def _join_forced(self) -> None:
        """Must-links whose records ended in different events (order of arrival) join those events."""
        for a, partners in self.overrides.must.items():
            for b in partners:
                ca, cb = self.by_record.get(a), self.by_record.get(b)
                if ca is None or cb is None or ca is cb:
                    continue
                keep, gone = (ca, cb) if ca.event_id or not cb.event_id else (cb, ca)
                for item in gone.members:
                    keep.add(item, "analyst merge")
                    self.by_record[item.record_id] = keep
                gone.members = []
                gone.changed = True


def order_key(item: Item) -> tuple:
    # Within a day: precise dates and places first, so that reports dated by publication or placed
    # only in a region join the event they report rather than founding one.
    return (item.day if item.day is not None else 10**9, not item.precise, item.area, item.record_id)


def resolve_items(
    items: Iterable[Item], overrides: Overrides | None = None, tie_break: TieBreak | None = None
) -> list[Cluster]:
    """Group items into events from scratch (pure: no store)."""
    resolver = Resolver(overrides, tie_break)
    resolver.add_all(items)
    return [c for c in resolver.clusters if c.members]
