"""Tallies reconciled: the sum over events beside what reports said, headline vs body, running series.

A tally ("1362 killed since 24 March 2019") is never added to incidents. It is shown beside the sum
over events for the same period and population, with the difference; a headline figure that differs
from the body's in one report is flagged; tallies from one source for one population form a series
(a running count), in which any decrease is flagged.
"""

from __future__ import annotations

import re
from dataclasses import asdict, astuple, dataclass, field, replace
from datetime import date

from sqlalchemy import Engine

from marsad.model import Count, Record
from marsad.store import events as store
from marsad.store import tally as tally_store
from marsad.store.aggregates import unsummed
from marsad.store.records import Filters, choices
from marsad.text.normalize import fold_plain

# A headline number this close to a body figure (relative) is the same figure rounded or misprinted.
_NEAR = 0.1
_NUMBER = re.compile(r"\d[\d,]*")


@dataclass
class Tally:
    record_id: str
    record: Record
    published: date | None = None
    title: str | None = None
    source: str | None = None  # who counted: the attribution, else the outlet

    @property
    def figure(self) -> int | None:
        return self.record.killed.central() if self.record.killed else None

    @property
    def end(self) -> date | None:
        return date.fromisoformat(self.record.period_end) if self.record.period_end else self.published

    @property
    def start(self) -> date | None:
        return date.fromisoformat(self.record.period_start) if self.record.period_start else None


@dataclass
class HeadlineFlag:
    record_id: str
    doc_id: str
    headline: int
    body: int


@dataclass
class SeriesPoint:
    record_id: str
    as_of: str | None
    killed: int
    decrease: bool = False


@dataclass
class Series:
    source: str
    period_start: str
    perpetrator: str
    victim_group: str
    points: list[SeriesPoint] = field(default_factory=list)

    @property
    def decreases(self) -> int:
        return sum(p.decrease for p in self.points)


@dataclass
class TallyLine:
    record_id: str
    source: str | None
    period_start: str | None
    period_end: str | None
    perpetrator: str
    victim_group: str
    regions: list[str]
    reported: dict | None
    # Sub-groups the report counts among the dead ("بينهم اثنان من القوات الروسية"): {group: killed}.
    among: dict[str, dict]
    coverage: str  # "same window", "covers the window", "within the window", "overlaps"
    events_in_period: int | None  # our sum over events, for the tally's own period and population
    difference: int | None  # reported figure minus events_in_period


@dataclass
class Reconciliation:
    # None, with the reason in `unsummed`, when a page is not summed over events (aggregates.unsummed).
    events: int | None
    killed_low: int | None
    killed_best: int | None
    killed_high: int | None
    tallies: list[TallyLine]
    headline_flags: list[HeadlineFlag]
    series: list[Series]
    # How many tallies cover the window (`tallies` may be one page of them).
    tallies_total: int | None = None
    unsummed: str | None = None

    def to_dict(self) -> dict:
        # What asdict gives, built directly: asdict deep-copies every value (a millisecond a page).
        data = dict(vars(self))
        data["tallies"] = [dict(vars(line)) for line in self.tallies]
        data["headline_flags"] = [dict(vars(flag)) for flag in self.headline_flags]
        data["series"] = [{**vars(s), "points": [dict(vars(p)) for p in s.points], "decreases": s.decreases}
                          for s in self.series]  # fmt: skip
        return data


def headline_flags(tallies: list[Tally]) -> list[HeadlineFlag]:
    """Tallies whose report headline gives a nearby but different figure ("نحو 1365" over a body's 1362)."""
    flags = []
    by_doc: dict[str, list[Tally]] = {}
    for t in tallies:
        by_doc.setdefault(t.record.doc_id, []).append(t)
    for doc_tallies in by_doc.values():
        title = doc_tallies[0].title
        if not title:
            continue
        in_title = {int(n.replace(",", "")) for n in _NUMBER.findall(fold_plain(title))}
        # A figure another tally of the report gives is that tally's headline, not a discrepancy.
        stated = {v for t in doc_tallies for v in _bounds(t.record.killed)}
        for t in doc_tallies:
            body = t.figure
            if body is None or body in in_title:
                continue
            candidates = (in_title - stated) | (in_title & {t.record.killed.high})
            for number in sorted(candidates):
                if number != body and abs(number - body) <= _NEAR * body:
                    flags.append(HeadlineFlag(t.record_id, t.record.doc_id, number, body))
    return flags


