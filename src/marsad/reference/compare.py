"""marsad's events held against a reference dataset (UCDP GED, ACLED): what both hold and how their
deaths differ, what only marsad's sources cover, what only the reference holds, by month and governorate.

Matching is by place, day and actors, and explainable: a reference event matches a marsad event when
its day is within `days` of it, it is in the same governorate (or within `km` of it), and the two
name at least one actor in common (an unknown side matches any). Each reference event goes to its
closest marsad event; a marsad event may gather several (UCDP splits one day's fighting by dyad).
The comparison covers the window marsad's events span (or the one asked for) and the countries the
reference covers, and only reference events with deaths: marsad records casualty events.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine

from marsad.store.records import Filters
from marsad.store.reference import events_to_compare, get_reference, load_reference_events

# Groups that are civilians for matching: a reference names them all "Civilians".
CIVILIAN_GROUPS = {"children", "women", "journalists", "medical_workers"}
UNNAMED = {"unknown", "other", ""}
MAX_RANGE_DAYS = 7


@dataclass
class Match:
    event_id: str
    reference_ids: list[str]
    marsad_killed: int
    reference_best: int
    days: int  # the largest day difference among its reference events
    km: float | None  # the largest distance, when both have coordinates


@dataclass
class Comparison:
    name: str
    since: date | None
    until: date | None
    countries: list[str]
    matched: int = 0  # marsad events matched
    matched_reference: int = 0  # reference events matched
    only_marsad: int = 0
    only_reference: int = 0
    marsad_deaths_matched: int = 0
    reference_deaths_matched: int = 0
    only_marsad_deaths: int = 0
    only_reference_deaths: int = 0
    # marsad events the comparison cannot place (no governorate and no coordinates, or another country)
    marsad_out_of_scope: int = 0
    by_month_admin1: list[dict[str, Any]] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    only_marsad_ids: list[str] = field(default_factory=list)
    only_reference_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("name")
        # The counts first, then the breakdown and the ids.
        first = {"with": self.name, "since": self.since, "until": self.until, "countries": self.countries}
        first |= {k: data.pop(k) for k in ("matched", "matched_reference", "only_marsad", "only_reference")}
        first["deaths_difference"] = self.marsad_deaths_matched - self.reference_deaths_matched
        return first | data

    def to_pandas(self):
        """The breakdown by month and governorate as a DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.by_month_admin1, columns=list(_empty_cell("", "")))

    def to_arrow(self):
        import pyarrow as pa

        return pa.Table.from_pandas(self.to_pandas(), preserve_index=False)


