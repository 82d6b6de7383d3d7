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


def _words(item: Item) -> list[str]:
    """Block keys of a place name: its words' consonants (coarser than the skeleton, which keeps a word's
    first vowel and final h), so that spellings that score alike almost always share a key."""
    keys = [_NOT_KEY.sub("", word).replace("q", "k") for word in (item.core or item.place).split()]
    return [k for k in keys if k] or [item.place]


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
        # Each block holds its records by id(item), in the order placed: removal is O(1), and the latest
        # are read first without reading the rest.
        self._by_admin: dict[tuple[str, int], dict[int, Item]] = defaultdict(dict)
        self._areas: dict[tuple[str, int], dict[int, Item]] = defaultdict(dict)
        self._by_word: dict[tuple[str, int, str], dict[int, Item]] = defaultdict(dict)
        self._by_cell: dict[tuple[str, int, tuple[int, int]], dict[int, Item]] = defaultdict(dict)
        self._no_admin: dict[int, dict[int, Item]] = defaultdict(dict)
        self._by_day: dict[int, dict[int, Item]] = defaultdict(dict)

    def _lists(self, item: Item) -> list[dict[int, Item]]:
        day = item.day
        if not item.admin1:
            return [self._by_day[day], self._no_admin[day]]
        lists = [self._by_day[day], self._by_admin[(item.admin1, day)]]
        if not is_town(item):
            return [*lists, self._areas[(item.admin1, day)]]
        lists += [self._by_word[(item.admin1, day, word)] for word in set(_words(item))]
        cell = _cell(item)
        if cell is not None:
            lists.append(self._by_cell[(item.admin1, day, cell)])
        return lists

    def add(self, item: Item) -> None:
        if item.day is None:
            return
        self._order[id(item)] = next(self._seq)
        for found in self._lists(item):
            found[id(item)] = item

    def remove(self, item: Item) -> None:
        if item.day is None:
            return
        self._order.pop(id(item), None)
        for found in self._lists(item):
            found.pop(id(item), None)

    def candidates(self, item: Item, members_of: Callable[[Item], list[Item]]) -> list[Item]:
        """The records to compare `item` with, in the order they were indexed (day by day).
        `members_of(record)`: the members of the event a record belongs to."""
        # A precise date links only to dates a day earlier, or to report dates up to three days later.
        low, high = (item.day - 1, item.day + 3) if item.precise else (item.day - 3, item.day + 3)
        found: dict[int, Item] = {}
        # Nearest days first: in a dense block the window fills before the farther days are read.
        for day in sorted(range(low, high + 1), key=lambda d: (abs(d - item.day), d)):
            todays: dict[int, Item] = {}
            for source in self._sources(item, day):
                todays.update((id(m), m) for m in islice(reversed(source.values()), SCAN))
            room = WINDOW - len(found)
            found.update(todays if len(todays) <= room else self._closest(item, todays, room))
            if len(found) >= WINDOW:
                break
        if is_town(item):
            self._add_event_members(item, found, members_of, low, high)
        chosen = [m for m in found.values() if not item.country or m.country in (None, item.country)]
        if item.admin1:  # day by day: the governorate's records, then those without one
            return sorted(chosen, key=lambda m: (m.day, m.admin1 is None, self._order[id(m)]))
        return sorted(chosen, key=lambda m: (m.day, self._order[id(m)]))

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
                in_reach = other.day is not None and low <= other.day <= high
                if (
                    in_reach
                    and id(other) not in found
                    and other.admin1 in (None, item.admin1)
                    and id(other) in self._order
                ):
                    found[id(other)] = other
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

    def _sources(self, item: Item, day: int) -> list:
        admin1 = item.admin1
        if not admin1:
            return [self._by_day.get(day, {})]
        if not is_town(item):
            return [self._by_admin.get((admin1, day), {}), self._no_admin.get(day, {})]
        sources = [self._areas.get((admin1, day), {}), self._no_admin.get(day, {})]
        sources += [self._by_word.get((admin1, day, word), {}) for word in sorted(set(_words(item)))]
        cell = _cell(item)
        if cell is not None:
            sources += [
                self._by_cell.get((admin1, day, (cell[0] + dy, cell[1] + dx)), {})
                for dy in (-1, 0, 1)
                for dx in (-1, 0, 1)
            ]
        return sources
