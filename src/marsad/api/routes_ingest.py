"""POST a report (plain text, HTML or a JSON object) and get back the records extracted from it."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from sqlalchemy import Engine

from marsad.api.params import get_engine
from marsad.api.serialize import record_item
from marsad.model import Document
from marsad.sources import FieldMap, SourceError, text_document
from marsad.sources.html import read_html
from marsad.sources.tabular import row_to_document
from marsad.store.aggregates import document_id_for_hash, document_records

router = APIRouter(prefix="/api", tags=["ingest"])

MAX_BODY = 2_000_000
SOURCE = "api"

_BODY_SCHEMA = {
    "required": True,
    "content": {
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
        "application/json": {
            "schema": {
                "type": "object",
                "description": "One report as in JSONL input: text (or body/content), title, "
                "doc_id (or docno/id), url, source, published (or published_iso/date), lang.",
                "properties": {
                    "text": {"type": "string"},
                    "title": {"type": "string"},
                    "doc_id": {"type": "string"},
                    "url": {"type": "string"},
                    "source": {"type": "string"},
                    "published": {"type": "string"},
                    "lang": {"type": "string"},
                },
                "required": ["text"],
            }
        },
    },
}


def parse_report(body: str, content_type: str, doc_id: str | None) -> Document:
    """A Document from the posted body, read the way `marsad ingest` reads files of that kind."""
    if content_type == "application/json":
        try:
            row = json.loads(body)
        except json.JSONDecodeError as exc:
            raise HTTPException(422, f"invalid JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(row, dict):
            raise HTTPException(422, "expected one JSON object")
        doc = row_to_document(row, FieldMap(), SOURCE, 1)
    elif content_type in ("text/html", "application/xhtml+xml"):
        doc = read_html(body, SOURCE, doc_id)
    else:
        if not body.strip():
            raise HTTPException(422, "empty report")
        doc = text_document(body, doc_id or "", source_path=SOURCE)
    if doc_id:
        doc.doc_id = doc_id
    elif not doc.doc_id:
        doc.doc_id = doc.content_hash[:16]
    return doc


@router.post(
    "/ingest",
    openapi_extra={"requestBody": _BODY_SCHEMA},
    status_code=201,
    summary="Extract and store one report; answers its records (200 if the same text was stored before)",
    responses={200: {"description": "Already stored: its records"}, 413: {"description": "Body too large"}},
)
async def ingest_report(
    request: Request,
    response: Response,
    engine: Annotated[Engine, Depends(get_engine)],
    doc_id: Annotated[str | None, Query(max_length=300, pattern=r"^[^\s:/]+$")] = None,
    published: Annotated[date | None, Query(description="Publication date, if the body does not give it.")] = None,
) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise HTTPException(413, f"report larger than {MAX_BODY} bytes")
    try:
        body = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HTTPException(422, f"body is not UTF-8 (byte {exc.start})") from None
    content_type = request.headers.get("content-type", "text/plain").split(";")[0].strip().lower()
    try:
        doc = parse_report(body, content_type, doc_id)
    except SourceError as err:
        raise HTTPException(422, err.message) from None
    if published and not doc.published:
        doc.published = published
    stored = _store(engine, doc)
    if not stored:
        response.status_code = 200
    found = document_records(engine, doc.doc_id)
    return {"doc_id": doc.doc_id, "stored": stored, "records": [record_item(s) for s in found]}


def _store(engine: Engine, doc: Document) -> bool:
    """Run the pipeline on one report; False (and `doc.doc_id` set to the stored one) when already stored."""
    from marsad.pipeline import ingest  # the extractor loads its lexicons on first use, not at app start

    stored_as = document_id_for_hash(engine, doc.content_hash)
    if stored_as is not None:  # the pipeline would skip it too; this spares its pass over unresolved records
        doc.doc_id = stored_as
        return False
    stats = ingest(engine, [doc])
    if stats.stored:
        return True
    doc.doc_id = document_id_for_hash(engine, doc.content_hash) or doc.doc_id
    return False
