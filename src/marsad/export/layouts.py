"""Export rows in three column layouts: marsad's own (SCHEMA.md flattened, with source columns),
ACLED's codebook and UCDP GED's. Every layout reads the same items: a SCHEMA.md record or an event
with its id and a `source` dict (doc_id, outlet, url, title, published).

A layout that cannot hold an item says why (`left_out`), and the export counts it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from marsad.formats import actor, layout

LOCATION_FIELDS = ("text", "name", "admin1", "admin2", "country", "lat", "lon", "geo_precision")
COUNT_BOUNDS = ("low", "best", "high")

# Where each row comes from, so it can be traced outside marsad. Adding a column is one line here
# (and the store filling it in the item's `source`).
SOURCE_COLUMNS = ("doc_id", "outlet", "url", "title", "published", "reviewed")

SCALAR_FIELDS = (
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

RECORD_FIELDS = [
    *SCALAR_FIELDS,
    *(f"killed_{b}" for b in COUNT_BOUNDS),
    *(f"wounded_{b}" for b in COUNT_BOUNDS),
    *(f"location_{f}" for f in LOCATION_FIELDS),
    "victims",
    "regions",
    "evidence_text",
]
EVENT_EXTRA = ["n_sources", "source_record_ids", "former_ids"]

# Columns that hold a day: typed as dates in Parquet, Excel and pandas, ISO text in CSV and JSON.
DATE_COLUMNS = frozenset({"date", "period_start", "period_end", "published", "event_date", "date_start", "date_end"})


def id_key(item: dict[str, Any]) -> str:
    return "event_id" if "event_id" in item else "record_id"


def columns(name: str, what: str) -> list[str]:
    """The columns of a layout, in order, for records or events."""
    if name == "marsad":
        id_column = "event_id" if what == "events" else "record_id"
        return [id_column, *SOURCE_COLUMNS, *RECORD_FIELDS, *(EVENT_EXTRA if what == "events" else [])]
    return list(layout(name)["columns"])


def _evidence(item: dict[str, Any]) -> list[dict[str, Any]]:
    if "sources" in item:  # an event: the evidence of each of its source records
        return [span for source in item["sources"] for span in source.get("evidence") or []]
    return item.get("evidence") or []


def notes(item: dict[str, Any]) -> str:
    """The report's own words for the row, each span once."""
    return " … ".join(dict.fromkeys(" ".join(e["text"].split()) for e in _evidence(item)))


def marsad_row(item: dict[str, Any]) -> dict[str, Any]:
    """SCHEMA.md names joined with '_'; lists stay JSON so nothing is lost."""
    key = id_key(item)
    source = item.get("source") or {}
    row: dict[str, Any] = {key: item[key], **{name: source.get(name) for name in SOURCE_COLUMNS}}
    row.update({name: item.get(name) for name in SCALAR_FIELDS})
    row["kind"] = item.get("kind") or "incident"
    for prefix in ("killed", "wounded"):
        count = item.get(prefix) or {}
        for bound in COUNT_BOUNDS:
            row[f"{prefix}_{bound}"] = count.get(bound)
    location = item.get("location") or {}
    for name in LOCATION_FIELDS:
        row[f"location_{name}"] = location.get(name)
    row["victims"] = json.dumps(item.get("victims") or [], ensure_ascii=False)
    row["regions"] = json.dumps(item.get("regions") or [], ensure_ascii=False)
    row["evidence_text"] = notes(item)
    if key == "event_id":
        row["n_sources"] = item.get("n_sources")
        row["source_record_ids"] = " ".join(s["record_id"] for s in item.get("sources") or [])
        row["former_ids"] = " ".join(item.get("former_ids") or [])
    return row


def _central(count: dict[str, Any] | None) -> int | None:
    count = count or {}
    return count.get("best") if count.get("best") is not None else count.get("low")


def _country(code: str | None) -> tuple[int | None, str | None, str | None]:
    found = layout("acled")["countries"].get(code or "")
    return tuple(found) if found else (None, code, None)  # type: ignore[return-value]


def _actor_name(actor_id: str | None, field: str, country: str | None) -> str:
    return getattr(actor(actor_id), field).replace("{country}", country or "Unknown")


def _inter(actor_id: str | None, country_code: str | None) -> int:
    entry = actor(actor_id)
    if entry.state and country_code and entry.state != country_code:
        return 8  # a state's forces outside it are external forces
    return entry.acled_inter


def _range_tags(item: dict[str, Any]) -> str:
    """What ACLED's single figure hides: marsad's low-high range and the wounded."""
    tags = []
    killed = item.get("killed") or {}
    if killed.get("high") not in (None, killed.get("best"), killed.get("low")) or killed.get("best") is None:
        tags.append(f"killed {killed.get('low') or ''}-{killed.get('high') or ''}")
    wounded = _central(item.get("wounded"))
    if wounded is not None:
        tags.append(f"wounded {wounded}")
    return "; ".join(tags)


