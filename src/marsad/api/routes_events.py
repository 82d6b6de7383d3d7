"""Events: one real-world incident and the records (from one or more reports) that describe it.

Events come from cross-report resolution (`marsad.resolve`, run by every ingest). A store whose
records were never resolved has no events: each incident record then stands as its own event, so the
table and the source viewer still work; `basis` in the answer says which it is.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Path
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from marsad import store
from marsad.api.params import Page, filters, get_engine, page
from marsad.api.routes_data import ItemPage
from marsad.api.serialize import json_response
from marsad.errors import StoreError
from marsad.store import StoredRecord
from marsad.store import events as event_store
from marsad.store.aggregates import document_records, event_doc_id, has_events
from marsad.store.event_history import fate
from marsad.store.paging import make_cursor, page_total
from marsad.store.records import count_listing, record_cursor
from marsad.store.search import common_text

router = APIRouter(prefix="/api", tags=["events"])

EngineDep = Annotated[Engine, Depends(get_engine)]
RECORD_FIELDS = ("date", "date_precision", "event_type", "sub_event_type", "perpetrator", "perpetrator_text",
                 "victim_group", "victims", "killed", "wounded", "location")  # fmt: skip


class EventPage(ItemPage):
    basis: str


def record_event(stored: StoredRecord) -> dict[str, Any]:
    """A single-source event from one incident record (a store with no resolved events)."""
    data = stored.record.to_dict()
    published = stored.published.isoformat() if stored.published else None
    source = {key: data.get(key) for key in ("date", "perpetrator", "victim_group", "killed", "wounded", "location")}
    source.update(record_id=stored.record_id, doc_id=stored.record.doc_id, published=published)
    source["evidence"] = data.get("evidence") or []
    return {
        "event_id": stored.record_id,
        **{key: data.get(key) for key in RECORD_FIELDS},
        "n_sources": 1,
        "n_records": 1,
        "sources": [source],
    }


@router.get("/events", response_model=EventPage, summary="Events (each real incident once), oldest first")
def list_events(
    engine: EngineDep,
    where: Annotated[store.Filters, Depends(filters)],
    window: Annotated[Page, Depends(page)],
) -> dict:
    if where.kind == "tally":
        raise HTTPException(422, "events are incidents: kind=tally does not apply (see /api/tallies)")
    where.kind = None
    common = common_text(engine, where.text)  # asked once, for the page and the count
    try:
        if has_events(engine):
            items = event_store.query_events(engine, where, window.limit, window.offset, window.after, common)
            counted, basis = event_store.count_listing(engine, where, common), "events"
            last = make_cursor(items[-1]["date"], items[-1]["event_id"]) if items else None
        else:
            where.kind = "incident"
            found = store.query_records(engine, where, window.limit, window.offset, window.after, common)
            items, basis = [record_event(s) for s in found], "records"
            counted, last = count_listing(engine, where, common), record_cursor(found[-1]) if found else None
    except StoreError as exc:
        raise HTTPException(422, str(exc)) from None
    nxt = last if len(items) == window.limit else None
    total, exact = page_total(counted, window.offset, len(items), nxt is not None)
    return json_response({"total": total, "total_exact": exact, "limit": window.limit, "offset": window.offset,
                          "next": nxt, "basis": basis, "items": items})  # fmt: skip


@router.get(
    "/events/{event_id}",
    summary="One event with its source records",
    description="An id that was merged into another event answers 301 with `merged_into` and a Location "
    "to the event it lives on as; an id whose records were all deleted answers 410.",
    responses={301: {"description": "Merged into another event"}, 410: {"description": "Its records were deleted"}},
)
def get_event(engine: EngineDep, event_id: Annotated[str, Path(max_length=320)]) -> Any:
    doc_id = event_doc_id(engine, event_id)
    if doc_id is not None:
        for found in event_store.query_events(engine, store.Filters(doc_id=doc_id)):
            if found["event_id"] == event_id:
                return found
    doc_id, sep, index = event_id.rpartition(":")
    if sep and index.isdigit() and not has_events(engine):
        for stored in document_records(engine, doc_id):
            if stored.record_id == event_id and stored.record.kind == "incident" and stored.review != "rejected":
                return record_event(stored)
    return _former_event(engine, event_id)


def _former_event(engine: Engine, event_id: str) -> JSONResponse:
    """What became of an id that is no event now (raises 404 when it never was one)."""
    found = fate(engine, event_id)
    if found is None or found["ended_at"] is None:
        raise HTTPException(404, f"no event {event_id!r}")
    target = found["merged_into"]
    if target is None:
        raise HTTPException(410, f"event {event_id!r} ended: its records were deleted")
    body = {"detail": f"event {event_id!r} was merged into {target!r}", "event_id": event_id, "merged_into": target}
    return JSONResponse(body, status_code=301, headers={"Location": f"/api/events/{quote(target, safe='')}"})
