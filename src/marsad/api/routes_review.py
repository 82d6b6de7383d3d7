"""Analyst review over HTTP: the operations of `marsad review` (marsad.review), behind the write token.

Reads (the queue, the log, a place lookup) are open like every listing; writes depend on
`security.require_write`. Each write answers with its change id and the record as it now stands.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from marsad import review, store
from marsad.api.params import MAX_OFFSET, filters, get_engine
from marsad.api.security import require_write
from marsad.api.serialize import record_item
from marsad.corrections import LOCATION_FIELDS, CorrectionError
from marsad.store import review as review_store
from marsad.store.aggregates import document_records

router = APIRouter(prefix="/api", tags=["review"])
EngineDep = Annotated[Engine, Depends(get_engine)]
RecordId = Annotated[str, Path(max_length=320, description="<doc_id>:<n>")]
WRITE = [Depends(require_write)]


class Decision(BaseModel):
    reason: str | None = Field(None, max_length=2000, description="Why: kept in the log.")
    user: str | None = Field(None, max_length=100, description="Who decides (until the write token names users).")


class Correction(Decision):
    set: dict[str, Any] = Field(
        ..., description='Field path -> value: {"killed.best": 5, "perpetrator": "isis", "place": "دوما"}.'
    )


class NewRecord(Decision):
    record: dict[str, Any] = Field(..., description="A SCHEMA.md record; evidence spans in the report's text.")


class EventDecision(Decision):
    ids: list[Annotated[str, Field(max_length=320)]] = Field(..., min_length=2, max_length=200)


def _call(action, *args):
    """A review action with its errors as HTTP answers: unknown ids 404, bad values 422, conflicts 409."""
    try:
        return action(*args)
    except review.MissingError as exc:
        raise HTTPException(404, str(exc.args[0])) from None
    except CorrectionError as exc:
        raise HTTPException(422, str(exc)) from None
    except review.ReviewError as exc:
        raise HTTPException(409, str(exc.args[0])) from None


def _answer(engine: Engine, record_id: str, change_id: int) -> dict[str, Any]:
    doc_id = record_id.rpartition(":")[0]
    found = next((s for s in document_records(engine, doc_id) if s.record_id == record_id), None)
    return {"change_id": change_id, "record": record_item(found) if found else None}


@router.post("/records/{record_id}/correct", dependencies=WRITE, summary="Correct fields of a record")
def correct(engine: EngineDep, record_id: RecordId, body: Correction) -> dict[str, Any]:
    change_id = _call(review.correct, engine, record_id, body.set, body.reason, body.user)
    return _answer(engine, record_id, change_id)


@router.post("/records/{record_id}/accept", dependencies=WRITE, summary="Accept a record as it stands")
def accept(engine: EngineDep, record_id: RecordId, body: Decision) -> dict[str, Any]:
    return _answer(engine, record_id, _call(review.accept, engine, record_id, body.reason, body.user))


@router.post("/records/{record_id}/reject", dependencies=WRITE, summary="Reject a record: not an incident")
def reject(engine: EngineDep, record_id: RecordId, body: Decision) -> dict[str, Any]:
    return _answer(engine, record_id, _call(review.reject, engine, record_id, body.reason, body.user))


@router.post("/documents/{doc_id}/records", dependencies=WRITE, summary="Add a record the machine missed")
def add(engine: EngineDep, doc_id: Annotated[str, Path(max_length=300)], body: NewRecord) -> dict[str, Any]:
    record_id, change_id = _call(review.add, engine, doc_id, body.record, body.reason, body.user)
    return _answer(engine, record_id, change_id)


@router.post("/review/undo/{change_id}", dependencies=WRITE, summary="Undo a record decision")
def undo(engine: EngineDep, change_id: Annotated[int, Path(ge=1, le=2**62)], body: Decision) -> dict[str, Any]:
    new_id = _call(review.undo, engine, change_id, body.reason, body.user)
    return _answer(engine, review.change(engine, new_id)["record_id"], new_id)


@router.post("/events/merge", dependencies=WRITE, summary="These events (or records) are one event")
def merge(engine: EngineDep, body: EventDecision) -> dict[str, Any]:
    return {"event_id": _call(review.merge, engine, body.ids, body.reason, body.user)}


@router.post("/events/{event_id}/split", dependencies=WRITE, summary="Split an event (or take a record out)")
def split(engine: EngineDep, event_id: Annotated[str, Path(max_length=320)], body: Decision) -> dict[str, Any]:
    return {"event_ids": _call(review.split, engine, event_id, body.reason, body.user)}


@router.get("/review/log", summary="The audit log, newest first: who, when, before, after, why")
def review_log(
    engine: EngineDep,
    record_id: Annotated[str | None, Query(max_length=320, description="Only changes to this record.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    return {"limit": limit, "offset": offset, "items": review.log(engine, record_id, limit, offset)}


@router.get("/review/queue", summary="Records to review, the least certain first")
def review_queue(
    engine: EngineDep,
    where: Annotated[store.Filters, Depends(filters)],
    flagged: Annotated[bool, Query(description="Reviewed records whose machine value changed since.")] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    items = review_store.queue(engine, where, limit, offset, flagged)
    return {"limit": limit, "offset": offset, "items": items}


@router.get("/places", summary="A place for a name (Arabic or English), from the gazetteer the extractor uses")
def places(engine: EngineDep, q: Annotated[str, Query(min_length=2, max_length=200)]) -> dict[str, Any]:
    from marsad.geo import resolver_for

    found = resolver_for(engine).resolve(q.strip())
    items = [{**{f: getattr(found, f) for f in LOCATION_FIELDS}, "text": q.strip()}] if found else []
    return {"items": items}
