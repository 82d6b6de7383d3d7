"""Grouping records into events: each record, in date order, joins the best compatible event or starts one.

Blocking keeps it fast: a record is compared only with records of the same governorate (or of
unknown governorate) within a few days that name its town, a place near it or none (`blocking.py`).
A record joins an event when it links to some member, no nearby member vetoes it (complete linkage on vetoes
stops the chaining by which one kidnapping becomes hundreds), its date agrees with the event's, and it names
the event's town no less often than it names another town (a report that only links through a neighbouring
village stays apart).
Analyst overrides win: must-links join, cannot-links keep apart.
Records are taken in date order, so the result does not depend on the order reports arrived in.
"""

from __future__ import annotations

import bisect
import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from marsad.resolve import scoring
from marsad.resolve.blocking import Blocks
from marsad.resolve.features import Item
from marsad.resolve.scoring import PairScore, score_pair

# Two candidate events closer than this are ambiguous for a record; text similarity may break the tie.
AMBIGUITY = 1.0
# Links at least this strong are made as records arrive; weaker ones (down to scoring.THRESHOLD) in a
# second pass over the records left alone, once every event of the batch exists.
STRONG = 2.0
# Pairs this far below the link threshold may be tipped over it by their texts reading alike.
TEXT_GRAY = 1.5


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
    event_id: str | None = None  # the stored event's id, once assigned
    # Precise dates of the members (sorted) and the span of their report dates: bounds no newcomer may stretch.
    precise_days: list[int] = field(default_factory=list)
    rough_days: tuple[int, int] | None = None

    def add(self, item: Item, reason: str, score: float | None = None) -> None:
        self.members.append(item)
        self.reasons[item.record_id] = reason
        if score is not None:
            self.scores[item.record_id] = score
        self.docs.add(item.doc_id)
        self._span(item)

    def _span(self, item: Item) -> None:
        if item.day is None:
            return
        if item.precise:
            bisect.insort(self.precise_days, item.day)
            return
        span = self.rough_days
        self.rough_days = (item.day, item.day) if span is None else (min(span[0], item.day), max(span[1], item.day))

    def fits_dates(self, item: Item) -> bool:
        """Whether the item's date agrees with the event's (no drift from day to day).

        A precise date must be within a day of the event's own date (the median of its members'
        precise dates) and keep all of them within two days: outlets misdate an event by a day either
        way, so one report a day early and another a day late are still one event, but no chain of
        daily events at one place grows beyond three days. A report date may lag by up to three days."""
        day = item.day
        if self.precise_days:
            lo, hi = self.precise_days[0], self.precise_days[-1]
            if item.precise:
                if abs(day - _median(self.precise_days)) > 1 or max(hi, day) - min(lo, day) > 2:
                    return False
            elif not (hi - 1 <= day <= lo + 3):
                return False
        if self.rough_days:
            lo, hi = self.rough_days
            if not (hi - 3 <= day <= lo + (1 if item.precise else 3)):
                return False
        return True