def acled_row(item: dict[str, Any]) -> dict[str, Any]:
    spec = layout("acled")
    location = item.get("location") or {}
    iso, country, region = _country(location.get("country"))
    code = location.get("country")
    day = item.get("date") or ""
    victim = item.get("victim_group")
    assoc = sorted({v["group"] for v in item.get("victims") or [] if v.get("group") != victim})
    inter1, inter2 = _inter(item.get("perpetrator"), code), _inter(victim, code)
    return {
        "event_id_cnty": item[id_key(item)],
        "event_date": day or None,
        "year": int(day[:4]) if day else None,
        "time_precision": spec["time_precision"].get(item.get("date_precision"), 3),
        "disorder_type": spec["disorder_type"].get(item.get("event_type")),
        "event_type": spec["event_type"].get(item.get("event_type")),
        "sub_event_type": spec["sub_event_type"].get(item.get("sub_event_type")),
        "actor1": _actor_name(item.get("perpetrator"), "acled", country),
        "assoc_actor_1": None,
        "inter1": inter1,
        "actor2": _actor_name(victim, "acled", country),
        "assoc_actor_2": "; ".join(_actor_name(g, "acled", country) for g in assoc) or None,
        "inter2": inter2,
        "interaction": int(f"{min(inter1, inter2)}{max(inter1, inter2)}"),
        "civilian_targeting": "Civilian targeting" if actor(victim).civilian else None,
        "iso": iso,
        "region": region,
        "country": country,
        "admin1": location.get("admin1"),
        "admin2": location.get("admin2"),
        "admin3": None,
        "location": location.get("name") or location.get("text"),
        "latitude": location.get("lat"),
        "longitude": location.get("lon"),
        "geo_precision": location.get("geo_precision"),
        "source": (item.get("source") or {}).get("outlet"),
        "source_scale": None,
        "notes": notes(item),
        # ACLED's convention: a figure not given is 0 (marsad keeps it null in its own columns).
        "fatalities": _central(item.get("killed")) or 0,
        "tags": _range_tags(item) or None,
        "timestamp": int(time.time()),
    }


def _ucdp_type(perpetrator: str | None, victim: str | None) -> int:
    """1 state-based (a government on one side), 2 non-state, 3 one-sided (against civilians)."""
    if actor(victim).civilian:
        return 3
    return 1 if actor(perpetrator).state or actor(victim).state else 2


def _ucdp_sides(perpetrator: str | None, victim: str | None, kind: int) -> tuple[str | None, str | None, bool]:
    """(side_a, side_b, whether the victims are side_a): UCDP puts the government on side_a."""
    if kind == 1 and actor(victim).state and not actor(perpetrator).state:
        return victim, perpetrator, True
    return perpetrator, victim, False


def ucdp_row(item: dict[str, Any]) -> dict[str, Any]:
    spec = layout("ucdp")
    location = item.get("location") or {}
    _, country, _ = _country(location.get("country"))
    kind = _ucdp_type(item.get("perpetrator"), item.get("victim_group"))
    side_a, side_b, victims_are_a = _ucdp_sides(item.get("perpetrator"), item.get("victim_group"), kind)
    killed = item.get("killed") or {}
    best = _central(killed)
    deaths = {"deaths_a": 0, "deaths_b": 0, "deaths_civilians": 0, "deaths_unknown": 0}
    slot = "deaths_civilians" if kind == 3 else "deaths_a" if victims_are_a else "deaths_b"
    deaths[slot if item.get("victim_group") not in (None, "unknown") else "deaths_unknown"] = best or 0
    source = item.get("source") or {}
    day = item.get("date")
    located = location.get("lat") is not None
    return {
        "id": item[id_key(item)],
        "year": int(day[:4]) if day else None,
        "type_of_violence": kind,
        "side_a": _actor_name(side_a, "ucdp", country),
        "side_b": _actor_name(side_b, "ucdp", country),
        "source_article": ",".join(str(source.get(k) or "") for k in ("outlet", "published", "title")),
        "source_headline": source.get("title"),
        "where_coordinates": location.get("name") or location.get("text"),
        "where_prec": spec["where_prec"].get(location.get("geo_precision") if located else "unlocated", 6),
        "adm_1": location.get("admin1"),
        "adm_2": location.get("admin2"),
        "latitude": location.get("lat"),
        "longitude": location.get("lon"),
        "country": country,
        "date_start": day,
        "date_end": day,
        "date_prec": spec["date_prec"].get(item.get("date_precision"), 4),
        **deaths,
        "low": killed.get("low") if killed.get("low") is not None else best,
        "best": best,
        "high": next((v for v in (killed.get("high"), best) if v is not None), None),
    }


def _event_layout_only(item: dict[str, Any]) -> str | None:
    if item.get("kind") == "tally":
        return "tallies (a count over a period, not one event)"
    return None


# layout -> (row builder, why an item is left out or None)
ROW_BUILDERS: dict[str, tuple[Callable[[dict], dict], Callable[[dict], str | None]]] = {
    "marsad": (marsad_row, lambda item: None),
    "acled": (acled_row, _event_layout_only),
    "ucdp": (ucdp_row, _event_layout_only),
}
