"""Writers for stored records and events: JSONL (SCHEMA.md records), flat CSV and GeoJSON points.

Rows are SCHEMA.md dicts carrying their stable id (`record_id`, or `event_id` for events), so a
downstream dataset can be updated by id rather than replaced.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from marsad.model import Document
from marsad.store import StoredRecord

LOCATION_FIELDS = ("text", "name", "admin1", "admin2", "country", "lat", "lon", "geo_precision")
COUNT_BOUNDS = ("low", "best", "high")

SCALAR_FIELDS = (
    "doc_id",
    "kind",
    "event_type",
    "sub_event_type",
    "date",
    "date_precision",
    "period_start",
    "period_end",
    "perpetrator",
    "perpetrator_text",
    "victim_group",
)

CSV_COLUMNS = [
    *SCALAR_FIELDS,
    *(f"killed_{b}" for b in COUNT_BOUNDS),
    *(f"wounded_{b}" for b in COUNT_BOUNDS),
    *(f"location_{f}" for f in LOCATION_FIELDS),
    "victims",
    "regions",
    "evidence_text",
    "reviewed",
]


def flatten(data: dict[str, Any]) -> dict[str, Any]:
    """One CSV row: SCHEMA.md names joined with '_'; lists stay JSON so nothing is lost."""
    row: dict[str, Any] = {key: data.get(key) for key in SCALAR_FIELDS}
    for prefix in ("killed", "wounded"):
        count = data.get(prefix) or {}
        for bound in COUNT_BOUNDS:
            row[f"{prefix}_{bound}"] = count.get(bound)
    location = data.get("location") or {}
    for name in LOCATION_FIELDS:
        row[f"location_{name}"] = location.get(name)
    row["victims"] = json.dumps(data.get("victims") or [], ensure_ascii=False)
    row["regions"] = json.dumps(data.get("regions") or [], ensure_ascii=False)
    row["evidence_text"] = evidence_text(data)
    row["reviewed"] = data.get("reviewed")
    return row


def evidence_text(data: dict[str, Any]) -> str:
    return " … ".join(e["text"] for e in data.get("evidence") or [])


def record_rows(rows: Iterable[StoredRecord]) -> Iterator[dict[str, Any]]:
    """Stored records as SCHEMA.md dicts with their `record_id` first, and whether a person reviewed them
    (`reviewed`; `review` says how: accepted, corrected, added)."""
    for stored in rows:
        yield {
            "record_id": stored.record_id,
            **stored.record.to_dict(),
            "reviewed": stored.review is not None,
            "review": stored.review,
        }


def event_rows(
    events: Iterable[dict[str, Any]], former: dict[str, list[str]] | None = None, reviewed: set[str] = frozenset()
) -> Iterator[dict[str, Any]]:
    """Events as exported: merged fields, each source's record id (full sources stay in JSONL), the ids of
    events merged into it (`former_ids`, from store.event_history.former_ids), so a downstream row keyed by
    an old id finds where it went, and `reviewed`: whether a person reviewed any of its source records."""
    for event in events:
        ids = [s["record_id"] for s in event.get("sources") or []]
        yield {
            **event,
            "source_record_ids": ids,
            "former_ids": (former or {}).get(event["event_id"], []),
            "reviewed": any(i in reviewed for i in ids),
        }


def _id_key(row: dict[str, Any]) -> str:
    return "event_id" if "event_id" in row else "record_id"


def _csv_row(row: dict[str, Any]) -> dict[str, Any]:
    extra = {}
    if "event_id" in row:
        extra = {"n_sources": row.get("n_sources"), "source_record_ids": " ".join(row["source_record_ids"])}
        extra["former_ids"] = " ".join(row.get("former_ids") or [])
    return {_id_key(row): row[_id_key(row)], **flatten(row), **extra}


def write_csv(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    writer = None
    n = 0
    for row in rows:
        flat = _csv_row(row)
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(flat))
            writer.writeheader()
        writer.writerow(flat)
        n += 1
    if writer is None:  # nothing to write: still a header, so the file has its columns
        csv.writer(out).writerow(["record_id", *CSV_COLUMNS])
    return n


def write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


def write_geojson(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """A FeatureCollection of points; rows without coordinates are left out."""
    features = []
    for row in rows:
        location = row.get("location") or {}
        if location.get("lat") is None or location.get("lon") is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": row[_id_key(row)],
                "geometry": {"type": "Point", "coordinates": [location["lon"], location["lat"]]},
                "properties": _csv_row(row),
            }
        )
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features)


WRITERS = {"csv": write_csv, "jsonl": write_jsonl, "geojson": write_geojson}


def write_file(output: Path, write: Callable[[TextIO], int]) -> int:
    """Run `write` into a partial file beside `output`, then rename it over `output`.

    The partial name is unique to this run (two exports to one file never mix), its content is on
    disk (fsync) before the rename, and an interrupted export leaves the old file and no partial one.
    """
    fd, partial = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            n = write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(partial, 0o644)  # mkstemp makes 0600; an export is an ordinary file to share
        os.replace(partial, output)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    _fsync_dir(output.parent)  # the rename itself survives a power cut
    return n


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform; the file's own fsync still happened
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