def _median(days: list[int]) -> float:
    n = len(days)
    return days[n // 2] if n % 2 else (days[n // 2 - 1] + days[n // 2]) / 2


TieBreak = Callable[[Item, list[list[Item]]], int | None]
TextBonus = Callable[[Item, Item], tuple | None]


class Resolver:
    """Holds the events built so far and an index of their members by (governorate, day)."""

    def __init__(
        self,
        overrides: Overrides | None = None,
        tie_break: TieBreak | None = None,
        text_bonus: TextBonus | None = None,
    ) -> None:
        self.overrides = overrides or Overrides()
        self.tie_break = tie_break
        self.text_bonus = text_bonus
        self.clusters: list[Cluster] = []
        self.by_record: dict[str, Cluster] = {}
        self._blocks = Blocks()

    def _index(self, item: Item, cluster: Cluster) -> None:
        self.by_record[item.record_id] = cluster
        self._blocks.add(item)

    def _candidates(self, item: Item) -> list[Item]:
        return self._blocks.candidates(item, self._members_of)

    def _members_of(self, member: Item) -> list[Item]:
        return self.by_record[member.record_id].members

    def _options(self, item: Item) -> list[tuple[float, Cluster, Item, PairScore]]:
        """Events the item links to: the best-linked member per event, events with a veto left out, and
        events whose members name another town more often than the item's."""
        barred: set[int] = set()
        fitting: set[int] = set()  # events whose reports, dates and analyst links admit the item
        places: dict[int, int] = defaultdict(int)
        scored: list[tuple[int, Cluster, Item, PairScore]] = []
        cannot = self.overrides.cannot.get(item.record_id, ())
        by_record = self.by_record
        for member in self._candidates(item):
            cluster = by_record[member.record_id]
            key = id(cluster)
            if key in barred:
                continue
            if key not in fitting:
                if (
                    item.doc_id in cluster.docs
                    or not cluster.fits_dates(item)
                    or (cannot and any(m.record_id in cannot for m in cluster.members))
                ):
                    barred.add(key)
                    continue
                fitting.add(key)
            pair = score_pair(item, member)
            places[key] += pair.place
            if pair.veto:
                barred.add(key)
                continue
            if member.record_id != item.record_id:
                scored.append((key, cluster, member, pair))
        return self._best_links([s for s in scored if s[0] not in barred and places[s[0]] >= 0], item)

    def _best_links(self, scored: list, item: Item) -> list[tuple[float, Cluster, Item, PairScore]]:
        """The best link per event, in the order the pairs were met. The text is read only for a pair the
        structured fields leave just short of a link, in an event no veto bars, and only when its bonus
        could beat the event's best link so far: the encoder is the costliest step of resolution."""
        best: dict[int, tuple[float, Cluster, Item, PairScore]] = {}
        gray = scoring.THRESHOLD - TEXT_GRAY - 1e-6
        for key, cluster, member, pair in scored:
            undecided = self.text_bonus and not pair.linked and pair.score >= gray
            if undecided and (key not in best or round(pair.score + scoring.TEXT_BONUS, 6) > best[key][0]):
                bonus = self.text_bonus(item, member)
                if bonus:
                    pair.add(*bonus)
            if pair.linked:
                score = round(pair.score, 6)
                if key not in best or score > best[key][0]:
                    best[key] = (score, cluster, member, pair)
        return sorted(best.values(), key=lambda v: -v[0])

    def _forced(self, item: Item) -> Cluster | None:
        for partner in self.overrides.must.get(item.record_id, ()):
            if partner in self.by_record:
                return self.by_record[partner]
        return None

    def _new(self, item: Item, reason: str) -> Cluster:
        cluster = Cluster()
        cluster.add(item, reason)
        self.clusters.append(cluster)
        self._index(item, cluster)
        return cluster

    def add(self, item: Item, min_score: float | None = None) -> Cluster:
        """Place one item: into the event it links to with at least `min_score` (default STRONG),
        else a new event."""
        min_score = STRONG if min_score is None else min_score
        forced = self._forced(item)
        if forced is not None:
            # Keep the machine's reason when it agrees with the analyst.
            agreed = [o for o in self._options(item) if o[1] is forced] if item.day is not None else []
            if agreed:
                self._join(item, agreed, 0)
                forced.reasons[item.record_id] += " (analyst merge agrees)"
            else:
                forced.add(item, "analyst merge")
                self._index(item, forced)
            return forced
        options = [o for o in self._options(item) if o[0] >= min_score] if item.day is not None else []
        if not options:
            return self._new(item, "first report")
        choice = self._choose(item, options)
        if choice is None:
            return self._new(item, f"first report; not merged: fits {len(options)} events about equally")
        self._join(item, options, choice)
        return self.by_record[item.record_id]

    def _choose(self, item: Item, options: list) -> int | None:
        """Which event to join, or None when the structured fields cannot tell and the text does not."""
        if len(options) == 1 or options[0][0] - options[1][0] >= AMBIGUITY:
            return 0
        return self.tie_break(item, [o[1].members for o in options]) if self.tie_break else None

    def _join(self, item: Item, options: list, choice: int) -> None:
        score, cluster, member, pair = options[choice]
        others = [o[0] for i, o in enumerate(options) if i != choice]
        note = f" (runner-up event scored {max(others):.1f})" if others else ""
        cluster.add(item, f"same event as {member.record_id}: {pair.explain()}{note}", score)
        self._index(item, cluster)

    def _attach_loners(self, loners: list[Cluster]) -> None:
        """Second pass: a report that founded an event alone joins an event it links to more weakly,
        when that event is the only good fit (the strong pass has by now built all the events)."""
        for cluster in loners:
            if len(cluster.members) != 1:
                continue
            item = cluster.members[0]
            if item.day is None or item.record_id in self.overrides.must:
                continue
            options = [o for o in self._options(item) if o[1] is not cluster]
            if not options:
                continue
            choice = self._choose(item, options)
            if choice is None:
                cluster.reasons[item.record_id] = f"first report; not merged: fits {len(options)} events about equally"
                continue
            self._remove_index(item)
            cluster.members = []
            self._join(item, options, choice)

    def _remove_index(self, item: Item) -> None:
        self._blocks.remove(item)

    def add_all(self, items: Iterable[Item]) -> None:
        with _collector_paused():
            created = []
            for item in sorted(items, key=order_key):
                before = len(self.clusters)
                cluster = self.add(item)
                if len(self.clusters) > before:
                    created.append(cluster)
            self._attach_loners(created)
            self._join_forced()

    def _join_forced(self) -> None:
        """Must-links whose records ended in different events (order of arrival) join those events."""
        for a, partners in self.overrides.must.items():
            for b in partners:
                ca, cb = self.by_record.get(a), self.by_record.get(b)
                if ca is None or cb is None or ca is cb:
                    continue
                keep, gone = (ca, cb) if len(ca.members) >= len(cb.members) else (cb, ca)
                for item in gone.members:
                    keep.add(item, "analyst merge")
                    self.by_record[item.record_id] = keep
                gone.members = []


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Resolution makes millions of short-lived objects (pair scores, candidate lists) while it holds every
    record: the cycle collector would scan the records again and again (a fifth of the time of a large
    run); what it makes forms no cycles, so reference counting frees it (any cycle waits for the end)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def order_key(item: Item) -> tuple:
    # Within a day: precise dates and places first, so that reports dated by publication or placed
    # only in a region join the event they report rather than founding one.
    return (item.day if item.day is not None else 10**9, not item.precise, item.area, item.record_id)


def resolve_items(
    items: Iterable[Item],
    overrides: Overrides | None = None,
    tie_break: TieBreak | None = None,
    text_bonus: TextBonus | None = None,
) -> list[Cluster]:
    """Group items into events from scratch (pure: no store)."""
    resolver = Resolver(overrides, tie_break, text_bonus)
    resolver.add_all(items)
    return [c for c in resolver.clusters if c.members]
