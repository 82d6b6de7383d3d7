"""What the dashboard draws: timeline, map points, the tally panel, outlines and filter choices."""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Engine

from marsad import store
from marsad.api.geo import outlines
from marsad.api.params import filters, get_engine
from marsad.api.serialize import record_item
from marsad.model import ACTORS, EVENT_TYPES, RECORD_KINDS
from marsad.store.aggregates import DayTotal, admin1_values, killed_per_day, killed_per_place
from marsad.store.tally import reported_tallies, sum_incidents

router = APIRouter(prefix="/api", tags=["views"])

EngineDep = Annotated[Engine, Depends(get_engine)]
FiltersDep = Annotated[store.Filters, Depends(filters)]


class Bucket(str, Enum):
    day = "day"
    week = "week"


@router.get("/timeline", summary="Killed (low/best/high sums) over incidents per day or ISO week")
def timeline(
    engine: EngineDep, where: FiltersDep, bucket: Annotated[Bucket, Query(description="day or week")] = Bucket.day
) -> dict[str, Any]:
    days = killed_per_day(engine, where)
    if bucket is Bucket.week:
        days = _weeks(days)
    return {
        "bucket": bucket.value,
        "points": [{**d.__dict__, "day": d.day.isoformat()} for d in days],
    }


def _weeks(days: list[DayTotal]) -> list[DayTotal]:
    """Days folded into weeks that start on Monday (ISO weeks)."""
    weeks: dict[date, DayTotal] = {}
    for d in days:
        start = d.day - timedelta(days=d.day.weekday())
        total = weeks.setdefault(start, DayTotal(start, 0, 0, 0, 0))
        total.records += d.records
        total.killed_low += d.killed_low
        total.killed_best += d.killed_best
        total.killed_high += d.killed_high
    return list(weeks.values())


@router.get("/map", summary="Incident places with their killed sums (best), deadliest first")
def map_points(
    engine: EngineDep,
    where: FiltersDep,
    limit: Annotated[int, Query(ge=1, le=5000, description="At most this many places.")] = 2000,
) -> dict[str, Any]:
    return {"points": [p.__dict__ for p in killed_per_place(engine, where, limit)]}


@router.get("/tallies", summary="Sum over incidents for the filters, beside the reported tallies covering them")
def tallies(engine: EngineDep, where: FiltersDep) -> dict[str, Any]:
    """The same figures as `marsad tally --json`; each reported tally also carries its difference to the sum."""
    total = sum_incidents(engine, where)
    reported = []
    for stored in reported_tallies(engine, where):
        item = record_item(stored)
        killed = stored.record.killed
        central = killed.central() if killed else None
        item["difference"] = central - total.killed_best if central is not None else None
        reported.append(item)
    return {"sum": total.__dict__, "reported_tallies": reported}


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
