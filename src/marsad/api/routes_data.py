"""Documents and records: listings with filters and pages, one item by id."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from marsad import store
from marsad.api.params import TEXT_HELP, Page, filters, get_engine, page
from marsad.api.serialize import document_item, json_response, record_item
from marsad.errors import StoreError
from marsad.store.aggregates import document_records, list_documents
from marsad.store.paging import COUNT_CAP, page_total
from marsad.store.records import count_listing, record_cursor
from marsad.store.search import common_text

router = APIRouter(prefix="/api", tags=["data"])

EngineDep = Annotated[Engine, Depends(get_engine)]
FiltersDep = Annotated[store.Filters, Depends(filters)]
PageDep = Annotated[Page, Depends(page)]


class ItemPage(BaseModel):
    total: int = Field(description="Items the filters match; a lower bound when `total_exact` is false.")
    total_exact: bool = Field(
        True, description=f"False when counting stopped at {COUNT_CAP:,}, or was not done (a common text needle)."
    )
    limit: int
    offset: int
    next: str | None = Field(None, description="Cursor of the next page (pass it as `after`); null on the last page.")
    items: list[dict[str, Any]]


@router.get("/records", response_model=ItemPage, summary="Records (incidents and tallies), oldest first")
def list_records(engine: EngineDep, where: FiltersDep, window: PageDep) -> dict:
    common = common_text(engine, where.text)  # asked once, for the page and the count
    try:
        found = store.query_records(engine, where, window.limit, window.offset, window.after, common)
    except StoreError as exc:
        raise HTTPException(422, str(exc)) from None
    more = len(found) == window.limit
    total, exact = page_total(count_listing(engine, where, common), window.offset, len(found), more)
    return json_response(
        {
            "total": total,
            "total_exact": exact,
            "limit": window.limit,
            "offset": window.offset,
            "next": record_cursor(found[-1]) if more else None,
            "items": [record_item(s) for s in found],
        }
    )


@router.get("/records/{record_id}", summary="One record by its id (<doc_id>:<index>)")
def get_record(engine: EngineDep, record_id: Annotated[str, Path(max_length=320)]) -> dict[str, Any]:
    doc_id, sep, index = record_id.rpartition(":")
    if sep and index.isdigit():
        for stored in document_records(engine, doc_id):
            if stored.record_id == record_id:
                return record_item(stored)
    raise HTTPException(404, f"no record {record_id!r}")


@router.get("/documents", response_model=ItemPage, summary="Stored reports, newest first")
def documents(
    engine: EngineDep,
    window: PageDep,
    text: Annotated[str | None, Query(min_length=3, max_length=200, description=TEXT_HELP)] = None,
) -> dict:
    (total, exact), found = list_documents(engine, (text or "").strip() or None, window.limit, window.offset)
    items = [
        {**summary.__dict__, "published": summary.published.isoformat() if summary.published else None}
        for summary in found
    ]
    return {"total": total, "total_exact": exact, "limit": window.limit, "offset": window.offset, "items": items}


@router.get("/documents/{doc_id}", summary="A report's cleaned text, its records and their evidence spans")
def get_document(engine: EngineDep, doc_id: Annotated[str, Path(max_length=300)]) -> dict[str, Any]:
    doc = store.get_document(engine, doc_id)
    if doc is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    return document_item(doc, document_records(engine, doc_id))
