"""What the dashboard draws: timeline, map points, the tally panel, outlines and filter choices."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy import Engine

from marsad import store
from marsad.api.geo import outlines
from marsad.api.params import MAX_OFFSET, filters, get_engine
from marsad.api.serialize import json_response
from marsad.model import ACTORS, EVENT_TYPES, RECORD_KINDS
from marsad.resolve.tally import reconcile
from marsad.store.aggregates import DayTotal, admin1_values, has_events, killed_per_day, killed_per_place, unsummed
from marsad.store.tally import reported_tallies, sum_incidents

router = APIRouter(prefix="/api", tags=["views"])

EngineDep = Annotated[Engine, Depends(get_engine)]
FiltersDep = Annotated[store.Filters, Depends(filters)]


class Bucket(StrEnum):
    day = "day"
    week = "week"


@router.get(
    "/timeline", response_model=dict[str, Any], summary="Killed (low/best/high sums) per day or ISO week, over events"
)
def timeline(
    engine: EngineDep, where: FiltersDep, bucket: Annotated[Bucket, Query(description="day or week")] = Bucket.day
) -> dict[str, Any]:
    over_events, where = has_events(engine), _incidents(where)
    why = unsummed(engine, where)  # a common word: no points, and why (as the tallies' sums)
    days = [] if why else killed_per_day(engine, where, over_events)
    if bucket is Bucket.week:
        days = _weeks(days)
    return json_response(
        {
            "bucket": bucket.value,
            "basis": "events" if over_events else "records",
            "points": [{**d.__dict__, "day": d.day.isoformat()} for d in days],
            "unsummed": why,
        }
    )


def _incidents(where: store.Filters) -> store.Filters:
    """Sums are over incidents; kind=tally would sum nothing, so it is refused."""
    if where.kind == "tally":
        raise HTTPException(422, "sums are over incidents: kind=tally does not apply (see /api/tallies)")
    return replace(where, kind=None)


def _weeks(days: list[DayTotal]) -> list[DayTotal]:
    """Days folded into weeks that start on Monday (ISO weeks)."""
    weeks: dict[date, DayTotal] = {}
    for d in days:
        start = d.day - timedelta(days=d.day.weekday())
        total = weeks.setdefault(start, DayTotal(start, 0, 0, 0, 0))
        total.count += d.count
        total.killed_low += d.killed_low
        total.killed_best += d.killed_best
        total.killed_high += d.killed_high
    return list(weeks.values())


@router.get(
    "/map", response_model=dict[str, Any], summary="Places with their killed sums (best) over events, deadliest first"
)
def map_points(
    engine: EngineDep,
    where: FiltersDep,
    limit: Annotated[int, Query(ge=1, le=5000, description="At most this many places.")] = 2000,
) -> dict[str, Any]:
    over_events, where = has_events(engine), _incidents(where)
    why = unsummed(engine, where)  # a common word: no points, and why (as the tallies' sums)
    points = [] if why else killed_per_place(engine, where, over_events, limit)
    return json_response(
        {"basis": "events" if over_events else "records", "points": [p.__dict__ for p in points], "unsummed": why}
    )


@router.get(
    "/tallies",
    response_model=dict[str, Any],
    summary="The sum over events for the filters beside the reported tallies, reconciled",
)
def tallies(
    engine: EngineDep,
    where: FiltersDep,
    limit: Annotated[int, Query(ge=1, le=200, description="Reported tallies per page (a query each).")] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Reported tallies to skip.")] = 0,
) -> dict[str, Any]:
    """What `marsad tally --json` prints (resolve.tally.reconcile), one page of reported tallies at a time."""
    where = _incidents(where)
    if not has_events(engine):
        return _record_tallies(engine, where, limit, offset)
    result = reconcile(engine, where, limit=limit, offset=offset).to_dict()
    for line in result["tallies"]:
        line["doc_id"] = line["record_id"].rpartition(":")[0]
    return json_response({"basis": "events", "limit": limit, "offset": offset, **result})


def _record_tallies(engine: Engine, where: store.Filters, limit: int, offset: int) -> dict[str, Any]:
    """A store with no resolved events: the sum over incident records (as `store.tally`), same shape."""
    total = sum_incidents(engine, where)
    reported = reported_tallies(engine, where)
    lines = []
    for stored in reported[offset : offset + limit]:
        record = stored.record
        figure = record.killed.central() if record.killed else None
        end = record.period_end or (stored.published.isoformat() if stored.published else None)
        lines.append(
            {
                "record_id": stored.record_id,
                "doc_id": record.doc_id,
                "source": None,
                "period_start": record.period_start,
                "period_end": end,
                "perpetrator": record.perpetrator,
                "victim_group": record.victim_group,
                "regions": [p.admin1 or p.name or p.text or "" for p in record.regions],
                "reported": record.to_dict()["killed"],
                "coverage": None,
                "events_in_period": None,
                "difference": None if figure is None else figure - total.killed_best,
            }
        )
    return {
        "basis": "records",
        "limit": limit,
        "offset": offset,
        "events": total.incidents,
        "killed_low": total.killed_low,
        "killed_best": total.killed_best,
        "killed_high": total.killed_high,
        "tallies": lines,
        "headline_flags": [],
        "series": [],
        "tallies_total": len(reported),
    }


@router.get("/outlines", summary="GeoJSON outlines for the map: OCHA governorates if imported, else countries")
def map_outlines(engine: EngineDep) -> dict[str, Any]:
    return outlines(engine)


@router.get("/vocabulary", summary="Choices for the filters: actors, event types, kinds, governorates in the store")
def vocabulary(engine: EngineDep) -> dict[str, Any]:
    return {
        "actors": list(ACTORS),
        "event_types": list(EVENT_TYPES),
        "kinds": list(RECORD_KINDS),
        "admin1": [{"country": country, "admin1": admin1} for country, admin1 in admin1_values(engine)],
    }
