"""Which records a record is compared with: blocks on governorate, day and place, so that the candidates
stay few however many events crowd one period (a campaign puts hundreds of reports a day in one city).

A record named at a town is compared with the records of its governorate, within its days, that
- name a place sharing a word with its own (by consonant skeleton, so that transliterations meet),
- are within a grid cell of it (neighbouring villages ~2 km apart may be one event),
- name only an area or no place, or have no governorate;
plus the other members, in reach, of the events these belong to, so the town vote of an event (do its
members name the record's town at least as often as another?) counts the same members as without blocks.
Members of other events name other towns: scored, they could only veto or count against.
A record naming only an area (a governorate, "Idlib countryside") or no place is compared with every
record of its governorate and days, as before.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache
from itertools import count, islice

from marsad.resolve.features import Item
from marsad.resolve.scoring import type_group

# Records a record is compared with at most (before the other members of their events join them): in a dense
# block (hundreds of reports of one city a day), those of the nearest days that agree best on type and actor.
WINDOW = 100
# Records of one block and day read at most, the latest placed first: in a dense block (thousands of reports
# of one city a day) reading them all made each record's cost grow with the block, and resolution quadratic.
SCAN = 3 * WINDOW
# Grid cells at least 2 km wide in Syria and Iraq (latitude 29-37): points 2 km apart are in adjacent cells.
_CELL_LAT, _CELL_LON = 0.02, 0.03


_NOT_KEY = re.compile(r"[aeiouywh'\-]+")


@lru_cache(maxsize=1 << 16)  # place names repeat: a campaign's reports name the same towns
def _words(core: str, place: str) -> list[str]:
    """Block keys of a place name (sorted): its words' consonants (coarser than the skeleton, which keeps a
    word's first vowel and final h), so that spellings that score alike almost always share a key."""
    keys = [_NOT_KEY.sub("", word).replace("q", "k") for word in (core or place).split()]
    return sorted({k for k in keys if k} or {place})