def _bounds(count: Count | None) -> set[int]:
    if count is None:
        return set()
    # The high bound may be the headline's figure itself (the extractor keeps both): not a body figure.
    return {v for v in (count.low, count.best) if v is not None}


def series(tallies: list[Tally]) -> list[Series]:
    """Running counts: one source's tallies for one population since one date, in report order."""
    groups: dict[tuple, list[Tally]] = {}
    for t in tallies:
        if t.record.period_start is None or t.figure is None:
            continue
        key = (t.source or "unknown source", t.record.period_start, t.record.perpetrator, t.record.victim_group)
        groups.setdefault(key, []).append(t)
    found = []
    for key, members in groups.items():
        if len({m.record.doc_id for m in members}) < 2:
            continue
        members.sort(key=lambda t: (t.end or date.min, t.record_id))
        out = Series(*key)
        previous = None
        for t in members:
            out.points.append(
                SeriesPoint(
                    t.record_id,
                    t.end.isoformat() if t.end else None,
                    t.figure,
                    previous is not None and t.figure < previous,
                )
            )
            previous = t.figure
        found.append(out)
    return found


def _coverage(t: Tally, filters: Filters) -> str:
    start, end = t.start, t.end
    if filters.since is None and filters.until is None:
        return "covers the window" if start is None else "overlaps"
    covers_start = filters.since is None or (start is not None and start <= filters.since) or start is None
    covers_end = filters.until is None or (end is not None and end >= filters.until)
    inside_start = filters.since is None or (start is not None and start >= filters.since)
    inside_end = filters.until is None or (end is not None and end <= filters.until)
    if start == filters.since and end == filters.until:
        return "same window"
    if covers_start and covers_end:
        return "covers the window"
    if inside_start and inside_end:
        return "within the window"
    return "overlaps"


def _regions(record: Record) -> list[str]:
    places = [*record.regions, *([record.location] if record.location else [])]
    return [p.admin1 or p.name or p.text or "" for p in places]


def _population(t: Tally, filters: Filters) -> Filters:
    """The user's filters narrowed to the tally's period, perpetrator, victims and single governorate."""
    record = t.record
    admin1s = {p.admin1 for p in (*record.regions, *([record.location] if record.location else [])) if p.admin1}
    return replace(
        filters,
        kind=None,
        since=max(d for d in (filters.since, t.start) if d) if (filters.since or t.start) else None,
        until=min(d for d in (filters.until, t.end) if d) if (filters.until or t.end) else None,
        perpetrator=filters.perpetrator or (record.perpetrator if record.perpetrator != "unknown" else None),
        victim=filters.victim or (record.victim_group if record.victim_group != "unknown" else None),
        admin1=filters.admin1 or (admin1s.pop() if len(admin1s) == 1 else None),
    )


def _tallies(rows) -> list[Tally]:
    return [Tally(r.record_id, Record.from_dict(r.data), r.published, r.title, r.attribution or r.outlet) for r in rows]


def _stored_regions(data: dict) -> list[str]:
    """`_regions` of a stored record's data, read before a Record is built from it."""
    places = [*(data.get("regions") or []), *([data["location"]] if data.get("location") else [])]
    return [p.get("admin1") or p.get("name") or p.get("text") or "" for p in places]


def load_tallies(engine: Engine, filters: Filters) -> list[Tally]:
    """Reported tallies overlapping the window (and naming the governorate asked for, if any)."""
    if not filters.admin1:
        return _tallies(tally_store.tally_records(engine, filters))
    return _tallies(tally_store.tally_rows(engine, [r.record_id for r in _naming(engine, filters)]))


def _naming(engine: Engine, filters: Filters) -> list:
    """(record_id, data) of the tallies the filters admit that name the governorate asked for in any of their
    places, matched on the stored data (building a Record for each of 10,000 tallies to keep a few hundred
    costs a second), among those whose data holds the name at all."""
    wanted = set(choices(filters.admin1))
    rows = tally_store.tally_data(engine, filters, wanted if all(w.isascii() for w in wanted) else None)
    return [r for r in rows if any(p.lower() in wanted for p in _stored_regions(r.data))]


def tally_line(engine: Engine, t: Tally, filters: Filters) -> TallyLine:
    """One reported tally beside our sum over events for its own period and population."""
    return _line(t, filters, store.events_killed(engine, _population(t, filters))[2])