def _km(a_lat, a_lon, b_lat, b_lon) -> float | None:
    if None in (a_lat, a_lon, b_lat, b_lon):
        return None
    dlat, dlon = math.radians(b_lat - a_lat), math.radians(b_lon - a_lon)
    h = math.sin(dlat / 2) ** 2
    h += math.cos(math.radians(a_lat)) * math.cos(math.radians(b_lat)) * math.sin(dlon / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def _actors(text: str) -> set[str]:
    groups = {g for g in text.strip("|").split("|") if g not in UNNAMED}
    return groups | ({"civilians"} if groups & CIVILIAN_GROUPS else set())


def _last_day(ref) -> date:
    """The end of a reference event's dates: UCDP gives some as a range of a few days. A range longer
    than a week says the day is unknown, not that the event lasted; only its start is used then."""
    end = ref.date_end or ref.date_start
    return end if (end - ref.date_start).days <= MAX_RANGE_DAYS else ref.date_start


def _gap(event, ref) -> int:
    """Days between a marsad event and a reference event's dates (0 inside its range)."""
    if event.date < ref.date_start:
        return (ref.date_start - event.date).days
    return max(0, (event.date - _last_day(ref)).days)


def _score(event, ref, days: int, km_limit: float) -> float | None:
    """How far apart an event and a reference event are (lower is closer); None if they cannot match."""
    gap = _gap(event, ref)
    if gap > days:
        return None
    km = _km(event.lat, event.lon, ref.lat, ref.lon)
    same_admin1 = event.admin1 is not None and event.admin1 == ref.admin1
    if not same_admin1 and (km is None or km > km_limit):
        return None
    ours, theirs = _actors(f"{event.perpetrator}|{event.victim_groups}"), _actors(ref.actors)
    if ours and theirs and not ours & theirs:
        return None
    deaths = abs(math.log((event.killed or 0) + 1) - math.log((ref.best or 0) + 1))
    return gap + (0 if same_admin1 else 0.5) + (km or 0) / 50 + (0 if ours & theirs else 0.5) + 0.3 * deaths


def _empty_cell(month: str, admin1: str) -> dict[str, Any]:
    return {
        "month": month,
        "admin1": admin1,
        "matched": 0,
        "matched_reference": 0,
        "marsad_deaths_matched": 0,
        "reference_deaths_matched": 0,
        "deaths_difference": 0,
        "only_marsad": 0,
        "only_marsad_deaths": 0,
        "only_reference": 0,
        "only_reference_deaths": 0,
    }


def _window(found: list, filters: Filters) -> tuple[date | None, date | None]:
    first = filters.since or (found[0].date if found else None)
    last = filters.until or (found[-1].date if found else None)
    return first, last


def compare(engine: Engine, name: str, filters: Filters | None = None, days: int = 1, km: float = 25.0) -> Comparison:
    """Hold marsad's events (narrowed by `filters`) against the reference dataset stored as `name`."""
    reference = get_reference(engine, name)
    if reference is None:
        raise LookupError(f"no reference dataset {name!r}: import one with `marsad reference import ucdp|acled FILE`")
    filters = filters or Filters()
    ours_all = events_to_compare(engine, replace(filters, kind=None))
    since, until = _window(ours_all, filters)
    # The reference read a little wider than the window, so a match across its edge is found.
    pad = timedelta(days=days + MAX_RANGE_DAYS)
    actor_filters = [value for value in (filters.perpetrator, filters.victim) if value]
    theirs = load_reference_events(
        engine,
        name,
        since - pad if since else None,
        until + pad if until else None,
        admin1=filters.admin1,
        actors=actor_filters,
    )
    countries = sorted({r.country for r in theirs if r.country})
    theirs = [r for r in theirs if (r.best or 0) > 0]
    result = Comparison(name, since, until, countries)
    ours = [e for e in ours_all if e.country in countries and (e.admin1 or e.lat is not None)]
    result.marsad_out_of_scope = len(ours_all) - len(ours)
    _match(result, ours, theirs, days, km)
    in_window = [r for r in theirs if (not since or r.date_start >= since) and (not until or r.date_start <= until)]
    _tabulate(result, ours, in_window)
    return result


def _match(result: Comparison, ours: list, theirs: list, days: int, km: float) -> None:
    by_day: dict[date, list] = defaultdict(list)
    for event in ours:
        by_day[event.date].append(event)
    gathered: dict[str, list] = defaultdict(list)
    for ref in theirs:
        span = range(-days, (_last_day(ref) - ref.date_start).days + days + 1)
        candidates = (e for d in span for e in by_day.get(ref.date_start + timedelta(days=d), ()))
        scored = [(s, e.event_id) for e in candidates if (s := _score(e, ref, days, km)) is not None]
        if scored:
            best = min(scored)[0]
            # Events that score alike (two reports' twins of one happening) share the references: a
            # tie goes to one that has none yet rather than all to the first.
            tied = sorted(event_id for s, event_id in scored if s == best)
            gathered[next((t for t in tied if t not in gathered), tied[0])].append(ref)
    for event in ours:
        refs = gathered.get(event.event_id)
        if not refs:
            continue
        distances = [d for r in refs if (d := _km(event.lat, event.lon, r.lat, r.lon)) is not None]
        result.matches.append(
            Match(
                event.event_id,
                [r.ref_id for r in refs],
                event.killed or 0,
                sum(r.best or 0 for r in refs),
                max(_gap(event, r) for r in refs),
                round(max(distances), 1) if distances else None,
            )
        )


def _tabulate(result: Comparison, ours: list, theirs: list) -> None:
    """Totals and the month x governorate breakdown; matched pairs count where marsad's event is."""
    cells: dict[tuple[str, str], dict[str, Any]] = {}

    def cell(day: date, admin1: str | None) -> dict[str, Any]:
        key = (day.strftime("%Y-%m"), admin1 or "")
        return cells.setdefault(key, _empty_cell(*key))

    matches = {m.event_id: m for m in result.matches}
    matched_refs = {ref_id for m in result.matches for ref_id in m.reference_ids}
    for event in ours:
        row = cell(event.date, event.admin1)
        match = matches.get(event.event_id)
        if match:
            row["matched"] += 1
            row["matched_reference"] += len(match.reference_ids)
            row["marsad_deaths_matched"] += match.marsad_killed
            row["reference_deaths_matched"] += match.reference_best
        else:
            row["only_marsad"] += 1
            row["only_marsad_deaths"] += event.killed or 0
            result.only_marsad_ids.append(event.event_id)
    for ref in theirs:
        if ref.ref_id in matched_refs:
            continue
        row = cell(ref.date_start, ref.admin1)
        row["only_reference"] += 1
        row["only_reference_deaths"] += ref.best or 0
        result.only_reference_ids.append(ref.ref_id)
    for row in cells.values():
        row["deaths_difference"] = row["marsad_deaths_matched"] - row["reference_deaths_matched"]
    result.by_month_admin1 = [cells[k] for k in sorted(cells)]
    for key in ("matched", "matched_reference", "only_marsad", "only_reference"):
        setattr(result, key, sum(row[key] for row in result.by_month_admin1))
    for key in ("marsad_deaths_matched", "reference_deaths_matched", "only_marsad_deaths", "only_reference_deaths"):
        setattr(result, key, sum(row[key] for row in result.by_month_admin1))


__all__ = ["Comparison", "Match", "compare"]
