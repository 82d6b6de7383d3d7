"""Events: one real-world incident and the records (from one or more reports) that describe it.

Until cross-report resolution has stored events, each incident record stands as its own event, so the
dashboard's table and source viewer work on any store.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path
from sqlalchemy import Engine

from marsad import store
from marsad.api.params import Page, filters, get_engine, page
from marsad.api.routes_data import ItemPage
from marsad.store import StoredRecord

router = APIRouter(prefix="/api", tags=["events"])

EngineDep = Annotated[Engine, Depends(get_engine)]


def record_event(stored: StoredRecord) -> dict[str, Any]:
    """A single-source event from one incident record."""
    data = stored.record.to_dict()
    keep = ("date", "date_precision", "event_type", "sub_event_type", "perpetrator", "perpetrator_text",
            "victim_group", "victims", "killed", "wounded", "location")
    return {
        "event_id": stored.record_id,
        **{key: data.get(key) for key in keep},
        "sources": [
            {
                "record_id": stored.record_id,
                "doc_id": stored.record.doc_id,
                "published": stored.published.isoformat() if stored.published else None,
            }
        ],
    }


@router.get("/events", response_model=ItemPage, summary="Events (incidents across reports), oldest first")
def list_events(
    engine: EngineDep,
    where: Annotated[store.Filters, Depends(filters)],
    window: Annotated[Page, Depends(page)],
) -> dict:
    if where.kind == "tally":
        raise_tally()
    where.kind = "incident"
    found = store.query_records(engine, where, limit=window.limit, offset=window.offset)
    return {
        "total": store.count_records(engine, where),
        "limit": window.limit,
        "offset": window.offset,
        "items": [record_event(s) for s in found],
    }


def raise_tally() -> None:
    raise HTTPException(422, "events are incidents: kind=tally does not apply (see /api/tallies)")


@router.get("/events/{event_id}", summary="One event with its source records")
def get_event(engine: EngineDep, event_id: Annotated[str, Path(max_length=320)]) -> dict[str, Any]:
    doc_id, sep, index = event_id.rpartition(":")
    if sep and index.isdigit():
        for stored in store.query_records(engine, store.Filters(doc_id=doc_id, kind="incident")):
            if stored.record_id == event_id:
                return record_event(stored)
    raise HTTPException(404, f"no event {event_id!r}")
