"""JSON shapes of the API: SCHEMA.md records with their store id, documents with their evidence."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi.responses import Response

from marsad.model import Document
from marsad.store import StoredRecord

RTL_LANGS = {"ar", "fa", "ur", "he", "ku", "ckb"}


def record_item(stored: StoredRecord) -> dict[str, Any]:
    """A SCHEMA.md record plus `record_id`, the report's `published` date (as `marsad tally --json`) and
    `review`: the analysts' decision (accepted, corrected, rejected, added) or null."""
    return {
        "record_id": stored.record_id,
        "published": stored.published.isoformat() if stored.published else None,
        **stored.record.to_dict(),
        "review": stored.review,
    }


def direction(lang: str | None) -> str:
    return "rtl" if (lang or "").split("-")[0].lower() in RTL_LANGS else "ltr"


def document_item(doc: Document, stored: list[StoredRecord]) -> dict[str, Any]:
    """The cleaned text that evidence offsets index, each record, and every evidence span in text order."""
    spans = [
        {"record_id": s.record_id, "start": e.start, "end": e.end, "text": e.text, "role": e.role}
        for s in stored
        for e in s.record.evidence
    ]
    spans.sort(key=lambda span: (span["start"], span["end"]))
    return {
        "doc_id": doc.doc_id,
        "title": doc.title,
        "outlet": doc.outlet,
        "attribution": doc.attribution,
        "url": doc.url,
        "published": doc.published.isoformat() if doc.published else None,
        "lang": doc.lang,
        "direction": direction(doc.lang),
        "text": doc.text,
        "records": [record_item(s) for s in stored],
        "evidence": spans,
    }


def _iso(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def json_response(body: dict[str, Any]) -> Response:
    """A JSON answer written at once: returning a Response skips FastAPI's validation and re-encoding of
    large bodies (thousands of timeline days or map places), which took longer than the query. The
    route's response_model still documents the shape."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=_iso)
    return Response(text, media_type="application/json")
