"""Writers for stored records: JSONL (SCHEMA.md records), flat CSV and GeoJSON points."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from marsad.store import StoredRecord

LOCATION_FIELDS = ("text", "name", "admin1", "admin2", "country", "lat", "lon", "geo_precision")
COUNT_BOUNDS = ("low", "best", "high")

CSV_COLUMNS = [
    "record_id",
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
    *(f"killed_{b}" for b in COUNT_BOUNDS),
    *(f"wounded_{b}" for b in COUNT_BOUNDS),
    *(f"location_{f}" for f in LOCATION_FIELDS),
    "victims",
    "regions",
    "evidence_text",
]


def flatten(stored: StoredRecord) -> dict[str, Any]:
    """One CSV row: SCHEMA.md names joined with '_'; lists stay JSON so nothing is lost."""
    data = stored.record.to_dict()
    row: dict[str, Any] = {"record_id": stored.record_id}
    for key in (
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
    ):
        row[key] = data.get(key)
    for prefix in ("killed", "wounded"):
        count = data.get(prefix) or {}
        for bound in COUNT_BOUNDS:
            row[f"{prefix}_{bound}"] = count.get(bound)
    location = data.get("location") or {}
    for name in LOCATION_FIELDS:
        row[f"location_{name}"] = location.get(name)
    row["victims"] = json.dumps(data.get("victims") or [], ensure_ascii=False)
    row["regions"] = json.dumps(data.get("regions") or [], ensure_ascii=False)
    row["evidence_text"] = " … ".join(e["text"] for e in data.get("evidence") or [])
    return row


def write_csv(rows: Iterable[StoredRecord], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    n = 0
    for stored in rows:
        writer.writerow(flatten(stored))
        n += 1
    return n


def write_jsonl(rows: Iterable[StoredRecord], out: TextIO) -> int:
    n = 0
    for stored in rows:
        out.write(json.dumps({"record_id": stored.record_id, **stored.record.to_dict()}, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


def write_geojson(rows: Iterable[StoredRecord], out: TextIO) -> int:
    """A FeatureCollection of records with coordinates; records without a point are left out."""
    features = []
    for stored in rows:
        location = stored.record.location
        if location is None or location.lat is None or location.lon is None:
            continue
        properties = flatten(stored)
        features.append(
            {
                "type": "Feature",
                "id": stored.record_id,
                "geometry": {"type": "Point", "coordinates": [location.lon, location.lat]},
                "properties": properties,
            }
        )
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features)


WRITERS = {"csv": write_csv, "jsonl": write_jsonl, "geojson": write_geojson}
