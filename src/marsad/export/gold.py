"""Reviewed reports as SCHEMA.md gold (what `marsad eval --gold` and `marsad train` read), and reports as
JSONL rows that `marsad ingest` reads back as the same reports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from marsad.model import Document
from marsad.store import StoredRecord


def evidence_text(data: dict[str, Any]) -> str:
    return " … ".join(e["text"] for e in data.get("evidence") or [])


GOLD_DROP = ("doc_id", "evidence", "regions", "confidence")


def gold_document(doc: Document, stored: Iterable[StoredRecord]) -> dict[str, Any]:
    """A reviewed report in the shape of ../shared/data/gold/ar_dev.jsonl (what `marsad eval --gold` and
    `marsad train` read). Rejected records are left out; a record no one reviewed is marked uncertain."""
    incidents = []
    for item in stored:
        review = item.review
        if review == "rejected":
            continue
        data = item.record.to_dict()
        gold = {k: v for k, v in data.items() if k not in GOLD_DROP or (k == "regions" and v)}
        gold.update(evidence_text=evidence_text(data), uncertain=review is None, review=review)
        incidents.append(gold)
    published = doc.published.isoformat() if doc.published else None
    return {"doc_id": doc.doc_id, "published": published, "lang": doc.lang, "incidents": incidents}


def report_row(doc: Document) -> dict[str, Any]:
    """A report as a JSONL row that `marsad ingest`/`eval --docs` read back as the same report."""
    body = doc.text[doc.body_start :] if doc.title else doc.text
    published = doc.published.isoformat() if doc.published else None
    return {"docno": doc.doc_id, "title": doc.title, "text": body, "published_iso": published,
            "source": doc.outlet, "url": doc.url, "lang": doc.lang}  # fmt: skip