def _line(t: Tally, filters: Filters, ours: int | None) -> TallyLine:
    figure = t.figure
    return TallyLine(
        record_id=t.record_id,
        source=t.source,
        period_start=t.record.period_start,
        period_end=t.end.isoformat() if t.end else None,
        perpetrator=t.record.perpetrator,
        victim_group=t.record.victim_group,
        regions=_regions(t.record),
        reported=asdict(t.record.killed) if t.record.killed else None,
        among={v.group: asdict(v.killed) for v in t.record.victims if v.killed and v.group != t.record.victim_group},
        coverage=_coverage(t, filters),
        events_in_period=None if ours is None else int(ours),
        difference=None if figure is None or ours is None else figure - int(ours),
    )


def reconcile(engine: Engine, filters: Filters, limit: int | None = None, offset: int = 0) -> Reconciliation:
    """The sum over events for the window and filters, and every reported tally beside it.

    `limit`/`offset` reconcile one page of the tallies (the API pages them). Without them flags and series
    cover every tally; with them, the page's tallies (and the whole series each belongs to), so that a
    page costs the same however many tallies a million-record store holds."""
    if limit is not None:
        return _reconcile_page(engine, filters, limit, offset)
    n, low, best, high = store.events_killed(engine, filters)
    tallies = load_tallies(engine, filters)
    page = tallies[offset:]
    lines = [tally_line(engine, t, filters) for t in page]
    return Reconciliation(
        int(n), int(low), int(best), int(high), lines, headline_flags(tallies), series(tallies), len(tallies)
    )


def _reconcile_page(engine: Engine, filters: Filters, limit: int, offset: int) -> Reconciliation:
    """One page of tallies paged in the database. A governorate filter (on every place a tally names) is
    counted and paged by one walk of the matching ids. A text filter, checked tally by tally, is counted in the
    database (fetching every matching id costs more than the walk), and the page's walk stops at the page."""
    if filters.admin1:
        named = _naming(engine, filters)
        total = len(named)
        page = _tallies(tally_store.tally_rows(engine, [r.record_id for r in named[offset : offset + limit]]))
        related = _tallies(tally_store.tally_rows(engine, _neighbours(named, page)))
    else:
        total = tally_store.count_tallies(engine, filters)
        # Past the last one, nothing to walk for (a text no tally holds would walk them all again).
        page = _tallies(tally_store.tally_records(engine, filters, limit, offset)) if offset < total else []
        related = _related(engine, filters, page)
    related = {t.record_id: t for t in [*page, *related]}
    everything = sorted(related.values(), key=lambda t: (t.end or date.min, t.record_id))
    on_page = {t.record_id for t in page}
    flags = [f for f in headline_flags(everything) if f.record_id in on_page]
    runs = [s for s in series(everything) if any(p.record_id in on_page for p in s.points)]
    why = unsummed(engine, filters)
    if why:
        return Reconciliation(None, None, None, None, [_line(t, filters, None) for t in page], flags, runs, total,
                              unsummed=why)  # fmt: skip
    # Summed: so the text is not common (see unsummed), and its reports are the text index's matches. Tallies
    # of one period and population by several sources share their sum.
    with engine.connect() as conn:
        sums = store.events_killed(conn, filters, walk_text=False)
        populations = {t.record_id: astuple(_population(t, filters)) for t in page}
        ours = {p: store.events_killed(conn, Filters(*p), walk_text=False)[2] for p in set(populations.values())}
    lines = [_line(t, filters, ours[populations[t.record_id]]) for t in page]
    return Reconciliation(*(int(v) for v in sums), lines, flags, runs, total)


def _series_key(record: Record | dict) -> tuple:
    if isinstance(record, dict):
        return record.get("period_start"), record.get("perpetrator"), record.get("victim_group")
    return record.period_start, record.perpetrator, record.victim_group


def _related(engine: Engine, filters: Filters, page: list[Tally]) -> list[Tally]:
    """Tallies of the page's reports (for headline flags) and of the page's series (same period start and
    population)."""
    docs = sorted({t.record.doc_id for t in page})
    keys = {_series_key(t.record) for t in page if t.record.period_start}
    keys = sorted((date.fromisoformat(start), perpetrator, victim) for start, perpetrator, victim in keys)
    return _tallies(tally_store.tallies_of(engine, filters, docs, keys))


def _neighbours(named: list, page: list[Tally]) -> list[str]:
    """`_related` among the tallies a governorate filter admits, from their stored data."""
    docs = {t.record.doc_id for t in page}
    keys = {_series_key(t.record) for t in page if t.record.period_start}
    return [r.record_id for r in named if r.data["doc_id"] in docs or _series_key(r.data) in keys]
