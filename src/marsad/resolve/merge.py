"""An event's own fields from its source records: counts as a range across sources, the rest by majority."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date
from statistics import median

from marsad.model import Count, Location
from marsad.resolve.features import Item


def event_id_for(record_ids: list[str]) -> str:
    """A new event's id, from its smallest member: the same records give the same id on every run."""
    return "ev-" + hashlib.sha1(min(record_ids).encode("utf-8")).hexdigest()[:12]


def _recency(item: Item) -> tuple:
    return (item.published or date.min, item.day or 0, item.record_id)


# With three or more figures, one this many times off their median is not credible (a tally or a
# misread number): it stays a source but does not set the event's range.
_OUTLIER = 5.0


def stated_counts(members: list[Item], field: str) -> list[tuple[Item, Count]]:
    counts = [(m, getattr(m.record, field)) for m in members]
    return [(m, c) for m, c in counts if c is not None and (c.low, c.best, c.high) != (None, None, None)]


def outliers(counts: list[tuple[Item, Count]]) -> set[str]:
    """Record ids whose figure is far from what the other sources say."""
    figures = [(m.record_id, c.central()) for m, c in counts if c.central() is not None]
    if len(figures) < 3:
        return set()
    mid = median(v for _, v in figures)
    if mid <= 0:
        return set()
    return {rid for rid, v in figures if v > mid * _OUTLIER or v * _OUTLIER < mid}


def merge_counts(members: list[Item], field: str) -> Count | None:
    """low = lowest credible source figure, high = highest, best = the figure most sources give, else the
    most recent report's."""
    counts = stated_counts(members, field)
    odd = outliers(counts)
    counts = [(m, c) for m, c in counts if m.record_id not in odd]
    if not counts:
        return None
    lows = [c.low if c.low is not None else c.best for _, c in counts]
    highs = [v for _, c in counts for v in (c.high, c.best, c.low) if v is not None]
    # A stated figure outranks a floor ("dozens" is low 20, not a figure anyone gave).
    central = [(m, c.best) for m, c in counts if c.best is not None]
    central = central or [(m, c.central()) for m, c in counts if c.central() is not None]
    best = None
    if central:
        tally = Counter(v for _, v in central).most_common()
        if tally[0][1] >= 2 and (len(tally) == 1 or tally[0][1] > tally[1][1]):
            best = tally[0][0]
        else:
            best = max(central, key=lambda mc: _recency(mc[0]))[1]
    lows = [v for v in lows if v is not None]
    return Count(low=min(lows) if lows else None, best=best, high=max(highs) if highs else None)


def _majority(values: list, unknown: object = None) -> object:
    known = [v for v in values if v is not None and v != unknown]
    return Counter(known).most_common(1)[0][0] if known else unknown


def _location(members: list[Item]) -> Location | None:
    """The most precise place among members in the event's governorate."""
    admin1 = _majority([m.admin1 for m in members])
    placed = [m for m in members if m.record.location is not None and (admin1 is None or m.admin1 == admin1)]
    if not placed:
        return None
    best = min(placed, key=lambda m: (m.area, m.lat is None, m.record.location.geo_precision or 9, m.record_id))
    return best.record.location


def _date(members: list[Item]) -> tuple[str | None, str | None]:
    precise = [m.record.date for m in members if m.precise and m.record.date]
    if precise:
        return _majority(precise), "day"
    dated = sorted((m.day, m.record.date_precision) for m in members if m.day is not None)
    if not dated:
        return None, None
    return date.fromordinal(dated[0][0]).isoformat(), dated[0][1] or "report"


def summarize(members: list[Item]) -> dict:
    """The merged SCHEMA.md fields of an event (kind incident), plus n_sources and n_records."""
    records = [m.record for m in members]
    day, precision = _date(members)
    location = _location(members)
    perpetrator = _majority([r.perpetrator for r in records], "unknown")
    texts = [r.perpetrator_text for r in records if r.perpetrator == perpetrator and r.perpetrator_text]
    killed = merge_counts(members, "killed")
    wounded = merge_counts(members, "wounded")
    return {
        "kind": "incident",
        "event_type": _majority([r.event_type for r in records]),
        "sub_event_type": _majority([r.sub_event_type for r in records]),
        "date": day,
        "date_precision": precision,
        "period_start": None,
        "period_end": None,
        "perpetrator": perpetrator,
        "perpetrator_text": texts[0] if texts else None,
        "victim_group": _majority([r.victim_group for r in records], "unknown"),
        "killed": None if killed is None else vars(killed),
        "wounded": None if wounded is None else vars(wounded),
        "location": None if location is None else {k: v for k, v in vars(location).items()},
        "victims": [],
        # Sources whose killed figure was left out of the range as not credible (see merge_counts).
        "count_outliers": sorted(outliers(stated_counts(members, "killed"))),
        "n_sources": len({m.doc_id for m in members}),
        "victim_groups_all": sorted({r.victim_group for r in records} | {v.group for r in records for v in r.victims}),
        "n_records": len(members),
    }