@lru_cache(maxsize=1 << 16)
def _near(cell: tuple[int, int]) -> list[tuple[int, int]]:
    """A grid cell and the eight around it."""
    return [(cell[0] + dy, cell[1] + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]


def _cell(item: Item) -> tuple[int, int] | None:
    if item.lat is None or item.lon is None:
        return None
    return (int(item.lat // _CELL_LAT), int(item.lon // _CELL_LON))


def is_town(item: Item) -> bool:
    return not item.area and bool(item.admin1) and bool(item.place)


class Blocks:
    """An index of the records placed so far, by (governorate, day) and finer keys."""

    def __init__(self) -> None:
        self._seq = count()
        self._order: dict[int, int] = {}  # id(item) -> when it was indexed: candidates keep that order
        # id(item) -> its place in a candidate list: day by day, the governorate's records, then those
        # without one, in the order indexed (`_loose`: day by day, in the order indexed). Packed in one
        # int (day, no governorate, order), which sorts several times faster than a tuple.
        self._rank: dict[int, int] = {}
        self._loose: dict[int, int] = {}
        # Each block holds its records by id(item), in the order placed: removal is O(1), and the latest
        # are read first without reading the rest.
        self._blocks: dict[str, dict[int, _Block]] = defaultdict(dict)  # governorate -> day -> its records
        self._no_admin: dict[int, dict[int, Item]] = defaultdict(dict)
        self._by_day: dict[int, dict[int, Item]] = defaultdict(dict)
        # id(item) -> (item, its block keys): computed once per record, not once per day it is looked up on.
        self._keys: dict[int, tuple[Item, _Keys]] = {}

    def _keys_of(self, item: Item) -> _Keys:
        known = self._keys.get(id(item))
        if known is None:
            known = self._keys[id(item)] = (item, _Keys.of(item))
        return known[1]

    def _lists(self, item: Item) -> list[dict[int, Item]]:
        day = item.day
        if not item.admin1:
            return [self._by_day[day], self._no_admin[day]]
        days = self._blocks[item.admin1]
        block = days.get(day)
        if block is None:
            block = days[day] = _Block()
        keys = self._keys_of(item)
        if not keys.town:
            return [self._by_day[day], block.all, block.areas]
        lists = [self._by_day[day], block.all]
        lists += [block.words.setdefault(word, {}) for word in keys.words]
        if keys.cell is not None:
            lists.append(block.cells.setdefault(keys.cell, {}))
        return lists

    def add(self, item: Item) -> None:
        if item.day is None:
            return
        seq = self._order[id(item)] = next(self._seq)
        self._rank[id(item)] = (item.day << 41) | ((item.admin1 is None) << 40) | seq
        self._loose[id(item)] = (item.day << 41) | seq
        for found in self._lists(item):
            found[id(item)] = item

    def remove(self, item: Item) -> None:
        if item.day is None:
            return
        self._order.pop(id(item), None)
        self._rank.pop(id(item), None)
        self._loose.pop(id(item), None)
        for found in self._lists(item):
            found.pop(id(item), None)

    def candidates(self, item: Item, members_of: Callable[[Item], list[Item]]) -> list[Item]:
        """The records to compare `item` with, in the order they were indexed (day by day).
        `members_of(record)`: the members of the event a record belongs to."""
        # A precise date links only to dates a day earlier, or to report dates up to three days later.
        offsets = _PRECISE_DAYS if item.precise else _ROUGH_DAYS
        low, high = item.day + min(offsets), item.day + max(offsets)
        found: dict[int, Item] = {}
        keys = self._keys_of(item)
        blocks = self._blocks.get(item.admin1, {}) if item.admin1 else None
        # Nearest days first: in a dense block the window fills before the farther days are read.
        for offset in offsets:
            sources = self._sources(blocks, keys, item.day + offset)
            if not sources:
                continue
            todays: dict[int, Item] = {}
            for source in sources:  # each maps id(record) -> record, the latest placed last
                latest = reversed(source.items())
                todays.update(latest if len(source) <= SCAN else islice(latest, SCAN))
            room = WINDOW - len(found)
            found.update(todays if len(todays) <= room else self._closest(item, todays, room))
            if len(found) >= WINDOW:
                break
        if keys.town:
            self._add_event_members(item, found, members_of, low, high)
        country = item.country
        ranked = [found[k] for k in sorted(found, key=(self._rank if item.admin1 else self._loose).__getitem__)]
        return [m for m in ranked if m.country in (None, country)] if country else ranked

    def _add_event_members(
        self, item: Item, found: dict[int, Item], members_of: Callable[[Item], list[Item]], low: int, high: int
    ) -> None:
        """The other members in reach of the events met, for the town vote: at most WINDOW of them, the
        latest placed first (a campaign's events at one city may have hundreds of members)."""
        budget, events = WINDOW, set()
        for member in list(found.values()):
            members = members_of(member)
            if id(members) in events:
                continue
            events.add(id(members))
            # Read a bounded tail of a big event: its members out of reach would otherwise be read again
            # for every record that meets it.
            for other in islice(reversed(members), 2 * WINDOW):
                if budget <= 0:
                    return
                key = id(other)
                if key in found or other.day is None or not low <= other.day <= high:
                    continue
                if other.admin1 in (None, item.admin1) and key in self._order:
                    found[key] = other
                    budget -= 1

    def _closest(self, item: Item, todays: dict[int, Item], room: int) -> dict[int, Item]:
        """The `room` records of a crowded day that agree best on event type and perpetrator (the latest
        placed first among equals)."""
        group, perpetrator = type_group(item.record.sub_event_type), item.record.perpetrator
        order = self._order

        def distance(m: Item) -> tuple:
            other = type_group(m.record.sub_event_type)
            return (bool(group and other and group != other), m.record.perpetrator != perpetrator, -order[id(m)])

        return {id(m): m for m in sorted(todays.values(), key=distance)[:room]}

    def _sources(self, blocks: dict[int, _Block] | None, keys: _Keys, day: int) -> list[dict[int, Item]]:
        """The non-empty indexes holding the records of `day` that a record is compared with (`blocks`:
        those of its governorate by day, None when it has none)."""
        if blocks is None:
            return [s] if (s := self._by_day.get(day)) else []
        block = blocks.get(day)
        if block is None or not block.all:  # nothing of the governorate that day: only records without one
            return [s] if (s := self._no_admin.get(day)) else []
        if not keys.town:
            found = [block.all, self._no_admin.get(day)]
        else:
            words, cells = block.words, block.cells
            found = [block.areas, self._no_admin.get(day)]
            found += [words.get(word) for word in keys.words]
            found += [cells.get(cell) for cell in keys.near]
        return [s for s in found if s]


class _Block:
    """The records of one governorate and day: all of them, those naming only an area, and the towns by
    word key and by grid cell (small dicts: looked up for every record of the days around)."""

    __slots__ = ("all", "areas", "cells", "words")

    def __init__(self) -> None:
        self.all: dict[int, Item] = {}
        self.areas: dict[int, Item] = {}
        self.words: dict[str, dict[int, Item]] = {}
        self.cells: dict[tuple[int, int], dict[int, Item]] = {}


# Days a record's candidates are read from, nearest first: a precise date links only to dates a day
# earlier, or to report dates up to three days later; a report date to dates three days either way.
_PRECISE_DAYS = (0, -1, 1, 2, 3)
_ROUGH_DAYS = (0, -1, 1, -2, 2, -3, 3)


class _Keys:
    """A record's block keys: whether it is a town, its words' keys (sorted), its cell and the 3x3 around it."""

    __slots__ = ("cell", "near", "town", "words")

    def __init__(self, town: bool, words: list[str], cell: tuple[int, int] | None) -> None:
        self.town, self.words, self.cell = town, words, cell
        self.near = [] if cell is None else _near(cell)

    @classmethod
    def of(cls, item: Item) -> _Keys:
        town = is_town(item)
        return cls(town, _words(item.core, item.place) if town else [], _cell(item) if town else None)
