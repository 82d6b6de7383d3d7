"""POST a report (plain text, HTML or a JSON object) and get back the records extracted from it.

The report is extracted and stored before the answer; grouping its records into events (which
re-resolves the events near them) runs right after the answer is sent, one run at a time per app.
"""

from __future__ import annotations

import sys
import threading
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, HTTPException, Query, Request, Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from marsad.api.params import get_engine
from marsad.api.security import require_write
from marsad.api.serialize import record_item
from marsad.api.worker import ReportFailed, extract_report, in_process, worker
from marsad.model import Document
from marsad.sources import FieldMap, text_document
from marsad.sources.html import read_html
from marsad.sources.tabular import checked_published, load_json, row_to_document
from marsad.store.aggregates import document_id_for_hash, document_records
from marsad.store.failures import Failure, record_failure

router = APIRouter(prefix="/api", tags=["ingest"])

MAX_BODY = 2_000_000
# What a report may be sent as; forms, multipart and XML are not reports (415).
CONTENT_TYPES = ("text/plain", "text/html", "application/xhtml+xml", "application/json")
SWITCH_INTERVAL = 0.0005  # seconds; see `prepare`
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
            row = load_json(body)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
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


class EventUpdates:
    """Event resolution of ingested records, after the answers, one run at a time: two runs never
    re-resolve the same neighbourhood at once. A run takes every record queued so far and, before it
    ends, those queued meanwhile, so a burst of ingests costs a few runs, not one per report, and no
    background task waits idle for another (each would hold one of the threads requests are served by)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()  # guards the two fields below
        self._queued: list[str] = []
        self._running = False

    def add(self, record_ids: list[str]) -> None:
        with self._lock:
            self._queued.extend(record_ids)

    def run(self) -> None:
        from marsad.resolve import update_events

        while True:
            with self._lock:
                if self._running or not self._queued:
                    return  # the run in progress takes the queue before it ends
                self._running = True
                record_ids, self._queued = list(dict.fromkeys(self._queued)), []
            try:
                # Should this fail, the records stay unresolved until `marsad events resolve`.
                update_events(self.engine, record_ids)
            finally:
                with self._lock:
                    self._running = False


def prepare(app: FastAPI, engine: Engine) -> None:
    """Give the app its event-resolution queue, and load the sentence encoder that resolution uses
    in the background now rather than during the first ingest (it takes a second or two)."""
    from marsad.resolve.similarity import warm_up

    app.state.event_updates = EventUpdates(engine)
    threading.Thread(target=warm_up, name="marsad-encoder-warm-up", daemon=True).start()
    # Resolution is pure Python and holds the interpreter lock for up to the switch interval (5 ms by
    # default) each time a request thread gives it up for a query: a request making 20 queries while
    # events resolve would wait 100 ms. Switching every 0.5 ms keeps requests prompt meanwhile.
    sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))


@router.post(
    "/ingest",
    openapi_extra={"requestBody": _BODY_SCHEMA},
    status_code=201,
    summary="Extract and store one report; answers its records (200 if the same text was stored before)",
    description="The answer carries the report's records as soon as they are stored. Their events "
    "(`/api/events`) are resolved right after the answer is sent: for a moment, usually well under a "
    "second, the new records are in no event yet. Event resolution runs one ingest at a time.",
    responses={
        200: {"description": "Already stored: its records"},
        401: {"description": "No or wrong write token"},
        403: {"description": "Cross-origin write or unknown host name"},
        413: {"description": "Body too large"},
        415: {"description": "Unsupported content type"},
    },
)
async def ingest_report(
    request: Request,
    response: Response,
    background: BackgroundTasks,
    engine: Annotated[Engine, Depends(get_engine)],
    _: Annotated[None, Depends(require_write)],
    doc_id: Annotated[str | None, Query(max_length=300, pattern=r"^[^\s:/]+$")] = None,
    published: Annotated[date | None, Query(description="Publication date, if the body does not give it.")] = None,
) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "text/plain").split(";")[0].strip().lower()
    if content_type not in CONTENT_TYPES:
        raise HTTPException(415, f"unsupported content type {content_type!r}: send {', '.join(CONTENT_TYPES)}")
    try:
        published = checked_published(published)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    body = await read_body(request, MAX_BODY)
    doc, records = await _read_and_extract(engine, body, content_type, doc_id, published)
    stored, found = await run_in_threadpool(_store, engine, doc, records)
    if not stored:
        response.status_code = 200
    incidents = [s.record_id for s in found if s.record.kind == "incident"]
    if incidents:
        # Also for a report stored before: its records may have missed their events (a stop between
        # storing and resolving); resolution skips the records already in events.
        updates = _updates(request.app, engine)
        updates.add(incidents)
        background.add_task(updates.run)
    return {"doc_id": doc.doc_id, "stored": stored, "records": [record_item(s) for s in found]}


async def read_body(request: Request, limit: int) -> str:
    """The body as text, refused (413) as soon as it passes `limit` bytes: never held whole first."""
    declared = request.headers.get("content-length", "")
    if declared.isdecimal() and int(declared) > limit:
        raise HTTPException(413, f"report larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"report larger than {limit} bytes")
        chunks.append(chunk)
    try:
        return b"".join(chunks).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HTTPException(422, f"body is not UTF-8 (byte {exc.start})") from None


async def _read_and_extract(
    engine: Engine, body: str, content_type: str, doc_id: str | None, published: date | None
) -> tuple[Document, list]:
    """Parsing (trafilatura) and extraction hold the interpreter lock: in the worker process, so other
    requests (/api/health among them) are served meanwhile and a report that takes too long is stopped.
    A database the worker cannot open (in memory) is served from the thread pool instead."""
    url = engine.url.render_as_string(hide_password=False)
    try:
        if in_process(url):
            return await worker.run(url, body, content_type, doc_id, published)
        outcome = await run_in_threadpool(extract_report, engine, body, content_type, doc_id, published)
        if isinstance(outcome, ReportFailed):
            raise outcome
        return outcome
    except ReportFailed as failed:
        await run_in_threadpool(record_failure, engine, Failure(SOURCE, None, failed.stage, failed.reason, doc_id))
        raise HTTPException(422, failed.reason) from None


def _updates(app: FastAPI, engine: Engine) -> EventUpdates:
    updates = getattr(app.state, "event_updates", None)
    if updates is None:  # an app built without `prepare`
        updates = app.state.event_updates = EventUpdates(engine)
    return updates


def _store(engine: Engine, doc: Document, records: list) -> tuple[bool, list]:
    """Store one extracted report (events are left to `EventUpdates`). Returns whether it was new,
    and its stored records; when it was stored before, `doc.doc_id` is set to the stored one."""
    from marsad.pipeline import store_extracted

    stored_as = document_id_for_hash(engine, doc.content_hash)
    stored = False
    if stored_as is not None:
        doc.doc_id = stored_as
    else:
        stats = store_extracted(engine, doc, records)  # a failure is recorded in the store's failures
        if stats.errors:
            raise HTTPException(422, stats.errors[0].message)
        stored = stats.stored > 0
        if not stored:  # stored meanwhile by another request
            doc.doc_id = document_id_for_hash(engine, doc.content_hash) or doc.doc_id
    return stored, document_records(engine, doc.doc_id)
